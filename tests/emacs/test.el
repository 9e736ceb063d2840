;;; test.el --- BibServer in a real Emacs with eglot, in batch mode  -*- lexical-binding: t -*-

;; Emacs has been started as a user's Emacs would be with the configuration of docs/editors.md as its init file
;; (Debian's elpa-eglot and elpa-markdown-mode active, `bibserver' on PATH). This script opens a note, waits for
;; eglot to connect and Flymake to show the note's diagnostics, asks for hover through eldoc's function, types
;; citations and completes them with `completion-at-point', then shuts the server down, and writes what it saw
;; to a JSON report. It asserts nothing itself: tests/BibServer.Server.Tests/Editors/EmacsTests.cs checks it.
;;
;;   emacs --batch -q -l init.el -l tests/emacs/test.el
;;
;; Input, from the environment:
;;   BIBSERVER_EMACS_NOTE     the note to open (inside a version-controlled folder, the server's root)
;;   BIBSERVER_EMACS_HOVER    the cited key to hover
;;   BIBSERVER_EMACS_HOVER_TITLE  its title (a hover leading with it shows the fields, not yet the reference)
;;   BIBSERVER_EMACS_TYPE     JSON array of citations to type on new lines at the end of the note, each completed
;;   BIBSERVER_EMACS_RESULT   where to write the report
;;   BIBSERVER_EMACS_TIMEOUT  seconds to wait for each answer (default 30)
;; Emacs exits 0 when the script ran to the end, 1 when it stopped on an error (the report says which).

(require 'json)
(require 'subr-x)

(defvar bibserver-test-report (list (cons 'steps nil)))
(defvar bibserver-test-timeout
  (string-to-number (or (getenv "BIBSERVER_EMACS_TIMEOUT") "30")))

(defun bibserver-test-env (name)
  (let ((value (getenv name)))
    (if (or (null value) (string-empty-p value)) (error "%s is not set" name) value)))

(defun bibserver-test-put (key value)
  (setf (alist-get key bibserver-test-report) value))

(defun bibserver-test-step (name)
  (setf (alist-get 'steps bibserver-test-report) (append (alist-get 'steps bibserver-test-report) (list name))))

(defun bibserver-test-idle ()
  "What the command loop does between two commands, which batch mode has none of: run `post-command-hook'
\(where `eglot-ensure' and Flymake start their work) and let timers and process output in."
  (run-hooks 'post-command-hook)
  (accept-process-output nil 0.05))

(defun bibserver-test-wait-for (what probe)
  "Wait until PROBE returns non-nil and return that, or fail naming WHAT was waited for."
  (let ((deadline (+ (float-time) bibserver-test-timeout)) result)
    (while (and (not (setq result (funcall probe))) (< (float-time) deadline))
      (bibserver-test-idle))
    (or result (error "Timed out after %s s waiting for %s" bibserver-test-timeout what))))

(defun bibserver-test-diagnostics ()
  "The buffer's Flymake diagnostics as Flymake shows them: 0-based line, columns, type and text."
  (mapcar (lambda (d)
            (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
              `((line . ,(1- (line-number-at-pos beg)))
                (column . ,(save-excursion (goto-char beg) (current-column)))
                (end_column . ,(save-excursion (goto-char end) (current-column)))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                (text . ,(flymake-diagnostic-text d)))))
          (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))

