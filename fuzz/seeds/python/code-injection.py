"""A calculator service and a plugin host."""
import ast
import json
import os
import sys

import jinja2
from flask import Flask, render_template_string as rts, request
from builtins import eval as evaluate

app = Flask(__name__)
ALLOWED_EXPRESSIONS = {"1+1", "2*3"}
TEMPLATE = "<p>Hello {{ name }}</p>"


@app.route("/calc")
def calc():
    expression = request.args["expr"]
    return str(eval(expression))  # expect: python/code-injection@v1.0


@app.route("/run", methods=["POST"])
def run():
    body = request.get_json()
    code = "result = " + body["code"]
    scope = {}
    exec(code, scope)  # expect: python/code-injection@v1.0
    return str(scope["result"])


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return rts(f"<p>Hello {name}</p>")  # expect: python/code-injection@v1.0


@app.route("/aliased")
def aliased():
    return str(evaluate(request.form["expr"]))  # expect: python/code-injection@v1.0


def startup_hook():
    hook = os.environ.get("STARTUP_HOOK", "")
    exec(compile(hook, "<hook>", "exec"))  # expect: python/code-injection@v1.0


@app.route("/jinja")
def jinja():
    env = jinja2.Environment(autoescape=True)
    page = env.from_string("<h1>" + request.args["title"] + "</h1>")  # expect: python/code-injection@v1.0
    return page.render()


def main():
    print(eval(sys.argv[1]))  # ok: python/code-injection@v1.0


def interactive():
    print(eval(input("expression> ")))  # expect: python/code-injection@v1.0


# --- not findings ---

@app.route("/safe/literal")
def literal():
    return str(ast.literal_eval(request.args["expr"]))  # ok: python/code-injection@v1.0


@app.route("/safe/json")
def parsed():
    return str(eval(str(json.loads("[1, 2]"))))  # ok: python/code-injection@v1.0


@app.route("/safe/constant")
def constant():
    expression = "2 ** 10"
    return str(eval(expression))  # ok: python/code-injection@v1.0


@app.route("/safe/overwritten")
def overwritten():
    expression = request.args["expr"]
    expression = "1 + 1"
    return str(eval(expression))  # ok: python/code-injection@v1.0


@app.route("/safe/allow-listed")
def allow_listed():
    expression = request.args["expr"]
    if expression not in ALLOWED_EXPRESSIONS:
        return "no", 400
    return str(eval(expression))  # ok: python/code-injection@v1.0


@app.route("/safe/numeric")
def numeric():
    count = int(request.args["n"])
    return str(eval(f"{count} * 2"))  # ok: python/code-injection@v1.0


@app.route("/safe/template-variable")
def template_variable():
    return rts(TEMPLATE, name=request.args["name"])  # ok: python/code-injection@v1.0


def evaluate_model(model, data):
    model.eval()  # ok: python/code-injection@v1.0
    return model(data)
