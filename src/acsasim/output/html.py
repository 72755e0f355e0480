"""The report page: one self-contained `report.html` (images embedded as data URIs, CSS
inline, no script, no network), from a run's data and its rendered charts.

A Content-Security-Policy in the page itself forbids every fetch but inline styles and
data images, so a page that tried to reach the network would fail visibly in a browser
(and in the browser test) instead of leaking where it was opened.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path
from typing import Any

from acsasim import __version__
from acsasim.output import page_tables as pt
from acsasim.output.charts import WIDTH, Chart
from acsasim.output.run_data import RunData

TEMPLATE = "report.html.j2"
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
POLICY = {
    "never": "never (national lines only)",
    "when_national_late": "when the national line would be late",
    "first": "first, before the national line",
}


def render_page(
    data: RunData,
    charts: list[Chart],
    png: dict[str, bytes],
    against: RunData | None = None,
    against_folder: Path | None = None,
) -> str:
    """The page as text. `png` holds each chart's PNG bytes by chart name; `against` is the
    run the charts set this one against, read from `against_folder`."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("acsasim", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    page = context(data, charts, png)
    page["against"] = None if against is None else _other_run(against, against_folder)
    return env.get_template(TEMPLATE).render(**page)


def _other_run(other: RunData, folder: Path | None) -> dict[str, str]:
    """What names the run this one is set against: its folder, scenario, seed, policy and the
    command that made it, so a reader of the page alone knows what was compared."""
    m = other.manifest
    return {
        "folder": str(folder) if folder is not None else "another run folder",
        "name": other.scenario.name,
        "seed": str(m.get("seed", other.scenario.seed)),
        "policy": POLICY[other.scenario.policy.acsa],
        "command": " ".join(m.get("command", [])) or "unknown",
    }


def context(data: RunData, charts: list[Chart], png: dict[str, bytes]) -> dict[str, Any]:
    """Everything the template shows, already worded and formatted."""
    s = data.scenario
    figures = [_figure(c, png[c.name]) for c in charts]
    timeline = next((f for f in figures if f["name"] == "timeline"), None)
    return {
        "csp": CSP,
        "title": f"{s.name}: run report",
        "scenario": {
            "name": s.name,
            "description": s.description,
            "period": _period(data),
            "currency": s.reporting_currency,
            "policy": POLICY[s.policy.acsa],
            "seed": data.manifest.get("seed", s.seed),
        },
        "parties": pt.parties(data),
        "agreements": pt.agreements(data),
        "holders": pt.holders(data),
        "timeline": timeline,
        "kpis": pt.kpis(data),
        "commodities": pt.commodities(data),
        "figures": [f for f in figures if f["name"] != "timeline"],
        "orders": pt.largest_orders(data),
        "refusal_summary": pt.refusal_summary(data),
        "refusals": pt.refusals(data),
        "statements": pt.statements(data),
        "footer": _footer(data),
    }


def _figure(chart: Chart, png: bytes) -> dict[str, Any]:
    width, height = chart.figure.get_size_inches()
    return {
        "name": chart.name,
        "title": chart.title,
        "caption": chart.caption,
        "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        # CSS pixels at 96 per inch: the page shows the chart at its drawn size, or narrower.
        "width": round(WIDTH * 96),
        "height": round(height / width * WIDTH * 96),
    }


def _period(data: RunData) -> str:
    s = data.scenario
    last = s.end - timedelta(microseconds=1)
    days = s.duration / 24
    return f"{s.start:%d %b %Y} to {last:%d %b %Y} ({days:g} days)"


def _footer(data: RunData) -> list[tuple[str, str]]:
    m = data.manifest
    rows = [
        ("seed", str(m.get("seed", data.scenario.seed))),
        ("acsasim", str(m.get("acsasim", "unknown"))),
        ("scenario sha256", str(m.get("scenario_sha256", "unknown"))),
        ("run created", str(m.get("created", "unknown"))),
        ("command", " ".join(m.get("command", [])) or "unknown"),
        ("report built by", f"acsasim {__version__}"),
    ]
    return rows
