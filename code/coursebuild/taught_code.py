"""Show library code on the lesson page that teaches it, taken from the source at build time.

A lesson that teaches a function living in the course library (an RNN step, attention with
masks, a training loop) writes, on a line of its own in a prose cell::

    {{ source: dlcourse.models.rnn.rnn_step }}

and the page shows that function's source, with its real line numbers and file, exactly as
the library has it now: the page cannot drift from the code the lesson imports. Classes,
methods (``module.Class.method``) and whole modules can be named. The source is found by
reading the file's syntax tree, so nothing is imported (and nothing executed) to show it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

DIRECTIVE = re.compile(r"^\{\{ source: (?P<target>[A-Za-z_][\w.]*) \}\}[ \t]*$", re.MULTILINE)


class TaughtCodeError(LookupError):
    """A ``{{ source: ... }}`` directive that names nothing in the library."""


@dataclass(frozen=True)
class SourceExcerpt:
    """Lines ``first``..``last`` (1-based, inclusive) of ``path`` holding ``target``."""

    target: str
    path: Path  # relative to the package root, e.g. dlcourse/models/rnn.py
    first: int
    last: int
    code: str

    def markdown(self) -> str:
        """A fenced block numbered like the file, titled with its path and lines."""
        title = f"{self.path.as_posix()} · {self.first}–{self.last}"
        return f'```python linenums="{self.first}" title="{title}"\n{self.code}\n```'


def _module_file(module: str, package_root: Path) -> Path | None:
    relative = Path(*module.split("."))
    for candidate in (relative.with_suffix(".py"), relative / "__init__.py"):
        if (package_root / candidate).is_file():
            return candidate
    return None


def _find(tree: ast.AST, names: list[str]) -> ast.AST | None:
    node: ast.AST = tree
    for name in names:
        children = getattr(node, "body", [])
        found = [
            child
            for child in children
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and child.name == name
        ]
        if not found:
            return None
        node = found[-1]
    return node


def excerpt(target: str, package_root: Path) -> SourceExcerpt:
    """The source of ``target`` (a dotted name under ``package_root``)."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        relative = _module_file(".".join(parts[:split]), package_root)
        if relative is None:
            continue
        text = (package_root / relative).read_text(encoding="utf-8")
        lines = text.splitlines()
        inner = parts[split:]
        if not inner:
            return SourceExcerpt(target, relative, 1, len(lines), text.rstrip())
        node = _find(ast.parse(text), inner)
        if node is None:
            break
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        last = node.end_lineno or node.lineno
        code = "\n".join(lines[first - 1 : last])
        return SourceExcerpt(target, relative, first, last, code)
    raise TaughtCodeError(f"{{{{ source: {target} }}}} names nothing in {package_root}")


def targets(markdown: str) -> list[str]:
    """The dotted names a prose cell asks to show."""
    return [m.group("target") for m in DIRECTIVE.finditer(markdown)]


def expand(markdown: str, package_root: Path) -> str:
    """Replace every directive of a prose cell by the code it names."""
    return DIRECTIVE.sub(lambda m: excerpt(m.group("target"), package_root).markdown(), markdown)
