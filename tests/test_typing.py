"""src/ is type-clean: mypy, configured in pyproject.toml ([tool.mypy], with the pydantic
plugin and the stubs of pandas and PyYAML from the test extra), finds no error. A
`# type: ignore` in src/ is allowed only targeted (`[code]`) and with a comment saying why."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_mypy_finds_no_error_in_src() -> None:
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "src")])
    assert status == 0, out + err
    assert "Success: no issues found" in out


def test_every_type_ignore_is_targeted_and_explained() -> None:
    bare = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            found = re.search(r"#\s*type:\s*ignore(\[[^\]]+\])?(.*)", line)
            if found and (not found[1] or "#" not in found[2]):
                bare.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert bare == [], "\n".join(bare)
