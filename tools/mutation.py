"""Mutation testing of the books: do the ledger's tests catch a wrong line of its code?

    pip install -e ".[test,mutation]"
    python tools/mutation.py                     # every module, report to benchmarks/
    python tools/mutation.py money statements    # some modules, report printed
    python tools/mutation.py --fail-under 90     # exit 1 if a module kills less

mutmut (configured under [tool.mutmut] in pyproject.toml) changes one thing at a time in
each module (a `>=` to `>`, a `+` to `-`, a constant, a dropped argument...) and runs the
ledger tests that call the changed function; a mutant the tests still pass "survives".
Some survivors cannot be caught because they change nothing a user could see (an
*equivalent* mutant: `min(a, b)` where a <= b always holds, say). Each of those is judged
once, by hand, in tools/mutation_equivalents.toml with its reason; every other survivor is
a missing test. The report lists, per module, the mutants, how many the tests killed, and
every survivor with its diff and verdict. The kill rate counts the non-equivalent
mutants only.

Not run in CI: a full run takes about ten minutes on two free cores. Every run starts from
a fresh `mutants/` folder (ignored by git), so it is repeatable; `--report-only` rewrites
the report from the last run, e.g. after judging a survivor.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JUDGEMENTS = REPO / "tools" / "mutation_equivalents.toml"
DEFAULT_REPORT = REPO / "benchmarks" / "mutation-report.md"
#: mutmut's verdicts that mean the tests noticed the mutant (a mutant that hangs or crashes
#: the test run is caught: a user would notice it too).
CAUGHT = {"killed", "timeout", "segfault"}
RESULT_LINE = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    modules = _modules()
    try:
        chosen = [_resolve(name, modules) for name in args.modules] or list(modules)
    except ValueError as err:
        print(f"tools/mutation.py: {err}", file=sys.stderr)
        return 2
    mutmut = _mutmut()
    if mutmut is None:
        print(
            'tools/mutation.py: mutmut is not installed; run: pip install -e ".[mutation]"',
            file=sys.stderr,
        )
        return 2
    problem = _report_only_problem() if args.report_only else _run(mutmut, modules, chosen, args)
    if problem:
        print(f"tools/mutation.py: {problem}", file=sys.stderr)
        return 2
    judgements = _judgements()
    results = _results(mutmut)
    reports = [_module_report(m, modules[m], results, judgements, mutmut) for m in chosen]
    text = _markdown(reports, judgements, chosen)
    out = args.out or (DEFAULT_REPORT if set(chosen) == set(modules) else None)
    if out is not None:
        _write(out, text)
        print(f"report written to {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    else:
        print(text)
    print(_summary(reports))
    below = [r.module for r in reports if r.rate < args.fail_under]
    if below:
        print(f"below {args.fail_under:g}%: {', '.join(below)}", file=sys.stderr)
    return 1 if below else 0


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a report is never left half-written."""
    part = path.with_name(path.name + ".partial")
    part.write_text(text, encoding="utf-8")
    part.replace(path)


def _run(mutmut: str, modules: dict[str, str], chosen: list[str], args: argparse.Namespace) -> str:
    """Run mutmut over the chosen modules, from a fresh mutants/ unless --resume; returns a
    problem to report, or ''."""
    if not args.resume:
        shutil.rmtree(REPO / "mutants", ignore_errors=True)
    patterns = [f"{modules[m]}.*" for m in chosen]
    run = subprocess.run(
        [mutmut, "run", "--max-children", str(args.jobs), *patterns],
        cwd=REPO,
        stdout=subprocess.DEVNULL if args.quiet else None,
    )
    return f"mutmut run failed (exit {run.returncode})" if run.returncode else ""


def _report_only_problem() -> str:
    if (REPO / "mutants").is_dir():
        return ""
    return "no mutants/ folder: run without --report-only first"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules",
        nargs="*",
        help="ledger modules (journal, money, ...); "
        "default: every module listed under [tool.mutmut] only_mutate",
    )
    parser.add_argument("--jobs", type=_positive, default=2, help="mutants at once (default 2)")
    parser.add_argument(
        "--out",
        type=Path,
        help="write the report here (default: "
        "benchmarks/mutation-report.md for a full run, else print it)",
    )
    parser.add_argument(
        "--fail-under",
        type=float,
        default=0.0,
        metavar="PERCENT",
        help="exit 1 if a module kills less of its non-equivalent mutants",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep mutants/ from the last run: rerun only the modules named",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: report the results left in mutants/",
    )
    parser.add_argument("--quiet", action="store_true", help="hide mutmut's progress")
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _modules() -> dict[str, str]:
    """Short name -> dotted module of every file mutmut mutates (pyproject.toml)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["mutmut"]["only_mutate"]
    return {Path(p).stem: ".".join(Path(p).with_suffix("").parts[1:]) for p in paths}


def _resolve(name: str, modules: dict[str, str]) -> str:
    short = name.removesuffix(".py").rsplit(".", 1)[-1].rsplit("/", 1)[-1]
    if short not in modules:
        raise ValueError(f"unknown module {name!r}; choose from {', '.join(modules)}")
    return short


def _mutmut() -> str | None:
    beside = Path(sys.executable).parent / "mutmut"
    return str(beside) if beside.exists() else shutil.which("mutmut")


# --- what mutmut found ------------------------------------------------------------------------


def _results(mutmut: str) -> dict[str, str]:
    """Mutant name -> mutmut's verdict (killed, survived, no tests, timeout...)."""
    out = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    found = (RESULT_LINE.match(line) for line in out.splitlines())
    return {m["name"]: m["status"].strip() for m in found if m}


