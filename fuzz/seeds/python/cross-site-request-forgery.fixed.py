"""Account views in Django and Flask."""
from django.http import HttpResponse
from django.views.decorators import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.csrf import csrf_exempt as no_csrf
from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
protect = CSRFProtect(app)
app.config["WTF_CSRF_ENABLED"] = True  # expect: python/cross-site-request-forgery@v1.0
app.config.update(WTF_CSRF_CHECK_DEFAULT=True)  # expect: python/cross-site-request-forgery@v1.0


def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return HttpResponse("ok")


def delete_account(request):
    request.user.delete()
    return HttpResponse("bye")


def transfer(request):
    return HttpResponse("sent")


@app.route("/webhook", methods=["POST"])
def webhook():
    return "ok"


def legacy_view(request):
    return HttpResponse("legacy")


legacy = csrf_exempt(legacy_view)  # expect: python/cross-site-request-forgery@v1.0


# --- not findings ---

@csrf_protect  # ok: python/cross-site-request-forgery@v1.0
def change_password(request):
    return HttpResponse("ok")


def profile(request):  # ok: python/cross-site-request-forgery@v1.0
    return HttpResponse("profile")


app.config["WTF_CSRF_ENABLED"] = True  # ok: python/cross-site-request-forgery@v1.0
app.config["WTF_CSRF_TIME_LIMIT"] = None  # ok: python/cross-site-request-forgery@v1.0
app.config.update(WTF_CSRF_CHECK_DEFAULT=True)  # ok: python/cross-site-request-forgery@v1.0


@app.route("/ping")  # ok: python/cross-site-request-forgery@v1.0
def ping():
    return "pong"
