"""Every answer of every operation the sandbox serves conforms to Paystack's official OpenAPI
description (tests/sandbox/openapi/), less the documented exceptions in tests/sandbox/spec.py."""

from pathlib import Path

import pytest

from tests.sandbox import spec
from tests.sandbox.tour import ANSWERS


@pytest.mark.parametrize("answer", ANSWERS, ids=[f"{m} {p} {s} {n}" for m, p, s, n in ANSWERS])
def test_the_answer_conforms_to_paystacks_spec(sandbox, answer):
    method, template, status, _ = answer
    response = ANSWERS[answer](sandbox)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert spec.problems(method, template, status, response.json()) == []


def test_the_tour_covers_every_operation_the_vendored_spec_holds():
    vendored = {
        (method.upper(), path)
        for path, item in spec.spec()["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert {(m, p) for m, p, _, _ in ANSWERS} == vendored


def test_docs_sandbox_md_lists_every_exception_to_the_spec():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "sandbox.md").read_text()
    for exception in spec.EXCEPTIONS:
        assert f"- **{exception.where}**: {exception.accepted}." in docs
