"""Checks on what users hand to framingclf, with messages that say how to fix it."""

from __future__ import annotations

from collections.abc import Iterable

from framingclf.errors import InvalidInputError


def check_texts(texts: Iterable[str], name: str = "texts") -> list[str]:
    """Return `texts` as a list of str, or raise `InvalidInputError` saying what is wrong.

    A bare string is refused (it would be read as a sequence of characters), as are
    items that are not strings (``None``, numbers, bytes).
    """
    if isinstance(texts, (str, bytes)):
        raise InvalidInputError(
            f"{name}: expected a list of passages, got a single {type(texts).__name__}; "
            "wrap it in a list: [text]"
        )
    if hasattr(texts, "ndim") and texts.ndim != 1:
        raise InvalidInputError(
            f"{name}: expected a one-dimensional sequence of passages, got an array of "
            f"shape {getattr(texts, 'shape', '?')}; pass a list or a single column"
        )
    try:
        items = list(texts)
    except TypeError:
        raise InvalidInputError(
            f"{name}: expected a list of passages, got {type(texts).__name__}"
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidInputError(
                f"{name}[{i}]: expected str, got {type(item).__name__} ({item!r:.40}); "
                "drop missing values or convert them with str() first"
            )
    return items