(defun bibserver-test-run ()
  (let* ((note (bibserver-test-env "BIBSERVER_EMACS_NOTE"))
         (hover-key (bibserver-test-env "BIBSERVER_EMACS_HOVER"))
         (typed (append (json-read-from-string (bibserver-test-env "BIBSERVER_EMACS_TYPE")) nil)))
    (bibserver-test-put 'emacs emacs-version)
    ;; Batch mode skips what a normal start-up does before it reads the user's init file: activating the
    ;; installed packages (Debian's elpa-* packages among them). The init file's forms only take effect once
    ;; eglot and markdown-mode load, so doing it here, after the init file, changes nothing else.
    (package-activate-all)
    (bibserver-test-put 'eglot (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "?"))
    ;; Opening the note runs markdown-mode-hook, so `eglot-ensure' of the init file; it connects once the
    ;; command that opened the file is over.
    (find-file note)
    (bibserver-test-put 'mode (symbol-name major-mode))
    (let ((server (bibserver-test-wait-for "eglot to connect"
                                           (lambda () (and (bound-and-true-p eglot--managed-mode) (eglot-current-server))))))
      (bibserver-test-put 'server (plist-get (eglot--server-info server) :name))
      (bibserver-test-put 'root (project-root (eglot--project server)))
      (bibserver-test-put 'command (process-command (jsonrpc--process server)))
      (bibserver-test-step "connected")

      ;; Diagnostics: the server publishes none for the note until the libraries are read, then its broken
      ;; citations; Flymake shows them.
      (bibserver-test-wait-for "Flymake's diagnostics of the note" (lambda () (flymake-diagnostics)))
      (bibserver-test-put 'diagnostics (bibserver-test-diagnostics))
      (bibserver-test-step "diagnostics")

      ;; Hover: eglot's member of `eldoc-documentation-functions', on the first letter of the key's first citation.
      (goto-char (point-min))
      (search-forward (concat "@" hover-key))
      (goto-char (- (point) (length hover-key)))
      (bibserver-test-put 'hover_position `((line . ,(1- (line-number-at-pos))) (column . ,(current-column))))
      ;; The citation engine loads after the first diagnostics, off the request path: a hover before it is there
      ;; shows the paper's fields (its title first, in bold: with or without the asterisks, as eglot renders the
      ;; Markdown), and the next one the rendered reference. The hover is asked again until it leads with something
      ;; other than the title, as a writer would see it on hovering again.
      (let ((hover :none) (title (getenv "BIBSERVER_EMACS_HOVER_TITLE")))
        (bibserver-test-wait-for
         "a hover that leads with the rendered reference"
         (lambda ()
           (setq hover :none)
           (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover info)))
           (bibserver-test-wait-for "the hover" (lambda () (not (eq hover :none))))
           (or (null hover)
               (let ((text (string-trim-left (substring-no-properties hover))))
                 (not (or (string-prefix-p "**" text) (and title (string-prefix-p title text))))))))
        (bibserver-test-put 'hover (and hover (substring-no-properties hover))))
      (bibserver-test-step "hover")

      ;; Completion: type each citation on a new line at the end and complete it with `completion-at-point', as
      ;; C-M-i does; record the candidates eglot's table offers for what was typed, and the line after completing.
      (let (completions)
        (dolist (text typed)
          (goto-char (point-max))
          (insert "\n" text)
          (let* ((capf (eglot-completion-at-point))
                 (probe (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)))
                 (candidates (all-completions probe (nth 2 capf))))
            (completion-at-point)
            (push `((typed . ,text)
                    (probe . ,probe)
                    (candidates . ,(vconcat (mapcar #'substring-no-properties (seq-take candidates 10))))
                    (accepted . ,(buffer-substring-no-properties (line-beginning-position) (line-end-position))))
                  completions)))
        (bibserver-test-put 'completions (vconcat (nreverse completions))))
      (bibserver-test-step "completion")

      ;; Shutdown and exit, as M-x eglot-shutdown does (keeping the events buffer, to see the server's answer).
      ;; Emacs 28's jsonrpc deletes the process right after sending exit, so how the process ended says little;
      ;; what counts is that the server answered shutdown (eglot-shutdown fails if it does not within 1.5 s).
      (let ((process (jsonrpc--process server)))
        (eglot-shutdown server nil nil t)
        (bibserver-test-wait-for "the server to exit" (lambda () (not (process-live-p process))))
        (bibserver-test-put 'exit (process-exit-status process))
        (with-current-buffer (jsonrpc-events-buffer server)
          (goto-char (point-min))
          (let (methods answered)
            (while (re-search-forward "^(:jsonrpc \"2.0\"\\(?: :id \\([0-9]+\\)\\)? :method \"\\([^\"]+\\)\"" nil t)
              (push (match-string 2) methods)
              (when (equal (match-string 2) "shutdown")
                (save-excursion
                  (setq answered (re-search-forward (format "^\\[server-reply\\] (id:%s)" (match-string 1)) nil t)))))
            (bibserver-test-put 'methods (vconcat (delete-dups (nreverse methods))))
            (bibserver-test-put 'shutdown_answered (if answered t :json-false)))))
      ;; What eglot echoed (a server's window/showMessage shows here as "Server reports").
      (bibserver-test-put 'messages
                          (vconcat (seq-filter (lambda (line) (string-prefix-p "[eglot]" line))
                                               (split-string (with-current-buffer "*Messages*" (buffer-string)) "\n"))))
      (bibserver-test-step "stopped"))))

(let ((error-message nil))
  (condition-case err
      (bibserver-test-run)
    (error (setq error-message (error-message-string err))))
  (bibserver-test-put 'ok (if error-message :json-false t))
  (when error-message (bibserver-test-put 'error error-message))
  (setf (alist-get 'steps bibserver-test-report) (vconcat (alist-get 'steps bibserver-test-report)))
  (with-temp-file (or (getenv "BIBSERVER_EMACS_RESULT") "emacs-report.json")
    (insert (json-encode bibserver-test-report)))
  (kill-emacs (if error-message 1 0)))

;;; test.el ends here
