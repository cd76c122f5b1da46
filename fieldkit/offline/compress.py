"""Gzip text responses: there is no reverse proxy in front of fieldkit, and phones pay per byte.

A dozen lines instead of Flask-Compress, which would bring brotli and zstandard (compiled) along.
"""

import gzip

from flask import request

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MINIMUM_SIZE = 500
LEVEL = 6


def gzip_response(response):
    """after_request: compress a text body when the client accepts gzip."""
    if (
        response.status_code != 200
        or "gzip" not in request.headers.get("Accept-Encoding", "")
        or "Content-Encoding" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or response.is_streamed
        and not response.direct_passthrough
    ):
        return response
    response.direct_passthrough = False  # static files: read the file to compress it
    body = response.get_data()
    if len(body) < MINIMUM_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # the bytes differ from the uncompressed variant
    return response


def init_app(app):
    app.after_request(gzip_response)
