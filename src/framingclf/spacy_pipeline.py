"""spaCy preprocessing: raw passages to normalised tokens for the vectorizers.

The default pipeline is `spacy.blank("en")` with framingclf's components, all offline
and fast:

- ``framingclf_lookup_lemmatizer_v1``: spaCy's lookup lemmatizer (the same
  spacy-lookups-data table and rule, identical lemmas, tested) applied through token
  arrays, about 3x faster on short passages;
- ``framingclf_numbers_v1`` turns figures into placeholders (``__num__``, ``__pct__``,
  ``__money__``, ``__year__``), so "12.5%" and "8%" count as the same cue;
- ``framingclf_terms_v1`` merges multi-word domain terms ("universal credit",
  "wider determinants", "Core20PLUS5") into single tokens with a PhraseMatcher;
- ``framingclf_negation_v1`` marks the words a negation governs ("not a lifestyle
  choice" gives ``not_lifestyle``). It is off by default: on the corpus' grouped
  cross-validation and on real text it scored slightly below plain tokens, which keep
  "not" as a word in the n-grams anyway (see benchmarks/results/compare_models.json).

Each component records token norms in ``doc.user_data["framingclf_norms"]`` (a dict
from token index to norm, cheaper than a per-token extension attribute);
`SpacyPreprocessor` joins the normalised tokens with spaces. A changed behaviour gets a
new component version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np
import spacy
from sklearn.base import BaseEstimator, TransformerMixin
from spacy.attrs import IDX, IS_CURRENCY, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, ORTH, SHAPE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from framingclf._resources import term_list
from framingclf.errors import FramingError
from framingclf.validation import check_texts

NORMS_KEY = "framingclf_norms"

_DROP = ""  # a norm of "" drops the token from the output
_CURRENCY = {"£", "$", "€"}
_MAGNITUDE = {"k", "m", "bn", "b", "million", "billion", "thousand", "mn"}
_NUMERIC = re.compile(r"^[+-]?\d[\d,./:-]*(?:st|nd|rd|th|k|m|bn|mn)?$")
_MONEY = re.compile(r"^[£$€]\d")
_YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)(?:/\d{2,4})?$")
_NEGATION_CUES = {"not", "no", "never", "without", "nor", "n't", "cannot", "neither"}
_CLAUSE_END = {".", ",", ";", ":", "!", "?", "but", "however", "although", "(", ")", "•"}
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00ad": None})


def token_norms(doc: Doc) -> dict[int, str]:
    """The norms framingclf's components set on `doc`: token index to norm ("" = drop)."""
    return doc.user_data.setdefault(NORMS_KEY, {})


@Language.factory("framingclf_numbers_v1")
def make_numbers(nlp: Language, name: str) -> NumberNormaliser:
    return NumberNormaliser()


class NumberNormaliser:
    """Replace figures by placeholders: money, percentages, years, other numbers.

    Candidate tokens (a digit-like shape or a currency symbol) are found from one array
    of token attributes, so only they and their neighbours are looked at in Python.
    """

    def __init__(self) -> None:
        self._seen_shapes: set[int] = set()
        self._digit_shapes: set[int] = set()

    def __call__(self, doc: Doc) -> Doc:
        candidates = self._candidates(doc)
        if not candidates:
            return doc
        norms = token_norms(doc)
        lowers = [""] * len(doc)
        for j in {j for i in candidates for j in range(i, min(i + 3, len(doc)))}:
            lowers[j] = doc[j].lower_
        lowers += ["", "", ""]
        for i in candidates:
            if i not in norms:
                norms.update(_placeholder(doc[i].text, i, lowers))
        return doc

    def _candidates(self, doc: Doc) -> list[int]:
        """Indices of tokens shaped like a number, or currency symbols."""
        strings = doc.vocab.strings
        rows = doc.to_array([SHAPE, IS_CURRENCY])
        shapes = rows[:, 0].tolist()
        for shape in set(shapes).difference(self._seen_shapes):
            text = strings[shape]
            if text[:1] == "d" or text[:2] in ("+d", "-d"):
                self._digit_shapes.add(shape)
            self._seen_shapes.add(shape)
        digit = self._digit_shapes
        candidates = [i for i, shape in enumerate(shapes) if shape in digit]
        if rows[:, 1].any():
            candidates = sorted({*candidates, *np.flatnonzero(rows[:, 1]).tolist()})
        return candidates


def _placeholder(text: str, i: int, lowers: list[str]) -> dict[int, str]:
    """The norms a figure at token `i` sets: its placeholder, and "" for the tokens it
    absorbs (the amount after a currency sign, a magnitude, "%" or "per cent")."""
    nxt = lowers[i + 1]
    if text in _CURRENCY:
        if not nxt[:1].isdigit():
            return {}
        absorbed = {i + 2: _DROP} if lowers[i + 2] in _MAGNITUDE else {}
        return {i: "__money__", i + 1: _DROP, **absorbed}
    if _MONEY.match(text):
        return {i: "__money__"}
    if _YEAR.match(text):
        return {i: "__year__"}
    if not _NUMERIC.match(text):
        return {}
    if nxt in ("%", "percent"):
        return {i: "__pct__", i + 1: _DROP}
    if nxt == "per" and lowers[i + 2] == "cent":
        return {i: "__pct__", i + 1: _DROP, i + 2: _DROP}
    return {i: "__num__"}


