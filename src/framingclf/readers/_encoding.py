"""Text encodings: a file's bytes as the text its author wrote.

In order, the first that applies:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) names the encoding;
2. UTF-16 without a mark shows as a zero in every other byte of ASCII text;
3. bytes that are valid UTF-8 are UTF-8, whatever a page declares (valid multi-byte
   UTF-8 is almost never an accident, and pages declaring "iso-8859-1" are often saved as
   UTF-8);
4. a declared charset (an HTML `<meta charset>` or an XML declaration) is used when the
   bytes decode with it;
5. otherwise charset-normalizer's guess: Windows-1252 (or ISO 8859-15 or -1) when it is
   among the encodings it finds plausible, as UK documents in a legacy encoding nearly
   always are, else its best.

Bytes that none of these can read raise `DocumentReadError` naming the file, the first
byte that is not UTF-8, and what to do. Lone surrogates never come out.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from framingclf.errors import DocumentReadError

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
_GUESS_BYTES = 1 << 18  # charset-normalizer looks at the first 256 KB
_WESTERN = ("cp1252", "iso8859-15", "iso8859-1")


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when every other byte of `sample` is mostly zero."""
    sample = sample[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes, path: Path, declared: str | None = None) -> str:
    """`data` as text, by the rules in this module's docstring."""
    encoding = bom_encoding(data) or utf16_without_bom(data)
    if encoding is not None:
        try:
            return _no_surrogates(data.decode(encoding))
        except UnicodeDecodeError:
            raise DocumentReadError(f"{path}: damaged {encoding.upper()} text; re-save the "
                                    "file as UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc
    known = _known(declared) if declared else None
    if known and known != "utf-8":
        try:
            return data.decode(known)
        except UnicodeDecodeError:
            pass
    guess = _guess(data)
    if guess is not None:
        return data.decode(guess, errors="replace")
    line = data.count(b"\n", 0, first_bad.start) + 1
    raise DocumentReadError(
        f"{path}: not UTF-8 text (byte 0x{data[first_bad.start]:02x} at offset "
        f"{first_bad.start}, line {line}), and its encoding cannot be told; re-save the file "
        "as UTF-8")


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, preferring Windows-1252 (the Western European
    code page most legacy UK documents are in) when it is among the plausible ones."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:_GUESS_BYTES])
    names = [_known(match.encoding) for match in matches]
    for western in _WESTERN:
        if western in names:
            return western
    best = matches.best()
    return _known(best.encoding) if best is not None else None


def _no_surrogates(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "", text) if not text.isascii() else text


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]+)""")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KB, if any."""
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return found.group(1).decode("ascii", "ignore") if found else None
