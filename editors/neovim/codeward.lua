-- Codeward for Neovim 0.11+ (vim.lsp.config / vim.lsp.enable).
--
-- Copy this file into your config (for example ~/.config/nvim/plugin/codeward.lua, or paste it
-- into init.lua). It needs `codeward` on your PATH (`cargo install --path server`).
-- Older Neovim (0.7 to 0.10): use codeward-legacy.lua instead.

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

vim.lsp.config('codeward', {
  cmd = { 'codeward', 'lsp' },
  filetypes = { 'python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' },
  root_markers = { '.git', 'pyproject.toml', 'setup.py', 'setup.cfg', 'package.json', 'pom.xml', 'build.gradle' },
  -- Read at startup; Neovim also sends `settings` in workspace/didChangeConfiguration, which
  -- replaces the whole configuration, so both carry the same table.
  init_options = codeward_settings,
  settings = { codeward = codeward_settings },
})
vim.lsp.enable('codeward')

-- :CodewardScan scans the current buffer now (workspace/executeCommand codeward.scanFile).
vim.api.nvim_create_user_command('CodewardScan', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'codeward' })[1]
  if not client then
    vim.notify('Codeward: no codeward client is attached to this buffer', vim.log.levels.WARN)
    return
  end
  local uri = vim.uri_from_bufnr(bufnr)
  client:request('workspace/executeCommand', { command = 'codeward.scanFile', arguments = { uri } },
    function(err, result)
      if err then
        vim.notify('Codeward: scan failed: ' .. err.message, vim.log.levels.ERROR)
      else
        vim.notify(('Codeward: %d finding(s) in %s'):format(result.findings, vim.fn.fnamemodify(vim.uri_to_fname(uri), ':~:.')))
      end
    end, bufnr)
end, { desc = 'Codeward: scan the current buffer now' })
