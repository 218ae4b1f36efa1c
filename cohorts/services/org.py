"""Writes to the org chart."""

from django.db import connection, transaction

from ..models import Person


@transaction.atomic
def org_paths_rebuild():
    """Recompute every person's `org_path` from the manager links.

    Raises ValueError when the manager links contain a cycle, naming one person in it.
    """
    rows = list(Person.objects.values_list("id", "manager_id", "org_path"))
    manager_of = {pk: manager_id for pk, manager_id, _ in rows}
    paths = {}

    def path_for(pk):
        chain = []
        seen = set()
        node = pk
        while node is not None and node not in paths:
            if node in seen:
                raise ValueError(f"Manager links form a cycle through person id {node}")
            seen.add(node)
            chain.append(node)
            node = manager_of.get(node)
        prefix = paths[node] if node is not None else "/"
        for member in reversed(chain):
            prefix = f"{prefix}{member}/"
            paths[member] = prefix
        return paths[pk]

    changed = []
    for pk, _, current in rows:
        new_path = path_for(pk)
        if new_path != current:
            changed.append((pk, new_path))
    _set_org_paths(changed)
    return len(changed)


def _set_org_paths(pairs, batch_size=5000):
    """UPDATE ... FROM (VALUES ...) in batches: far faster than bulk_update's CASE per row on
    large orgs, and understood by both PostgreSQL and SQLite (3.33+)."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start : start + batch_size]
            values = ", ".join(["(CAST(%s AS BIGINT), %s)"] * len(chunk))
            params = [value for pair in chunk for value in pair]
            sql = (
                f"UPDATE {table} SET org_path = v.column2 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"
            )
            cursor.execute(sql, params)
