"""Getting started and Outputs, with real outputs: the demo scenario run as a user runs it.

`build(workspace)` runs `acsasim run scenarios/jp-ph-joint-drill.yaml`, reads the folder it
wrote and returns the page fragments (what the command prints, the folder's files, the
first rows of each table, the KPIs, example SQL with its answers) and the charts, redrawn
small for the web. QUERIES are the manual's SQL examples; a test runs them too.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from console import Workspace, code

from acsasim.output.charts import Chart, build_charts
from acsasim.output.run_data import load_run

DEMO = "scenarios/jp-ph-joint-drill.yaml"
WEB_DPI = 60  # the report draws at 200 dpi for print; the manual's copies stay small
TABLES = ("orders", "postings", "flows", "refusals", "stock")

# (what it answers, SQL): the examples of the Outputs page, run against the demo's ledger.
QUERIES: tuple[tuple[str, str], ...] = (
    (
        "Value provided per direction and commodity, in the reporting currency",
        """SELECT provider_party || '->' || receiver_party AS direction, commodity,
       COUNT(*) AS orders, ROUND(SUM(CAST(value_reporting AS REAL)), 2) AS value
FROM orders GROUP BY direction, commodity ORDER BY value DESC;""",
    ),
    (
        "Every transaction balances: the postings of each transaction and currency sum to zero",
        """SELECT COUNT(*) AS unbalanced FROM (
  SELECT txn_id, currency, SUM(CAST(amount AS REAL)) AS total
  FROM postings GROUP BY txn_id, currency HAVING ABS(total) > 0.005);""",
    ),
    (
        "What each party owes the other at the end, per currency (receivable accounts)",
        """SELECT account, currency, ROUND(SUM(CAST(amount AS REAL)), 2) AS balance
FROM postings WHERE account LIKE 'Assets:%:Receivable:%'
GROUP BY account, currency HAVING ABS(balance) > 0.005 ORDER BY account;""",
    ),
    (
        "Unmet demand per holder and commodity",
        """SELECT holder, commodity, ROUND(SUM(unmet), 1) AS unmet
FROM flows WHERE kind = 'consume' GROUP BY holder, commodity
HAVING SUM(unmet) > 0 ORDER BY unmet DESC;""",
    ),
    (
        "Refusals by reason and commodity",
        """SELECT reason, commodity, COUNT(*) AS refusals,
       ROUND(SUM(quantity_refused), 1) AS quantity
FROM refusals GROUP BY reason, commodity ORDER BY refusals DESC;""",
    ),
    (
        "The lowest stock each holder reached, per commodity",
        """SELECT holder, commodity, MIN(on_hand_min) AS lowest, MAX(on_hand_end) AS highest
