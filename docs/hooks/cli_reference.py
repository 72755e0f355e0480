"""The command-line reference, rendered from the Typer application itself.

Each command in the order `acsasim --help` lists them: its usage line, its help text,
every argument and option with its value, default and help, and its examples. A test
checks that every command and option that `--help` shows appears here.
"""

from __future__ import annotations

import enum
import inspect
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.main

from acsasim.cli import app
from acsasim.cli.help import examples_in

PLACEHOLDERS = {int: "INTEGER", float: "NUMBER", str: "TEXT", Path: "PATH"}


def render() -> str:
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="acsasim")
    out = [
        "```console",
        "$ acsasim [--version] [--help] COMMAND [ARGS]...",
        "```",
        "",
        unwrap(group.help),
        "",
        "Every command takes `--help`. Global options: `--version` prints the version; "
        "`--help` lists the commands.",
        "",
    ]
    for name in group.list_commands(ctx):
        out += _command(name, group.get_command(ctx, name))
    return "\n".join(out) + "\n"


def _command(name: str, command: Any) -> list[str]:
    params = [p for p in command.params if not getattr(p, "hidden", False)]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    usage = " ".join(
        ["acsasim", name, *(["[OPTIONS]"] if options else []), *map(_argument_usage, arguments)]
    )
    out = [f"## `{name}` {{#{name}}}", "", "```console", f"$ {usage}", "```", ""]
    out += [unwrap(command.help), ""]
    if arguments:
        out += ["| Argument | Description |", "|---|---|"]
        out += [f"| `{_argument_usage(p)}` | {_help(p)} |" for p in arguments]
        out.append("")
    if options:
        out += ["| Option | Value | Default | Description |", "|---|---|---|---|"]
        out += [f"| {_names(p)} | {_value(p)} | {_default(p)} | {_help(p)} |" for p in options]
        out.append("")
    examples = examples_in(command.epilog)
    if examples:
        out += ["Examples:", "", "```console", *(f"$ {e}" for e in examples), "```", ""]
    elif command.epilog:
        out += [unwrap(command.epilog), ""]
    return out


def unwrap(text: str | None) -> str:
    """A docstring's paragraphs, each on one line (Markdown wraps them for the reader)."""
    paragraphs = inspect.cleandoc(text or "").split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _argument_usage(p: Any) -> str:
    name = p.metavar or p.name.upper()
    return name if p.required else f"[{name}]"


def _names(p: Any) -> str:
    return ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])


def _value(p: Any) -> str:
    if getattr(p, "is_flag", False):
        return "flag"
    text = p.metavar or _placeholder(p)
    return f"`{text}` (repeatable)" if p.multiple else f"`{text}`"


def _placeholder(p: Any) -> str:
    annotation = _annotation(p)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "|".join(str(m.value) for m in annotation)
    return PLACEHOLDERS.get(annotation, "VALUE")


def _annotation(p: Any) -> Any:
    """The parameter's Python type (list[str] -> str), from Typer's description of it."""
    descriptor = getattr(p, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return annotation


def _default(p: Any) -> str:
    if p.required:
        return "*required*"
    value = p.default
    if value is None or value is False or value == [] or getattr(p, "is_flag", False):
        return "—"
    return f"`{value.value if isinstance(value, enum.Enum) else value}`"


def _help(p: Any) -> str:
    return " ".join((p.help or "").split()).replace("|", "\\|")
