"""The manual builds with `mkdocs build --strict` (broken links, missing snippets, unknown
generated parts and mkdocstrings warnings all fail it) and shows what it promises."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from acsasim.scenario.schema import json_schema

REPO = Path(__file__).resolve().parents[2]

MAX_IMAGE = 300_000  # bytes: pictures stay small, nothing large is committed or served


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def words(site: Path, name: str) -> str:
    """A page's text as a reader sees it: tags (and code highlighting) gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", page(site, name)))


def test_every_page_of_the_nav_is_built(site: Path) -> None:
    config = yaml.safe_load(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", "")
    )
    pages = re.findall(r"[\w/-]+\.md", yaml.safe_dump(config["nav"]))
    assert len(pages) >= 14
    for md in pages:
        assert (site / md.replace(".md", ".html")).is_file(), md


def test_no_generated_part_is_left_unfilled(site: Path) -> None:
    for built in site.rglob("*.html"):
        assert "generated:" not in built.read_text(encoding="utf-8"), built.name


def test_the_rules_page_has_an_anchor_per_rule(site: Path) -> None:
    rules = page(site, "rules.html")
    for n in range(1, 16):
        assert f'id="r{n}"' in rules, f"R{n}"
    assert 'class="mermaid"' in rules  # the life of an order, drawn by Mermaid
    assert 'id="not-modelled"' in rules


def test_the_format_reference_lists_every_key_of_the_schema(site: Path) -> None:
    reference = page(site, "scenario-format.html")
    schema = json_schema()
    keys = set(schema["properties"])
    for model in schema["$defs"].values():
        keys |= set(model.get("properties", {}))
    missing = [k for k in sorted(keys) if f"<code>{k}</code>" not in reference]
    assert missing == []
    # its descriptions are the models' (one source), e.g. a stock level's:
    stock = schema["$defs"]["Stock"]["properties"]["reorder"]["description"]
    assert stock.split(";")[0].replace("`", "") in words(site, "scenario-format.html")


def test_getting_started_shows_a_real_run_and_every_chart(site: Path) -> None:
    text = page(site, "getting-started.html")
    shown = words(site, "getting-started.html")
    assert "$ acsasim run scenarios/jp-ph-joint-drill.yaml" in shown
    assert re.search(r"reports/jp-ph-joint-drill/\d{8}-\d{6}-s20260115", shown)
    for chart in ("timeline", "stock", "provided", "balance", "outstanding", "shortfalls",
                  "ceilings", "refusals"):  # fmt: skip
        assert f'src="img/chart-{chart}.png"' in text, chart


def test_the_tutorial_shows_each_step_run(site: Path) -> None:
    text = words(site, "tutorial.html")
    for command in ("validate", "run", "compare", "replicate", "statement"):
        assert f"$ acsasim {command} " in text, command
    assert "did you mean 'jp-sealift'?" in text
    assert "Statement of account JP - PH" in text
    assert "return_in_kind" in text  # the statement has a settlement to read


def test_outputs_show_the_queries_with_their_answers(site: Path) -> None:
    text = words(site, "outputs.html")
    assert text.count("SELECT ") >= 6
    assert re.search(r"unbalanced\s+0\b", text)  # the balance query's answer: none


def test_the_analyses_pages_show_their_answers_and_figures(site: Path) -> None:
    for name, figure in (
        ("diesel-prepositioning", "diesel-prepositioning"),
        ("overdue-balances", "overdue-balances"),
        ("agreement-value", "agreement-value"),
    ):
        text = page(site, f"analyses/{name}.html")
        assert f'src="img/{figure}.png"' in text, name
        assert (site / "analyses" / "img" / f"{figure}.png").is_file()
    assert "keeps the mean unmet share under 1%" in words(
        site, "analyses/diesel-prepositioning.html"
    )


def test_the_api_reference_is_rendered_from_the_docstrings(site: Path) -> None:
    text = page(site, "reference/api.html")
    for name in (
        "scenario.load.load_scenario", "sim.simulate", "result.RunResult",
        "experiments.api.replicate", "experiments.api.compare", "output.tables.frames",
    ):  # fmt: skip
        assert f'id="acsasim.{name}"' in text, name
    assert "Load and check a scenario file" in text


def test_pictures_are_small(site: Path) -> None:
    images = list(site.rglob("*.png"))
    assert len(images) >= 11
    for image in images:
        assert image.stat().st_size < MAX_IMAGE, image.name


def kpi(text: str, label: str, after: int = 0) -> float:
    """The value of a KPI line of `acsasim run` in a page's text (the `after`-th match)."""
    found = re.findall(rf"^{re.escape(label)}\s+(-?[\d,.]+)", text, flags=re.MULTILINE)
    return float(found[after].replace(",", ""))


def test_what_the_tutorial_says_of_its_outputs_holds(site: Path) -> None:
    """The prose around generated outputs must stay true when the engine changes."""
    text = words(site, "tutorial.html")
    assert "value provided JP->PH" not in text  # "the orders went PH->JP"
    assert kpi(text, "outstanding JP-PH (net)") < 0  # "Japan owes the Philippines"
    # "a company that starts with more diesel borrows less of it"
    assert kpi(text, "value provided PH->JP", 1) < kpi(text, "value provided PH->JP", 0)
    # "Here nothing is overdue yet"
    assert re.search(r"PH owes JP\s+0\.00(\s+0\.00){5}", text)


def test_what_the_analyses_say_of_their_results_holds(site: Path) -> None:
    diesel = words(site, "analyses/diesel-prepositioning.html")
    levels = [int(x.replace(",", "")) for x in re.findall(r"([\d,]+) L on hand keeps", diesel)]
    assert len(levels) == 2 and levels[0] <= levels[1]  # the agreement needs no more diesel
    overdue = words(site, "analyses/overdue-balances.html")
    firsts = re.findall(r"the earliest on the statement of (\d{4}-\d\d-\d\d)", overdue)
    assert firsts and firsts[0] >= "2027-01-15"  # "nothing is overdue for the first year"
    value = words(site, "analyses/agreement-value.html")
    jp5 = r"unmet jp5\s+([\d,]+) L\s+([\d,]+) L\s+0 L \(0 to 0\)"  # "JP-5 ... does not change"
    assert len(re.findall(jp5, value)) == 2
