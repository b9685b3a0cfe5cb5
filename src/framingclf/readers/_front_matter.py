"""Front matter: the metadata some files carry before their text.

Static-site and notebook tools (Jekyll, Hugo, Quarto, R Markdown, Obsidian) and many
text pipelines open a Markdown or HTML file with a YAML block between ``---`` lines (or
TOML between ``+++`` lines), and a page saved with ``curl -i`` or ``wget
--save-headers`` opens with its HTTP response headers. None of it is the author's text:
read as Markdown, the YAML block is a rule and a heading, and its title would become the
document's. `split_front_matter` takes it off and keeps its title.
"""

from __future__ import annotations

import re

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_KEY = re.compile(r"^[A-Za-z_][\w .-]{0,40}\s*[:=]")
_TITLE = re.compile(r"^title\s*[:=]\s*(.+?)\s*$", re.I)
_HTTP_STATUS = re.compile(r"^HTTP/\d(?:\.\d)? \d{3}\b", re.I)
_MAX_LINES = 300


def split_front_matter(text: str, *, http: bool = False) -> tuple[str | None, str]:
    """(title or None, text without front matter): a YAML or TOML block opening the text
    (each line a key, an indented value, a list item, a comment or blank; at least one
    key), and with `http` an HTTP status line and headers up to the first blank line.
    The text is returned as it was when it opens with neither."""
    body = text.lstrip("\ufeff \t\r\n")
    if http and _HTTP_STATUS.match(body):
        parts = re.split(r"\r?\n[ \t]*\r?\n", body, maxsplit=1)
        return None, parts[1] if len(parts) == 2 else ""
    lines = body.split("\n", _MAX_LINES + 1)
    fence = lines[0].strip()
    if fence not in _FENCES:
        return None, text
    title, keys = None, 0
    for k, line in enumerate(lines[1:_MAX_LINES + 1], start=1):
        stripped = line.rstrip("\r")
        if stripped.strip() in _FENCES[fence]:
            if not keys:
                return None, text
            rest = "\n".join(lines[k + 1:])
            return title, rest
        if _KEY.match(stripped):
            keys += 1
            found = _TITLE.match(stripped)
            value = found.group(1).strip("\"'") if found else ""
            if value and title is None and value not in (">", "|", ">-", "|-"):
                title = value
        elif stripped.strip() and not stripped[:1].isspace() \
                and not stripped.lstrip().startswith(("- ", "#")):
            return None, text  # a line of prose: a rule over text, not front matter
    return None, text
