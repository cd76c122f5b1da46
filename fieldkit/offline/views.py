"""The outbox page and the page shown offline. Both hold no server data: the outbox lives in the
phone's IndexedDB, so these pages are public and the service worker can cache them for anyone.
"""

from flask import Blueprint, render_template

bp = Blueprint("offline", __name__)


@bp.route("/outbox")
def outbox():
    return render_template("offline/outbox.html")


@bp.route("/offline")
def offline_page():
    return render_template("offline/offline.html")
