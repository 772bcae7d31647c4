"""PaystackClient against the sandbox over real HTTP: every method, success and error shapes,
every fault mode as a typed error, exact kobo conversion and webhook signatures."""

import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wallet.exceptions import InvalidAmount, PaystackAPIError, PaystackUnavailable
from wallet.paystack import PaystackClient, from_subunit, to_subunit, verify_webhook_signature

ISO_UTC = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


@pytest.fixture
def client(sandbox):
    client = PaystackClient(timeout=1.0, connect_timeout=0.5)
    yield client
    client.close()


def unique(prefix="ref"):
    return f"{prefix}-{time.time_ns()}"


def paid_transaction(client, sandbox, card="4084084084084081", email="payer@example.com"):
    started = client.initialize_transaction(email=email, amount_kobo=500_000, reference=unique())
    assert sandbox.complete_checkout(started["authorization_url"], card=card) == "success"
    return client.verify_transaction(started["reference"])


def wait_for_status(fetch, status, timeout=5.0):
    deadline = time.monotonic() + timeout
    while (data := fetch())["status"] != status:
        assert time.monotonic() < deadline, f"still {data['status']}, wanted {status}"
        time.sleep(0.05)
    return data


# --- transactions ------------------------------------------------------------------------------
def test_client_reads_settings_when_built_not_at_import(sandbox, settings):
    settings.PAYSTACK_BASE_URL = "http://127.0.0.1:9"
    assert PaystackClient().base_url == "http://127.0.0.1:9"


def test_initialize_returns_the_checkout_url_in_paystacks_envelope(sandbox, client):
    raw = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "a@example.com", "amount": 10_000}
    ).json()
    assert raw["status"] is True and raw["message"] == "Authorization URL created"
    data = client.initialize_transaction(email="a@example.com", amount_kobo=10_000)
    assert set(data) == {"authorization_url", "access_code", "reference"}
    assert data["authorization_url"].endswith(f"/checkout/{data['access_code']}")


def test_initialize_with_a_fractional_amount_is_a_validation_error(sandbox):
    response = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "a@example.com", "amount": 100.5}
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": False,
        "message": "Invalid Amount Sent",
        "meta": {
            "nextStep": "Ensure that you're passing your amount correctly. It should be a number "
            "greater than zero, with no decimal places"
        },
        "type": "validation_error",
        "code": "invalid_amount",
    }


def test_initialize_errors_map_to_paystack_api_error(client):
    with pytest.raises(PaystackAPIError) as error:
        client.initialize_transaction(email="a@example.com", amount_kobo=0)
    assert (error.value.http_status, error.value.code) == (400, "invalid_amount")
    assert error.value.error_type == "validation_error"
    assert error.value.inconclusive is False
    assert "greater than zero" in error.value.next_step


def test_reused_reference_is_rejected_as_duplicate(client):
    reference = unique()
    client.initialize_transaction(email="a@example.com", amount_kobo=10_000, reference=reference)
    with pytest.raises(PaystackAPIError) as error:
        client.initialize_transaction(
            email="a@example.com", amount_kobo=10_000, reference=reference
        )
    assert error.value.code == "duplicate_reference"
    assert error.value.message == "Duplicate Transaction Reference"


def test_missing_or_wrong_key_is_refused_with_401(sandbox, settings):
    assert sandbox.api("GET", "/balance", headers={"Authorization": ""}).json() == {
        "status": False,
        "message": "No Authorization header was found",
    }
    with pytest.raises(PaystackAPIError) as error:
        PaystackClient(secret_key="sk_test_wrong").get_balance()
    assert (error.value.http_status, error.value.message) == (401, "Invalid key")


def test_verify_returns_paystacks_transaction_shape_and_types(client, sandbox):
    tx = paid_transaction(client, sandbox)
    assert tx["status"] == "success" and tx["domain"] == "test"
    assert isinstance(tx["id"], int) and tx["id"] > 2**32
    assert tx["amount"] == 500_000 and tx["requested_amount"] == 500_000
    assert tx["currency"] == "NGN" and tx["channel"] == "card"
    assert tx["fees"] == 17_500  # 1.5% + NGN 100 (amount above NGN 2,500)
    assert tx["paid_at"] == tx["paidAt"]
    assert re_match(ISO_UTC, tx["paid_at"]) and re_match(ISO_UTC, tx["created_at"])
    auth = tx["authorization"]
    assert auth["authorization_code"].startswith("AUTH_")
    assert auth["signature"].startswith("SIG_")
    assert (auth["exp_month"], auth["exp_year"]) == ("12", "2030")  # strings, as Paystack sends
    assert (auth["bin"], auth["last4"], auth["card_type"]) == ("408408", "4081", "visa ")
    assert auth["reusable"] is True
    assert tx["customer"]["customer_code"].startswith("CUS_")
    assert tx["customer"]["email"] == "payer@example.com"


