"""The tutorial's commands, run on its scenario file as the page tells a reader to.

The file is docs/tutorial/two-nation-drill.yaml (the page shows it part by part). Each
step's command runs in the scratch clone; the page shows what it printed. The mistakes
the tutorial makes on purpose must fail as the page says (exit 2).
"""

from __future__ import annotations

from console import REPO, Workspace

SCENARIO = REPO / "docs" / "tutorial" / "two-nation-drill.yaml"
FILE = "two-nation-drill.yaml"
TYPO = ("supplied_by: jp-sealift", "supplied_by: jp-sealfit")
OVERRIDE = "holders.jgsdf-coy.stock.diesel.initial=9000"


def build(ws: Workspace, n: int) -> dict[str, str]:
    text = SCENARIO.read_text(encoding="utf-8")
    path = ws.root / FILE
    path.write_text("", encoding="utf-8")
    empty = ws.run(f"acsasim validate {FILE}", expect=2)
    path.write_text(text.replace(*TYPO), encoding="utf-8")
    typo = ws.run(f"acsasim validate {FILE}", expect=2)
    path.write_text(text, encoding="utf-8")
    fine = ws.run(f"acsasim validate {FILE}")
    run = ws.run(f"acsasim run {FILE}")
    folder = ws.newest("reports/two-nation-drill/*-s7")
    tweak = ws.run(f"acsasim run {FILE} --set {OVERRIDE} --no-report")
    versus = ws.run(f"acsasim compare {FILE} --no-acsa -n {n}")
    many = ws.run(f"acsasim replicate {FILE} -n {n}")
    account = ws.run(f"acsasim statement {folder} --parties JP,PH")
    return {
        "tutorial-empty": empty.block(),
        "tutorial-typo": typo.block(),
        "tutorial-valid": fine.block(),
        "tutorial-run": run.block(),
        "tutorial-set": tweak.block(),
        "tutorial-compare": versus.block(),
        "tutorial-replicate": many.block(),
        "tutorial-statement": account.block(),
        "tutorial-n": str(n),
    }
