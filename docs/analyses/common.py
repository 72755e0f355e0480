"""What the worked analyses share: where the scenarios are, small figures, Markdown tables.

Each analysis is a script with `build(out, n) -> {name: markdown}`: it runs its study with
n replications per case, writes its figures into `out/img/` and returns the fragments its
page shows. The manual's build calls it (docs/hooks/manual.py); you can run it alone:

    python docs/analyses/diesel_prepositioning.py OUT_DIR --n 20
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
DPI = 80  # small PNGs for the web (well under 100 kB each)


def figure(width: float = 7.0, height: float = 3.4) -> Any:
    """A Figure on the Agg canvas, without pyplot's global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Any, out: Path, name: str) -> str:
    """Write `out/img/<name>.png`; returns the Markdown that shows it (relative to the page)."""
    (out / "img").mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "img" / f"{name}.png", dpi=DPI, metadata={"Software": None})
    return f"![{name}](img/{name}.png)"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(build: Callable[[Path, int], dict[str, str]], default_n: int) -> None:
    """Run an analysis alone: write its figures and print its Markdown fragments."""
    parser = argparse.ArgumentParser(description=build.__doc__)
    parser.add_argument("out", type=Path, help="folder for the figures (img/ inside)")
    parser.add_argument("--n", type=int, default=default_n, help="replications per case")
    args = parser.parse_args()
    for name, text in build(args.out, args.n).items():
        print(f"<!-- {name} -->\n{text}\n")
