"""The disputes part of the conformance tour (tests/sandbox/tour.py): a way to get each answer
of Paystack's Disputes API from the sandbox."""

import requests

from tests.sandbox.tour import paid


def disputed(sb, **extra):
    """A paid charge with a new dispute on it (raised through the control API)."""
    tx = paid(sb)
    return sb.raise_dispute(tx["reference"], **extra)


def uploaded_file(sb, dispute_id):
    """An evidence file uploaded to the dispute's signed URL; returns its file name."""
    data = sb.api("GET", f"/dispute/{dispute_id}/upload_url").json()["data"]
    requests.put(data["signedUrl"], data=b"%PDF-1.4 receipt", timeout=10).raise_for_status()
    return data["fileName"]


EVIDENCE = {
    "customer_email": "tour@example.com",
    "customer_name": "Tour Guide",
    "customer_phone": "08012345678",
    "service_details": "wallet top-up",
}


def resolved(sb, resolution):
    dispute = disputed(sb)
    if resolution == "declined":
        sb.api("POST", f"/dispute/{dispute['id']}/evidence", json=EVIDENCE)
    body = {
        "resolution": resolution,
        "message": "Resolved by the tour",
        "refund_amount": dispute["refund_amount"],
        "uploaded_filename": uploaded_file(sb, dispute["id"]),
    }
    return sb.api("PUT", f"/dispute/{dispute['id']}/resolve", json=body)


ANSWERS = {
    ("GET", "/dispute", 200, "list"): lambda sb: (
        disputed(sb),
        sb.api("GET", "/dispute", params={"perPage": 2, "status": "awaiting-merchant-feedback"}),
    )[1],
    ("GET", "/dispute", 400, "unknown status"): lambda sb: sb.api(
        "GET", "/dispute", params={"status": "nope"}
    ),
    ("GET", "/dispute/{id}", 200, "open"): lambda sb: sb.api(
        "GET", f"/dispute/{disputed(sb)['id']}"
    ),
    ("GET", "/dispute/{id}", 404, "unknown id"): lambda sb: sb.api("GET", "/dispute/1"),
    ("PUT", "/dispute/{id}", 200, "refund amount"): lambda sb: sb.api(
        "PUT", f"/dispute/{disputed(sb)['id']}", json={"refund_amount": 10_000}
    ),
    ("PUT", "/dispute/{id}", 400, "more than the charge"): lambda sb: sb.api(
        "PUT", f"/dispute/{disputed(sb)['id']}", json={"refund_amount": 10**9}
    ),
    ("PUT", "/dispute/{id}", 404, "unknown id"): lambda sb: sb.api(
        "PUT", "/dispute/1", json={"refund_amount": 100}
    ),
    ("GET", "/dispute/{id}/upload_url", 200, "signed"): lambda sb: sb.api(
        "GET", f"/dispute/{disputed(sb)['id']}/upload_url"
    ),
    ("GET", "/dispute/{id}/upload_url", 404, "unknown id"): lambda sb: sb.api(
        "GET", "/dispute/1/upload_url"
    ),
    ("GET", "/dispute/export", 200, "export"): lambda sb: (
        disputed(sb),
        sb.api("GET", "/dispute/export", params={"from": "2020-01-01"}),
    )[1],
    ("GET", "/dispute/transaction/{id}", 200, "disputed"): lambda sb: sb.api(
        "GET", f"/dispute/transaction/{disputed(sb)['transaction']['id']}"
    ),
    ("GET", "/dispute/transaction/{id}", 404, "not disputed"): lambda sb: sb.api(
        "GET", f"/dispute/transaction/{paid(sb)['id']}"
    ),
    ("PUT", "/dispute/{id}/resolve", 200, "accepted"): lambda sb: resolved(sb, "merchant-accepted"),
    ("PUT", "/dispute/{id}/resolve", 200, "declined"): lambda sb: resolved(sb, "declined"),
    ("PUT", "/dispute/{id}/resolve", 400, "no uploaded file"): lambda sb: sb.api(
        "PUT",
        f"/dispute/{disputed(sb)['id']}/resolve",
        json={
            "resolution": "merchant-accepted",
            "message": "x",
            "refund_amount": 100,
            "uploaded_filename": "nope",
        },
    ),
    ("PUT", "/dispute/{id}/resolve", 404, "unknown id"): lambda sb: sb.api(
        "PUT", "/dispute/1/resolve", json={}
    ),
    ("POST", "/dispute/{id}/evidence", 200, "created"): lambda sb: sb.api(
        "POST", f"/dispute/{disputed(sb)['id']}/evidence", json=EVIDENCE
    ),
    ("POST", "/dispute/{id}/evidence", 400, "no email"): lambda sb: sb.api(
        "POST",
        f"/dispute/{disputed(sb)['id']}/evidence",
        json={**EVIDENCE, "customer_email": ""},
    ),
}