def re_match(pattern, text):
    import re

    return re.match(pattern, text) is not None


def test_verify_of_an_unknown_reference_is_a_400(client):
    with pytest.raises(PaystackAPIError) as error:
        client.verify_transaction("no-such-reference")
    assert (error.value.http_status, error.value.message) == (
        400,
        "Transaction reference not found",
    )


def test_fetch_transaction_by_id(client, sandbox):
    tx = paid_transaction(client, sandbox)
    assert client.fetch_transaction(tx["id"])["reference"] == tx["reference"]


def test_charge_authorization_charges_a_saved_card(client, sandbox):
    tx = paid_transaction(client, sandbox)
    charged = client.charge_authorization(
        authorization_code=tx["authorization"]["authorization_code"],
        email="payer@example.com",
        amount_kobo=250_000,
        reference=unique(),
    )
    assert (charged["status"], charged["gateway_response"]) == ("success", "Approved")
    assert charged["amount"] == 250_000


def test_charge_authorization_with_another_email_is_refused(client, sandbox):
    tx = paid_transaction(client, sandbox)
    with pytest.raises(PaystackAPIError) as error:
        client.charge_authorization(
            authorization_code=tx["authorization"]["authorization_code"],
            email="someone-else@example.com",
            amount_kobo=10_000,
        )
    assert error.value.message.startswith("Email does not match Authorization code")


def test_list_and_iterate_transactions(client, sandbox):
    tx = paid_transaction(client, sandbox)
    page = client.list_transactions(per_page=5, status="success")
    assert page[0]["reference"] == tx["reference"]
    assert all(row["status"] == "success" for row in page)
    assert any(row["reference"] == tx["reference"] for row in client.iter_transactions(per_page=2))


# --- refunds -----------------------------------------------------------------------------------
def test_partial_refunds_are_capped_by_what_is_left(client, sandbox):
    tx = paid_transaction(client, sandbox)
    first = client.create_refund(transaction=tx["reference"], amount_kobo=200_000)
    assert (first["status"], first["amount"]) == ("pending", 200_000)
    with pytest.raises(PaystackAPIError) as over:
        client.create_refund(transaction=tx["reference"], amount_kobo=300_001)
    assert over.value.code == "invalid_amount"
    rest = client.create_refund(transaction=tx["id"])
    assert rest["amount"] == 300_000
    with pytest.raises(PaystackAPIError) as done:
        client.create_refund(transaction=tx["reference"])
    assert (done.value.message, done.value.code) == (
        "Transaction has been fully reversed",
        "transaction_reversed",
    )


def test_processed_refund_reverses_the_transaction(client, sandbox):
    tx = paid_transaction(client, sandbox)
    refund = client.create_refund(transaction=tx["reference"])
    processed = wait_for_status(lambda: client.fetch_refund(refund["id"]), "processed")
    assert processed["transaction"] == tx["id"]
    assert client.verify_transaction(tx["reference"])["status"] == "reversed"
    assert [r["id"] for r in client.list_refunds(transaction=tx["reference"])] == [refund["id"]]


def test_refund_of_the_refund_fails_card_fails_and_sends_refund_failed(client, sandbox):
    tx = paid_transaction(client, sandbox, card="4084080000671803")
    refund = client.create_refund(transaction=tx["reference"])
    wait_for_status(lambda: client.fetch_refund(refund["id"]), "failed")
    assert client.verify_transaction(tx["reference"])["status"] == "success"
    events = [d["event"] for d in sandbox.deliveries(reference=tx["reference"])]
    assert events[-2:] == ["refund.pending", "refund.failed"]
    failed = sandbox.deliveries("refund.failed", tx["reference"])[0]["payload"]["data"]
    assert failed["amount"] == 500000  # an integer in refund.failed, as in Paystack's sample
    assert from_subunit(failed["amount"]) == Decimal("5000.00")


def test_fetch_of_an_unknown_refund_is_a_404(client):
    with pytest.raises(PaystackAPIError) as error:
        client.fetch_refund(999)
    assert error.value.http_status == 404


