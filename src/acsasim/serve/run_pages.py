"""The pages of results: a run (KPIs with units, the report's charts, stock over time with
hover, statements with aging), its orders, refusals and statement lines as sortable,
filterable tables, its folder as a zip, two runs compared, a study, `verify`.

Run folders are read through the library as every reader reads them (output.run_data,
runs.statement_request): a partial or changed folder is refused by name.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from acsasim.experiments.single import RunRequest
from acsasim.output.books import load_books
from acsasim.output.run_data import load_run
from acsasim.output.statement_text import COLUMNS as STATEMENT_COLUMNS
from acsasim.runs.statement_request import agreement_pairs, ask
from acsasim.runs.verify import promises, verify
from acsasim.serve import folders, guard, studies
from acsasim.serve.app import Workbench
from acsasim.serve.stock_chart import stock_charts
from acsasim.serve.views import kpi_rows, table_view

TABLES = ("orders", "refusals")
CHART_KINDS = (".svg", ".png")
LINE_COLUMNS = ("time", "kind", "order_id", "commodity", "creditor", "debtor", "currency",
                "amount", "change", "balance", "balance_reporting")  # fmt: skip


def routes(bench: Workbench) -> list[BaseRoute]:
    def run(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        return run_page(bench, folder)

    def table(request: Request) -> Response:
        name, folder = request.path_params["name"], bench.run_folder(request.path_params["rel"])
        if name not in TABLES:
            raise guard.NotFound(f"no table {name!r}; the tables are {', '.join(TABLES)}")
        frame = load_run(folder).frames[name]
        rows = frame.itertuples(index=False, name=None)
        return _table(bench, request, folder, name, tuple(frame.columns), list(rows))

    def statement(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        pair = f"{request.path_params['a']},{request.path_params['b']}"
        asked = ask(folder, pair)
        index = [STATEMENT_COLUMNS.index(c) for c in LINE_COLUMNS]
        lines = [tuple(r[i] for i in index) for r in asked.rows if r[0] == "line"]
        return _table(bench, request, folder, f"statement {pair.replace(',', ' - ')}",
                      LINE_COLUMNS, lines, statement=_statement(asked))  # fmt: skip

    def compare(request: Request) -> Response:
        a, b = (request.query_params.get(k, "") for k in ("a", "b"))
        if not a or not b:
            raise guard.NotFound("compare needs two run folders: /compare?a=RUN&b=RUN")
        return compare_page(bench, bench.run_folder(a), bench.run_folder(b))

    def download(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        load_run(folder)  # only a whole, untouched run folder is handed out
        return Response(
            folders.zipped(folder),
            media_type="application/zip",
            headers={"content-disposition": f'attachment; filename="{folder.name}.zip"'},
        )

    def file(request: Request) -> Response:
        path = guard.inside(bench.reports, request.path_params["rel"])
        if not path.is_file():
            raise guard.NotFound(f"no file {request.path_params['rel']!r} in {bench.reports}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"content-security-policy": guard.REPORT_CSP} if kind == "text/html" else {}
        return Response(path.read_bytes(), media_type=kind, headers=headers)

    def without(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        data = load_run(folder)
        seed = int(data.manifest.get("seed", data.scenario.seed))
        asked = RunRequest(folder / "scenario.yaml", seed, no_acsa=True, reports=bench.reports)
        job = bench.manager.submit(asked, then={"compare": bench.relative(folder)})
        return RedirectResponse(f"/jobs/{job.id}", 303)

    def check(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        found = verify(folder)
        return bench.render("verify.html.j2", rel=bench.relative(folder), folder=str(folder),
                            problems=found, promises=promises(folder))  # fmt: skip

    def study(request: Request) -> Response:
        folder = bench.run_folder(request.path_params["rel"])
        shown = studies.study(folder)
        return bench.render("study.html.j2", rel=bench.relative(folder), folder=str(folder),
                            study=shown, charts=_charts(bench, folder, (".png",)))  # fmt: skip

    return [
        Route("/run/{rel:path}", run),
        Route("/table/{name}/{rel:path}", table),
        Route("/statement/{a}/{b}/{rel:path}", statement),
        Route("/compare", compare),
        Route("/download/{rel:path}", download),
        Route("/file/{rel:path}", file),
        Route("/without/{rel:path}", without, methods=["POST"]),
        Route("/verify/{rel:path}", check),
        Route("/study/{rel:path}", study),
    ]


def run_page(bench: Workbench, folder: Path) -> Response:
    data = load_run(folder)
    s = data.scenario
    units = {c: m.unit for c, m in s.commodities.items()}
    rel = bench.relative(folder)
    others = [e for e in folders.runs_of(bench.reports, s.name) if e.path != rel]
    books = load_books(folder)
    statements = [
        _statement(ask(folder, f"{a},{b}", books=books)) for a, b in agreement_pairs(books)
    ]
    return bench.render(
        "run.html.j2",
        rel=rel,
        folder=str(folder),
        scenario=s,
        manifest=data.manifest,
        kpis=kpi_rows([data.kpis], s.reporting_currency, units),
        charts=_charts(bench, folder),
        stock=stock_charts(data.frames["stock"], units),
        statements=statements,
        counts={t: len(data.frames[t]) for t in TABLES},
        others=others,
        without_agreement=s.policy.acsa == "never",
    )


def compare_page(bench: Workbench, a: Path, b: Path) -> Response:
    one, two = load_run(a), load_run(b)
    s = one.scenario
    units = {c: m.unit for c, m in s.commodities.items()}
    charts_a, charts_b = _charts(bench, a), _charts(bench, b)
    names = list(dict.fromkeys([*charts_a, *charts_b]))
    return bench.render(
        "compare.html.j2",
        runs=[_run_head(bench, a, one), _run_head(bench, b, two)],
        kpis=kpi_rows([one.kpis, two.kpis], s.reporting_currency, units),
        charts=[(n, charts_a.get(n), charts_b.get(n)) for n in names],
    )


def _run_head(bench: Workbench, folder: Path, data: Any) -> dict[str, Any]:
    m = data.manifest
    return {
        "rel": bench.relative(folder),
        "name": folder.name,
        "scenario": data.scenario.name,
        "seed": m.get("seed", data.scenario.seed),
        "policy": data.scenario.policy.acsa,
        "command": " ".join(m.get("command", [])),
    }


def _charts(bench: Workbench, folder: Path, kinds: tuple[str, ...] = CHART_KINDS) -> dict[str, str]:
    """The folder's chart files by name (an SVG preferred to its PNG), as URLs."""
    found: dict[str, str] = {}
    charts = folder / "charts"
    if not charts.is_dir():
        return found
    for kind in reversed(kinds):  # the preferred kind last: it replaces the other
        for path in sorted(charts.glob(f"*{kind}")):
            found[path.stem] = f"/file/{bench.relative(folder)}/charts/{path.name}"
    return dict(sorted(found.items()))


