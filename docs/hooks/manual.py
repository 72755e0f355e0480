"""mkdocs hook: complete the manual with what only the code can tell, at build time.

Pages mark a generated part with an HTML comment, `<!-- generated: NAME -->`; this hook
replaces each with its Markdown, and adds the pictures the parts show. The parts are:

- the scenario format reference, rendered from `acsasim schema` (format_reference.py);
- the command-line reference, rendered from the Typer app (cli_reference.py);
- Getting started and Outputs: the demo scenario run as a user runs it (showcase.py);
- the tutorial's commands, run on its scenario file (tutorial_run.py), and the
  Experiments page's (experiments_run.py);
- the checks a scenario meets and what `--json` prints, on the demo scenario with
  mistakes made on purpose (validate_run.py);
- the worked analyses, each a script in docs/analyses/ (its `build(out, n)`).

Nothing generated is committed, so no page can go stale: a build that cannot run a part
fails. The analyses run ACSASIM_DOCS_N replications per case (default 20; the test suite
builds with fewer). Results are kept in memory for `mkdocs serve` until a source changes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType

# The hook's own helpers, beside it: mkdocs puts this folder on the path while it loads us.
import cli_reference
import experiments_run
import format_reference
import showcase
import tutorial_run
import validate_run
from console import Workspace
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ANALYSES = REPO / "docs" / "analyses"
MARK = re.compile(r"<!-- generated: ([a-z0-9-]+) -->")
N_VARIABLE, DEFAULT_N = "ACSASIM_DOCS_N", 20
SOURCES = ("src/acsasim", "scenarios", "docs/hooks", "docs/analyses", "docs/tutorial")

_cache: dict[str, tuple[dict[str, str], dict[str, bytes]]] = {}
_fragments: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        fragments, images = _generated()
    except PluginError:
        raise
    except Exception as exc:  # a failing example or analysis: the page would show a lie
        raise PluginError(f"generating the manual's parts failed: {exc}") from exc
    _fragments.clear()
    _fragments.update(fragments)
    for path, content in images.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in _fragments:
            raise PluginError(f"{page.file.src_uri}: no generated part named '{name}'")
        return _fragments[name]

    return MARK.sub(fill, markdown)


def replications() -> int:
    text = os.environ.get(N_VARIABLE, str(DEFAULT_N))
    if not text.isdigit() or int(text) < 2:
        raise PluginError(f"{N_VARIABLE}={text!r}: give a whole number of replications, 2 or more")
    return int(text)


def _generated() -> tuple[dict[str, str], dict[str, bytes]]:
    n = replications()
    key = f"{n}:{_fingerprint()}"
    if key not in _cache:
        _cache.clear()
        _cache[key] = _generate(n)
    return _cache[key]


def _fingerprint() -> str:
    """A digest of every file the generated parts are made from."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _generate(n: int) -> tuple[dict[str, str], dict[str, bytes]]:
    fragments = {
        "format-reference": format_reference.render(sorted((REPO / "scenarios").glob("*.yaml"))),
        "cli-reference": cli_reference.render(),
    }
    images: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="acsasim-docs-") as tmp:
        ws = Workspace(Path(tmp) / "clone")
        shown, pictures = showcase.build(ws)
        fragments |= shown
        images |= pictures
        fragments |= tutorial_run.build(ws, n)
        fragments |= experiments_run.build(ws, n)
        fragments |= validate_run.build(Workspace(Path(tmp) / "checks"))  # its own reports/
        for script in sorted(ANALYSES.glob("[a-z]*.py")):
            if script.stem == "common":
                continue
            out = Path(tmp) / script.stem
            fragments |= _analysis(script).build(out, n)
            for png in sorted((out / "img").glob("*.png")):
                images[f"analyses/img/{png.name}"] = png.read_bytes()
    return fragments, images


def _analysis(script: Path) -> ModuleType:
    """Import an analysis script (its folder on the path for `common`)."""
    sys.path.insert(0, str(script.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"analysis_{script.stem}", script)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(script.parent))
