// The language client: what VS Code sends the server, and how a failing server is handled (never a restart loop).
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, LanguageClientOptions, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
import { ServerCommand } from './runtime';

export class BibServerClient extends LanguageClient {
    /** The server's last lines of standard error, quoted when it stops: usually the reason. */
    stderrTail: string[] = [];
    private running = false;
    private readonly crashes: number[] = [];

    /** `onGaveUp` is called once if a server that was running keeps dying; a failed start rejects start() instead. */
    constructor(server: ServerCommand, log: vscode.LogOutputChannel, onGaveUp: (message: string) => void) {
        super('bibserver', 'BibServer', server, {
            ...options(log),
            stdioOptions: {
                stdout: (input, channel) => lines(input, line => channel.info(line)),
                stderr: (input, channel) => lines(input, line => {
                    channel.error(line);
                    this.stderrTail = [...this.stderrTail, line].slice(-3);
                }),
            },
            errorHandler: {
                error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
                closed: () => {
                    const now = Date.now();
                    this.crashes.push(now);
                    if (this.running && this.crashes.filter(t => now - t < 180_000).length <= 3) {
                        log.warn('The language server stopped; restarting it.');
                        return { action: CloseAction.Restart, handled: true };
                    }
                    if (this.running) {
                        onGaveUp(`BibServer's language server stopped ${this.crashes.length} times and will not be restarted.`);
                    }
                    return { action: CloseAction.DoNotRestart, handled: true };
                },
            },
        });
        this.onDidChangeState(e => this.running ||= e.newState === State.Running);
    }

    /** The library announces failures with notifications of its own; BibServer announces each failure once, itself. */
    override error(message: string, data?: unknown): void {
        super.error(message, data, false);
    }
}

function options(log: vscode.LogOutputChannel): LanguageClientOptions {
    return {
        documentSelector: [
            { scheme: 'file', language: 'markdown' },
            { scheme: 'untitled', language: 'markdown' },
            { scheme: 'file', language: 'quarto' },
            { scheme: 'untitled', language: 'quarto' },
            { scheme: 'file', language: 'bibtex' },
            // Libraries: BibTeX, CSL-JSON, CSL-YAML and scraped paper lists. The server tells them from other files.
            { scheme: 'file', pattern: '**/*.{bib,qmd,json,yaml,yml,txt}' },
        ],
        outputChannel: log,
        // Failures are announced once by the extension, not by the library on every failed request.
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        initializationOptions: () => settings(),
        initializationFailedHandler: () => false,
        synchronize: {
            configurationSection: 'bibserver',
            fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{md,qmd,bib,json,yaml,yml,txt}'),
        },
    };
}

/** The `bibserver` settings as plain JSON: the same shape the server gets in workspace/didChangeConfiguration. */
function settings(): unknown {
    return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('bibserver')));
}

function lines(input: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', onLine);
}
