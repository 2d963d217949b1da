"""Pointers to the code, for the tests that keep them from going stale.

The README's lesson map, /how-it-works and each grader check send students to a file and a name
in it, and so do the comments and docstrings of the source (`comment_problems`);
backend/tests/test_teaching_references.py and grader/tests/test_references.py check they exist,
with this one rule of what counts as defining a name (`defines`).
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import io
import keyword
import re
import tokenize
from collections.abc import Iterable
from pathlib import Path


def defines(text: str, name: str) -> bool:
    """Whether `text` defines `name`: def, class, function, const or let; an assignment or an
    object key; or a quoted key at the start of a line, as in app/config.py's SETTINGS table.

    For a dotted name such as `User.verify_password`, the method's own name is looked for.
    """
    last = re.escape(name.split(".")[-1])
    definition = (
        rf"\b(def|class|function|const|let)\s+{last}\b"
        rf"|^\s*{last}\s*[:=]"
        rf"|^\s*[\"']{last}[\"']\s*:"
    )
    return re.search(definition, text, re.MULTILINE) is not None


# --- Pointers in comments and docstrings ----------------------------------------------------

# The repo's own source and tests, whose comments and docstrings are read.
SOURCE_DIRS = (
    "backend/app",
    "backend/tests",
    "grader",
    "frontend/src",
    "e2e",
    "bench",
    "tools",
    "deploy",
)
SOURCE_SUFFIXES = {".py", ".js", ".jsx", ".cjs", ".mjs", ".sh"}
# A backticked name with one of these endings is a file; other endings (a CSV a teacher writes,
# a picture) are examples, not pointers.
FILE_SUFFIXES = ["py", "js", "jsx", "cjs", "mjs", "json", "md", "html", "css", "toml", "ini"]
FILE_SUFFIXES += ["txt", "sh", "yml", "yaml", "cfg", "conf", "lua", "sql"]
FILE = re.compile(rf"^[\w.-]*[\w-](?:/[\w.-]+)*\.(?:{'|'.join(FILE_SUFFIXES)})$")
# `module.name`, `package.module.name` or `module.Class.method`, with or without "()".
DOTTED = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?$")
# `name()`: a function, checked against the files its comment names.
CALL = re.compile(r"^([A-Za-z_]\w*)\(\)$")
BACKTICKED = re.compile(r"`([^`\n]+)`")
# What an import brings in: Python's `from x import a, b` (in parentheses or not), JavaScript's
# `import a, { b, c } from "x"`.
IMPORTS = re.compile(
    r"^from\s+[\w.]+\s+import\s+(\([^)]*\)|[^\n]+)|^import\s+([\w\s,{}]+?)\s+from\b",
    re.MULTILINE,
)
# Outside backticks: a path with a folder, and a dotted name (ending a sentence or not).
PLAIN_PATH = re.compile(
    rf"(?<![\w./-])([a-z_][\w-]*(?:/[\w.-]+)*/[\w.-]*[\w-]\.(?:{'|'.join(FILE_SUFFIXES)}))(?![\w/-]|\.\w)"
)
PLAIN_DOTTED = re.compile(r"(?<![\w./-])([a-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?)(?![\w/(-])")
# Called by name in comments without being defined here: Python's and JavaScript's own.
BUILTIN_CALLS = {*dir(builtins), *keyword.kwlist, "import", "require", "fetch", "setTimeout"}


def source_files(repo: Path) -> list[Path]:
    """The files of SOURCE_DIRS whose comments are read (not installs, builds or caches)."""
    skip = {"node_modules", "__pycache__", ".venv", "dist", "artifacts", "versions"}
    return sorted(
        path
        for folder in SOURCE_DIRS
        for path in (repo / folder).rglob("*")
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and not skip & set(path.parts)
    )


def comment_blocks(path: Path) -> list[tuple[int, str]]:
    """(first line, text) of each comment block and docstring of a source file.

    Consecutive line comments make one block: a sentence may name a file on one line and its
    function on the next.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python_comments(text)
    if path.suffix == ".sh":
        return join_lines(
            (number, line.strip()[1:])
            for number, line in enumerate(text.splitlines(), 1)
            if line.strip().startswith("#")
        )
    return js_comments(text)


def join_lines(lines: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """Line comments on consecutive lines as one block each."""
    blocks: list[tuple[int, str]] = []
    last = -1
    for number, line in lines:
        if blocks and number == last + 1:
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + "\n" + line)
        else:
            blocks.append((number, line))
        last = number
    return blocks


def python_comments(text: str) -> list[tuple[int, str]]:
    """The comments (by the tokenizer) and docstrings (by the parser) of Python source."""
    comments = [
        (token.start[0], token.string[1:])
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    ]
    docstrings = [
        (node.body[0].lineno, doc)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and (doc := ast.get_docstring(node, clean=False))
    ]
    return join_lines(comments) + docstrings


