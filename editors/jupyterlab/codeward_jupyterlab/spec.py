"""The jupyter-lsp language server spec for ``codeward lsp`` (entry point ``jupyter_lsp_spec_v1``).

The binary is ``$CODEWARD_SERVER_PATH`` when set, else ``codeward`` on ``PATH``. When neither
exists the spec is not installed: jupyter-lsp leaves it out of ``/lsp/status`` and the
labextension shows "Codeward: server not found".

The spec's language is ``codeward``, not ``python``: JupyterLab's own LSP client (and
jupyterlab-lsp) picks ONE server per language for completion and the like, and Codeward must never
take that place from pylsp, pyright or jedi. The labextension talks to this server over its own
websocket (``/lsp/ws/codeward``) and sends Python notebooks and files itself.
"""

import os
import shutil

#: The key of the server in jupyter-lsp (``/lsp/ws/codeward``).
KEY = "codeward"
#: The environment variable naming the binary.
ENV_VAR = "CODEWARD_SERVER_PATH"
#: What the status and the logs tell a user whose binary is missing.
TROUBLESHOOT = (
    "Install the `codeward` binary (`cargo install --path server` in the Codeward repository, "
    "or a release binary) and put it on PATH, or set CODEWARD_SERVER_PATH to its full path, "
    "then restart Jupyter."
)


def find_binary():
    """The ``codeward`` executable to run, or ``None`` when there is none."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        path = os.path.expanduser(explicit)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
        found = shutil.which(path)
        return os.path.abspath(found) if found else None
    return shutil.which("codeward")


class CodewardSpec:
    """Spec finder called by jupyter-lsp with its ``LanguageServerManager``."""

    def is_installed(self, manager):
        """Whether the binary exists (jupyter-lsp skips specs that are not installed)."""
        installed = find_binary() is not None
        if not installed and getattr(manager, "log", None) is not None:
            manager.log.warning(
                "[codeward] no codeward binary (%s unset or wrong, none on PATH): %s",
                ENV_VAR,
                TROUBLESHOOT,
            )
        return installed

    def __call__(self, manager):
        binary = find_binary()
        spec = {
            "version": 2,
            "argv": [binary, "lsp"] if binary else [],
            "languages": [KEY],
            "mime_types": ["text/x-codeward"],
            "display_name": "Codeward (security findings, used by codeward-jupyterlab)",
            "requires_documents_on_disk": False,
            "troubleshoot": TROUBLESHOOT,
            "urls": {"home": "https://github.com/codeward/codeward"},
            "install": {"cargo": "cargo install --path server"},
        }
        return {KEY: spec}


#: The entry point object.
codeward = CodewardSpec()
