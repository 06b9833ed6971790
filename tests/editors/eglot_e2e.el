;;; eglot_e2e.el --- end-to-end check of the SHIPPED Eglot config against the real server  -*- lexical-binding: t -*-
;; timeout 60 emacs --batch -Q -l tests/editors/eglot_e2e.el
;; env: CW_CONFIG (editors/emacs/codeward.el), CW_FILE, CW_RULE, CW_FIX, CW_AFTER, CW_TIMEOUT_MS.
;; Exits 0 on success; on failure prints "FAIL: ..." and exits 1.
(setq package-directory-list (cons "/usr/share/emacs/site-lisp/elpa" package-directory-list)) ; -Q skips Debian's site-start
(package-initialize)
(require 'cl-lib)
(require 'flymake)

(defun cw-env (name) (or (getenv name) (progn (message "FAIL: %s is not set" name) (kill-emacs 1))))
(defvar cw-file (cw-env "CW_FILE"))
(defvar cw-rule (cw-env "CW_RULE"))
(defvar cw-fix (cw-env "CW_FIX"))
(defvar cw-after (cw-env "CW_AFTER"))
(defvar cw-timeout (/ (string-to-number (or (getenv "CW_TIMEOUT_MS") "20000")) 1000.0))

(defun cw-fail (fmt &rest args)
  (message "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun cw-wait (what pred)
  (let ((deadline (+ (float-time) cw-timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall pred) (cw-fail "timed out after %.0f s waiting for %s" cw-timeout what))))

(defun cw-findings ()
  (seq-filter (lambda (d)
                (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                  (equal (plist-get lsp :code) cw-rule)))
              (flymake-diagnostics)))

(defun cw-dump ()
  (dolist (d (flymake-diagnostics))
    (message "DIAG %d %s" (line-number-at-pos (flymake-diagnostic-beg d))
             (car (split-string (flymake-diagnostic-text d) "\n")))))

(message "Emacs %s, Eglot %s, config %s, file %s" emacs-version
         (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "?")
         (cw-env "CW_CONFIG") cw-file)
(condition-case err
    (load (expand-file-name (cw-env "CW_CONFIG")) nil t)
  (error (cw-fail "loading the config: %S" err)))

(find-file cw-file)
(message "major mode %s" major-mode)
;; The config's `eglot-ensure' hook defers the connection to the command loop, which batch mode
;; never runs: connect the way the hook would.
(unless (eglot-current-server)
  (apply #'eglot (eglot--guess-contact)))
(cw-wait "Eglot to connect" (lambda () (eglot-current-server)))
(let ((server (eglot-current-server)))
  (message "connected: %S, command %S" (plist-get (eglot--server-info server) :name)
           (process-command (jsonrpc--process server)))
  (unless (equal (plist-get (eglot--server-info server) :name) "codeward")
    (cw-fail "the buffer's server is not codeward")))

(cw-wait (format "a %s diagnostic" cw-rule) (lambda () (cw-findings)))
(cw-dump)
(accept-process-output nil 0.5)
(unless (= 1 (length (cw-findings)))
  (cw-dump) (cw-fail "expected exactly 1 %s diagnostic, got %d" cw-rule (length (cw-findings))))

(let ((result (codeward-scan-file)))
  (unless (equal (plist-get result :findings) 1)
    (cw-fail "codeward-scan-file returned %S, expected 1 finding" result)))

;; The user's code-action menu at the finding (M-x eglot-code-actions): choose the fix.
(goto-char (flymake-diagnostic-beg (car (cw-findings))))
(let ((before (buffer-string)) offered)
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (dolist (item collection)
                 (message "ACTION %s %s%s" (plist-get (cdr item) :kind) (car item)
                          (if (eq t (plist-get (cdr item) :isPreferred)) " (preferred)" ""))
                 (push (car item) offered))
               (or (car (member cw-fix offered))
                   (cw-fail "no code action titled %S among %S" cw-fix offered)))))
    ;; As if invoked from the keyboard (RET), so Eglot prompts with `completing-read'.
    (let ((last-nonmenu-event ?\r))
      (call-interactively #'eglot-code-actions)))
  (when (equal before (buffer-string)) (cw-fail "the fix did not change the buffer")))
(message "after the fix:\n%s" (buffer-string))
(dolist (part (split-string cw-after "|" t))
  (unless (string-search part (buffer-string))
    (cw-fail "the buffer does not contain %S after the fix" part)))

;; Eglot sends didChange from an idle timer, and batch mode is never idle: send it now.
(eglot--signal-textDocument/didChange)
(cw-wait (format "the %s diagnostic to go away" cw-rule) (lambda () (null (cw-findings))))
(let ((result (codeward-scan-file)))
  (unless (equal (plist-get result :findings) 0)
    (cw-fail "codeward-scan-file returned %S after the fix, expected 0 findings" result)))

(message "PASS")
(let ((eglot-autoshutdown t)) (ignore-errors (eglot-shutdown (eglot-current-server))))
(kill-emacs 0)
;;; eglot_e2e.el ends here