def js_comments(text: str) -> list[tuple[int, str]]:
    """The // and /* */ comments of JavaScript (JSX too), skipping strings and regexes."""
    lines: list[tuple[int, str]] = []
    blocks: list[tuple[int, str]] = []
    i, n, previous = 0, len(text), ""
    while i < n:
        char = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            lines.append((text.count("\n", 0, i) + 1, text[i + 2 : end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end
            blocks.append((text.count("\n", 0, i) + 1, text[i + 2 : end]))
            i = end + 2
        elif char in "'\"`" or (char == "/" and previous in "(,=:[!&|?{};+-*%<>~^"):
            # A string, a template or a regex literal: skip to its unescaped end.
            i += 1
            in_class = False
            while i < n and (text[i] != char or in_class):
                if text[i] == "\\":
                    i += 1
                elif char == "/" and text[i] in "[]":
                    in_class = text[i] == "["
                elif char in "/'\"" and text[i] == "\n":
                    break  # a quote in JSX text, or a division: not a string or a regex
                i += 1
            i += 1
            previous = char
        else:
            if not char.isspace():
                previous = char
            i += 1
    return join_lines(lines) + blocks


def resolve(repo: Path, source: Path, name: str) -> Path | None:
    """The file `name` points to from `source`: looked for beside it and in the folders above
    it, then under backend/app, backend, frontend/src, frontend and the repo root; a path such
    as `flask_jwt_extended/tokens.py` in the installed package of that name."""
    roots = [*source.parents[: len(source.relative_to(repo).parts) - 1]]
    roots += [repo / "backend" / "app", repo / "backend", repo / "frontend" / "src"]
    roots += [repo / "frontend", repo]
    package, _, rest = name.partition("/")
    if rest and package.isidentifier():
        spec = importlib.util.find_spec(package)  # finds it without importing it
        roots += [
            Path(folder).parent for folder in (spec and spec.submodule_search_locations) or []
        ]
    for root in roots:
        if (root / name).is_file():
            return root / name
    return None


def generated(repo: Path, name: str) -> bool:
    """Whether `name` is made by a build, a test or a user (a name .gitignore lists)."""
    ignored = {
        line.strip().strip("/").rsplit("/", 1)[-1]
        for line in (repo / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    return any(part in ignored for part in Path(name).parts)


def comment_problems(repo: Path, source: Path) -> list[str]:
    """What the comments and docstrings of `source` name that does not exist.

    - a file name such as `app/models.py` (any of FILE_SUFFIXES): it exists (see `resolve`).
    - `module.name` or `package.module.name()`: when a leading part is one of our Python
      modules, the rest is defined in it. Anything else (a library's `flask.g`, an attribute
      such as `db.session`, `self.page`) is not ours to check and is skipped.
    - a call such as `create_token()`: see `known_call`.

    Outside backticks, paths with a folder (routes/auth.py) and dotted names are checked the same
    way; a bare file name in prose ("each app's app.json") is too often generic to check.
    """
    problems = []
    where = source.relative_to(repo)
    code = source.read_text(encoding="utf-8")
    for line, text in comment_blocks(source):
        prose = BACKTICKED.sub("", text)
        names = [name.strip() for name in BACKTICKED.findall(text)]
        names += PLAIN_PATH.findall(prose)
        names += [name for name in PLAIN_DOTTED.findall(prose) if not FILE.match(name)]
        context = [source]
        for name in names:
            if FILE.match(name) and not generated(repo, name) and not used_as_string(code, name):
                found = resolve(repo, source, name)
                if found is None:
                    problems.append(f"{where}:{line}: `{name}` does not exist")
                else:
                    context.append(found)
        for name in names:
            if FILE.match(name):
                continue
            if dotted := DOTTED.match(name):
                problem = module_problem(repo, source, dotted.group(1))
                if problem:
                    problems.append(f"{where}:{line}: `{name}`: {problem}")
            elif (call := CALL.match(name)) and not known_call(call.group(1), code, context):
                files = ", ".join(str(path.relative_to(repo)) for path in context)
                problems.append(f"{where}:{line}: `{name}` is not defined in {files}")
    return problems


def used_as_string(code: str, name: str) -> bool:
    """Whether `code` has `name` as a string literal: a file it reads or writes at run time (a
    report it makes, a config it loads), which a comment names without pointing into the repo."""
    return any(f"{quote}{name}{quote}" in code for quote in "\"'")


def known_call(name: str, code: str, context: list[Path]) -> bool:
    """Whether `name()` in a comment of `context[0]` names something that exists.

    With other files named in the same comment block, it is defined in one of them or in the
    file itself, or the file imports it. Without, it is used in the file's code (a helper, a
    returned function), or is a builtin or a keyword (`import()`, `len()`).
    """
    if name in BUILTIN_CALLS:
        return True
    imported = name in {
        word
        for found in IMPORTS.findall(code)
        for part in found
        for word in re.findall(r"\w+", part)
    }
    if len(context) > 1:
        texts = [path.read_text(encoding="utf-8") for path in context]
        return any(defines(text, name) for text in texts) or imported
    outside_comments = code
    for _line, text in comment_blocks(context[0]):
        outside_comments = outside_comments.replace(text, "")
    return re.search(rf"\b{name}\b", outside_comments) is not None


def module_problem(repo: Path, source: Path, dotted: str) -> str | None:
    """Why `a.b.c` does not point into our code, or None (it does, or it is not ours)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = resolve(repo, source, "/".join(parts[:cut]) + ".py")
        if module is not None:
            rest = ".".join(parts[cut:])
            if defines(module.read_text(encoding="utf-8"), parts[cut]):
                return None
            return f"no {rest} in {module.relative_to(repo)}"
    return None
