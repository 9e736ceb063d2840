-- Checks a user's configuration instead of setting the client up itself: Neovim has been started with an init.lua
-- (the Neovim 0.7 block of docs/editors.md) and the notes to open as arguments. This script waits until every
-- argument's buffer is attached to a `bibserver` client and has its diagnostics, then writes what it saw to
-- $BIBSERVER_NVIM_RESULT and quits (exit code 1 if it stopped on an error).
--
--   nvim --headless -n -i NONE -u init.lua -c 'luafile tests/neovim/attached.lua' a.md b.md

local report = { buffers = {} }
local timeout = tonumber(os.getenv('BIBSERVER_NVIM_TIMEOUT') or '') or 30000

local function run()
  local buffers = {}
  for i = 0, vim.fn.argc() - 1 do
    local name = vim.fn.fnamemodify(vim.fn.argv(i), ':p')
    vim.cmd('edit ' .. vim.fn.fnameescape(name))
    table.insert(buffers, vim.api.nvim_get_current_buf())
  end
  for _, bufnr in ipairs(buffers) do
    local ready = vim.wait(timeout, function()
      return not vim.tbl_isempty(vim.lsp.buf_get_clients(bufnr)) and #vim.diagnostic.get(bufnr) > 0
    end, 50)
    local entry = {
      name = vim.api.nvim_buf_get_name(bufnr),
      filetype = vim.bo[bufnr].filetype,
      omnifunc = vim.bo[bufnr].omnifunc,
      ready = ready,
      clients = {},
      diagnostics = {},
    }
    for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
      table.insert(entry.clients, { id = client.id, name = client.name, root = client.config.root_dir })
    end
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(entry.diagnostics, string.format('%d:%d %s', d.lnum + 1, d.col + 1, d.message))
    end
    table.insert(report.buffers, entry)
  end
  vim.lsp.stop_client(vim.lsp.get_active_clients())
  report.stopped = vim.wait(timeout, function() return vim.tbl_isempty(vim.lsp.get_active_clients()) end, 50)
end

local ok, err = xpcall(run, debug.traceback)
report.ok = ok
if not ok then report.error = tostring(err) end
local out = io.open(os.getenv('BIBSERVER_NVIM_RESULT') or 'nvim-result.json', 'w')
out:write(vim.fn.json_encode(report))
out:close()
vim.cmd(ok and 'qall!' or 'cquit 1')
