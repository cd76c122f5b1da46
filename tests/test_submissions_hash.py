"""The content hash: what "the same record" means to a phone, a commune's laptop and Sở Nội vụ.

Sites running different fieldkit versions compare these digests (a record sent again is "already
have it" only when they match), so the definition is pinned here and computed without fieldkit:
SHA-256 of the UTF-8 JSON of the form id, the form version as text, the commune and the data, keys
sorted, no spaces, letters with diacritics written as they are.
"""

import hashlib
import json

from fieldkit.testing import post_record, record_for


def independent_digest(form_id, form_version, commune, data):
    content = {"commune": commune, "data": data, "form_id": form_id, "form_version": str(form_version)}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_stored_record_carries_the_digest_other_sites_compute(client, session_form):
    record = record_for(session_form)
    record["data"]["presenter"] = "Nguyễn Thị Hoà"  # diacritics: written as they are, not \u escapes
    response = post_record(client, record)
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()["record"]
    expected = independent_digest(record["form_id"], record["form_version"], record["commune"], stored["data"])
    assert stored["content_sha256"] == expected
    # The digest given back is the one kept, and a version sent as a number or as text is the same version.
    again = post_record(client, {**record, "form_version": str(record["form_version"])})
    assert again.status_code == 200 and again.get_json()["record"]["content_sha256"] == expected
