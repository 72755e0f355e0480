"""The what-if workbench in the browser (`acsasim serve`): pages and a small JSON API over
the same library as the command line.

- `app`: the ASGI application (Starlette), its routes, its error pages;
- `guard`: local and safe: the Host header (DNS rebinding), the Origin of a change, paths
  kept inside the scenarios and reports folders, security headers;
- `jobs`, `worker`: runs in worker processes, several at once, cancellable;
- `form`, `views`, `folders`: what the pages show (a form from the scenario schema, KPIs,
  tables, comparisons, the reports folder), `api`, `pages`: the routes;
- `templates/`, `static/`: server-rendered pages and their local assets (no CDN).

Starlette, uvicorn and Jinja2 come with the `serve` extra: `pip install "acsasim[serve]"`.
Nothing here is imported by the rest of acsasim but `acsasim serve`.
"""