@dataclass(frozen=True)
class Survivor:
    name: str
    function: str
    diff: str
    status: str  # survived, no tests, suspicious...
    reason: str | None  # why it is equivalent; None: a missing test


@dataclass
class ModuleReport:
    module: str
    mutants: int = 0
    caught: int = 0
    survivors: list[Survivor] = field(default_factory=list)

    @property
    def equivalent(self) -> int:
        return sum(1 for s in self.survivors if s.reason is not None)

    @property
    def missed(self) -> int:
        return len(self.survivors) - self.equivalent

    @property
    def rate(self) -> float:
        """Per cent of the non-equivalent mutants killed."""
        judged = self.mutants - self.equivalent
        return 100.0 * self.caught / judged if judged else 100.0


def _function(mutant: str) -> str:
    """`acsasim.ledger.money.xǁConverterǁrate__mutmut_3` -> `Converter.rate`."""
    local = mutant.rsplit(".", 1)[-1].split("__mutmut_")[0]
    if local.startswith("xǁ"):  # a method: xǁClassǁmethod
        return ".".join(local.split("ǁ")[1:])
    return local.removeprefix("x_")


def _module_report(
    short: str, dotted: str, results: dict[str, str], judgements: list[dict], mutmut: str
) -> ModuleReport:
    report = ModuleReport(short)
    for name in sorted(results, key=_natural):
        if not name.startswith(dotted + "."):
            continue
        report.mutants += 1
        status = results[name]
        if status in CAUGHT:
            report.caught += 1
            continue
        diff = _diff(mutmut, name)
        function = _function(name)
        reason = _reason(judgements, short, function, diff)
        report.survivors.append(Survivor(name, function, diff, status, reason))
    return report


def _natural(name: str) -> tuple[str, int]:
    base, _, number = name.rpartition("__mutmut_")
    return base, int(number) if number.isdigit() else 0


def _diff(mutmut: str, name: str) -> str:
    """The mutant's unified diff (mutmut show), without its header lines."""
    out = subprocess.run(
        [mutmut, "show", name], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("@@")), len(lines))
    return "\n".join(lines[start:])


# --- equivalent mutants, judged by hand -------------------------------------------------------


def _judgements() -> list[dict]:
    """The hand-judged equivalent mutants: module, function, the line(s) replaced, the
    line(s) put instead and why no test can tell them apart."""
    if not JUDGEMENTS.exists():
        return []
    entries = tomllib.loads(JUDGEMENTS.read_text(encoding="utf-8")).get("equivalent", [])
    for entry in entries:
        entry["used"] = False
    return entries


def _changed(diff: str) -> tuple[str, str]:
    """(lines removed, lines added) of a diff, each stripped and joined by newlines."""
    rows = diff.splitlines()
    minus = [r[1:].strip() for r in rows if r.startswith("-") and not r.startswith("---")]
    plus = [r[1:].strip() for r in rows if r.startswith("+") and not r.startswith("+++")]
    return "\n".join(minus), "\n".join(plus)


def _reason(judgements: list[dict], module: str, function: str, diff: str) -> str | None:
    replace, by = _changed(diff)
    for entry in judgements:
        same = (entry["module"], entry["function"]) == (module, function)
        if same and (entry["replace"].strip(), entry["by"].strip()) == (replace, by):
            entry["used"] = True
            return str(entry["reason"])
    return None


# --- the report -------------------------------------------------------------------------------


def _markdown(reports: list[ModuleReport], judgements: list[dict], chosen: list[str]) -> str:
    head = _commit()
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    version = _mutmut_version()
    lines = [
        "# Mutation testing of the books",
        "",
        f"Written by `python tools/mutation.py` on {when} at commit {head}: {version} over the "
        "ledger modules, each mutant against the ledger tests (tests/ledger) that call the "
        "function it changes. *Kill rate* is killed / (mutants - equivalent). Equivalent "
        "mutants are judged by hand in `tools/mutation_equivalents.toml`.",
        "",
        "| module | mutants | killed | equivalent | missed | kill rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        lines.append(
            f"| {r.module} | {r.mutants} | {r.caught} | {r.equivalent} | {r.missed} | "
            f"{r.rate:.1f}% |"
        )
    for r in reports:
        lines += ["", f"## {r.module}", ""]
        if not r.survivors:
            lines.append("Every mutant killed.")
        for s in r.survivors:
            verdict = f"equivalent: {s.reason}" if s.reason else f"**missing test** ({s.status})"
            lines += [f"- `{s.name}` ({s.function}): {verdict}", "", "  ```diff"]
            lines += [f"  {row}" for row in s.diff.splitlines()]
            lines += ["  ```", ""]
    stale = [j for j in judgements if not j["used"] and j["module"] in chosen]
    if stale:
        lines += ["", "## Judgements that matched no survivor", ""]
        lines += [
            f"- {j['module']}.{j['function']}: `{j['replace']}` -> `{j['by']}`" for j in stale
        ]
    return "\n".join(lines).rstrip() + "\n"


def _summary(reports: list[ModuleReport]) -> str:
    rows = [
        f"{r.module:<12} {r.caught:>4}/{r.mutants - r.equivalent:<4} killed  "
        f"{r.rate:5.1f}%  ({r.equivalent} equivalent, {r.missed} missed)"
        for r in reports
    ]
    return "\n".join(rows)


def _mutmut_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"mutmut {version('mutmut')}"
    except PackageNotFoundError:
        return "mutmut"


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (done.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
