"""Regenerate paystack.yaml: the operations the sandbox serves, cut from Paystack's official
OpenAPI description, with every component they reference (and nothing else).

    python -m tests.sandbox.openapi.vendor ../shared/data/paystack-openapi.yaml

Source: PaystackOSS/openapi `dist/paystack.yaml` at commit 9678dea (2025-10-24), MIT licence
(LICENSE in this directory). Nothing is edited here: where the spec is wrong or stricter than
Paystack, tests/sandbox/spec.py says so, with its evidence.
"""

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent

# (path, method) of every operation the sandbox implements.
OPERATIONS = [
    ("/transaction/initialize", "post"),
    ("/transaction/verify/{reference}", "get"),
    ("/transaction", "get"),
    ("/transaction/{id}", "get"),
    ("/transaction/charge_authorization", "post"),
    ("/refund", "post"),
    ("/refund", "get"),
    ("/refund/{id}", "get"),
    ("/bank", "get"),
    ("/bank/resolve", "get"),
    ("/transferrecipient", "post"),
    ("/transferrecipient", "get"),
    ("/transferrecipient/{code}", "get"),
    ("/transferrecipient/{code}", "delete"),
    ("/transfer", "post"),
    ("/transfer", "get"),
    ("/transfer/finalize_transfer", "post"),
    ("/transfer/resend_otp", "post"),
    ("/transfer/verify/{reference}", "get"),
    ("/transfer/{code}", "get"),
    ("/balance", "get"),
    ("/customer", "post"),
    ("/customer", "get"),
    ("/customer/{code}", "get"),
    ("/customer/{code}/identification", "post"),
    ("/dedicated_account", "post"),
    ("/dedicated_account", "get"),
    ("/dispute", "get"),
    ("/dispute/{id}", "get"),
    ("/dispute/{id}", "put"),
    ("/dispute/{id}/upload_url", "get"),
    ("/dispute/export", "get"),
    ("/dispute/transaction/{id}", "get"),
    ("/dispute/{id}/resolve", "put"),
    ("/dispute/{id}/evidence", "post"),
]

HEADER = """\
# A part of Paystack's official OpenAPI description: the operations the sandbox serves and the
# components they use, unchanged. Cut by tests/sandbox/openapi/vendor.py from PaystackOSS/openapi
# dist/paystack.yaml at commit 9678dea (2025-10-24).
#
# Copyright (c) 2022 PaystackOSS. MIT License: see LICENSE in this directory.
"""


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def resolve(spec, ref):
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def subset(spec):
    paths = {}
    for path, method in OPERATIONS:
        item = paths.setdefault(path, {})
        if "parameters" in spec["paths"][path]:
            item["parameters"] = spec["paths"][path]["parameters"]
        item[method] = spec["paths"][path][method]
    wanted, todo = set(), list(references(paths))
    todo += list(references(spec.get("security", [])))
    while todo:
        ref = todo.pop()
        if ref not in wanted:
            wanted.add(ref)
            todo += list(references(resolve(spec, ref)))
    components = {"securitySchemes": spec["components"]["securitySchemes"]}
    for ref in sorted(wanted):
        _, _, section, name = ref.split("/")
        components.setdefault(section, {})[name] = resolve(spec, ref)
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec["servers"],
        "security": spec["security"],
        "paths": paths,
        "components": components,
    }


def main(source):
    spec = yaml.safe_load(Path(source).read_text())
    text = yaml.safe_dump(subset(spec), sort_keys=False, allow_unicode=True, width=100)
    (HERE / "paystack.yaml").write_text(HEADER + text)


if __name__ == "__main__":
    main(sys.argv[1])
