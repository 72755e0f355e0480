"""The checks a scenario meets, shown on the demo scenario with mistakes made on purpose.

The Scenario format page shows a misspelt activity (an error) and two values that are legal
but probably not meant (warnings, which `--strict` refuses); the Outputs page shows what
`--json` prints for scripts. Each edit must find its text in the demo scenario, and each
command must exit as the page says, or the build fails.
"""

from __future__ import annotations

from console import CommandFailed, Workspace

DEMO = "scenarios/jp-ph-joint-drill.yaml"
# (text in the demo, what the page puts instead)
ACTIVITY_TYPO = (
    "profile: training_support, activity: training_support}",
    "profile: training_support, activity: trainning_support}",
)
MISSPELT_UNIT = ("{unit: round, category: ammunition}", "{unit: rnd, category: ammunition}")
ZERO_CEILING = (
    "    # No ceilings: Japan's agreements set none (10 U.S.C. 2347 binds the US only).",
    "    ceilings: {value: 0}",
)


def build(ws: Workspace) -> dict[str, str]:
    demo = (ws.root / DEMO).read_text(encoding="utf-8")
    (ws.root / "drill.yaml").write_text(_edited(demo, ACTIVITY_TYPO), encoding="utf-8")
    typo = ws.run("acsasim validate drill.yaml", expect=2)
    (ws.root / "drill.yaml").write_text(
        _edited(demo, MISSPELT_UNIT, ZERO_CEILING), encoding="utf-8"
    )
    warned = ws.run("acsasim validate drill.yaml")
    strict = ws.run("acsasim validate drill.yaml --strict", expect=2)
    as_json = ws.run("acsasim validate drill.yaml --strict --json", expect=2)
    run_json = ws.run(f"acsasim run {DEMO} --no-report --json")
    return {
        "validate-activity": typo.block(),
        "validate-warnings": _joined(warned.block(), strict.block()),
        "validate-json": as_json.block(),
        "run-json": run_json.block(limit=14),
    }


def _edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        if text.count(old) != 1:
            raise CommandFailed(f"{DEMO} no longer has '{old}' once: update validate_run.py")
        text = text.replace(old, new)
    return text


def _joined(*blocks: str) -> str:
    """Console blocks shown as one session."""
    lines = [line for b in blocks for line in b.splitlines() if not line.startswith("```")]
    return "\n".join(["```console", *lines, "```"])
