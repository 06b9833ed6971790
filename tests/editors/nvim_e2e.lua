-- End-to-end check of a SHIPPED Neovim config (editors/neovim/*.lua) against the real server.
-- Loaded after the config, before the file is opened:
--   timeout 60 nvim --headless -i NONE -n -u editors/neovim/codeward.lua -c 'luafile tests/editors/nvim_e2e.lua'
-- (never `nvim -l`: on Neovim 0.7 it means lisp mode and waits for input).
-- env: CW_FILE      the vulnerable file to open
--      CW_RULE      the rule id expected on it (exactly one finding)
--      CW_FIX       title of the quick fix to choose in the code-action menu
--      CW_AFTER     plain text the buffer must contain after the fix ('|' separates several)
--      CW_MODE      'push' or 'pull': how the diagnostics must arrive
--      CW_TIMEOUT_MS  per-step wait (default 20000)
-- Exits 0 on success; on failure prints "FAIL: ..." and exits 1 (:cquit 1).
local file = assert(os.getenv('CW_FILE'), 'CW_FILE is not set')
local rule = assert(os.getenv('CW_RULE'), 'CW_RULE is not set')
local fix_title = assert(os.getenv('CW_FIX'), 'CW_FIX is not set')
local after = assert(os.getenv('CW_AFTER'), 'CW_AFTER is not set')
local mode = assert(os.getenv('CW_MODE'), 'CW_MODE is not set')
local timeout = tonumber(os.getenv('CW_TIMEOUT_MS') or '20000')

local function log(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
  io.stdout:flush()
end
local finished = false
local function fail(msg)
  if finished then return end
  finished = true
  log('FAIL: ' .. msg)
  vim.cmd('cquit 1')
end
local v = vim.version()
log(('nvim %d.%d.%d, config %s, file %s, expecting %s diagnostics'):format(v.major, v.minor, v.patch,
  vim.env.MYVIMRC or '?', file, mode))

-- Record every pushed diagnostics notification (the server must not push to a pulling client).
local pushed = 0
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and vim.uri_to_fname(result.uri) == vim.fn.fnamemodify(file, ':p') then
    pushed = pushed + 1
    log(('publishDiagnostics #%d: %d diagnostic(s), version %s'):format(pushed, #result.diagnostics, tostring(result.version)))
  end
  return default_publish(err, result, ctx, config)
end
-- Record what :CodewardScan and the code-action machinery tell the user.
local notes = {}
vim.notify = function(msg, level)
  log('NOTIFY', tostring(level), msg)
  table.insert(notes, msg)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
log('filetype', vim.bo[bufnr].filetype)

local function codeward_client()
  local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(list) do
    if c.name == 'codeward' then return c end
  end
end
local function wait(what, predicate)
  if not vim.wait(timeout, predicate, 20) then
    fail(('timed out after %d ms waiting for %s'):format(timeout, what))
    return false
  end
  return true
end
local function findings()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if tostring(code) == rule then table.insert(found, d) end
  end
  return found
end
local function dump_diagnostics()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    log(('DIAG %d:%d [%s] %s (%s)'):format(d.lnum + 1, d.col + 1, tostring(d.code), (d.message:gsub('\n.*', '')), tostring(d.source)))
  end
end

if not wait('the codeward client to attach (filetype ' .. vim.bo[bufnr].filetype .. ')', function()
  local c = codeward_client()
  return c ~= nil and c.initialized ~= false and c.server_capabilities ~= nil and next(c.server_capabilities) ~= nil
end) then return end
local client = codeward_client()
local caps = client.server_capabilities
local pull = caps.diagnosticProvider ~= nil
log('attached: client', client.id, 'root', tostring(client.config.root_dir), 'server pull diagnostics:', tostring(pull))
if (mode == 'pull') ~= pull then
  return fail(('server chose %s diagnostics, expected %s'):format(pull and 'pull' or 'push', mode))
end

if not wait('a ' .. rule .. ' diagnostic', function() return #findings() > 0 end) then
  dump_diagnostics()
  return
end
dump_diagnostics()
-- Let any duplicate (a push next to a pull) arrive before counting.
vim.wait(500, function() return false end, 50)
if #findings() ~= 1 then
  dump_diagnostics()
  return fail(('expected exactly 1 %s diagnostic, got %d'):format(rule, #findings()))
end
if mode == 'pull' and pushed > 0 then
  return fail(('the server pushed diagnostics %d time(s) to a client it serves pulls'):format(pushed))
end
if mode == 'push' and pushed == 0 then
  return fail('push mode but no publishDiagnostics was recorded')
end

-- :CodewardScan from the shipped config reports the finding.
local function scan(expected)
  notes = {}
  vim.cmd('CodewardScan')
  if not wait(':CodewardScan to report', function() return #notes > 0 end) then return false end
  local want = ('Codeward: %d finding(s)'):format(expected)
  if notes[1]:sub(1, #want) ~= want then
    fail((':CodewardScan said %q, expected it to start with %q'):format(notes[1], want))
    return false
  end
  return true
end
if not scan(1) then return end

-- The user's code-action menu (`gra` / vim.lsp.buf.code_action()) on the finding: choose the fix.
local d = findings()[1]
vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
local offered, chosen = {}, nil
vim.ui.select = function(items, opts, on_choice)
  for _, item in ipairs(items) do
    local action = item.action or item[2]
    log('ACTION', tostring(action.kind), action.title, action.isPreferred and '(preferred)' or '')
    table.insert(offered, action.title)
    if action.title == fix_title and not chosen then chosen = item end
  end
  on_choice(chosen)
end
local text_before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
vim.lsp.buf.code_action()
if not wait('the code-action menu', function() return #offered > 0 end) then return end
if not chosen then
  return fail(('no code action titled %q among: %s'):format(fix_title, table.concat(offered, ' | ')))
end
if not wait('the fix to change the buffer', function()
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') ~= text_before
end) then return end
local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
log('after the fix:\n' .. text)
for part in after:gmatch('[^|]+') do
  if not text:find(part, 1, true) then
    return fail(('the buffer does not contain %q after the fix'):format(part))
  end
end

-- The finding goes away in the editor and the server agrees.
if not wait('the ' .. rule .. ' diagnostic to go away', function() return #findings() == 0 end) then
  dump_diagnostics()
  return
end
if not scan(0) then return end
if mode == 'pull' and pushed > 0 then
  return fail(('the server pushed diagnostics %d time(s) to a client it serves pulls'):format(pushed))
end

log('PASS')
finished = true
if vim.fn.has('nvim-0.11') == 1 then client:stop() else vim.lsp.stop_client(client.id) end
vim.wait(3000, function() return vim.lsp.client_is_stopped(client.id) end, 20)
vim.cmd('qall!')
