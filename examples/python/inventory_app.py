"""A small Flask inventory service with the kind of shortcuts real services take.

Run `codeward scan examples/` to see what Codeward reports for it.
"""
import hashlib
import os
import pickle
import sqlite3
import subprocess

import requests
import yaml
from flask import Flask, jsonify, request

app = Flask(__name__)
DB_PATH = "inventory.db"
WAREHOUSE_API = "https://warehouse.internal.example.com/api"
EXPORT_FORMATS = {"csv", "json"}


def db() -> sqlite3.Connection:
    return sqlite3.connect(DB_PATH)


def hash_password(password: str) -> str:
    # Unsalted MD5 for stored passwords.
    return hashlib.md5(password.encode()).hexdigest()


@app.route("/items")
def list_items():
    category = request.args.get("category", "all")
    order = request.args.get("order", "name")
    query = "SELECT id, name, qty FROM items WHERE category = '%s' ORDER BY %s" % (category, order)
    rows = db().execute(query).fetchall()
    return jsonify(rows)


@app.route("/items/<int:item_id>")
def get_item(item_id: int):
    # Parameterised: fine.
    row = db().execute("SELECT id, name, qty FROM items WHERE id = ?", (item_id,)).fetchone()
    return jsonify(row)


@app.route("/export", methods=["POST"])
def export():
    fmt = request.form["format"]
    target = request.form["target"]
    if fmt not in EXPORT_FORMATS:
        return "unsupported format", 400
    # `fmt` is allow-listed, `target` is not.
    subprocess.run(f"inventory-export --format {fmt} --out {target}", shell=True, check=True)
    return "exported"


@app.route("/backup", methods=["POST"])
def backup():
    label = request.json["label"]
    os.system("tar czf /backups/" + label + ".tgz /srv/inventory")
    return "ok"


@app.route("/cart", methods=["POST"])
def restore_cart():
    cart = pickle.loads(request.get_data())
    return jsonify(items=len(cart))


@app.route("/sync")
def sync_warehouse():
    resp = requests.get(f"{WAREHOUSE_API}/stock", timeout=30, verify=False)
    return jsonify(resp.json())


def load_settings(path: str = "settings.yml") -> dict:
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)


if __name__ == "__main__":
    app.run()
