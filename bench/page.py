"""Page weight: the gzip size of the JavaScript and CSS that /login loads before it can render."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bench.harness import REPO
from bench.measurement import Context, Measurement
from bench.report import mark

DIST = REPO / "frontend" / "dist"
BUDGET_JS_KB = 95.0  # gzip KB of JavaScript loaded by /login, at most
STATIC_IMPORT = re.compile(rb"""(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["'](\./[^"']+)["']""")


class AssetTags(HTMLParser):
    """Collect what index.html makes the browser fetch: scripts, module preloads, stylesheets."""

    def __init__(self) -> None:
        super().__init__()
        self.js: list[str] = []
        self.css: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a script, a module preload or a stylesheet."""
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.js.append(a["href"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.css.append(a["href"])


def page_weight(_ctx: Context) -> dict[str, Any]:
    """gzip (level 9) size of the JS and CSS that /login loads before it can render.

    /login is index.html: its scripts, module preloads and stylesheets, and every module those
    import statically (on-demand chunks, `import()`, are not loaded by /login and not counted).
    """
    index = DIST / "index.html"
    if not index.is_file():
        raise SystemExit("frontend/dist is not built: run `cd frontend && npm run build`")
    tags = AssetTags()
    tags.feed(index.read_text())
    files: dict[str, str] = {}
    queue = [(src, "js") for src in tags.js] + [(href, "css") for href in tags.css]
    while queue:
        url, kind = queue.pop()
        path = (DIST / url.lstrip("/")).resolve()
        if str(path) in files:
            continue
        files[str(path)] = kind
        if kind == "js":
            for match in STATIC_IMPORT.finditer(path.read_bytes()):
                target = (path.parent / match.group(1).decode()).relative_to(DIST.resolve())
                queue.append(("/" + str(target), "js"))
    sizes: dict[str, dict[str, Any]] = {"js": {}, "css": {}}
    for file, kind in sorted(files.items()):
        data = Path(file).read_bytes()
        name = str(Path(file).relative_to(DIST.resolve()))
        sizes[kind][name] = {"raw": len(data), "gzip": len(gzip.compress(data, compresslevel=9))}
    js_kb = sum(f["gzip"] for f in sizes["js"].values()) / 1000
    css_kb = sum(f["gzip"] for f in sizes["css"].values()) / 1000
    return {
        "files": sizes,
        "js_gzip_kb": round(js_kb, 1),
        "css_gzip_kb": round(css_kb, 1),
        "budget_js_kb": BUDGET_JS_KB,
        "met": js_kb <= BUDGET_JS_KB,
    }


def rows(pw: dict[str, Any] | None) -> list[str]:
    """The page weight's rows of the report."""
    if pw is None:
        return []
    return [
        f"| **/login JS gzip KB** | **{pw['js_gzip_kb']:.1f}** | <= {pw['budget_js_kb']:.0f}: "
        f"{mark(pw['met'])} |",
        f"| /login CSS gzip KB | {pw['css_gzip_kb']:.1f} | |",
    ]


MEASUREMENT = Measurement(
    key="page_weight", title="page weight ...", measure=page_weight, rows=rows
)
