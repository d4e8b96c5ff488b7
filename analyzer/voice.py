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
- a quotation with no attribution of its own continues the one just before it, when only that
  one's attribution stands between them (``“…,” said Okonkwo-Price. “…”``); never a later one.

A speaker's span covers the quotation and its attribution, so that a sentence made of both
("“We will win,” said Jane Roe.") is the speaker's.

A signature standing on its own line ("— Prof. Howard Lindqvist, Port Aurelia University", under a
quotation in the paragraph before) is told apart from a dash before a pledge by
:func:`is_a_signature`.

A quotation attributed to a pronoun ("she said") keeps the pronoun as its speaker: on a
candidate's own pages that is usually the candidate, and the caller decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Quotation", "quotations", "quoted_speaker", "speakers_of_spans", "is_someone_else", "is_a_signature"]

_SAYING = (r"(?:said|says|added|adds|explained|explains|noted|notes|stated|states|wrote|writes|declared|"
           r"promised|promises|pledged|pledges|vowed|vows|told\s+\w+)")
# a speaker: a few words, no sentence punctuation and no quotation marks
_WHO = r"(?P<who>[^\s.,;:!?“”\"()][^.;:!?“”\"()\n]{0,80}?)"
# “…” and "…": a quotation is at most a few sentences long (a longer run is a broken mark)
_QUOTE_RE = re.compile(r"“[^“”]{2,1200}”|\"[^\"“”]{2,1200}\"")
# after the closing mark, an attribution that ends its sentence ("…,” said Jane Roe.); one that
# ends in a colon introduces the next quotation ("Smith said: “…”") and is not this one's
_AFTER_SAID_RE = re.compile(rf"^\s*,?\s*{_SAYING}\s+{_WHO}\s*(?:[.,;!?]|$)")
_AFTER_NAME_RE = re.compile(rf"^\s*,?\s*{_WHO}\s+{_SAYING}\b(?!\s*:)[^.;:!?“”\"\n]{{0,60}}(?:[.,;!?]|$)")
# "— Councilor Betty Ahearn, District 7" to the end of the paragraph: a testimonial's signature
_AFTER_DASH_RE = re.compile(r"^\s*(?:—|–|--|-)\s*(?P<who>[^“”\"\n]{2,120}?)\s*$")
_BEFORE_NAME_RE = re.compile(rf"(?:^|[.!?][”\"]?\s+|,\s+){_WHO}\s+{_SAYING}\s*[:,]?\s*$")
_BEFORE_SAID_RE = re.compile(rf"{_SAYING}\s+{_WHO}\s*[:,]\s*$")
_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
_WINDOW = 160


@dataclass(frozen=True)
class Quotation:
    """A quotation in a paragraph: ``start``/``end`` include the marks and the attribution that
    goes with it ("“We will win,” said Jane Roe."), so that a sentence made of both is the
    speaker's; ``speaker`` is None when nothing attributes it."""

    start: int
    end: int
    speaker: str | None


def _attribution(quote: re.Match, text: str) -> tuple[str | None, int, int]:
    """The speaker one quotation is attributed to, and the span the quotation and its
    attribution cover together. Only a bounded window around the quotation is read."""
    before = text[max(0, quote.start() - _WINDOW):quote.start()]
    # "Alvarez said: “…”": a colon binds the speaker to the quotation it opens
    said_colon = _BEFORE_NAME_RE.search(before)
    if said_colon and before.rstrip().endswith(":") and _plausible(said_colon.group("who")):
        return _tidy(said_colon.group("who")), quote.start() - len(before) + said_colon.start("who"), quote.end()
    after = text[quote.end():quote.end() + _WINDOW]
    for pattern in (_AFTER_SAID_RE, _AFTER_NAME_RE):
        found = pattern.match(after)
        if found and _plausible(found.group("who")):
            return _tidy(found.group("who")), quote.start(), quote.end() + found.end()
    if len(text) - quote.end() <= _WINDOW:
        dash = _AFTER_DASH_RE.match(after)
        if dash and _plausible(dash.group("who")):
            return _tidy(dash.group("who")), quote.start(), len(text)
    for pattern in (_BEFORE_NAME_RE, _BEFORE_SAID_RE):
        found = pattern.search(before)
        if found and _plausible(found.group("who")):
            return _tidy(found.group("who")), quote.start() - len(before) + found.start("who"), quote.end()
    return None, quote.start(), quote.end()


