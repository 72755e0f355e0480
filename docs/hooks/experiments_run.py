"""The Experiments page's examples: a sweep, a precision target and a comparison, run on the
shipped scenarios as the page shows them."""

from __future__ import annotations

from console import Shown, Workspace

SWEEP_KEEP = ("point", "  KPI", "  overdue_end", "  outstanding_end")


def build(ws: Workspace, n: int) -> dict[str, str]:
    sweep = ws.run(
        "acsasim sweep scenarios/jp-ph-18-months.yaml "
        f"--vary agreements.JP-PH-ACSA.settlement.deadline=90d,180d,365d -n {n}"
    )
    # Fewer replications make a wider interval: a quick build asks for less precision.
    target = 0.1 if n >= 10 else 0.25
    precision = ws.run(
        "acsasim replicate scenarios/luzon-typhoon-relief.yaml "
        f"--precision {target} --kpi unmet_demand.water"
    )
    versus = ws.run(f"acsasim compare scenarios/luzon-typhoon-relief.yaml --no-acsa -n {n}")
    return {
        "experiments-sweep": _only(sweep, SWEEP_KEEP),
        "experiments-precision": _tail(precision, 4),
        "experiments-compare": versus.block(limit=4),
    }


def _only(shown: Shown, keep: tuple[str, ...]) -> str:
    """The lines that answer the page's question; each run of others becomes '...'."""
    lines, skipped = [], False
    for line in shown.stdout.rstrip("\n").splitlines():
        if line.startswith(keep) or not line.strip():
            lines.append(line)
            skipped = False
        elif not skipped:
            lines.append("  ...")
            skipped = True
    return "\n".join(["```console", f"$ {shown.command}", *lines, "```"])


def _tail(shown: Shown, count: int) -> str:
    lines = shown.stdout.rstrip("\n").splitlines()
    return "\n".join(["```console", f"$ {shown.command}", lines[0], "...", *lines[-count:], "```"])
