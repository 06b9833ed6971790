"""Entry points of a Flask application."""
import os

import flask
from flask import Flask as App
from werkzeug.serving import run_simple

app = App(__name__)
admin = flask.Flask("admin")

app.debug = False  # expect: python/detect-activated-debug-feature@v1.0
admin.config["DEBUG"] = False  # expect: python/detect-activated-debug-feature@v1.0
admin.config.update(DEBUG=False, TESTING=False)  # expect: python/detect-activated-debug-feature@v1.0


def serve():
    app.run(host="127.0.0.1", port=8080, debug=False)  # expect: python/detect-activated-debug-feature@v1.0


def serve_kwargs():
    app.run(**{"host": "127.0.0.1", "debug": False})  # expect: python/detect-activated-debug-feature@v1.0


def serve_werkzeug():
    run_simple("127.0.0.1", 5000, app, use_reloader=True, use_debugger=False)  # expect: python/detect-activated-debug-feature@v1.0


# --- not findings ---

def serve_configured():
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # ok: python/detect-activated-debug-feature@v1.0


def serve_off():
    app.run(host="127.0.0.1", debug=False)  # ok: python/detect-activated-debug-feature@v1.0


def serve_default():
    app.run(host="127.0.0.1")  # ok: python/detect-activated-debug-feature@v1.0


admin.config["TESTING"] = True  # ok: python/detect-activated-debug-feature@v1.0
app.debug = False  # ok: python/detect-activated-debug-feature@v1.0


class Runner:
    def run(self, debug=True):
        return debug


Runner().run(debug=True)  # ok: python/detect-activated-debug-feature@v1.0
