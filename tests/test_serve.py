"""`fieldkit serve`'s server: a room of phones at once keeps its connections."""

import http.client

from .conftest import LiveServer


def test_thirty_two_phones_keep_their_connections(app):
    server = LiveServer(app)
    phones = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for _ in range(32)]
    try:
        for _ in range(2):
            for phone in phones:
                phone.request("GET", "/login")
                response = phone.getresponse()
                response.read()
                assert response.status == 200
                # cheroot's default keeps ten idle connections and closes the rest after each answer.
                assert response.getheader("Connection", "").lower() != "close"
    finally:
        for phone in phones:
            phone.close()
        server.stop()
