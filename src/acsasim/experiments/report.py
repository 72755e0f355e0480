"""report.html of an experiment folder: one self-contained page (charts embedded as base64,
no scripts, no network), readable offline and attachable to an e-mail.

Deliberately small: the run report lives in acsasim/output; this page shows the study's
answer (the same text as the terminal) and its charts.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from acsasim.experiments.lines import study_lines
from acsasim.experiments.results import StudyResult

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 62em; color: #222; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
img { max-width: 100%; display: block; margin: 1em 0; }
.note { color: #666; font-size: 0.9em; }
"""


def page(result: StudyResult, charts: list[Path]) -> str:
    spec = result.spec
    name = result.points[0].scenario.name
    title = f"acsasim {spec.command}: {name}"
    images = "\n".join(
        f'<img alt="{html.escape(p.stem)}" src="data:image/png;base64,'
        f'{base64.b64encode(p.read_bytes()).decode("ascii")}">'
        for p in charts
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="note">{result.n} replications per point, base seed {spec.seed}. 95% confidence
intervals of the mean: for a KPI that cannot be negative (or above 100%), a seeded percentile
bootstrap, expanded for small samples, which stays within the KPI's bounds; for a KPI that can
take either sign, and for every paired difference, Student's t. summary.json names the method
of each KPI (ci_method); every replication is in replications.csv.</p>
<pre>{html.escape(chr(10).join(study_lines(result)))}</pre>
{images}
</body></html>
"""
