"""Codeward for JupyterLab: a labextension that shows Codeward's security findings in notebooks
and Python files, and a jupyter-lsp spec that runs ``codeward lsp`` for it."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0"


def _jupyter_labextension_paths():
    """Where JupyterLab finds the prebuilt labextension (used by ``jupyter labextension develop``)."""
    return [{"src": "labextension", "dest": "codeward-jupyterlab"}]
