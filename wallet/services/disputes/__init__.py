"""Card payment disputes (chargebacks) tied to the wallet the disputed deposit funded.

Modules: `money` (hold, release, loss, exposure recovery: the only writer of dispute money),
`events` (Paystack's word on a dispute, from a webhook or the reconcile job, applied once),
`reconcile` (asks Paystack for its dispute list; compares it with the site's), `evidence`
(what the site knows, pre-filled for the evidence form), `staff` (the back office's calls to
Paystack behind the dispute StaffActions). docs/disputes.md explains the money.
"""
