"""Find the app's own words that are shown to people but not marked for translation (issue 17).

Templates: every piece of text between tags, and the attributes a person reads or hears (title, placeholder,
aria-label, alt, a button's value, a confirmation), must come from ``_()``, ``ngettext()`` or a
``{% trans %}`` block. Jinja expressions and tags count as marked: what they print is checked where it is
made.

Python: the places whose words reach a person (flash messages, form labels, choices and validator messages,
the service errors that pages and the API show) must pass a marked string, not a bare literal.

Run ``python -m tests.i18n_marks [paths…]`` to list what is left in some files; the unit test
``tests/unit/test_marked_strings.py`` runs it on everything.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment
from jinja2.lexer import TOKEN_BLOCK_BEGIN, TOKEN_BLOCK_END, TOKEN_DATA, TOKEN_NAME

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"]
MARK = "\x00"  # stands for a Jinja expression or tag in the text the HTML parser reads

# Attributes whose words a person reads or hears.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "data-confirm", "label"}
# Words that are the same in every language: names, codes and formats.
SAME_IN_EVERY_LANGUAGE = {
    "iso",
    "9001",
    "13485",
    "pdf",
    "csv",
    "xlsx",
    "zip",
    "api",
    "json",
    "openapi",
    "sha-256",
    "ics",
    "iaf",
    "mla",
    "id",
    "url",
    "readiness",
    "x",
    "ok",
    "email",
    "e-mail",
    "html",
}
# Text with no letters (numbers, punctuation, arrows, entities) needs no translation.
NO_WORDS = re.compile(r"^[\W\d_]*$", re.UNICODE)
QUOTES = ".!?'\"\u201c\u201d\u2018\u2019"
ENTITY = re.compile(r"&[#\w]+;")


@dataclass(frozen=True)
class Unmarked:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def needs_translation(text: str) -> bool:
    text = ENTITY.sub(" ", text.replace(MARK, " "))
    if NO_WORDS.match(text):
        return False
    words = [w for w in re.split(r"[\s/·,;:()\[\]|+]+", text.lower()) if w and not NO_WORDS.match(w)]
    return any(word.strip(QUOTES) not in SAME_IN_EVERY_LANGUAGE for word in words)


def _template_text(source: str, env: Environment) -> str:
    """The template with every Jinja expression, tag and {% trans %} block replaced by MARK (lines kept)."""
    out: list[str] = []
    in_trans = 0
    block: list[str] = []
    inside_block = False
    for _lineno, token, value in env.lex(source):
        if token == TOKEN_BLOCK_BEGIN:
            inside_block = True
            block = []
        elif inside_block and token == TOKEN_NAME:
            block.append(value)
        elif token == TOKEN_BLOCK_END:
            inside_block = False
            if block[:1] in (["trans"], ["pluralize"]):
                in_trans += 1 if block[0] == "trans" else 0
            elif block[:1] == ["endtrans"]:
                in_trans = max(0, in_trans - 1)
        if token == TOKEN_DATA and not in_trans:
            out.append(value)
        else:
            out.append(MARK + "\n" * value.count("\n"))
    return "".join(out)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            shown = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in ("submit", "button")
            )
            if shown and needs_translation(value):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(MARK, "…")}"'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and needs_translation(data):
            line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
            self.found.append((line, " ".join(data.replace(MARK, "…").split())))


def unmarked_in_template(path: Path, env: Environment | None = None) -> list[Unmarked]:
    env = env or Environment(extensions=EXTENSIONS)  # noqa: S701 (lexed, never rendered)
    finder = _TextFinder()
    finder.feed(_template_text(path.read_text(encoding="utf-8"), env))
    finder.close()
    return [Unmarked(_shown(path), line, text) for line, text in finder.found]


# --- Python -------------------------------------------------------------------------------------------------

MARKERS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "N_"}
# Calls whose first argument (or ``message=``/``label=``/``description=``) a person reads.
SHOWN_CALLS = {
    "flash",
    "Invalid",
    "Refused",
    "Conflict",
    "NotFound",
    "StaleVersion",
    "ValidationError",
    "StopValidation",
}
FIELD_SUFFIX = "Field"
SHOWN_KEYWORDS = {"message", "label", "description", "render_kw"}


def is_form_field(name: str) -> bool:
    """A WTForms field class (pydantic's ``Field`` describes the API's schema, for developers)."""
    return name.endswith(FIELD_SUFFIX) and name != "Field"


def _is_bare_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return needs_translation(node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        literal = "".join(parts)
        return needs_translation(literal)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_bare_text(node.left)
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _python_findings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        shown_call = name in SHOWN_CALLS or is_form_field(name) or name in VALIDATORS
        if not shown_call:
            continue
        candidates: list[ast.AST] = []
        if node.args and (name in SHOWN_CALLS or is_form_field(name)):
            candidates.append(node.args[0])
        for keyword in node.keywords:
            if keyword.arg in ("message", "label", "description"):
                candidates.append(keyword.value)
            if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for choice in keyword.value.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                        candidates.append(choice.elts[1])
            if keyword.arg == "render_kw" and isinstance(keyword.value, ast.Dict):
                for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in READ_ATTRIBUTES and value is not None:
                        candidates.append(value)
        for candidate in candidates:
            if _is_bare_text(candidate):
                text = ast.unparse(candidate)
                yield getattr(candidate, "lineno", node.lineno), text if len(text) < 100 else text[:97] + "…"


VALIDATORS = {
    "DataRequired",
    "InputRequired",
    "Length",
    "NumberRange",
    "Email",
    "EqualTo",
    "Optional",
    "Regexp",
    "AnyOf",
    "NoneOf",
    "URL",
    "FileRequired",
    "FileAllowed",
    "FileSize",
}


def unmarked_in_python(path: Path) -> list[Unmarked]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [Unmarked(_shown(path), line, text) for line, text in _python_findings(tree)]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def unmarked(paths: list[Path]) -> list[Unmarked]:
    found: list[Unmarked] = []
    env = Environment(extensions=EXTENSIONS)  # noqa: S701 (lexed, never rendered)
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".html", ".txt") and "templates" in file.parts:
                found += unmarked_in_template(file, env)
            elif file.suffix == ".py":
                found += unmarked_in_python(file)
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or [ROOT / "templates", ROOT / "app"]
    found = unmarked(paths)
    for item in found:
        print(item)
    print(f"{len(found)} unmarked", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
