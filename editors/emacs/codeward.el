;;; codeward.el --- Codeward security scanner in Emacs through Eglot  -*- lexical-binding: t -*-

;; Load it from your init file: (load "/path/to/editors/emacs/codeward.el")
;; or paste it there.  Needs `codeward' on your PATH (`cargo install --path server') and Eglot
;; (built into Emacs 29+; `apt-get install elpa-eglot' or M-x package-install eglot on Emacs 28).
;;
;; Eglot runs ONE language server per buffer: a buffer managed by codeward gets no other server.
;; Each language gets its own entry (and so its own server process), because Eglot 1.9 sends the
;; same languageId for every buffer of a server.

(require 'eglot)

(defvar codeward-settings
  '(:analysisType "Security"   ; "Security" or "All" (adds code-quality detectors)
    :scanType "Express"        ; "Express" (fast subset, size limits) or "Standard"
    :minSeverity "Info"        ; "Info", "Low", "Medium", "High" or "Critical"
    ;; :disabledRules ["python/insecure-hashing@v1.0"]   ; a vector, never nil
    :debounceMs 200            ; quiet time after typing before a scan starts
    :scanTrigger "type"        ; "type", "save" (on open and save) or "manual" (M-x codeward-scan-file)
    :autoScanInterval 0)       ; seconds between background workspace scans (0 = off, 240 = CodeGuru's)
  "Codeward server settings (the server's defaults; every key is optional).")

(defvar codeward-command '("codeward" "lsp")
  "How to start the Codeward language server.")

;; initializationOptions for startup; Eglot also sends `eglot-workspace-configuration' in
;; workspace/didChangeConfiguration right after connecting, and the server takes that as the
;; whole configuration, so both carry the same settings.
(dolist (modes '((python-mode python-ts-mode)
                 (java-mode java-ts-mode)
                 ((js-mode :language-id "javascript") (js-ts-mode :language-id "javascript")
                  (js-jsx-mode :language-id "javascriptreact"))))
  (add-to-list 'eglot-server-programs
               `(,modes . (,@codeward-command :initializationOptions ,codeward-settings))))

;; If other Eglot servers of yours use workspace configuration, add their sections here too.
(setq-default eglot-workspace-configuration (list :codeward codeward-settings))

(dolist (hook '(python-mode-hook python-ts-mode-hook java-mode-hook java-ts-mode-hook
                js-mode-hook js-ts-mode-hook js-jsx-mode-hook))
  (add-hook hook #'eglot-ensure))

(defun codeward-scan-file ()
  "Scan the current buffer now (workspace/executeCommand codeward.scanFile)."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (uri (if (fboundp 'eglot-path-to-uri)
                  (eglot-path-to-uri buffer-file-name)
                (eglot--path-to-uri buffer-file-name)))
         (result (jsonrpc-request server :workspace/executeCommand
                                  (list :command "codeward.scanFile" :arguments (vector uri)))))
    (message "Codeward: %d finding(s) in %s" (plist-get result :findings)
             (file-name-nondirectory buffer-file-name))
    result))

(provide 'codeward)
;;; codeward.el ends here