# --- banks, recipients ----------------------------------------------------------------------------
def test_list_banks_returns_every_nigerian_bank(client):
    banks = client.list_banks()
    assert len(banks) == 110
    codes = {bank["code"]: bank["name"] for bank in banks}
    assert {"044", "057", "058", "011", "033"} <= set(codes)
    assert set(banks[0]) >= {"name", "slug", "code", "longcode", "active", "currency", "type", "id"}


def test_resolve_known_generated_and_unresolvable_accounts(client):
    known = client.resolve_account(account_number="0001234567", bank_code="058")
    assert known == {"account_number": "0001234567", "account_name": "Doe Jane Loren", "bank_id": 9}
    generated = client.resolve_account(account_number="0123456789", bank_code="044")
    again = client.resolve_account(account_number="0123456789", bank_code="044")
    assert generated["account_name"] == again["account_name"] != ""
    with pytest.raises(PaystackAPIError) as error:
        client.resolve_account(account_number="9990001111", bank_code="044")
    assert error.value.http_status == 422
    with pytest.raises(PaystackAPIError) as bad_bank:
        client.resolve_account(account_number="0123456789", bank_code="000000")
    assert bad_bank.value.message == "Unknown bank code: 000000"


def test_transfer_recipient_is_created_once_per_account(client, sandbox):
    body = {"type": "nuban", "name": "Ada", "account_number": "0111111111", "bank_code": "058"}
    assert sandbox.api("POST", "/transferrecipient", json=body).status_code in (200, 201)
    recipient = client.create_transfer_recipient(
        name="Ada", account_number="0111111111", bank_code="058"
    )
    assert recipient["recipient_code"].startswith("RCP_")
    assert recipient["details"]["bank_name"] == "Guaranty Trust Bank"
    same = client.create_transfer_recipient(
        name="Ada O", account_number="0111111111", bank_code="058"
    )
    assert same["recipient_code"] == recipient["recipient_code"]


# --- transfers ------------------------------------------------------------------------------------
def recipient(client, account_number):
    return client.create_transfer_recipient(
        name="Test Payee", account_number=account_number, bank_code="057"
    )["recipient_code"]


def transfer_reference():
    return f"wd-{time.time_ns()}"


def test_transfer_goes_pending_then_success_and_takes_amount_plus_fee(client, sandbox):
    before = client.get_balance()[0]
    assert before["currency"] == "NGN" and isinstance(before["balance"], int)
    reference = transfer_reference()
    started = client.initiate_transfer(
        amount_kobo=1_000_000, recipient_code=recipient(client, "0000000000"), reference=reference
    )
    assert started["status"] == "pending" and isinstance(started["recipient"], int)
    done = wait_for_status(lambda: client.verify_transfer(reference), "success")
    assert done["recipient"]["details"]["account_number"] == "0000000000"
    assert done["fee_charged"] == 2_500
    assert client.get_balance()[0]["balance"] == before["balance"] - 1_002_500
    assert client.fetch_transfer(done["transfer_code"])["reference"] == reference
    assert sandbox.deliveries("transfer.success", reference)


def test_transfer_to_the_failing_account_fails_and_returns_the_money(client, sandbox):
    before = client.get_balance()[0]["balance"]
    reference = transfer_reference()
    client.initiate_transfer(
        amount_kobo=100_000, recipient_code=recipient(client, "0000000001"), reference=reference
    )
    wait_for_status(lambda: client.verify_transfer(reference), "failed")
    assert client.get_balance()[0]["balance"] == before
    assert [d["event"] for d in sandbox.deliveries(reference=reference)] == ["transfer.failed"]


def test_transfer_to_the_reversing_account_succeeds_then_is_reversed(client, sandbox):
    reference = transfer_reference()
    client.initiate_transfer(
        amount_kobo=100_000, recipient_code=recipient(client, "0000000002"), reference=reference
    )
    wait_for_status(lambda: client.verify_transfer(reference), "reversed")
    events = [d["event"] for d in sandbox.deliveries(reference=reference)]
    assert events == ["transfer.success", "transfer.reversed"]


def test_same_reference_retry_of_a_pending_transfer_returns_the_same_transfer(client, sandbox):
    sandbox.configure(settle_delay=5)
    code, reference = recipient(client, "0000000000"), transfer_reference()
    first = client.initiate_transfer(amount_kobo=100_000, recipient_code=code, reference=reference)
    retry = client.initiate_transfer(amount_kobo=100_000, recipient_code=code, reference=reference)
    assert retry["transfer_code"] == first["transfer_code"]
    sandbox.settle()
    with pytest.raises(PaystackAPIError) as error:
        client.initiate_transfer(amount_kobo=100_000, recipient_code=code, reference=reference)
    assert error.value.code == "duplicate_reference"


