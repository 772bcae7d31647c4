"""A customer's "Report a problem" on one of their transactions, and the case it opens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from wallet import selectors
from wallet.client_address import client_address
from wallet.exceptions import WalletError
from wallet.selectors import disputes as dispute_reads
from wallet.services import support
from wallet.services.wallet_service import WalletService


@login_required
@require_http_methods(["GET", "POST"])
def report_problem(request, pk):
    wallet = WalletService().get_wallet(request.user)
    transaction = selectors.transaction_for_wallet(wallet=wallet, pk=pk)  # another's: 404
    error, status = None, 200
    if request.method == "POST":
        try:
            case = support.report_problem(
                user=request.user, transaction=transaction, words=request.POST.get("words"),
                ip_address=client_address(request),
            )  # fmt: skip
        except WalletError as refused:
            error, status = refused.message, 422
        else:
            messages.success(request, "Thank you: we have your report and will answer here.")
            return redirect("wallet:support_case", pk=case.pk)
    context = {
        "tx": transaction,
        "error": error,
        "words": request.POST.get("words", ""),
        "cases": dispute_reads.cases_for_transaction(user=request.user, transaction=transaction),
    }
    return render(request, "wallet/support/report.html", context, status=status)


@login_required
@require_GET
def support_case(request, pk):
    case = dispute_reads.case_for_user(user=request.user, pk=pk)
    return render(
        request,
        "wallet/support/case.html",
        {"case": case, "case_messages": case.messages.all()},
    )
