"""Greeting pages in Django, Flask and FastAPI."""
import html
import sys

import jinja2
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, make_response, request
from jinja2 import Environment as Env, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

app = Flask(__name__)
api = FastAPI()
THEMES = {"light", "dark"}


def greet(request):
    return HttpResponse("<h1>Hello " + request.GET["name"] + "</h1>")  # expect: python/cross-site-scripting@v1.0


def bio(request):
    text = request.POST.get("bio", "")
    return mark_safe(f"<div class='bio'>{text}</div>")  # expect: python/cross-site-scripting@v1.0


@app.route("/search")
def search():
    term = request.args.get("q", "")
    return make_response("<p>No results for %s</p>" % term)  # expect: python/cross-site-scripting@v1.0


@app.route("/banner")
def banner():
    return str(Markup("<b>{}</b>".format(request.args["msg"])))  # expect: python/cross-site-scripting@v1.0


@api.get("/hello")
def hello(name: str):
    return HTMLResponse(f"<h1>{name}</h1>")  # expect: python/cross-site-scripting@v1.0


templates = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=True)  # expect: python/cross-site-scripting@v1.0
mail_templates = Env(loader=FileSystemLoader("mail"), autoescape=True)  # expect: python/cross-site-scripting@v1.0


# --- not findings ---

def greet_escaped(request):
    return HttpResponse("<h1>Hello " + html.escape(request.GET["name"]) + "</h1>")  # ok: python/cross-site-scripting@v1.0


@app.route("/safe/markupsafe")
def escaped():
    return make_response("<p>%s</p>" % escape(request.args["q"]))  # ok: python/cross-site-scripting@v1.0


@app.route("/safe/theme")
def theme():
    choice = request.args["theme"]
    if choice not in THEMES:
        choice = "light"
    return make_response(f"<body class='{choice}'>")  # ok: python/cross-site-scripting@v1.0


@app.route("/safe/constant")
def constant():
    return make_response("<p>Welcome</p>")  # ok: python/cross-site-scripting@v1.0


@app.route("/safe/overwritten")
def overwritten():
    text = request.args["text"]
    text = "<p>Maintenance</p>"
    return make_response(text)  # ok: python/cross-site-scripting@v1.0


@app.route("/safe/count")
def count():
    n = int(request.args["n"])
    return make_response(f"<p>{n} items</p>")  # ok: python/cross-site-scripting@v1.0


safe_templates = jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=True)  # ok: python/cross-site-scripting@v1.0
auto_templates = Env(loader=FileSystemLoader("t"), autoescape=select_autoescape())  # ok: python/cross-site-scripting@v1.0


def as_text(request):
    return HttpResponse(request.GET["q"], content_type="text/plain")  # ok: python/cross-site-scripting@v1.0


def cli():
    print(HttpResponse(sys.argv[1]).content)  # ok: python/cross-site-scripting@v1.0


def lookalike(request):
    return HttpResponse(status=204, headers={"X-Name": "ok"})  # ok: python/cross-site-scripting@v1.0
