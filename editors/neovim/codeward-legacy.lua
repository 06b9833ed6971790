-- Codeward for Neovim 0.7 to 0.10 (Debian bookworm ships 0.7.2). Works on 0.11+ too, but there
-- prefer codeward.lua (vim.lsp.config / vim.lsp.enable).
--
-- Copy this file into your config (for example ~/.config/nvim/plugin/codeward.lua, or paste it
-- into init.lua). It needs `codeward` on your PATH (`cargo install --path server`).

-- Every key is optional; these are the server's defaults (see README.md, "Settings").
local codeward_settings = {
  analysisType = 'Security', -- 'Security' or 'All' (adds code-quality detectors)
  scanType = 'Express',      -- 'Express' (fast subset, size limits) or 'Standard'
  minSeverity = 'Info',      -- 'Info', 'Low', 'Medium', 'High' or 'Critical'
  disabledRules = {},        -- e.g. { 'python/insecure-hashing@v1.0' }
  debounceMs = 200,          -- quiet time after typing before a scan starts
  scanTrigger = 'type',      -- 'type' (as you type), 'save' (on open and save), 'manual' (:CodewardScan)
  autoScanInterval = 0,      -- seconds between background scans of the whole workspace (0 = off, 240 = CodeGuru's)
}

local filetypes = { 'python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' }
local root_markers = { '.git', 'pyproject.toml', 'setup.py', 'setup.cfg', 'package.json', 'pom.xml', 'build.gradle' }

-- The nearest ancestor directory of `path` holding a root marker, else the file's directory.
local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local current = dir
  while true do
    for _, marker in ipairs(root_markers) do
      if (vim.uv or vim.loop).fs_stat(current .. '/' .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then
      return dir
    end
    current = parent
  end
end

local clients = {} -- root directory -> client id (0.7 only: vim.lsp.start reuses clients itself)

local function attach(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' or vim.bo[bufnr].buftype ~= '' then
    return
  end
  local root = root_dir(path)
  local config = {
    name = 'codeward',
    cmd = { 'codeward', 'lsp' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    -- Read at startup; Neovim also sends `settings` in workspace/didChangeConfiguration, which
    -- replaces the whole configuration, so both carry the same table.
    init_options = codeward_settings,
    settings = { codeward = codeward_settings },
  }
  if vim.lsp.start then -- 0.8+
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = filetypes,
  group = vim.api.nvim_create_augroup('codeward', { clear = true }),
  callback = function(args) attach(args.buf) end,
  desc = 'Start or attach the codeward language server',
})

local function codeward_client(bufnr)
  if vim.lsp.get_clients then -- 0.10+
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'codeward' })[1]
  end
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'codeward' then
      return client
    end
  end
end

-- :CodewardScan scans the current buffer now (workspace/executeCommand codeward.scanFile).
vim.api.nvim_create_user_command('CodewardScan', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = codeward_client(bufnr)
  if not client then
    vim.notify('Codeward: no codeward client is attached to this buffer', vim.log.levels.WARN)
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local params = { command = 'codeward.scanFile', arguments = { uri } }
  local function on_result(err, result)
    if err then
      vim.notify('Codeward: scan failed: ' .. err.message, vim.log.levels.ERROR)
    else
      vim.notify(('Codeward: %d finding(s) in %s'):format(result.findings, vim.fn.fnamemodify(vim.uri_to_fname(uri), ':~:.')))
    end
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('workspace/executeCommand', params, on_result, bufnr)
  else
    client.request('workspace/executeCommand', params, on_result, bufnr)
  end
end, { desc = 'Codeward: scan the current buffer now' })
