"""Set-based writes for large orgs: plain rows in, no model instances, no signals."""

import io

from django.db import connection


def _copy_value(value):
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    # Backslash first; a raw carriage return would end the row just like a newline.
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_rows(model, columns, rows):
    """Write tuples straight to the table, without building model instances: the saved plan of
    a large org has a hundred thousand members. COPY on PostgreSQL, executemany elsewhere.
    No signals, no returned ids."""
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_value(value) for value in row))
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def reserve_ids(model, count):
    """`count` fresh primary keys from the table's sequence (PostgreSQL only), so rows can be
    written with COPY and still point at each other."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]
