-- BibServer in a real Neovim (0.7 or later), with nothing but the built-in LSP client: starts the server with
-- vim.lsp.start_client, opens a note, and writes what the editor received to a JSON file. It asserts nothing
-- itself; tests/BibServer.Server.Tests/Editors/NeovimTests.cs runs it and checks the report.
--
--   nvim --headless -n -i NONE -u NONE -c 'luafile tests/neovim/test.lua'
--
-- Input, from the environment:
--   BIBSERVER_NVIM_CMD      the server command as a JSON array, e.g. ["dotnet", "/path/bibserver.dll", "lsp"]
--   BIBSERVER_NVIM_ROOT     the workspace folder (the server's rootUri)
--   BIBSERVER_NVIM_NOTE     the note to open, inside that folder
--   BIBSERVER_NVIM_HOVER    the cited key to hover
--   BIBSERVER_NVIM_TYPE     JSON array of citations to type on new lines at the end of the note, each completed
--                           at its end, e.g. ["As shown by [@Boursi", "Also [@umar"]
--   BIBSERVER_NVIM_RESULT   where to write the report
--   BIBSERVER_NVIM_TIMEOUT  milliseconds to wait for each answer (default 30000)
-- Neovim exits 0 when the script ran to the end, 1 when it stopped on an error (the report says which).

local env = function(name)
  local value = os.getenv(name)
  if value == nil or value == '' then error(name .. ' is not set') end
  return value
end

local report = { steps = {}, notifications = {}, messages = {}, diagnostics = {} }
local timeout = tonumber(os.getenv('BIBSERVER_NVIM_TIMEOUT') or '') or 30000

local function step(name)
  table.insert(report.steps, name)
end

-- Waits for `probe` to return true, or fails naming what it waited for.
local function wait_for(what, probe)
  if not vim.wait(timeout, probe, 50) then
    error('timed out after ' .. timeout .. ' ms waiting for ' .. what)
  end
end

-- The one answer of the server to a request on the buffer; fails on an error or no answer.
local function request(bufnr, method, params)
  local answers, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not answers then error(method .. ': no answer (' .. tostring(err) .. ')') end
  for _, answer in pairs(answers) do
    if answer.err then error(method .. ': ' .. vim.inspect(answer.err)) end
    return answer.result
  end
  error(method .. ': no client answered')
end

-- The LSP position (0-based line, UTF-16 column) of byte `col` (0-based) on line `line` of the buffer.
local function position(bufnr, line, col)
  local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, true)[1]
  local _, utf16 = vim.str_utfindex(text, col)
  return { line = line, character = utf16 }
end

