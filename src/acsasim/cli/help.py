"""How `--help` reads: commands in the order of the workflow, an example under each command,
flags without a type, and text that the terminal wraps (never the source's line breaks)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any

from typer.core import TyperCommand, TyperGroup

# validate a file, run it, read the run (report, statement, export), then study many runs.
WORKFLOW = (
    "validate",
    "run",
    "report",
    "statement",
    "export",
    "replicate",
    "sweep",
    "compare",
    "schema",
)


def unwrap(text: str | None) -> str:
    """A docstring as paragraphs of one line each: the terminal wraps them at its own width."""
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text or ""))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


EXAMPLES = "Examples:"


def examples_epilog(examples: Sequence[str]) -> str:
    """The epilog that shows a command's examples, one paragraph each."""
    return "\n\n".join([EXAMPLES, *examples])


def examples_in(epilog: str | None) -> list[str]:
    """The examples an epilog of `examples_epilog` shows (none for another epilog)."""
    heading, *examples = (epilog or "").split("\n\n")
    return examples if heading == EXAMPLES else []


class _QuietFlags:
    """A flag takes no value, so its help shows no type (`<bool>`); the help option is one."""

    def get_help_option(self, ctx: Any) -> Any:
        # a mixin: super() is the click class it is mixed into, which mypy cannot see
        option = super().get_help_option(ctx)  # type: ignore[misc]  # (see above)
        if option is not None:
            option.metavar = ""
        return option

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]  # a mixin, as above
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params


class Command(_QuietFlags, TyperCommand):
    pass


class WorkflowGroup(_QuietFlags, TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        """WORKFLOW first, in its order; commands it does not name after, as registered."""
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: WORKFLOW.index(n) if n in WORKFLOW else len(WORKFLOW))


def command_options(function: Callable[..., Any], examples: Sequence[str]) -> dict[str, Any]:
    """The keyword arguments of `app.command` for a command with these examples."""
    return {"cls": Command, "help": unwrap(function.__doc__), "epilog": examples_epilog(examples)}
