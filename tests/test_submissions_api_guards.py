"""Guards of data and access written against mutants `make mutate` found alive (issue 18):
the API's checks.

Every assertion is on what a user or an attacker would see.
"""

import pytest

from fieldkit.testing import HEADERS


class TestApiChecks:
    @pytest.mark.parametrize(
        "query, field",
        [
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("limit=-1", "limit"),
            ("limit=ten", "limit"),
            ("offset=-1", "offset"),
            ("offset=1000000001", "offset"),
            ("since=2026-13-45", "since"),
        ],
    )
    def test_a_paging_parameter_out_of_range_is_named(self, client, auth, query, field):
        auth.login()
        response = client.get(f"/api/v1/submissions?{query}")
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == [field]

    def test_paging_at_its_limits(self, client, auth):
        auth.login()
        body = client.get("/api/v1/submissions?limit=500&offset=1000000000").get_json()
        assert (body["limit"], body["offset"], body["total"]) == (500, 1000000000, 0)
        assert client.get("/api/v1/submissions?limit=1&offset=0").get_json()["limit"] == 1
        assert client.get("/api/v1/submissions?limit=&offset=").get_json()["limit"] == 50
        message = client.get("/api/v1/submissions?limit=0").get_json()["errors"]["limit"]
        assert message == "Tham số limit phải là số nguyên từ 1 đến 500."

    @pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
    def test_reads_need_no_write_header(self, client, auth, method):
        auth.login()
        response = client.open("/api/v1/submissions", method=method, headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code != 403

    def test_a_body_that_is_not_json_is_a_422_naming_the_body(self, client, auth):
        auth.login()
        for body in (b"not json", b"[" * 100_000):
            response = client.post("/api/v1/submissions", data=body, content_type="application/json", headers=HEADERS)
            assert response.status_code == 422
            assert list(response.get_json()["errors"]) == ["body"]

    def test_an_origin_with_the_same_scheme_host_and_port_is_accepted(self, client, auth):
        auth.login()
        headers = {**HEADERS, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
        response = client.post("/api/v1/submissions", data=b"{}", content_type="application/json", headers=headers)
        assert response.status_code == 422  # past the origin check, refused for its content