def default_terms() -> tuple[str, ...]:
    """The packaged list of multi-word domain terms (``framingclf/data/terms.txt``)."""
    return term_list("terms")


@Language.factory("framingclf_terms_v1", default_config={"terms": None})
def make_terms(nlp: Language, name: str, terms: list[str] | None) -> TermMerger:
    return TermMerger(nlp, default_terms() if terms is None else tuple(terms))


class TermMerger:
    """Merge multi-word domain terms into one token whose norm joins the words by '_'."""

    def __init__(self, nlp: Language, terms: Iterable[str]):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        patterns = [nlp.make_doc(term.lower()) for term in terms]
        self.matcher.add("FRAMINGCLF_TERM", [p for p in patterns if len(p) > 1])

    def __call__(self, doc: Doc) -> Doc:
        spans = filter_spans(self.matcher(doc, as_spans=True))
        if not spans:
            return doc
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
        norms = token_norms(doc)
        shift = 0  # each merge removes len(span) - 1 tokens before the later spans
        for span in spans:
            start = span.start - shift
            shift += len(span) - 1
            words = re.split(r"[\s-]+", doc[start].lower_)
            norms[start] = "_".join(w for w in words if w)
        return doc


@Language.factory("framingclf_negation_v1", default_config={"scope": 4})
def make_negation(nlp: Language, name: str, scope: int) -> NegationMarker:
    return NegationMarker(scope)


class NegationMarker:
    """Prefix ``not_`` to up to `scope` words after a negation cue, within the clause."""

    def __init__(self, scope: int = 4):
        self.scope = scope

    def __call__(self, doc: Doc) -> Doc:
        lowers = [token.lower_ for token in doc]
        cues = [i for i, lower in enumerate(lowers) if lower in _NEGATION_CUES]
        if not cues:
            return doc
        norms = token_norms(doc)
        for cue in cues:
            remaining, j = self.scope, cue + 1
            while remaining and j < len(lowers):
                lower = lowers[j]
                if lower in _NEGATION_CUES or lower in _CLAUSE_END or doc[j].is_punct:
                    break
                base = norms.get(j)
                if base != _DROP and not (base or "").startswith("not_"):
                    norms[j] = "not_" + (base or doc[j].lemma_ or lower)
                    remaining -= 1
                j += 1
        return doc


@Language.factory("framingclf_lookup_lemmatizer_v1")
def make_lookup_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp)


