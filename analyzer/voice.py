"""Who is speaking: quotations in a paragraph and the people they are attributed to.

A campaign's pages quote other people — endorsers, supporters, association presidents — and what
they say is not the candidate's undertaking: "“Elena is the candidate who will bring that same
discipline to City Hall,” said association president Janelle Okonkwo-Price." The statements
stage asks this module which sentences lie inside a quotation and whose it is; the classifier
then reads a sentence quoted from someone else as that person's words (see
:func:`analyzer.classify.feature_frame`, the ``speaker`` of a unit).

Attribution is read the way news copy writes it, without a parser:

- after the quotation: ``“…,” said NAME``, ``“…,” NAME said``, ``“…” — NAME, TITLE`` (a testimonial);
- before it: ``NAME said: “…”``, ``said NAME, “…”``;
- a quotation with no attribution of its own, in a paragraph where another has one, is the same
  speaker's (``“…,” said Okonkwo-Price. “…”``).

A quotation attributed to a pronoun ("she said") keeps the pronoun as its speaker: on a
candidate's own pages that is usually the candidate, and the caller decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quotation", "quotations", "quoted_speaker", "speaker_of", "is_someone_else"]

_SAYING = r"(?:said|says|added|adds|explained|explains|noted|notes|stated|states|wrote|writes|declared|told\s+\w+)"
# a speaker: a few words, no sentence punctuation and no quotation marks
_WHO = r"(?P<who>[^\s.,;:!?“”\"()][^.;:!?“”\"()\n]{0,80}?)"
# “…” and "…": a quotation is at most a few sentences long (a longer run is a broken mark)
_QUOTE_RE = re.compile(r"“[^“”]{2,1200}”|\"[^\"“”]{2,1200}\"")
_AFTER_SAID_RE = re.compile(rf"^\s*,?\s*{_SAYING}\s+{_WHO}\s*(?:[.,;]|$)")
_AFTER_NAME_RE = re.compile(rf"^\s*,?\s*{_WHO}\s+{_SAYING}\b")
# "— Councilor Betty Ahearn, District 7" to the end of the paragraph: a testimonial's signature
_AFTER_DASH_RE = re.compile(r"^\s*(?:—|–|--|-)\s*(?P<who>[^“”\"\n]{2,120}?)\s*$")
_BEFORE_NAME_RE = re.compile(rf"(?:^|[.!?]\s+|,\s+){_WHO}\s+{_SAYING}\s*[:,]?\s*$")
_BEFORE_SAID_RE = re.compile(rf"{_SAYING}\s+{_WHO}\s*[:,]\s*$")
_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}


@dataclass(frozen=True)
class Quotation:
    """A quotation in a paragraph: ``start``/``end`` include the marks; ``speaker`` is None when
    nothing attributes it."""

    start: int
    end: int
    speaker: str | None


def speaker_of(quote: re.Match, text: str) -> str | None:
    """The person one quotation is attributed to, from the words around it."""
    after = text[quote.end():quote.end() + 140]
    for pattern in (_AFTER_SAID_RE, _AFTER_NAME_RE):
        found = pattern.match(after)
        if found and _plausible(found.group("who")):
            return _tidy(found.group("who"))
    dash = _AFTER_DASH_RE.match(text[quote.end():])
    if dash and _plausible(dash.group("who")):
        return _tidy(dash.group("who"))
    before = text[max(0, quote.start() - 140):quote.start()]
    for pattern in (_BEFORE_NAME_RE, _BEFORE_SAID_RE):
        found = pattern.search(before)
        if found and _plausible(found.group("who")):
            return _tidy(found.group("who"))
    return None


def quotations(text: str) -> list[Quotation]:
    """The quotations of one paragraph, each with its speaker where the text names one."""
    found = list(_QUOTE_RE.finditer(text))
    speakers = [speaker_of(q, text) for q in found]
    # a quotation without attribution continues the nearest attributed one in the paragraph
    # (the one before it first: "“…,” said Okonkwo-Price. “…”")
    filled = list(speakers)
    last = None
    for i, who in enumerate(speakers):
        if who is not None:
            last = who
        elif last is not None:
            filled[i] = last
    following = None
    for i in range(len(speakers) - 1, -1, -1):
        if speakers[i] is not None:
            following = speakers[i]
        elif filled[i] is None:
            filled[i] = following
    return [Quotation(q.start(), q.end(), who) for q, who in zip(found, filled)]


def quoted_speaker(quotes: list[Quotation], start: int, end: int) -> str | None:
    """The speaker of the quotation that holds most of the text between ``start`` and ``end``."""
    length = max(1, end - start)
    for q in quotes:
        inside = min(end, q.end) - max(start, q.start)
        if q.speaker and inside * 2 > length:
            return q.speaker
    return None


def is_someone_else(speaker: str | None, own_name: str) -> bool:
    """Whether ``speaker`` is not the candidate called ``own_name``: a pronoun, or a speaker who
    shares a word of the candidate's name ("Alvarez", "Mayor Elena Alvarez"), is the candidate."""
    if not speaker:
        return False
    words = {w.strip(".,’'").lower() for w in speaker.split()}
    if words & _PRONOUNS and len(words) == 1:
        return False
    own = {w.strip(".,").lower() for w in own_name.split() if len(w.strip(".,")) > 1}
    return not (words & own)


def _plausible(who: str) -> bool:
    words = who.split()
    if not words or len(words) > 10:
        return False
    # a speaker is a pronoun or has a capitalized word (a name or a title): "the plan said" has none
    return words[0].lower() in _PRONOUNS or any(w[:1].isupper() for w in words)


def _tidy(who: str) -> str:
    who = " ".join(who.split()).strip(" ,—–-")
    return who.split(",")[0].strip() or who
