"""Writes to the org chart."""

from django.db import transaction

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
            changed.append(Person(id=pk, org_path=new_path))
    Person.objects.bulk_update(changed, ["org_path"], batch_size=2000)
    return len(changed)
