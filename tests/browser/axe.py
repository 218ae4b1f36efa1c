"""axe-core in browser tests: the one helper every journey uses.

axe-core is vendored from npm at tests/js/axe.min.js. It is evaluated by the driver, because the
pages' Content-Security-Policy forbids inline scripts. By default only the page's `<main>` is
checked: the shared navigation and footer are checked by the journeys that own them.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "js" / "axe.min.js"
MAIN = "document.querySelector('main')"
WHOLE_PAGE = "document"


def serious_violations(page, context=MAIN):
    """axe-core findings of serious or critical impact in `context` (a JavaScript expression
    for axe.run's context), each with the first three nodes and what to fix."""
    page.evaluate(AXE.read_text())
    violations = page.evaluate(f"async () => (await axe.run({context})).violations")
    return [
        f"{v['id']} ({v['impact']}): {[(n['target'], n['failureSummary']) for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page, context=MAIN):
    serious = serious_violations(page, context)
    assert not serious, serious