def _statement(asked: Any) -> dict[str, Any]:
    """A statement's closing balances, aging (a row per debtor, a column per bucket) and
    open items, as tables; its lines are the statement page's table."""
    st = asked.statement
    col = {c: i for i, c in enumerate(STATEMENT_COLUMNS)}
    buckets = [name for name, _ in st.aging[0].buckets] if st.aging else []
    aging = [
        (f"{g.debtor} owes {g.creditor}", *(f"{v:,.2f}" for _, v in g.buckets), f"{g.total:,.2f}")
        for g in st.aging
    ]
    open_items = [
        tuple(r[col[c]] for c in ("order_id", "debtor", "creditor", "currency", "amount",
                                  "due_at", "days_overdue", "bucket"))
        for r in asked.rows if r[0] == "open_item"
    ]  # fmt: skip
    return {
        "a": st.a,
        "b": st.b,
        "reporting": st.reporting,
        "closing": [(c, f"{v:,.2f}") for c, v in st.closing.items()],
        "closing_reporting": f"{st.closing_reporting:,.2f}",
        "aging_columns": ("who owes whom", *buckets, "total"),
        "aging": aging,
        "open_items": open_items,
        "lines": sum(1 for r in asked.rows if r[0] == "line"),
    }


def _table(
    bench: Workbench,
    request: Request,
    folder: Path,
    title: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    **extra: Any,
) -> Response:
    q = request.query_params
    page = int(q["page"]) if q.get("page", "").isdigit() else 1
    view = table_view(columns, rows, q.get("sort", ""), q.get("desc") == "1", q.get("q", ""), page)
    return bench.render("table.html.j2", rel=bench.relative(folder), folder=str(folder),
                        title=title, view=view, path=request.url.path,
                        statement=extra.get("statement"))  # fmt: skip
