"""Insert a row unless its unique key is taken, in one statement: `INSERT … ON CONFLICT (…) DO
NOTHING RETURNING id`. No savepoint, no exception to catch, one round trip: the hot paths
(webhook acknowledgements, Idempotency-Key claims) record a first sight this way."""

from django.db import connections, router


def insert_once(model, values: dict, *, conflict: tuple[str, ...]) -> int | None:
    """Insert `values` (field name -> value, every column without a database default) into
    `model`'s table; the new row's id, or None when a row with the same `conflict` fields
    exists already. Values are parameters; only the model's own names are formatted in."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in values]
    columns = ", ".join(quote(field.column) for field in fields)
    keys = ", ".join(quote(model._meta.get_field(name).column) for name in conflict)
    row = model(**values)  # a foreign key given as an object is stored as its id
    params = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({keys}) DO NOTHING RETURNING {quote(model._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.fetchone()
    return inserted[0] if inserted else None
