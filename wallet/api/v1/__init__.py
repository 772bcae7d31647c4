"""The JSON API, version 1 (docs/api.md): Django REST framework under /wallet/api/v1/.

`me` is always the caller's own wallet; every object is looked up from it, so another user's
id answers 404. Modules: `authentication` (tokens, session + CSRF), `permissions` (scopes),
`throttling`, `idempotency`, `errors` (the one error shape), `parsers`, `fields`,
`serializers`, `views/` (one module per journey), `urls`.
"""