def test_transfer_with_otp_waits_for_finalize(client, sandbox):
    sandbox.configure(transfer_otp=True)
    reference = transfer_reference()
    started = client.initiate_transfer(
        amount_kobo=100_000, recipient_code=recipient(client, "0000000000"), reference=reference
    )
    assert started["status"] == "otp"
    assert client.resend_transfer_otp(transfer_code=started["transfer_code"]) is None
    with pytest.raises(PaystackAPIError):
        client.finalize_transfer(transfer_code=started["transfer_code"], otp="000000")
    finalized = client.finalize_transfer(transfer_code=started["transfer_code"], otp="123456")
    assert finalized["status"] == "pending"
    wait_for_status(lambda: client.verify_transfer(reference), "success")


def test_transfer_above_the_balance_is_refused(client, sandbox):
    sandbox.configure(balance=50_000)
    with pytest.raises(PaystackAPIError) as error:
        client.initiate_transfer(
            amount_kobo=50_000,
            recipient_code=recipient(client, "0000000000"),
            reference=transfer_reference(),
        )
    assert error.value.message == "Your balance is not enough to fulfil this request"


def test_transfer_errors_bad_recipient_bad_reference_unknown_verify(client):
    with pytest.raises(PaystackAPIError) as bad_recipient:
        client.initiate_transfer(
            amount_kobo=10_000, recipient_code="RCP_nope", reference=transfer_reference()
        )
    assert bad_recipient.value.code == "invalid_transfer_recipient"
    with pytest.raises(PaystackAPIError) as bad_reference:
        client.initiate_transfer(
            amount_kobo=10_000, recipient_code=recipient(client, "0000000000"), reference="SHORT"
        )
    assert bad_reference.value.http_status == 400
    with pytest.raises(PaystackAPIError) as unknown:
        client.verify_transfer("no-such-transfer-reference")
    assert (unknown.value.http_status, unknown.value.message) == (404, "Transfer not found")


# --- customers and dedicated accounts -----------------------------------------------------------
def test_dedicated_account_receives_a_bank_transfer_as_charge_success(client, sandbox):
    customer = client.create_customer(email="dva@example.com", first_name="Ada", last_name="Obi")
    assert customer["customer_code"].startswith("CUS_")
    dva = client.assign_dedicated_account(customer=customer["customer_code"])
    assert len(dva["account_number"]) == 10 and dva["bank"]["slug"] == "test-bank"
    assert client.assign_dedicated_account(customer=customer["id"])["id"] == dva["id"]
    assert client.fetch_customer("dva@example.com")["dedicated_accounts"][0]["id"] == dva["id"]
    paid = sandbox.send_dva_transfer(dva["account_number"], 300_000)
    tx = client.verify_transaction(paid["reference"])
    assert (tx["status"], tx["channel"], tx["amount"]) == ("success", "dedicated_nuban", 300_000)
    assert tx["authorization"]["receiver_bank_account_number"] == dva["account_number"]
    (delivery,) = sandbox.deliveries("charge.success", paid["reference"])
    assert delivery["payload"]["data"]["channel"] == "dedicated_nuban"


def test_dedicated_account_for_an_unknown_customer_is_a_404(client):
    with pytest.raises(PaystackAPIError) as error:
        client.assign_dedicated_account(customer="CUS_unknown")
    assert error.value.http_status == 404


# --- faults reach the client as typed errors within its timeout -----------------------------------
def initialize(client):
    return client.initialize_transaction(email="f@example.com", amount_kobo=10_000)


@pytest.mark.parametrize(
    ("mode", "seconds", "code"),
    [
        ("500", None, "server_error"),
        ("hang", 10, "timeout"),
        ("drop", None, "connection_error"),
        ("malformed", None, "malformed_response"),
    ],
)
def test_fault_on_a_post_is_an_inconclusive_error_within_the_timeout(
    client, sandbox, mode, seconds, code
):
    sandbox.fault("/transaction/initialize", mode, seconds=seconds)
    started = time.monotonic()
    with pytest.raises(PaystackUnavailable) as error:
        initialize(client)
    assert time.monotonic() - started < client.timeout + 2.5  # far from the 10 s hang
    assert error.value.inconclusive is True
    assert error.value.code == code


def test_rate_limit_is_a_conclusive_error(client, sandbox):
    sandbox.fault("/transaction/initialize", "429")
    with pytest.raises(PaystackAPIError) as error:
        initialize(client)
    assert (error.value.http_status, error.value.code) == (429, "rate_limited")
    assert error.value.inconclusive is False