class LookupLemmatizer:
    """spaCy's lookup lemmatizer (lemma = the spacy-lookups-data table's entry for the
    token text, else the text), applied to a whole Doc through token arrays: the same
    lemmas without building a Token object per word, which is most of what spaCy's own
    component costs on short passages."""

    def __init__(self, nlp: Language):
        from spacy.lookups import load_lookups

        try:
            self.table = load_lookups(nlp.lang or "en", ["lemma_lookup"]).get_table("lemma_lookup")
        except (OSError, ValueError, KeyError) as exc:
            raise FramingError(
                "spaCy's lookup lemmatizer tables are missing; install spacy-lookups-data "
                f"(pip install spacy-lookups-data): {exc}"
            ) from exc
        self._lemma_of: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        orths = doc.to_array([ORTH])
        cache, strings, table = self._lemma_of, doc.vocab.strings, self.table
        lemmas = []
        for orth in orths.tolist():
            lemma = cache.get(orth)
            if lemma is None:
                found = table.get(orth)
                lemma = cache[orth] = strings.add(found) if found is not None else orth
            lemmas.append(lemma)
        doc.from_array([LEMMA], np.asarray(lemmas, dtype=np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc


def build_nlp(
    pipeline: str = "blank",
    *,
    numbers: bool = True,
    terms: bool = True,
    negation: bool = False,
    sentences: bool = False,
) -> Language:
    """Build the preprocessing pipeline.

    `pipeline` is ``"blank"`` (the default: tokenizer and lookup lemmatizer, nothing
    downloaded) or the name of an installed spaCy pipeline such as ``en_core_web_sm``,
    whose parser and NER are left out.
    """
    if pipeline == "blank":
        nlp = spacy.blank("en")
        nlp.add_pipe("framingclf_lookup_lemmatizer_v1")
    else:
        try:
            nlp = spacy.load(pipeline, exclude=["parser", "ner"])
        except OSError as exc:
            raise FramingError(
                f"spaCy pipeline {pipeline!r} is not installed; use pipeline='blank' or "
                f"install it first (python -m spacy download {pipeline})"
            ) from exc
    if sentences:
        nlp.add_pipe("sentencizer", first=True)
    if terms:
        nlp.add_pipe("framingclf_terms_v1")
    if numbers:
        nlp.add_pipe("framingclf_numbers_v1")
    if negation:
        nlp.add_pipe("framingclf_negation_v1")
    return nlp


def clean_text(text: str) -> str:
    """Unicode-normalise a passage: NFKC, straight quotes and dashes, no soft hyphens."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def doc_to_spans(doc: Doc) -> list[tuple[str, int, int]]:
    """(norm, start, end) of each kept token of a processed Doc, offsets into its text:
    placeholders, merged terms and lemmas; punctuation and space are dropped.

    Reads token attributes as one array rather than through Token objects, which
    costs less than the tokens themselves."""
    norms = doc.user_data.get(NORMS_KEY) or {}
    strings = doc.vocab.strings
    clitic = strings["'s"] if "'s" in strings else -1
    out = []
    rows = doc.to_array([LEMMA, IS_PUNCT, IS_SPACE, IDX, LENGTH, LOWER]).tolist()
    for i, (lemma, punct, space, start, length, lower) in enumerate(rows):
        norm = norms.get(i) if norms else None
        if norm is None:
            if punct or space or lower == clitic:
                continue
            norm = strings[lemma].lower() if lemma else strings[lower]
        if norm:
            out.append((norm, start, start + length))
    return out


def doc_to_tokens(doc: Doc) -> list[str]:
    """The normalised tokens of a processed Doc, in order: `doc_to_spans` without the
    offsets, on the fast path the model's transform takes."""
    norms = doc.user_data.get(NORMS_KEY) or {}
    strings = doc.vocab.strings
    clitic = strings["'s"] if "'s" in strings else -1
    rows = doc.to_array([LEMMA, IS_PUNCT, IS_SPACE, LOWER])
    keep = (rows[:, 1] == 0) & (rows[:, 2] == 0) & (rows[:, 3] != clitic)
    for i, norm in norms.items():
        keep[i] = bool(norm)
    hashes = np.where(rows[:, 0] == 0, rows[:, 3], rows[:, 0]).tolist()
    cache = _LEMMA_CACHE
    out = []
    for i in np.flatnonzero(keep).tolist():
        norm = norms.get(i) if norms else None
        if norm is None:
            lemma = hashes[i]
            norm = cache.get(lemma)
            if norm is None:
                norm = strings[lemma].lower()
                if len(cache) < 200_000:
                    cache[lemma] = norm
        if norm:
            out.append(norm)
    return out


_LEMMA_CACHE: dict[int, str] = {}


class SpacyPreprocessor(TransformerMixin, BaseEstimator):
    """A scikit-learn transformer running spaCy over passages.

    Returns one list of normalised tokens per passage, for the vectorizers in
    `framingclf.features`. Stateless: `fit` learns nothing, and the
    spaCy pipeline is built on first use and never pickled with the model.
    """

    def __init__(
        self,
        pipeline: str = "blank",
        numbers: bool = True,
        terms: bool = True,
        negation: bool = False,
        batch_size: int = 512,
    ):
        self.pipeline = pipeline
        self.numbers = numbers
        self.terms = terms
        self.negation = negation
        self.batch_size = batch_size

    def fit(self, X: Iterable[str], y: object = None) -> SpacyPreprocessor:
        check_texts(X)
        return self

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, built from this transformer's parameters on first use."""
        key = (self.pipeline, self.numbers, self.terms, self.negation)
        if getattr(self, "_nlp_key", None) != key:
            self._nlp = build_nlp(
                self.pipeline, numbers=self.numbers, terms=self.terms, negation=self.negation
            )
            self._nlp_key = key
        return self._nlp

    def iter_tokens(self, X: Iterable[str]) -> Iterator[list[str]]:
        """Yield the normalised token list of each passage."""
        texts = [clean_text(t) for t in check_texts(X)]
        if self.pipeline == "blank":  # lookup lemmas are case-sensitive
            texts = [t.lower() for t in texts]
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            yield doc_to_tokens(doc)

    def transform(self, X: Iterable[str]) -> list[list[str]]:
        """The normalised token list of each passage (framingclf's vectorizers take
        token lists as they are, and strings split at spaces)."""
        return list(self.iter_tokens(X))

    def analyse(self, text: str) -> tuple[str, list[tuple[str, int, int]]]:
        """The cleaned text and its normalised tokens with character offsets into it,
        for showing which words a model's features came from."""
        (cleaned,) = check_texts([text])
        cleaned = clean_text(cleaned)
        lowered = cleaned.lower() if self.pipeline == "blank" else cleaned
        if len(lowered) != len(cleaned):  # rare case-mappings that change length
            cleaned = lowered
        return cleaned, doc_to_spans(self.nlp(lowered))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_nlp", None)
        state.pop("_nlp_key", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags
