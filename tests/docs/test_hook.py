"""The build hook fails loudly rather than show a page with a hole or a stale part."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

mkdocs = pytest.importorskip("mkdocs", reason="mkdocs is not installed: pip install -e '.[docs]'")

import manual  # noqa: E402  (after the skip: it imports mkdocs)
from mkdocs.exceptions import PluginError  # noqa: E402

PAGE = SimpleNamespace(file=SimpleNamespace(src_uri="outputs.md"))


def test_a_marked_part_is_replaced_by_its_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manual, "_fragments", {"demo-run": "```console\n$ acsasim run\n```"})
    text = "Run it:\n\n<!-- generated: demo-run -->\n\nDone."
    assert manual.on_page_markdown(text, PAGE, None, None) == (
        "Run it:\n\n```console\n$ acsasim run\n```\n\nDone."
    )


def test_an_unknown_part_stops_the_build_naming_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manual, "_fragments", {})
    with pytest.raises(PluginError, match=r"outputs\.md: no generated part named 'demo-rn'"):
        manual.on_page_markdown("<!-- generated: demo-rn -->", PAGE, None, None)


@pytest.mark.parametrize("value", ["1", "ten", "-3"])
def test_a_bad_replication_count_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ACSASIM_DOCS_N", value)
    with pytest.raises(PluginError, match="ACSASIM_DOCS_N"):
        manual.replications()