def test_latency_below_the_timeout_still_succeeds(client, sandbox):
    sandbox.fault("/transaction/initialize", "latency", seconds=0.3)
    started = time.monotonic()
    assert initialize(client)["reference"]
    assert time.monotonic() - started >= 0.3


def test_a_get_lookup_is_retried_past_a_transient_500(client, sandbox):
    sandbox.fault("/balance", "500", times=2)
    assert client.get_balance()[0]["currency"] == "NGN"


@pytest.mark.parametrize("mode", ["500", "hang", "drop", "malformed"])
def test_persistent_fault_on_a_get_is_inconclusive(sandbox, mode):
    sandbox.fault("/transaction/verify", mode, times=None, seconds=2)
    client = PaystackClient(timeout=0.3, connect_timeout=0.3, get_retries=1)
    with pytest.raises(PaystackUnavailable):
        client.verify_transaction("whatever")


def test_hang_on_initiate_transfer_still_creates_it_so_retry_uses_the_same_reference(
    client, sandbox
):
    code, reference = recipient(client, "0000000000"), transfer_reference()
    sandbox.fault("/transfer", "hang", seconds=2, method="POST")
    with pytest.raises(PaystackUnavailable):
        client.initiate_transfer(amount_kobo=100_000, recipient_code=code, reference=reference)
    assert client.verify_transfer(reference)["amount"] == 100_000


def test_connection_refused_is_inconclusive(settings):
    settings.PAYSTACK_BASE_URL = "http://127.0.0.1:9"
    with pytest.raises(PaystackUnavailable) as error:
        PaystackClient(timeout=0.5, get_retries=0).get_balance()
    assert error.value.code == "connection_error"


def test_secret_key_never_reaches_the_logs(client, sandbox, caplog):
    caplog.set_level("DEBUG")
    client.get_balance()
    sandbox.fault("/balance", "500", times=None)
    with pytest.raises(PaystackUnavailable):
        client.get_balance()
    assert caplog.records
    assert sandbox.secret_key not in caplog.text
    assert sandbox.secret_key not in repr(client)


# --- kobo conversion -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("naira", "kobo"),
    [(Decimal("0.01"), 1), (Decimal("12.34"), 1234), (Decimal("5000"), 500_000), (7, 700)],
)
def test_to_subunit_is_exact(naira, kobo):
    assert to_subunit(naira) == kobo


@pytest.mark.parametrize(
    "bad", [Decimal("1.005"), Decimal("NaN"), Decimal("Infinity"), 1.5, "10.00", True, None]
)
def test_to_subunit_rejects_what_it_cannot_convert_exactly(bad):
    with pytest.raises(InvalidAmount):
        to_subunit(bad)


def test_from_subunit_accepts_integers_and_digit_strings():
    assert from_subunit(1234) == Decimal("12.34")
    assert from_subunit("500000") == Decimal("5000.00")
    for bad in (12.5, "12.5", True, None):
        with pytest.raises(InvalidAmount):
            from_subunit(bad)


@hypothesis_settings(max_examples=50, deadline=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_kobo_round_trips_exactly(kobo):
    assert to_subunit(from_subunit(kobo)) == kobo


# --- webhook signatures ------------------------------------------------------------------------
def test_webhook_signature_verifies_the_raw_body_and_fails_when_changed(client, sandbox):
    tx = paid_transaction(client, sandbox)
    (delivery,) = sandbox.deliveries("charge.success", tx["reference"])
    raw = delivery["body"].encode()
    key = sandbox.secret_key
    assert verify_webhook_signature(raw, delivery["signature"], key)
    assert not verify_webhook_signature(
        raw.replace(b"500000", b"900000"), delivery["signature"], key
    )
    assert not verify_webhook_signature(raw, delivery["signature"], "sk_test_other")
    assert not verify_webhook_signature(raw, "", key)
    assert not verify_webhook_signature(raw, delivery["signature"], "")


def test_webhook_signature_uses_settings_key_by_default(sandbox):
    import hashlib
    import hmac

    body = b'{"event":"charge.success","data":{}}'
    signature = hmac.new(sandbox.secret_key.encode(), body, hashlib.sha512).hexdigest()
    assert verify_webhook_signature(body, signature)
    assert verify_webhook_signature(body, signature.upper())


@pytest.mark.parametrize("bad", [Decimal("50.5"), 50.0, "5000", True])
def test_client_refuses_amounts_that_are_not_integer_kobo(client, bad):
    with pytest.raises(InvalidAmount):
        client.initialize_transaction(email="a@example.com", amount_kobo=bad)