FROM stock GROUP BY holder, commodity ORDER BY lowest LIMIT 8;""",
    ),
)


# How to read each chart of the report, beyond its caption. A chart the report gains must
# be explained here: the build fails on a chart without a note.
READING = {
    "timeline": "One row per holder, its name in its party's colour. Each bar is a phase, "
    "coloured and labelled by its consumption profile (with its demand factor if not 1); "
    "hatched bars are activities that no agreement covers, so requests made then are "
    "refused (R5). A unit in a phase whose profile it lacks, or whose rates are all zero, "
    "is drawn as 'no demand': the phase gives it an activity but no consumption. A depot "
    "only provides and never consumes, whatever a phase for all holders says: its row is "
    "one plain dotted bar. Dashed vertical lines are events, numbered in the legend.",
    "stock": "One panel per holder and commodity, the lines that came closest to running out "
    "first. The thick line is stock at the end of each day, the dotted line the day's lowest; "
    "orange dashes mark the reorder level (R3), red dash-dots the reserve. A line at zero "
    "is a stock-out; shaded bands are the unit's phases that do not last the whole run, in "
    "the timeline's colours ('no demand' included); a depot's panel has none.",
    "provided": "Cumulative value provided under each agreement, one panel per direction, "
    "stacked by category, in the reporting currency at the provider's prices (R7).",
    "balance": "For each pair of parties, the net balance over time: above the axis one "
    "party is owed, below it the other, the area coloured by the party owed. The hatched "
    "part is overdue (R12).",
    "outstanding": "What is still owed at the end. Left: by settlement method (R8). Right: by "
    "days past the due date, in the aging buckets (R12); 'not yet due' is pale.",
    "shortfalls": "Per commodity: unmet demand as a share of demand, with the quantity in "
    "the commodity's unit beside the bar (left), and stock-out hours summed over holders "
    "(right). With `acsasim report --against` the other run's bars stand beside.",
    "ceilings": "For each provider party and agreement year, the share of its value ceiling "
    "and of its supplies ceiling used (R14). A bar at the red line means later requests "
    "that year were trimmed or refused.",
    "refusals": "Refusals by reason and commodity (R5): the number of refused requests or "
    "trims, each reason pointing at its cause.",
}


def build(ws: Workspace) -> tuple[dict[str, str], dict[str, bytes]]:
    """The fragments of the Getting started and Outputs pages, and the chart images."""
    shown = ws.run(f"acsasim run {DEMO}")
    folder = ws.newest("reports/jp-ph-joint-drill/*-s*")
    where = ws.root / folder
    data = load_run(where)
    images, gallery = {}, []
    for chart in build_charts(data):
        buf = io.BytesIO()
        chart.figure.savefig(buf, dpi=WEB_DPI, format="png", metadata={"Software": None})
        images[f"img/chart-{chart.name}.png"] = buf.getvalue()
        gallery.append((chart, f"img/chart-{chart.name}.png"))
    fragments = {
        "demo-run": shown.block(),
        "demo-folder": code(_listing(where, folder)),
        "demo-summary": code((where / "summary.json").read_text(encoding="utf-8"), "json"),
        "demo-manifest": code((where / "manifest.json").read_text(encoding="utf-8"), "json"),
        "demo-charts": "\n\n".join(_chart_section(c, img) for c, img in gallery),
        "demo-queries": _queries(where / "ledger.sqlite"),
        **{f"demo-{t}": code(_head(where / f"{t}.csv")) for t in TABLES},
    }
    return fragments, images


def _listing(where: Path, folder: Path) -> str:
    lines = [f"{folder}/"]
    for path in sorted(where.rglob("*")):
        if path.is_file():
            size = path.stat().st_size
            lines.append(f"  {path.relative_to(where)!s:<28} {_size(size):>8}")
    return "\n".join(lines)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _head(path: Path, rows: int = 4) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        lines = [",".join(r) for _, r in zip(range(rows + 1), reader, strict=False)]
    return "\n".join(lines)


def _chart_section(chart: Chart, image: str) -> str:
    if chart.name not in READING:
        raise KeyError(f"chart '{chart.name}' has no reading note in showcase.READING")
    return "\n".join(
        [f"### {chart.title}", "", f"![{chart.title}]({image})", "",
         f"*{chart.caption}*", "", READING[chart.name]]
    )  # fmt: skip


def run_queries(db: Path) -> list[tuple[str, str, list[str], list[tuple]]]:
    """Each example query with its column names and rows, read-only."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        answers = []
        for title, sql in QUERIES:
            cursor = con.execute(sql)
            answers.append((title, sql, [d[0] for d in cursor.description], cursor.fetchall()))
        return answers
    finally:
        con.close()


def _queries(db: Path) -> str:
    parts = []
    for title, sql, columns, rows in run_queries(db):
        table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        table += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:8]]
        more = f"\n\n*({len(rows) - 8} more rows)*" if len(rows) > 8 else ""
        parts.append(f"**{title}**\n\n{code(sql, 'sql')}\n\n" + "\n".join(table) + more)
    return "\n\n".join(parts)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    return json.dumps(value) if value is None else str(value)