def quotations(text: str) -> list[Quotation]:
    """The quotations of one paragraph, each with its speaker where the text names one.

    A quotation without attribution continues the one just before it when only that one's
    attribution stands between them ("“…,” said Okonkwo-Price. “…”"); never a later one, and
    not across narration ("“…,” said Roe. Alvarez thanked the nurses. “I will…”")."""
    out: list[Quotation] = []
    previous: Quotation | None = None
    for quote in _QUOTE_RE.finditer(text):
        who, start, end = _attribution(quote, text)
        if who is None and previous is not None and previous.speaker is not None \
                and not text[previous.end:quote.start()].strip(" ,;:—–-"):
            who = previous.speaker
        current = Quotation(start, end, who)
        out.append(current)
        previous = current
    return out


def quoted_speaker(quotes: list[Quotation], start: int, end: int) -> str | None:
    """The speaker of the quotation that holds most of the text between ``start`` and ``end``."""
    return speakers_of_spans(quotes, [(start, end)])[0]


def speakers_of_spans(quotes: list[Quotation], spans: list[tuple[int, int]]) -> list[str | None]:
    """:func:`quoted_speaker` for each of ``spans`` (in order, as sentences come), walking the
    quotations once: a page of many quoted sentences costs their number, not its square."""
    out: list[str | None] = []
    i = 0
    for start, end in spans:
        while i < len(quotes) and quotes[i].end <= start:
            i += 1
        who = None
        length = max(1, end - start)
        j = i
        while j < len(quotes) and quotes[j].start < end:
            q = quotes[j]
            if q.speaker and (min(end, q.end) - max(start, q.start)) * 2 > length:
                who = q.speaker
                break
            j += 1
        out.append(who)
    return out


def is_someone_else(speaker: str | None, own_name: str) -> bool:
    """Whether ``speaker`` is not the candidate called ``own_name``: a speaker opening with a
    pronoun ("she", "We have always"), or one who shares a word of the candidate's name
    ("Alvarez", "Elena", "Mayor Elena Alvarez"), is the candidate."""
    if not speaker:
        return False
    words = [_fold(w) for w in speaker.split()]
    words = [w for w in words if w]
    if not words or words[0] in _PRONOUNS:
        return False
    own = {_fold(w) for w in own_name.split()}
    own = {w for w in own if len(w) > 1 and w not in _NAME_SUFFIXES}
    return not own & set(words)


_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "esq"}


def _fold(word: str) -> str:
    """A word compared as names are: lower case, no accents, one kind of apostrophe, no edge punctuation."""
    word = unicodedata.normalize("NFKD", word.replace("’", "'")).encode("ascii", "ignore").decode("ascii")
    return word.strip(".,;:()").lower()


_SIGNATURE_RE = re.compile(r"^\s*(?:—|–|--|―)\s*(?P<who>\S.{0,120})$")
_NAME_JOINERS = {"of", "the", "and", "for", "at", "de", "van", "von", "la", "&"}


def is_a_signature(text: str) -> bool:
    """A dash and only a name and a title, as under a quotation ("— Prof. Howard Lindqvist, Port
    Aurelia University", "— Councilor Betty Ahearn, District 7"); not "— and we will fix it"."""
    found = _SIGNATURE_RE.match(text)
    if not found:
        return False
    who = found.group("who")
    name, _, title = who.partition(",")
    words = [w.strip(".,;()’'") for w in name.split()]
    words = [w for w in words if w]
    # a name first: no digits before the title ("— Universal Pre-K By 2027"), and no common word
    # opening it ("— A New Library In Mattapan")
    return (0 < len(words) <= 6 and words[0][:1].isupper() and words[0].lower() not in _NOT_A_NAME
            and all(w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words)
            and all(w[:1].isupper() or w.lower() in _NAME_JOINERS or w.isdigit() for w in title.replace(",", " ").split()))


_NOT_A_NAME = {"a", "an", "the", "new", "more", "every", "all", "our", "my", "universal", "free", "better", "no", "and",
               "we", "i", "it", "this", "that", "one", "two", "three", "less", "fewer", "safer", "cleaner"}


def _plausible(who: str) -> bool:
    words = who.split()
    if not words or len(words) > 10:
        return False
    # a speaker is a pronoun or has a capitalized word (a name or a title): "the plan said" has none
    return words[0].lower() in _PRONOUNS or any(w[:1].isupper() for w in words)


def _tidy(who: str) -> str:
    who = " ".join(who.split()).strip(" ,—–-")
    who = who.split(",")[0].strip() or who
    # "Mayor Walsh at the forum", "Roe in an interview": the speaker, not where
    return re.split(r"\s+(?:at|on|in|during|after|before|outside|to|from|of\s+the\s+campaign)\s", who, maxsplit=1)[0] or who