local function run()
  local cmd = vim.fn.json_decode(env('BIBSERVER_NVIM_CMD'))
  local root = env('BIBSERVER_NVIM_ROOT')
  local note = env('BIBSERVER_NVIM_NOTE')
  local hover_key = env('BIBSERVER_NVIM_HOVER')
  local typed = vim.fn.json_decode(env('BIBSERVER_NVIM_TYPE'))

  report.nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch
  -- Filetype detection, as in a user's setup: the note is sent with languageId "markdown".
  vim.cmd('filetype on')

  local default_diagnostics = vim.lsp.handlers['textDocument/publishDiagnostics']
  local client_id = vim.lsp.start_client({
    name = 'bibserver',
    cmd = cmd,
    root_dir = root,
    handlers = {
      -- Recorded first, then handed to Neovim's own handler, so vim.diagnostic sees them as usual.
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        table.insert(report.diagnostics, { uri = result.uri, version = result.version, diagnostics = result.diagnostics })
        return default_diagnostics(err, result, ctx, config)
      end,
      ['bibserver/status'] = function(_, result)
        table.insert(report.notifications, { method = 'bibserver/status', params = result })
      end,
      ['window/showMessage'] = function(_, result)
        table.insert(report.messages, result)
      end,
    },
    on_init = function(client, result)
      report.server = result.serverInfo
      report.capabilities = {
        hover = client.server_capabilities.hoverProvider and true or false,
        completion = client.server_capabilities.completionProvider,
        codeAction = client.server_capabilities.codeActionProvider and true or false,
      }
    end,
    on_exit = function(code, signal)
      report.exit = { code = code, signal = signal }
    end,
  })
  if not client_id then error('vim.lsp.start_client did not start ' .. vim.inspect(cmd)) end
  step('started')

  vim.cmd('edit ' .. vim.fn.fnameescape(note))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype
  vim.lsp.buf_attach_client(bufnr, client_id)
  local uri = vim.uri_from_bufnr(bufnr)
  report.uri = uri

  -- Diagnostics: the server publishes none for the note until the libraries are read, then its broken citations
  -- (the note has one). Hover and completion are asked after that, when the server knows the papers.
  wait_for('diagnostics of ' .. uri, function()
    for _, d in ipairs(report.diagnostics) do
      if d.uri == uri and #d.diagnostics > 0 then return true end
    end
    return false
  end)
  report.vim_diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(report.vim_diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, message = d.message })
  end
  step('diagnostics')

  -- Hover on the first citation of the key, cursor on its first letter.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  for i, text in ipairs(lines) do
    local at = text:find('@' .. hover_key, 1, true)
    if at then
      local pos = position(bufnr, i - 1, at)
      -- The citation engine loads after the first diagnostics, off the request path: a hover before it is there
      -- shows the paper's fields (they start with its title in bold), and the next one the rendered reference. The
      -- hover is asked again until it leads with the reference, as a writer would see it on hovering again.
      local result
      wait_for('a hover that leads with the rendered reference', function()
        result = request(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = pos })
        local value = result and result.contents and result.contents.value
        return type(value) == 'string' and value:sub(1, 2) ~= '**'
      end)
      report.hover = { position = pos, contents = result and result.contents or vim.NIL }
      break
    end
  end
  if not report.hover then error('@' .. hover_key .. ' is not cited in ' .. note) end
  step('hover')

  -- Completion: type each citation on a new line, ask at its end, and accept the first item by applying its edit
  -- as Neovim does. Also record what the built-in omnifunc would list for the same prefix.
  report.completions = {}
  for _, text in ipairs(typed) do
    local count = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, count, count, true, { '', text })
    local line = count + 1
    local pos = position(bufnr, line, #text)
    local result = request(bufnr, 'textDocument/completion', {
      textDocument = { uri = uri }, position = pos, context = { triggerKind = 1 },
    })
    local items = vim.lsp.util.extract_completion_items(result or {})
    local entry = { typed = text, incomplete = type(result) == 'table' and result.isIncomplete or false, items = {} }
    for i, item in ipairs(items) do
      if i > 10 then break end
      table.insert(entry.items, {
        label = item.label, filterText = item.filterText, detail = item.detail,
        newText = item.textEdit and item.textEdit.newText, range = item.textEdit and item.textEdit.range,
      })
    end
    entry.count = #items
    local prefix = text:match('[%w_]*$')
    entry.omnifunc = {}
    for _, match in ipairs(vim.lsp.util.text_document_completion_list_to_complete_items(result or {}, prefix)) do
      table.insert(entry.omnifunc, match.word)
    end
    if items[1] and items[1].textEdit then
      vim.lsp.util.apply_text_edits({ items[1].textEdit }, bufnr, 'utf-16')
      entry.accepted = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, true)[1]
    end
    table.insert(report.completions, entry)
  end
  step('completion')

  -- Shutdown and exit, as when Neovim quits: the server should end by itself with code 0.
  vim.lsp.stop_client(client_id)
  wait_for('the server to exit', function() return report.exit ~= nil end)
  step('stopped')
end

local ok, err = xpcall(run, debug.traceback)
report.ok = ok
if not ok then
  report.error = tostring(err)
  pcall(vim.lsp.stop_all_clients, true)
end
local out = io.open(os.getenv('BIBSERVER_NVIM_RESULT') or 'nvim-result.json', 'w')
out:write(vim.fn.json_encode(report))
out:close()
vim.cmd(ok and 'qall!' or 'cquit 1')
