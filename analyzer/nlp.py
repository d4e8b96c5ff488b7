"""The spaCy side of the analyzer: statements, commitment cues, concreteness facets, buzzwords.

The project's components are registered spaCy factories, each with its config:

- ``analyzer_cues``      Matcher rules for commitment cues (``doc._.cues``)
- ``analyzer_facets``    rules for metric, target, deadline, budget and owner (``doc._.facets``)
- ``analyzer_buzzwords`` a PhraseMatcher over ``corpora/lexicons/buzzwords.txt`` (``doc._.buzzwords``)

``en_core_web_sm`` is used for sentence boundaries when it is installed; otherwise a blank
English pipeline with the sentencizer and special cases for the abbreviations of city
politics. The cue and facet rules only read token text, so both pipelines give the same
features.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, IS_UPPER, LENGTH, LOWER, SENT_START
from spacy.tokens import Doc, Span

from .records import FACETS, Section, Statement
from .voice import quotations, quoted_speaker, speakers_of_spans

__all__ = [
    "get_nlp",
    "get_segmenter",
    "split_statements",
    "analyze_texts",
    "UnitFeatures",
    "LEXICON_DIR",
    "load_lexicon",
]

LEXICON_DIR = Path(__file__).resolve().parent.parent / "corpora" / "lexicons"
ABBREVIATIONS = ["St.", "Ave.", "Dept.", "Mass.", "Gov.", "No.", "a.m.", "p.m.", "Sen.", "Rep.", "Rev.",
                 "Blvd.", "Rd.", "Sq.", "Mt.", "Jr.", "Sr.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Lt.",
                 "Sgt.", "Capt.", "Supt.", "Comm.", "Inc.", "Co.", "Corp.", "U.S.", "vs.", "approx.",
                 "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "Calif.", "Penn.", "Minn.", "Wash.",
                 "Conn.", "Fla.", "Ill.", "Mich.", "Tex.", "Coun.", "Cllr."]
MAX_STATEMENT_CHARS = 1_500

for _name in ("cues", "facets", "buzzwords", "facet_spans", "label_end"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class RuleMatcher:
    """A spaCy Matcher whose fixed-phrase patterns run in a PhraseMatcher.

    Patterns made only of ``LOWER`` values and ``IN`` lists (with ``?`` operators) are expanded
    into the phrases they stand for and matched with a PhraseMatcher, which looks every token up
    once; the spaCy Matcher evaluates each ``IN`` list on every token and was twelve times slower
    than tokenizing. A pattern with wildcards, ``REGEX``, ``NOT_IN`` or flags that still has one
    required word (an "anchor": ``LOWER`` value or list, no operator) is evaluated here, only
    where an anchor word stands; the few others stay in a spaCy Matcher. All give the same set
    of matches as one spaCy Matcher (checked on the whole corpus, and in tests); they are
    returned sorted by start, end and label, which is not always a Matcher's order.
    """

    MAX_PHRASES_PER_PATTERN = 5_000

    def __init__(self, vocab):
        self.vocab = vocab
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.matcher = Matcher(vocab)
        self.labels: set[str] = set()
        # whether every pattern in the Matcher needs a digit or a "$" in the text (amounts,
        # percentages): then a text with neither, two thirds of them, skips the Matcher
        self._matcher_needs_digits = True
        self.anchored: list[_AnchoredPattern] = []
        self._by_anchor: dict[int, list[_AnchoredPattern]] = {}

    def add(self, label: str, patterns: list[list[dict]]) -> None:
        self.labels.add(label)
        phrases, rest = [], []
        for pattern in patterns:
            expanded = self._expand(pattern)
            if expanded is not None:
                phrases.extend(Doc(self.vocab, words=words) for words in expanded)
                continue
            anchored = _AnchoredPattern.build(self.vocab.strings.add(label), pattern)
            if anchored is not None:
                self.anchored.append(anchored)
                for anchor_id in anchored.anchor_ids:
                    self._by_anchor.setdefault(anchor_id, []).append(anchored)
            else:
                rest.append(pattern)
                self._matcher_needs_digits &= _needs_digit_or_dollar(pattern)
        if phrases:
            self.phrases.add(label, phrases)
        if rest:
            self.matcher.add(label, rest)

    def _expand(self, pattern: list[dict]) -> list[list[str]] | None:
        choices = []
        for token in pattern:
            op = token.get("OP")
            value = token.get("LOWER")
            if op not in (None, "?") or set(token) - {"OP", "LOWER"}:
                return None
            if isinstance(value, str):
                options = [value]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                options = list(value["IN"])
            else:
                return None
            if any(not isinstance(o, str) or o != o.lower() for o in options):
                return None  # a LOWER value with capitals never matches in a Matcher; a phrase would
            choices.append(options + ([None] if op == "?" else []))
        out: list[list[str]] = [[]]
        for options in choices:
            out = [words + ([w] if w is not None else []) for words in out for w in options]
            if len(out) > self.MAX_PHRASES_PER_PATTERN:
                return None
        # a phrase is matched on spaCy's tokens: a value the tokenizer would split cannot be one
        return [words for words in out if words] if all(" " not in w for ws in out for w in ws) else None

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = set(self.phrases(doc))
        if len(self.matcher) and not (self._matcher_needs_digits and not _DIGIT_OR_DOLLAR_RE.search(text_of(doc))):
            found.update(self.matcher(doc))
        if self._by_anchor:
            # one pass over the words: each pattern is tried only where its required word stands
            by_anchor = self._by_anchor
            for i, lower in enumerate(doc.to_array([LOWER]).tolist()):
                for pattern in by_anchor.get(lower, ()):
                    found.update(pattern.matches_at(doc, i))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))


_DIGIT_OR_DOLLAR_RE = re.compile(r"[\d$]")


# participles that open a pledge's noun phrase as often as a record ("Dedicated bus lanes on Route 9",
# "Expanded pre-K for every child"): no evidence either way
_PARTICIPLE_ADJECTIVES = frozenset({"dedicated", "protected", "improved", "increased", "expanded", "extended", "enhanced",
                                    "guaranteed", "integrated", "coordinated", "targeted", "upgraded", "updated",
                                    "renewed", "reduced", "expedited", "streamlined", "paid", "shared", "modernized",
                                    "modernised", "affordable", "subsidized", "subsidised", "lowered", "restored"})


def _is_past_tense(word: str) -> bool:
    """Whether a word opening a line reads as a past tense: a plan verb's ("created", "built"), or
    any regular one ("exposed", "negotiated"), but not a base form that ends in -ed ("speed",
    "proceed", "embed") or an adjective ("dedicated bus lanes")."""
    if _is_past_of_a_plan_verb(word):
        return True
    return (word.endswith("ed") and len(word) >= 5 and not word.endswith("eed") and word not in _BASE_FORMS_IN_ED
            and word not in _PARTICIPLE_ADJECTIVES and word not in PLAN_VERBS)


_BASE_FORMS_IN_ED = frozenset({"embed", "shred", "imbed"})


def _is_past_of_a_plan_verb(word: str) -> bool:
    """Whether a word is the past tense of a verb platforms open their bullets with ("created",
    "reopened", "built"), as records list them."""
    if word in PAST_MARKERS:
        return word not in ("cut", "was", "were", "did", "had", "got", "put", "set") and word not in _PARTICIPLE_ADJECTIVES
    if not word.endswith("ed") or len(word) < 5 or word in _PARTICIPLE_ADJECTIVES:
        return False
    stems = [word[:-1], word[:-2]]
    if word.endswith("ied"):
        stems.append(word[:-3] + "y")
    if len(word) > 5 and word[-3] == word[-4]:
        stems.append(word[:-3])  # "planned", "staffed"
    return any(stem in PLAN_VERBS for stem in stems)


# "My first priority will be public safety": a priority named as a topic, with no action (ANNOTATION.md
# §4: "a priority or a value with no action … is not"); "my first priority will be to hire a chief
# from outside" or "…will be getting the buses on time" names one
_PRIORITY_TOPIC_RE = re.compile(r"\b(?:my|our)\s+(?:(?:first|top|number[- ]one|main|biggest|highest|single|overriding)\s+)?"
                                r"(?:priority|focus)\s+(?:as\s+mayor\s+)?(?:will|would|is\s+going\s+to|['’]s\s+going\s+to|is\s+gon\s*na)\s+be\s+"
                                r"(?!to\b|that\b|this\b|simple\b|clear\b|[a-z]+ing\b)", re.I)
_FUTURE_WORD_RE = re.compile(r"(?<!\bthe )(?<!political )(?<!good )(?<!free )\bwill\b|\b(?:would|shall)\b|['’]ll\b", re.I)
# a time ahead: "next month", "this fall", "in my first 100 days"
_FORWARD_TIME_RE = re.compile(r"\bnext (?:week|month|year|spring|summer|fall|winter|term)\b|\bthis (?:spring|summer|fall|winter)\b"
                              r"|\bin my first\b|\bby (?:the end of )?(?:20\d\d|next)\b", re.I)


def text_of(doc: Doc) -> str:
    """The doc's text: kept in ``user_data`` by :func:`analyze_texts`, since ``Doc.text`` rebuilds
    it word by word (a Python object per token), which cost as much as the rules reading it."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _needs_digit_or_dollar(pattern: list[dict]) -> bool:
    """Whether a pattern can only match where a token holds a digit or a "$": one of its required
    tokens is ``IS_DIGIT``, or a ``TEXT``/``LOWER`` regex opening with one, or a list of such."""
    for token in pattern:
        if token.get("OP") not in (None, "+"):
            continue
        if token.get("IS_DIGIT") is True:
            return True
        for attr in ("TEXT", "LOWER"):
            value = token.get(attr)
            if isinstance(value, dict) and isinstance(value.get("REGEX"), str):
                if re.match(r"\^(?:\(US\)\?)?(?:\\\$|\\d)", value["REGEX"]):
                    return True
            elif isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
                if all(isinstance(v, str) and _DIGIT_OR_DOLLAR_RE.search(v) for v in value["IN"]):
                    return True
    return False


class _AnchoredPattern:
    """One Matcher pattern evaluated around the positions of a required word.

    Supports what this project's rules use: ``LOWER``/``TEXT`` values, ``IN``, ``NOT_IN`` and
    ``REGEX``; ``IS_TITLE``, ``IS_ALPHA``, ``IS_UPPER``, ``LIKE_NUM``, ``IS_DIGIT``, ``IS_PUNCT``;
    ``{}`` for any token; operators ``?``, ``*``, ``+`` and ``{m,n}``. Like a Matcher, it gives
    every (start, end) the pattern can match, not only the longest."""

    _FLAGS = {"IS_TITLE": "is_title", "IS_ALPHA": "is_alpha", "IS_UPPER": "is_upper", "LIKE_NUM": "like_num",
              "IS_DIGIT": "is_digit", "IS_PUNCT": "is_punct"}

    def __init__(self, key: int, steps: list, anchor: int, anchor_ids: frozenset):
        self.key, self.steps, self.anchor, self.anchor_ids = key, steps, anchor, anchor_ids

    @classmethod
    def build(cls, key: int, pattern: list[dict]):
        steps = []
        for token in pattern:
            bounds = cls._bounds(token.get("OP"))
            checks = cls._checks(token)
            if bounds is None or checks is None:
                return None
            steps.append((checks, *bounds))
        for index, token in enumerate(pattern):
            value = token.get("LOWER")
            values = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
            if token.get("OP") is None and values and all(isinstance(v, str) and v == v.lower() and " " not in v for v in values):
                return cls(key, steps, index, frozenset(spacy.strings.hash_string(v) for v in values))
        return None

    @staticmethod
    def _bounds(op):
        if op is None:
            return 1, 1
        fixed = {"?": (0, 1), "*": (0, None), "+": (1, None), "!": None}
        if op in fixed:
            return fixed[op]
        found = re.fullmatch(r"\{(\d*),?(\d*)\}", op)
        if not found:
            return None
        low, high = found.group(1), found.group(2)
        if "," not in op:
            return int(low), int(low)
        return int(low or 0), (int(high) if high else None)

    @classmethod
    def _checks(cls, token: dict):
        checks = []
        for attr, spec in token.items():
            if attr == "OP":
                continue
            if attr in cls._FLAGS:
                name = cls._FLAGS[attr]
                checks.append(lambda t, name=name, want=bool(spec): getattr(t, name) is want)
            elif attr in ("LOWER", "TEXT"):
                get = (lambda t: t.lower_) if attr == "LOWER" else (lambda t: t.text)
                if isinstance(spec, str):
                    checks.append(lambda t, get=get, v=spec: get(t) == v)
                elif isinstance(spec, dict) and len(spec) == 1 and "IN" in spec:
                    checks.append(lambda t, get=get, v=frozenset(spec["IN"]): get(t) in v)
                elif isinstance(spec, dict) and len(spec) == 1 and "NOT_IN" in spec:
                    checks.append(lambda t, get=get, v=frozenset(spec["NOT_IN"]): get(t) not in v)
                elif isinstance(spec, dict) and len(spec) == 1 and "REGEX" in spec:
                    checks.append(lambda t, get=get, rx=re.compile(spec["REGEX"]): rx.search(get(t)) is not None)
                else:
                    return None
            else:
                return None
        return checks

    @staticmethod
    def _fits(step, token) -> bool:
        return all(check(token) for check in step[0])

    def _reach(self, doc: Doc, steps: list, position: int, step_by: int) -> set[int]:
        """Every position ``steps`` can reach from ``position``, walking forward (``step_by`` 1: where
        they can end) or backward (-1: where they can start)."""
        reached = {position}
        for step in (steps if step_by > 0 else reversed(steps)):
            low, high = step[1], step[2]
            nxt = set()
            for at in reached:
                taken = 0
                if low == 0:
                    nxt.add(at)
                while high is None or taken < high:
                    index = at + taken if step_by > 0 else at - taken - 1
                    if not 0 <= index < len(doc) or not self._fits(step, doc[index]):
                        break
                    taken += 1
                    if taken >= low:
                        nxt.add(at + step_by * taken)
            reached = nxt
            if not reached:
                break
        return reached

    def matches_at(self, doc: Doc, i: int) -> set[tuple[int, int, int]]:
        """The matches whose required word is token ``i``."""
        if not self._fits(self.steps[self.anchor], doc[i]):
            return set()
        ends = self._reach(doc, self.steps[self.anchor + 1:], i + 1, 1)
        if not ends:
            return set()
        return {(self.key, start, end) for start in self._reach(doc, self.steps[:self.anchor], i, -1)
                for end in ends if end > start}


def load_lexicon(name: str) -> list[str]:
    path = LEXICON_DIR / name
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            entries.append(entry)
    return entries


def _variants(entry: str) -> set[str]:
    """Spellings to match for a lexicon entry: hyphen or space, singular or plural."""
    forms = {entry, entry.replace("-", " "), entry.replace(" ", "-")}
    plurals = set()
    for form in forms:
        if form.endswith(("s", "x", "ch", "sh")):
            plurals.add(form + "es")
        elif form.endswith("y") and len(form) > 2 and form[-2] not in "aeiou":
            plurals.add(form[:-1] + "ies")
        else:
            plurals.add(form + "s")
    return forms | plurals


# -- commitment cues --------------------------------------------------------------------------
FIRST = ["i", "we", "my", "our"]
# "wo" is how the tokenizer splits "won't" (wo + n't): "I won't raise taxes" is a future undertaking
FUTURE = ["will", "'ll", "’ll", "shall", "wo"]
# participles (and adverbs of completion) that, after "our plan is", describe the plan rather than
# undertake it: "our plan is set out in the budget", "our plan is already working"
DONE_WORDS = ["set", "put", "laid", "made", "built", "paid", "done", "given", "taken", "written", "spent", "held",
              "kept", "shown", "known", "based", "designed", "outlined", "detailed", "costed", "funded", "published",
              "released", "described", "explained", "included", "attached", "available", "fully", "already", "being",
              "working", "underway"]
PLEDGE_VERBS = ["pledge", "promise", "propose", "commit", "vow", "intend", "plan", "aim", "resolve", "guarantee"]
PLAN_VERBS = {
    "create", "expand", "launch", "establish", "appoint", "hire", "build", "invest", "reduce", "cut", "increase",
    "double", "triple", "halve", "publish", "require", "make", "put", "develop", "implement", "partner", "fund",
    "provide", "support", "hold", "end", "reform", "restore", "protect", "open", "bring", "set", "give", "move",
    "convene", "form", "extend", "add", "eliminate", "streamline", "modernize", "consolidate", "merge",
    "audit", "review", "release", "post", "track", "measure", "report", "pilot", "adopt", "pass", "enact",
    "introduce", "designate", "dedicate", "allocate", "redirect", "leverage", "secure", "seek", "pursue",
    "work", "ensure", "improve", "strengthen", "grow", "attract", "replace", "repair", "fix", "upgrade",
    "install", "plant", "train", "recruit", "offer", "lower", "raise", "freeze", "restructure", "reorganize",
    "digitize", "align", "coordinate", "collaborate", "engage", "co-design", "empower", "foster", "promote",
    "champion", "prioritize", "transform", "reinvent", "revitalize", "close", "stop", "ban", "cap", "tie",
    "link", "connect", "map", "survey", "study", "explore", "create", "commission", "appropriate", "match",
    "issue", "sell", "buy", "acquire", "purchase", "rebuild", "renovate", "clean", "expedite", "speed",
    "accelerate", "shorten", "simplify", "unify", "centralize", "decentralize", "return", "deliver", "task",
    # more base forms that open platform bullets ("Allow mid-rise…", "Waive permit fees…")
    "allow", "use", "waive", "start", "turn", "harness", "plan", "keep", "let", "stand", "sign", "veto",
    "enforce", "guarantee", "lead", "negotiate", "oppose", "phase", "preserve", "prevent", "prohibit",
    "reinstate", "reopen", "repave", "revise", "rewrite", "staff", "strike", "subsidize", "tax", "test",
    "update", "widen", "zone", "rezone", "rename", "redesign", "relocate", "repeal", "reward", "save",
    "schedule", "share", "spend", "split", "standardize", "cover", "charge", "demand", "direct", "double-down",
    "encourage", "enroll", "equip", "fill", "finance", "finish", "free", "help", "house", "inspect", "invite",
    "join", "lease", "license", "limit", "lift", "light", "list", "mandate", "modernise", "organise",
    "organize", "pay", "pave", "permit", "place", "pledge", "prioritise", "push", "reach", "rebate",
    "recognize", "recycle", "redevelop", "refer", "reinvest", "remove", "rent", "restart", "retain", "retrofit",
    "run", "serve", "station", "swap", "teach", "treat", "welcome", "continue", "rank", "begin", "answer",
    "send", "assign", "order", "convert", "fight",
    # and those of reform bullets ("Break down the silos at City Hall", "Roll out 311 in every ward")
    "break", "tear", "crack", "overhaul", "revamp", "dismantle", "tackle", "roll", "reimagine", "rethink", "find",
    # and those of legislative and programme bullets ("Maintain community rating", "Facilitate ethics approvals
    # across sites", "Identify gaps in information sharing", "Amend the ordinance to…")
    "maintain", "facilitate", "identify", "legislate", "amend", "abolish", "scrap", "undertake", "conduct", "deploy",
    "assess", "evaluate", "consult", "examine", "investigate", "tighten", "bolster", "enable", "assist", "incentivise",
    "incentivize", "regulate", "restrict", "outlaw", "criminalise", "criminalize", "compensate", "reimburse", "subsidise",
    "deregister", "boost", "reinforce", "safeguard", "recognise", "mobilise", "mobilize", "activate", "unlock",
    "harmonise", "harmonize", "employ", "educate", "fast-track",
    # and those of real platforms' bullets ("Enhance business services", "Advocate for…"); a hyphenated
    # verb is three tokens to the tokenizer, so only its closed spelling can open a line
    "enhance", "reestablish", "advocate", "lobby", "host", "cultivate", "embrace",
}
PAST_MARKERS = ["created", "launched", "led", "passed", "fought", "worked", "helped", "built", "secured",
                "founded", "started", "served", "championed", "delivered", "introduced", "sponsored", "wrote",
                "authored", "brought", "opened", "cut", "raised", "won", "saved", "established", "expanded",
                "reduced", "increased", "voted", "organized", "chaired", "managed", "ran", "taught", "grew",
                "spent", "was", "were", "did", "had", "got", "made"]


# words that open a verb's object: after them an opening past tense is a record's verb ("Created the…",
# "Hired 100…"), and a heading's first word an action ("Implement a CitiStat program")
OBJECT_OPENERS = frozenset({"the", "a", "an", "our", "my", "his", "her", "their", "its", "this", "that", "these",
                            "those", "more", "over", "nearly", "almost", "about", "every", "all", "$", "a.", "two",
                            "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds",
                            "thousands", "millions", "up"})

# the cues that can carry an undertaking (an asker's line loses them; a sentence outside a plan
# with none of them rarely is one)
UNDERTAKING_CUES = frozenset({"FUT_1P", "PLEDGE", "FUT_3P", "FUT_THING", "FUT_CITY", "REPORTED", "NEED", "SUPPORT", "VERB_FIRST",
                              "COMMITTING", "PASSIVE_FUTURE", "WILL", "FUNDING_LINE"})


def _label_word(label: str) -> str:
    """The word a line's label opens with, as the lists of askers and news tags spell it."""
    return label.split()[0].lower().rstrip(".")


@Language.factory("analyzer_cues", default_config={"plan_headings": "plan_headings.txt"})
def make_cues(nlp: Language, name: str, plan_headings: str):
    return CueMatcher(nlp, plan_headings)


class CueMatcher:
    """Marks the phrases that signal (or rule out) a commitment; sets ``doc._.cues``."""

    def __init__(self, nlp: Language, plan_headings: str = "plan_headings.txt"):
        self.matcher = RuleMatcher(nlp.vocab)
        # "our plan is to…", "my goal is a…", but not "our plan is set out in the budget": a
        # passive after "is" describes the plan, it undertakes nothing
        # ("seven", "children", "need-based" are no participles; "committed", "determined" pledge)
        NOT_DONE = {"LOWER": {"NOT_IN": DONE_WORDS}}
        opt_adv = {"LOWER": {"IN": ["also", "immediately", "then", "personally", "always", "continue", "work", "quickly", "first"]}, "OP": "*"}
        add = self.matcher.add
        add("FUT_1P", [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": FUTURE + ["would", "'d", "’d", "shall"]}}],
                       # "gonna" is two tokens, "gon" + "na", as transcripts of forums and interviews spell it
                       [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["am", "are", "'m", "’m", "'re", "’re"]}}, {"LOWER": {"IN": ["going", "gon"]}},
                        {"LOWER": {"IN": ["to", "na"]}}],
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["administration", "government", "team", "city", "plan", "budget", "first"]}}, {"OP": "?"}, {"LOWER": {"IN": FUTURE + ["would"]}}],
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["administration", "government", "team", "city", "plan", "budget", "first"]}}, {"OP": "?"}, {"LOWER": "is"}, NOT_DONE]])
        add("PLEDGE", [[{"LOWER": {"IN": ["i", "we"]}}, opt_adv, {"LOWER": {"IN": PLEDGE_VERBS + [v + "s" for v in PLEDGE_VERBS]}}],
                       [{"LOWER": {"IN": ["am", "'m", "’m", "are", "'re", "’re"]}}, {"LOWER": {"IN": ["committed", "proposing", "pledging", "promising", "planning", "calling"]}}],
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["plan", "goal", "proposal", "priority", "agenda", "pledge", "promise", "commitment", "aim", "budget"]}}, {"LOWER": {"IN": ["would", "will", "calls", "includes"]}}],
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["plan", "goal", "proposal", "priority", "agenda", "pledge", "promise", "commitment", "aim", "budget"]}}, {"LOWER": "is"}, NOT_DONE],
                       [{"LOWER": {"IN": ["under", "in"]}}, {"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["plan", "administration", "proposal", "budget"]}}],
                       # "That is my commitment", "My pledge is simple:" (not "my commitment to
                       # public service began…")
                       [{"LOWER": {"IN": ["is", "'s", "’s"]}}, {"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["absolute", "firm", "solemn"]}, "OP": "?"}, {"LOWER": {"IN": ["commitment", "pledge", "promise"]}}],
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["absolute", "firm", "solemn"]}, "OP": "?"}, {"LOWER": {"IN": ["commitment", "pledge", "promise"]}}, {"LOWER": {"IN": ["is", ":", "—"]}}],
                       [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": "can"}, {"LOWER": {"IN": ["promise", "announce", "commit"]}}],
                       [{"LOWER": "the"}, {"LOWER": "plan"}, {"LOWER": {"IN": ["calls", "would", "will", "includes"]}}],
                       # "I have a plan to cut…", "we've got a real plan to…" (not "a plan for the
                       # waterfront" nor "we had a plan": what it undertakes follows "to")
                       [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["have", "'ve", "’ve"]}}, {"LOWER": "got", "OP": "?"},
                        {"LOWER": {"IN": ["a", "the"]}}, {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["to", "plan"]}, "OP": "?"},
                        {"LOWER": {"IN": ["plan", "proposal", "strategy"]}}, {"LOWER": "to"}],
                       [{"LOWER": "as"}, {"LOWER": "mayor"}],
                       # "our plan to increase Medicare investment by…", "my commitment to hire 100 teachers"
                       # (an action follows "to"; not "my commitment to public service")
                       [{"LOWER": {"IN": ["my", "our"]}}, {"LOWER": {"IN": ["plan", "proposal", "pledge", "promise", "commitment", "goal"]}},
                        {"LOWER": "to"}, {"LOWER": {"IN": sorted(PLAN_VERBS)}}],
                       # "No new fees while I'm mayor", "as long as I am mayor"
                       [{"LOWER": {"IN": ["while", "when", "once", "long"]}}, {"LOWER": "i"}, {"LOWER": {"IN": ["am", "'m", "’m"]}}, {"LOWER": "mayor"}]])
        need_adv = {"LOWER": {"IN": ["also", "really", "still", "simply", "just", "all", "now"]}, "OP": "?"}
        add("NEED", [[{"LOWER": {"IN": ["we", "i", "city", "boston"]}}, need_adv,
                      {"LOWER": {"IN": ["need", "must", "should"]}}, {"LOWER": "to", "OP": "?"}],
                     [{"LOWER": {"IN": ["we", "i"]}}, need_adv, {"LOWER": "want"}, {"LOWER": "to"}],
                     [{"LOWER": {"IN": ["we", "i"]}}, need_adv, {"LOWER": "wanna"}],
                     # "we have to", "we've got to", "we gotta" (not "we have the talent", "we have committed")
                     [{"LOWER": {"IN": ["we", "i"]}}, need_adv, {"LOWER": {"IN": ["have", "'ve", "’ve", "got"]}},
                      {"LOWER": "got", "OP": "?"}, {"LOWER": {"IN": ["to", "ta"]}}],
                     [{"LOWER": "let"}, {"LOWER": {"IN": ["'s", "’s", "us"]}}],
                     [{"LOWER": "it"}, {"LOWER": {"IN": ["'s", "’s", "is"]}}, {"LOWER": "time"}, {"LOWER": "to"}]])
        add("SUPPORT", [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["support", "favor", "endorse", "back", "want"]}}]])
        add("FUT_3P", [[{"IS_TITLE": True, "LOWER": {"NOT_IN": ["i", "we", "it", "this", "that", "the", "there", "they", "how", "what", "why", "when", "where", "who", "which", "you"]}}, {"LOWER": {"IN": FUTURE + ["would"]}}],
                       [{"LOWER": {"IN": ["he", "she", "administration", "campaign", "team"]}}, {"LOWER": {"IN": FUTURE + ["would", "'d", "’d"]}}],
                       [{"LOWER": {"IN": [*sorted(self._CITY_BODIES), "plan", "proposal", "program", "initiative", "fund", "investment"]}}, {"LOWER": {"IN": FUTURE}}],
                       [{"LOWER": {"IN": ["this", "it", "which"]}}, {"LOWER": {"IN": FUTURE}}]])
        add("REPORTED", [[{"LOWER": {"IN": ["pledged", "promised", "vowed", "proposed", "proposes", "pledges", "promises", "vows",
                                            "proposing", "pledging", "promising", "committed", "unveiled", "outlined", "announced"]}}],
                         [{"LOWER": "said"}, {"LOWER": {"IN": ["he", "she", "they"]}}, {"LOWER": {"IN": ["would", "will", "'d"]}}],
                         # a report of a candidate's proposal: "Garcetti called for a Great Streets program",
                         # "Garcia pushed the idea of an alert system", "Arroyo wants…", "she supports Prop. 1"
                         [{"LOWER": {"IN": ["called", "calls", "calling", "pushed", "pushes", "pushing"]}}, {"LOWER": "for"}],
                         [{"LOWER": {"IN": ["pushed", "pushes", "floated", "floats", "backed", "backs"]}}, {"LOWER": "the"},
                          {"LOWER": {"IN": ["idea", "creation", "proposal"]}}],
                         [{"LOWER": {"IN": ["he", "she"]}}, {"LOWER": {"IN": ["wants", "supports", "favors", "favours", "backs", "endorses"]}}],
                         [{"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "it", "this", "that", "what", "which", "who", "everyone", "everybody",
                                                                 "nobody", "no", "one", "city", "state", "labor", "union"]}},
                          {"LOWER": {"IN": ["wants", "supports", "favors", "favours"]}}],
                         [{"LOWER": {"IN": ["he", "she"]}}, {"LOWER": {"IN": ["plans", "intends"]}}, {"LOWER": "to"}],
                         # "her plan commits $5 million to…", "it commits to the creation of…" (not "commits crimes")
                         [{"LOWER": "commits"}, {"LOWER": {"IN": ["to", "$", "us", "the", "an", "a"]}}],
                         [{"LOWER": "commits"}, {"LIKE_NUM": True}],
                         [{"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "it", "this", "that", "what", "which"]}}, {"LOWER": {"IN": ["plans", "intends"]}}, {"LOWER": "to"}],
                         [{"LOWER": {"IN": ["his", "her"]}}, {"LOWER": {"IN": ["pledge", "promise", "commitment", "proposal"]}}, {"LOWER": "to"}],
                         [{"LOWER": {"IN": ["his", "her"]}}, {"LOWER": "plan"}, {"LOWER": "to"}, {"LOWER": {"IN": sorted(PLAN_VERBS)}}],
                         # "Golar Richie's plan calls for…", "his proposal would require…"
                         # (a person's: not "the city's plan will raise fees")
                         [{"LOWER": {"IN": ["his", "her"]}}, {"LOWER": {"IN": ["plan", "proposal", "agenda", "platform"]}},
                          {"LOWER": {"IN": ["calls", "would", "will", "includes"]}}],
                         [{"IS_TITLE": True, "LOWER": {"NOT_IN": [*sorted(self._CITY_BODIES), "state", "county", "the"]}},
                          {"LOWER": {"IN": ["'s", "’s"]}}, {"LOWER": {"IN": ["plan", "proposal", "agenda", "platform"]}},
                          {"LOWER": {"IN": ["calls", "would", "will", "includes"]}}]])
        add("PAST", [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["have", "'ve", "’ve", "had", "'d"]}, "OP": "?"}, {"LOWER": {"IN": ["also", "already", "successfully", "proudly", "personally"]}, "OP": "?"}, {"LOWER": {"IN": PAST_MARKERS}}],
                     [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["have", "'ve", "’ve"]}}, {"LOWER": {"REGEX": "^[a-z]+(ed|en|ght|wn|ne|un)$"}}],
                     [{"LOWER": "as"}, {"LOWER": {"IN": ["a", "the"]}}, {"LOWER": {"IN": ["councilor", "councillor", "city", "state", "former", "district", "chair", "chairman", "member", "senator", "representative", "superintendent", "teacher", "director"]}}],
                     [{"LOWER": {"IN": ["since", "ago", "last", "previously", "formerly", "during", "when"]}}],
                     [{"LOWER": {"IN": ["has", "have"]}}, {"LOWER": "been"}]])
        # a biography's record in the third person: "As councilor, Frank created the Snow Shovel
        # program", "She launched…" (only a plan verb's past tense: "Walsh proposed…" reports a pledge)
        adverbs = ["also", "later", "then", "successfully", "personally", "consistently", "repeatedly", "recently", "previously",
                   "proudly", "quietly", "tirelessly", "aggressively", "directly"]
        verb = {"IS_ALPHA": True, "LOWER": {"NOT_IN": adverbs}}
        add("PAST_3P", [[{"LOWER": {"IN": ["he", "she"]}}, {"LOWER": {"IN": adverbs}, "OP": "?"}, verb],
                        [{"IS_TITLE": True, "LOWER": {"NOT_IN": ["i", "we", "it", "this", "that", "the", "there", "they", "you", "if",
                                                                 "when", "as"]}},
                         {"LOWER": {"IN": adverbs}, "OP": "?"}, verb]])
        add("PAST", [[{"LOWER": "as"}, {"LOWER": {"IN": ["councilor", "councillor", "superintendent", "commissioner", "treasurer",
                                                         "alderman", "alderwoman", "selectman", "legislator"]}}]])
        # "He has extended the innovation ecosystem…", "she has led…": a biography's perfect
        add("PAST", [[{"LOWER": {"IN": ["he", "she"]}}, {"LOWER": {"IN": ["has", "had"]}},  # not "he's determined to…"
                      {"LOWER": {"IN": adverbs + ["already"]}, "OP": "?"},
                      {"LOWER": {"REGEX": "^[a-z]+(ed|en|ght|wn|ne|un|ilt|ent)$",
                                 "NOT_IN": ["proposed", "pledged", "promised", "vowed", "committed", "said", "stated", "been",
                                            "written", "outlined", "unveiled", "announced"]}}]])
        add("VALUE", [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["believe", "know", "think", "feel", "love", "care"]}}],
                      [{"LOWER": {"IN": ["deserve", "deserves"]}}]])
        add("LOGISTICS", [[{"LOWER": {"IN": ["donate", "donation", "volunteer", "rsvp", "contribute", "chip", "click", "subscribe", "register", "tickets"]}}],
                          # "Make a Donation", "Sign the Ethics Pledge", "Add your name to this petition": the
                          # campaign asks the reader (not "Make the permit office…", "Sign the compact")
                          [{"LOWER": "make"}, {"LOWER": {"IN": ["a", "your"]}}, {"LOWER": {"IN": ["donation", "contribution", "gift"]}}],
                          [{"LOWER": "sign"}, {"LOWER": {"IN": ["the", "our", "this", "my"]}}, {"IS_ALPHA": True, "OP": "?"},
                           {"LOWER": {"IN": ["petition", "pledge"]}}],
                          [{"LOWER": "add"}, {"LOWER": "your"}, {"LOWER": {"IN": ["name", "voice"]}}],
                          [{"LOWER": "join"}, {"LOWER": {"IN": ["us", "me", "our", "the"]}}],
                          [{"LOWER": "sign"}, {"LOWER": "up"}], [{"LOWER": "paid"}, {"LOWER": "for"}, {"LOWER": "by"}],
                          # "Write to plan@…", "Email us": how to reach the campaign ("Write a new
                          # zoning code" is a pledge)
                          [{"LOWER": "write"}, {"LOWER": {"IN": ["to", "us", "me"]}}],
                          [{"LOWER": {"IN": ["email", "e-mail", "text", "call"]}}, {"LOWER": {"IN": ["us", "me"]}}],
                          [{"LOWER": "e"}, {"LOWER": "-"}, {"LOWER": "mail"}, {"LOWER": {"IN": ["us", "me"]}}],
                          # a page's navigation and the campaign's events: "Read the details in…",
                          # "Learn more", "Join Elena for a neighborhood walk" (not "Join the
                          # regional compact", a pledge)
                          [{"LOWER": "read"}, {"LOWER": {"IN": ["more", "about"]}}],
                          [{"LOWER": "read"}, {"LOWER": {"IN": ["the", "our", "my", "his", "her"]}}, {"LOWER": "full", "OP": "?"},
                           {"LOWER": {"IN": ["details", "plan", "platform", "agenda", "story", "statement", "op", "release", "letter", "transcript"]}}],
                          [{"LOWER": "learn"}, {"LOWER": "more"}], [{"LOWER": "find"}, {"LOWER": "out"}, {"LOWER": "more"}],
                          [{"LOWER": {"IN": ["download", "watch"]}}, {"LOWER": {"IN": ["the", "our", "my"]}, "OP": "?"},
                           {"LOWER": {"IN": ["video", "ad", "plan", "pdf", "debate", "speech", "interview", "flyer", "brochure"]}}],
                          # "Explore the Issues", "See our plan", "View the full platform": a menu's links
                          [{"LOWER": {"IN": ["explore", "see", "view", "browse"]}}, {"LOWER": {"IN": ["the", "our", "my", "all"]}, "OP": "?"},
                           {"LOWER": "full", "OP": "?"},
                           {"LOWER": {"IN": ["issues", "plan", "plans", "platform", "agenda", "priorities", "policies", "video", "pdf"]}}],
                          [{"LOWER": "join"}, {"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "our", "us", "me"]}}, {"LOWER": {"IN": ["for", "at", "on"]}}]])
        add("OPPONENT", [[{"LOWER": {"IN": ["opponent", "opponents", "rival", "rivals", "challenger", "incumbent"]}}],
                         [{"LOWER": {"IN": ["he", "she", "they"]}}, {"LOWER": {"IN": ["wants", "want", "claims", "claim", "says"]}}],
                         # "they plan to ban…", "they're proposing higher taxes", "they have promised to
                         # abolish…": in a candidate's text a "they" who plans is the other side ("he
                         # plans to" stays a reporter's account of the candidate)
                         [{"LOWER": "they"}, {"LOWER": {"IN": ["are", "'re", "’re", "have", "'ve", "’ve"]}, "OP": "?"},
                          {"LOWER": {"IN": ["plan", "planning", "propose", "proposing", "promise", "promised", "promising",
                                            "pledge", "pledged", "pledging", "intend", "vow", "vowed"]}}]])
        add("WILL", [[{"LOWER": {"IN": FUTURE + ["going"]}}], [{"LOWER": "gon"}, {"LOWER": "na"}]])
        # a thing (not the speaker) "will help / benefit / boost …": a claim about effects, which
        # is evidence against an undertaking unless the speaker also commits to act
        effect_verbs = ["help", "benefit", "boost", "enable", "allow", "improve", "strengthen", "support", "deliver",
                        "make", "create", "mean", "result", "lead", "drive", "give", "increase", "reduce", "see",
                        "promote", "encourage", "provide", "bring", "generate", "ensure", "transform", "cost", "hurt",
                        "damage", "raise", "lower", "attract", "add", "save", "protect", "pay", "lose", "destroy",
                        "appeal", "unlock", "spur", "stimulate", "fuel", "accelerate", "pave", "assist", "facilitate",
                        "ease", "lift", "revitalise", "revitalize", "underpin", "complement", "reinforce", "flow"]
        # what a thing "will be": "a boon for the region", "a catalyst for growth", "a game-changer"
        effect_nouns = ["boon", "catalyst", "changer", "gamechanger", "win", "boost", "lifeline", "magnet",
                        "engine", "driver", "benefit", "blessing", "cornerstone", "shot", "godsend", "springboard"]
        not_the_speaker = {"LOWER": {"NOT_IN": ["i", "we", "administration", "government", "city"]}, "IS_ALPHA": True}
        add("EFFECT", [[not_the_speaker,
                        {"LOWER": {"IN": ["will", "would", "could", "should"]}},
                        {"LOWER": {"IN": ["also", "further", "greatly", "directly", "significantly", "only", "not"]}, "OP": "?"},
                        {"LOWER": {"IN": effect_verbs}}],
                       [not_the_speaker,
                        {"LOWER": {"IN": ["will", "would", "could", "should"]}},
                        {"LOWER": {"IN": ["also", "further", "only", "not"]}, "OP": "?"}, {"LOWER": "open"}, {"LOWER": "up"}],
                       [not_the_speaker,
                        {"LOWER": {"IN": ["will", "would", "could"]}}, {"LOWER": {"IN": ["also", "further", "only"]}, "OP": "?"},
                        {"LOWER": "be"}, {"LOWER": {"IN": ["a", "an", "the"]}},
                        {"LOWER": {"NOT_IN": effect_nouns + [".", ",", ";"]}, "OP": "{0,3}"}, {"LOWER": {"IN": effect_nouns}}]])
        add("PASSIVE_FUTURE", [[{"LOWER": {"IN": FUTURE}}, {"LOWER": "be"}, {"LOWER": {"REGEX": "^[a-z]+(ed|en|wn|lt|ght|ne|ut|un|id)$"}}],
                               # "the work is expected to be completed by 2018", "is scheduled to be finished"
                               [{"LOWER": {"IN": ["is", "are"]}}, {"LOWER": {"IN": ["expected", "scheduled", "due", "slated", "set"]}},
                                {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": {"REGEX": "^[a-z]+(ed|en|wn|lt|ght|ne|ut|un|id)$"}}]])
        # "we are investing / delivering…" reports what is under way (a record, by the datasheet's
        # convention), where "we are committing / announcing…" undertakes
        add("PROGRESSIVE", [[{"LOWER": {"IN": ["is", "are", "'s", "’s", "'re", "’re", "am", "'m", "’m"]}},
                             {"LOWER": {"IN": ["already", "now", "also", "still"]}, "OP": "?"},
                             {"LOWER": {"IN": ["investing", "providing", "delivering", "funding", "allocating", "establishing",
                                               "creating", "spending", "building", "supporting", "helping", "improving",
                                               "expanding", "growing", "rolling"]}}]])
        add("COMMITTING", [[{"LOWER": {"IN": ["is", "are", "'s", "’s", "'re", "’re", "am", "'m", "’m"]}},
                            {"LOWER": {"IN": ["committing", "pledging", "promising", "launching", "introducing",
                                              "determined", "committed", "dedicated", "announcing", "unveiling"]}}],
                           # "we're set to invest" (not "the council is set to vote Tuesday"); "I'm
                           # asking the university to…" (not "I'm asking for your vote")
                           [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["am", "are", "'m", "’m", "'re", "’re"]}}, {"LOWER": "set"}, {"LOWER": "to"}],
                           [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["am", "are", "'m", "’m", "'re", "’re"]}}, {"LOWER": "asking"},
                            {"LOWER": {"IN": ["the", "every", "our", "all", "each", "local", "state", "city", "area"]}}]])
        add("NEGATION", [[{"LOWER": {"IN": ["not", "never", "n't", "n’t", "no"]}}]])
        add("CONDITIONAL", [[{"LOWER": {"IN": ["if", "unless", "maybe", "perhaps", "might", "could", "consider"]}}]])
        self._plan_heading_re = None
        self.plan_heading_words = set()
        for entry in load_lexicon(plan_headings) if (LEXICON_DIR / plan_headings).exists() else []:
            self.plan_heading_words.add(entry)

    def __call__(self, doc: Doc) -> Doc:
        cues = {}
        first = next((t for t in doc if not t.is_punct and not t.is_space), None)
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "FUT_3P":
                # "the department will hire…" is the administration's; "this will…" a thing's
                label = {"city": "FUT_CITY", "thing": "FUT_THING"}.get(self._subject_kind(doc, start), label)
            if label == "EFFECT" and self._subject_kind(doc, start) != "thing":
                continue  # "Jane will create 300 jobs", "the Coalition will deliver": an undertaking
            if label == "EFFECT" and doc[start].lower_ in ("that", "which"):
                # "…will provide $40 million towards a crossing that will reduce congestion": the
                # effect of what the sentence's own clause does, not the sentence's claim
                continue
            if label == "LOGISTICS" and (first is None or start != first.i) and doc[start].lower_ != "rsvp":
                # "Donate today", "Paid for by the Committee…", "Join us Saturday" open the line;
                # "volunteer firefighters", "paid for by the bond", "join the regional
                # cooperative" inside a sentence are policy
                continue
            if label == "PAST_3P":
                if not self._is_a_third_person_record(doc, start, end):
                    continue
                label = "PAST"
            if label == "PAST" and doc[start].lower_ == "when" and [t.lower_ for t in doc[start + 1:start + 4]] in (
                    ["i", "am", "mayor"], ["i", "'m", "mayor"], ["i", "’m", "mayor"]):
                continue  # "When I'm mayor, …" looks ahead
            if label == "REPORTED" and doc[start].lower_ == "announced" and end < len(doc) - 1 \
                    and doc[end].lower_ in ("his", "her", "their", "a") \
                    and doc[end + 1].lower_ in ("candidacy", "campaign", "run", "bid", "endorsement", "retirement") \
                    and (end + 2 >= len(doc) or doc[end + 2].lower_ not in ("to", "'s", "’s", "will", "plan")):
                continue  # "announced his candidacy": news of the race, no undertaking
            if label == "REPORTED" and doc[start].lower_ in ("called", "calls", "calling") and start > 0 \
                    and doc[start - 1].lower_ in ("which", "that", "it", "this"):
                continue  # "the reorganization plan, which calls for…": what a document says, not a candidate's proposal
            if label == "REPORTED" and doc[end - 1].lower_ in ("wants", "supports", "favors", "favours") \
                    and self._name_follows_a_preposition(doc, start):
                continue  # "every parent in Port Aurelia wants…": a place, not a candidate
            if label == "REPORTED" and doc[start].lower_ in ("his", "her") and start > 0 \
                    and doc[start - 1].lower_ in ("broke", "broken", "kept", "defended", "abandoned", "dropped", "criticized", "attacked"):
                continue  # "She broke her promise to…": a record or an attack
            if label == "PAST" and end - start == 1 and doc[start].lower_ in self._WEAK_PAST \
                    and _FUTURE_WORD_RE.search(text_of(doc)) and self._opens_a_time_clause(doc, start):
                continue  # "…will work with providers during the rollout": a time word, not a record
            if label == "PAST" and doc[end - 1].lower_ == "got" and (
                    doc[end - 2].lower_ in ("have", "'ve", "’ve") or (end < len(doc) and doc[end].lower_ == "ta")):
                continue  # "we've got to…", "we've got a plan", "we gotta…": have, not a record
            if label == "PAST" and doc[end - 1].lower_ in ("committed", "pledged", "promised", "vowed"):
                continue  # "we have committed $12 million to…", "I have pledged to…": a pledge made, not a record
            condition_end = self._election_condition(doc, start) if label == "CONDITIONAL" else 0
            if condition_end:
                # "If elected, I will…", "if re-elected, the Coalition will…": the condition every
                # campaign promise carries, not a hedge (and no pledge either: "If elected,
                # Connolly will…" is still Connolly's)
                cues.setdefault("ELECTED", doc[start:condition_end].text)
                continue
            if label in ("PROGRESSIVE", "COMMITTING") and doc[start].lower_ in ("'s", "’s") and start > 0 \
                    and doc[start - 1].lower_ not in self._IS_CONTRACTED:
                continue  # "the city's building permits", "the city's dedicated bus lanes": a possessive
            if label == "PROGRESSIVE" and ("ELECTED" in cues or _FORWARD_TIME_RE.search(text_of(doc))):
                continue  # "If elected, I'm investing…", "is rolling out a new app next month"
            if label == "NEED" and self._rhetorical_let(doc, start):
                continue
            if label in ("NEED", "SUPPORT") and self._turn_of_speech(doc, end):
                continue  # "I have to say…", "I want to be clear": a turn of speech
            if label == "NEED" and self._asks_for_a_leader(doc, end):
                continue  # "We need a mayor who shows up", "we need new leadership": the campaign's pitch, no action
            if label in ("FUT_1P", "FUT_3P", "FUT_CITY", "FUT_THING") and end < len(doc) and doc[end].lower_ in self._WARNING_VERBS:
                continue  # "We will lose our home", "we'll suffer for it": a warning, no undertaking
            if label == "PLEDGE" and doc[start].lower_ in ("are", "'re", "’re") and start > 0 \
                    and doc[start - 1].lower_ in ("they", "you"):
                continue  # "they're planning to…": not the speaker's plan
            if label == "OPPONENT" and doc[start].lower_ == "they" and start > 0 and doc[start - 1].is_alpha \
                    and doc[start - 1].lower_ not in ("and", "but", "now", "yet", "secondly", "firstly", "also", "instead", "today"):
                # "what they propose", "the jobs they promised": a clause inside the sentence, about
                # residents or companies; the other side's plan opens its clause ("They're planning
                # to…", "Secondly, they have promised…", "and they are proposing…")
                continue
            if label in ("NEED", "SUPPORT") and self._in_relative_clause(doc, start):
                continue  # "the funding we need", "the jobs our city needs": no action of the speaker
            if doc[end - 1].lower_ == "wo" and end < len(doc):
                end += 1  # quote "won't" whole, not its first half
            cues.setdefault(label, doc[start:end].text)
        effect = cues.get("EFFECT", "").lower().split()
        for key in ("PLEDGE", "FUT_1P"):
            said = cues.get(key, "").lower().split()
            if len(said) == 3 and said[1] in self._PLAN_WORDS and effect[:2] == said[1:]:
                # "Our plan will help families…": the plan is a thing and this is its effect, a claim
                # (corpus datasheet), unlike "my plan will put 500 officers on the street"
                del cues[key]
        if _PRIORITY_TOPIC_RE.search(text_of(doc)):
            for key in ("PLEDGE", "FUT_1P"):
                if any(w in cues.get(key, "").lower().split() for w in ("priority", "focus")):
                    del cues[key]
        label = self._label(doc)
        doc._.label_end = label[1] if label is not None and label[1] > 0 else None
        if label is not None and label[1] >= 0 and _label_word(label[0]) in self._ASKERS:
            # a host's or moderator's line asks; it undertakes nothing ("HOST: Let's talk roads.")
            cues = {k: v for k, v in cues.items() if k not in UNDERTAKING_CUES}
            cues["ASKER"] = label[0]
        opener = self._after_label(doc, first, label)
        if opener is not None and self._is_manner_adverb(opener) and opener.i + 1 < len(doc):
            # "Fully fund the schools", "Successfully recruited two employers": the verb after the adverb opens the line
            opener = doc[opener.i + 1]
        if opener is not None and self._opens_with_action(doc, opener):
            cues["VERB_FIRST"] = opener.text
        elif (opener is not None and opener is not first and first is not None and self._opens_with_action(doc, first)
              and opener.lower_ not in self._DISCOURSE_OBJECTS.get(first.lower_, ())):
            cues["VERB_FIRST"] = first.text  # the label is the action: "Fix #2: an early-voting site…"
        if opener is not None and opener.is_title and not (UNDERTAKING_CUES & cues.keys()) and _is_past_tense(opener.lower_) \
                and self._takes_an_object(doc, opener.i) and not _FUTURE_WORD_RE.search(text_of(doc)):
            cues["PAST_OPENING"] = opener.text  # "Created the city's first data office": a record, even as a bullet
        if first is not None and first.text.startswith("$") and any(t.lower_ in ("for", "to", "towards", "toward") for t in doc[first.i + 1:first.i + 4]) \
                and _is_a_sum(doc, first.i):
            cues["FUNDING_LINE"] = doc[first.i:first.i + 3].text
        last = next((t for t in reversed(doc) if not t.is_space), None)
        if last is not None and last.text.endswith("?"):
            cues["QUESTION"] = "?"
        doc._.cues = cues
        return doc

    # words after which "we need…" opens a clause of its own ("and we need to", "that's why we
    # must"); after any other word it is a relative clause ("the resources we need to…")
    _CLAUSE_OPENERS = frozenset({"and", "but", "so", "that", "because", "why", "now", "then", "today", "here", "also",
                                 "if", "when", "as", "where", "together", "first", "finally", "yes", "no", "still",
                                 "think", "believe", "know", "say", "said", "says", "feel", "agree", "means", "mean",
                                 "is", "was", "the", "our", "my", "this", "a", "or", "yet", "while", "since",
                                 "instead", "again", "too", "mayor", "i", "what", "how", "next", "until", "before",
                                 "after", "once", "tonight", "tomorrow", "year", "day", "clear", "simple"})

    # past markers that a sentence in the future tense uses of its own timeline ("…will work with
    # providers during the rollout"); "when" only where it opens a time clause (see below)
    _WEAK_PAST = frozenset({"during", "when", "last", "since"})

    _ASKING_WORDS = frozenset({"tell", "tells", "told", "know", "knows", "knew", "ask", "asks", "asked", "wonder", "wonders",
                               "wondered", "decide", "decides", "decided", "explain", "explains", "explained", "say", "says",
                               "said", "sure", "idea", "clue", "you", "us", "me", "them", "him", "her", "see", "guess"})

    def _opens_a_time_clause(self, doc: Doc, i: int) -> bool:
        """Whether "when" at ``i`` opens a time clause ("When Parliament resumes, we will…", "…, when
        the bridge opens, we will…"), not a question inside the sentence ("nobody can tell you when
        your streetlight will be fixed": a complaint). Other weak markers always do."""
        if doc[i].lower_ != "when":
            return True
        # after a verb of knowing or telling, or its object, "when" asks ("tell you when…", "know when…");
        # anywhere else it opens a time clause, also after the main clause ("we will reopen the pool
        # when the repairs are finished")
        return i == 0 or doc[i - 1].lower_ not in self._ASKING_WORDS

    # words in -ly that are no adverb of manner ("Only…", "Early voting…", "Family…")
    _NOT_MANNER = frozenset({"only", "early", "family", "daily", "weekly", "monthly", "yearly", "likely", "really", "july",
                             "italy", "supply", "apply", "reply", "rally", "ally", "holy", "ugly", "bully", "lily", "sally",
                             "kelly", "emily", "molly", "holly", "billy", "polly", "nearly", "friendly", "elderly", "costly",
                             "lonely", "lovely", "timely", "orderly", "quarterly", "hourly", "fly", "belly", "jelly", "rely"})

    # what a campaign says the city needs when it pitches its candidate ("a mayor who…", "new leadership")
    _LEADER_WORDS = frozenset({"mayor", "leader", "leaders", "leadership", "manager", "champion", "voice"})
    # verbs after "we will" that warn of what befalls the city rather than undertake anything
    _WARNING_VERBS = frozenset({"lose", "suffer", "regret", "drown", "perish"})
    _AFTER_A_LEADER = frozenset({"who", "that", "with", "at", "in", "for", "to", "willing", "committed", "ready", "and", "than"})

    def _asks_for_a_leader(self, doc: Doc, end: int) -> bool:
        """Whether what is needed (from ``end``) is a leader: "a mayor who…", "new leadership", "a
        strong voice at City Hall" — the campaign's pitch, not something the city would do."""
        if end < len(doc) and doc[end].lower_ == "to":
            return False
        for t in doc[end:end + 3]:
            if t.lower_ in self._LEADER_WORDS:
                after = doc[t.i + 1] if t.i + 1 < len(doc) else None
                # "new leadership with the courage…", not "better leadership training"
                return after is None or after.is_punct or after.lower_ in self._AFTER_A_LEADER
        return False

    def _name_follows_a_preposition(self, doc: Doc, start: int) -> bool:
        """Whether the capitalized name ending at ``start`` stands after a preposition ("in Port Aurelia")."""
        while start > 0 and doc[start - 1].is_title:
            start -= 1
        return start > 0 and doc[start - 1].lower_ in self._PREPOSITIONS

    def _is_manner_adverb(self, token) -> bool:
        """Whether a word in -ly is an adverb of manner ("Fully", "Successfully"), not a name or a noun."""
        lower = token.lower_
        return lower.endswith("ly") and len(lower) > 4 and lower not in self._NOT_MANNER and token.is_alpha

    # after a past tense opening a line, what makes it a verb with its complement ("Partnered with
    # local developers", "Worked directly with the founders"), as a record lists it
    _RECORD_PREPOSITIONS = frozenset({"with", "alongside"})

    def _takes_an_object(self, doc: Doc, i: int) -> bool:
        """Whether the word at ``i`` is followed by its object ("Created the…", "Hired 100…", "Built
        over 400…"), as a verb is, not by a bare noun ("Trained mental health responders on every
        call", "Licensed child care"), as a participle opening a noun phrase may be."""
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and nxt.like_num and (nxt.text in SERVICE_NUMBERS or (i + 2 < len(doc) and doc[i + 2].text in ("-", "–"))):
            return False  # "Accelerated 30-day permit reviews", "Automated 311 tracking": a noun phrase
        if nxt is not None and doc[i].lower_ in self._ASPECT_PASTS and nxt.lower_.endswith("ing") and len(nxt) > 4:
            return True  # "Commenced delivering landing pads", "Started publishing response times"
        if nxt is not None and nxt.lower_ in self._RECORD_PREPOSITIONS:
            return True
        if nxt is not None and self._is_manner_adverb(nxt) and i + 2 < len(doc) and doc[i + 2].lower_ in self._RECORD_PREPOSITIONS:
            return True
        if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha and self._in_running_text(doc):
            return True  # "Launched Wicked Free Wi-Fi…", "Created StartHub, a city office…": a name as object
        return nxt is not None and (nxt.lower_ in OBJECT_OPENERS or nxt.like_num or nxt.text.startswith("$"))

    @staticmethod
    def _in_running_text(doc: Doc) -> bool:
        """Whether the line is written in sentence case (most words lower-case), so that a capital
        marks a name, not a title's style ("Expanded Library Hours")."""
        words = [t for t in doc if t.is_alpha and len(t) > 3]
        return len(words) >= 4 and sum(t.is_lower for t in words) >= 0.6 * len(words)

    _ASPECT_PASTS = frozenset({"started", "commenced", "continued", "resumed", "finished", "completed", "stopped", "ended"})

    _IS_CONTRACTED = frozenset({"he", "she", "it", "that", "there", "who", "what", "here", "everyone", "nobody", "everybody"})
    _ELECTED = frozenset({"elected", "reelected", "re-elected", "returned"})

    def _election_condition(self, doc: Doc, start: int) -> int:
        """The end of "If elected", "if I'm re-elected", "if we are returned", "if I win," "if you
        elect me" at ``start``, or 0 (not "if elected officials…", "if we win the federal grant",
        "if she is elected")."""
        if doc[start].lower_ != "if":
            return 0
        words = [t.lower_ for t in doc[start + 1:start + 8]]
        if words[:3] == ["you", "elect", "me"]:
            return start + 4
        at = 0
        if words[:1] and words[0] in ("i", "we"):
            at = 1
            if words[1:2] and words[1] in ("win", "become"):
                after = words[2:4]
                ends = not after or after[0] in (",", ".", "—", "–", "mayor", "office") or after in (
                    ["the", "election"], ["this", "race"], ["this", "election"], ["the", "race"], ["in", "november"])
                return start + 3 if ends else 0
        if words[at:at + 1] and words[at] in ("am", "are", "'m", "’m", "'re", "’re", "get", "is"):
            at += 1
        if words[at:at + 2] == ["re", "-"]:
            at += 2
        if not (words[at:at + 1] and words[at] in self._ELECTED):
            return 0
        after = words[at + 1:at + 2]
        if after and after[0].isalpha() and after[0] not in ("as", "mayor", "i", "we", "to", "in", "on", "next", "this"):
            return 0  # "if elected officials…"
        return start + at + 2

    def _in_relative_clause(self, doc: Doc, start: int) -> bool:
        """Whether "we need…" at ``start`` ends a noun phrase ("the funding we need", "the long-term
        funding we need to…"), not a clause of its own ("Everyone agrees we need to…", "In Boston we
        need to…", "Residents told me we need…")."""
        if start == 0:
            return False
        before = doc[start - 1]
        if not before.is_alpha or before.is_title or before.lower_.endswith("ly") or before.lower_ in self._CLAUSE_OPENERS:
            return False
        if before.lower_ in ("me", "us", "you", "him", "her", "them", "agree", "agrees", "show", "shows", "know", "knows"):
            return False
        return any(t.lower_ in self._NOUN_PHRASE_OPENERS for t in doc[max(0, start - 5):start - 1])

    # words that open the noun phrase a relative clause hangs on
    _NOUN_PHRASE_OPENERS = frozenset({"the", "a", "an", "our", "my", "their", "your", "this", "that", "these", "those",
                                      "every", "any", "all", "'s", "’s", "its", "his", "her", "some", "no"})

    def _turn_of_speech(self, doc: Doc, end: int) -> bool:
        """ "I have to say", "I want to be clear": the words after a NEED or SUPPORT match ending at ``end``."""
        at = end if doc[end - 1].lower_ == "to" else end + 1 if end < len(doc) and doc[end].lower_ == "to" else None
        return at is not None and at < len(doc) and doc[at].lower_ in ("say", "admit", "tell", "thank", "be")

    _COORDINATORS = {"&", "and", "or", ",", "/", "+"}
    _DISCOURSE_OBJECTS = {"put": {"another", "simply", "differently", "bluntly", "briefly", "plainly", "otherwise"},
                          "continue": {"reading", "»", "→", ">"}, "let": {"me"}, "welcome": {"to", "back"},
                          # "Send us your ideas", "Order your lawn sign", "Rank your choices": logistics
                          "send": {"us", "me", "this", "in"}, "order": {"now", "your", "of", "online"},
                          "rank": {"your"}, "answer": {"yes", "these", "following"},
                          "bring": {"your", "a"}, "find": {"out"}}  # "Bring your questions", "Bring a friend": an event's
    # the people who ask, in a transcript: their lines are no one's pledge
    _ASKERS = {"host", "moderator", "anchor", "q", "question", "interviewer", "reporter", "panelist", "audience"}
    _CAUSATIVE_OBJECTS = {"the", "a", "an", "every", "all", "our", "each", "city", "police", "schools", "departments"}

    # a line's label: a speaker ("DUFRESNE:", "MR. WALSH:", "WALSH (D):", "Walsh (01:02:13):",
    # "10:32: Walsh:"), a card or an idea ("Idea #8:", "Card 6 —"), an answer ("A.", "A:")
    _LABEL_RE = re.compile(
        r"^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?:?\s+)?"
        r"((?:(?:MR|MS|MRS|DR|Mr|Ms|Mrs|Dr)\.\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z#\d][\w'’.-]*|#\s*\d+)){0,3}"
        r"(?:\s*\([^()]{0,20}\))?)\s*([:—–]|(?<=^[AQ])\.)\s+")
    # words that open a news page's tag lines: "Related: Fight over casino…", "BREAKING: Order issued…"
    _NEWS_TAGS = {"related", "breaking", "update", "updated", "watch", "read", "note", "photo", "photos", "opinion",
                  "pros", "cons", "editor's", "editor’s", "video", "listen", "see", "also"}

    def _label(self, doc: Doc):
        """The label opening a line and the character where the line's own words begin, or None.
        A dateline ("BOSTON —") is no label; a news tag's line has no opener (returns ``(tag, -1)``)."""
        found = self._LABEL_RE.match(text_of(doc))
        if found is None:
            return None
        label, end = found.group(1), found.group(2)
        if end in "—–" and label.replace(" ", "").replace(".", "").isupper():
            return None  # "BOSTON — Work on the bridge stalled": a dateline
        if _label_word(label) in self._NEWS_TAGS:
            return label, -1
        return label, found.end()

    def _after_label(self, doc: Doc, first, label):
        """The first word after ``label`` (from ``_label``) that opens the line; ``first`` where there
        is none; None on a news tag's line or an asker's (their lines are no one's pledge)."""
        if first is None:
            return None
        if label is None:
            return first
        name, at = label
        if at < 0 or _label_word(name) in self._ASKERS:
            return None
        return next((t for t in doc if t.idx >= at and not t.is_punct and not t.is_space), None)

    def _opens_with_action(self, doc: Doc, first) -> bool:
        """An imperative opening ("Implement a CitiStat program", "Have the new pier built by 2015"),
        not an adjective in a topic heading ("Open & Inclusive Government")."""
        nxt = doc[first.i + 1] if first.i + 1 < len(doc) else None
        if first.lower_ == "have":
            return nxt is not None and nxt.lower_ in self._CAUSATIVE_OBJECTS
        if first.lower_ not in PLAN_VERBS:
            return False
        if nxt is not None and nxt.lower_ in self._DISCOURSE_OBJECTS.get(first.lower_, ()):
            return False  # "Put simply, …", "Continue reading": a turn of phrase or a link, no action
        after = doc[first.i + 2] if first.i + 2 < len(doc) else None
        if first.lower_ == "continue" and nxt is not None and nxt.lower_ == "to" and (after is None or after.lower_ in ("the", "next", "page")):
            return False  # "Continue to the next page" (but "Continue to fund the program")
        if self._rhetorical_let(doc, first.i):
            return False
        if first.lower_ == "add" and nxt is not None and nxt.lower_ == "to" and after is not None and after.lower_ in ("this", "that", "which", "all"):
            return False  # "Add to this the cost of…" (but "Add to the city's tree canopy")
        if nxt is not None and first.lower_ in self._COMPOUND_HEADS and nxt.lower_ in self._COMPOUND_HEADS[first.lower_]:
            return False  # "Tax hikes on business…", "Rent increases…": a noun, not an order
        if nxt is not None and nxt.lower_ in self._COORDINATORS:
            # "Open & Inclusive Government" is a topic; "End or redesign any program…", "Expand and
            # improve…" join two actions
            return after is not None and after.lower_ in PLAN_VERBS and first.lower_ not in self._ALSO_ADJECTIVES
        return True

    # plan verbs that open a noun compound with these ("Tax hikes", "Fund balances", "Rent increases")
    _COMPOUND_HEADS = {
        "tax": frozenset({"hikes", "hike", "increases", "increase", "breaks", "credits", "cuts", "rates", "bills", "relief",
                          "incentives", "abatements", "dollars", "revenue", "revenues", "base", "code", "burden", "payers",
                          "levy", "grab"}),
        "fund": frozenset({"balances", "balance", "transfers", "managers", "raisers", "raising"}),
        "rent": frozenset({"increases", "increase", "hikes", "hike", "payments", "burdens", "levels", "prices", "rolls"}),
    }

    # plan verbs that as often open a topic as adjectives ("Open & Clean Government", "Safe and
    # Sound Streets"); "Find and fix…", "Build and open…" join two actions
    _ALSO_ADJECTIVES = frozenset({"open", "clean", "free", "safe", "secure", "fair", "light", "direct", "smart"})

    # "Let's be clear", "Let's not kid ourselves", "Let me be honest": a turn of speech, no plan
    _LET_RHETORIC = {"not": {"kid", "forget", "pretend", "fool", "be", "mince"},
                     "be": {"clear", "honest", "real", "frank", "very", "perfectly", "absolutely", "blunt", "candid"},
                     "face": None, "remember": None, "recall": None, "hope": None, "talk": None, "say": None}
    # a rally's cheer, when the line ends soon after: "Let's seize it together!", "Let's do this",
    # "Let's get to work" (not "Let's get to zero traffic deaths by 2030")
    _LET_CHEERS = {"seize": {"it", "this", "that", "the"}, "do": {"this", "it", "that"}, "win": None, "go": None,
                   "get": {"to", "it", "this"}, "make": {"it", "history"}, "keep": {"going", "moving", "fighting"}}

    def _rhetorical_let(self, doc: Doc, i: int) -> bool:
        if not (doc[i].lower_ == "let" and i + 2 < len(doc) and doc[i + 1].lower_ in ("'s", "’s", "us", "me")):
            return False
        verb = doc[i + 2].lower_
        if verb in self._LET_CHEERS:
            then = self._LET_CHEERS[verb]
            words_after = sum(1 for t in doc[i + 3:] if t.is_alpha)
            return words_after <= 3 and (then is None or (i + 3 < len(doc) and doc[i + 3].lower_ in then))
        if verb not in self._LET_RHETORIC:
            return False
        then = self._LET_RHETORIC[verb]
        return then is None or (i + 3 < len(doc) and doc[i + 3].lower_ in then)

    # (the city's bodies are decided before a subject is asked whether it is a thing: _subject_kind)
    _THING_SUBJECTS = {"this", "it", "which", "that", "these", "they", "plan", "proposal", "program",
                       "initiative", "fund", "investment"}
    _POPULATIONS = {"residents", "families", "businesses", "companies", "taxpayers", "homeowners", "renters",
                    "tenants", "commuters", "students", "parents", "seniors", "workers", "patients", "voters",
                    "people", "children", "kids", "consumers", "drivers", "riders", "farmers", "employers"}
    _DEMONYMS = frozenset({"angelenos", "yorkers", "texans", "americans", "oregonians", "bostonians"})
    _PREPOSITIONS = {"in", "of", "at", "for", "from", "across", "to", "with", "on", "under", "throughout", "into",
                     "near", "around", "along", "between"}
    _CITY_BODIES = {"city", "office", "department", "agency", "authority", "board", "commission", "division", "bureau"}
    _DETERMINERS = {"the", "a", "an", "this", "these", "that", "those", "our", "their", "its", "his", "her"}
    # subjects that are the campaign or the government it would run, never a mere thing
    _AGENTS = {"he", "she", "administration", "campaign", "government", "coalition", "party", "team", "mayor"}

    def _is_thing(self, doc: Doc, start: int) -> bool:
        """A third-person future whose subject is a thing ("This will", "the Sporting Hub will"),
        not a person or the campaign ("As mayor, Jane will", "the administration will"): a
        claim about what something will do, which is evidence of an undertaking only weakly."""
        first = doc[start]
        if first.lower_ in self._AGENTS:
            return False
        if first.lower_ in self._THING_SUBJECTS or first.lower_ in self._POPULATIONS:
            return True
        if (len(first) >= 8 and first.lower_.endswith(("ians", "eans", "oans", "cans"))) or first.lower_ in self._DEMONYMS:
            return True  # "Australians will see…", "Bostonians will pay…": the people a policy touches
        # walk back over a capitalised name ("the new Sporting Hub", "the Turnbull Government")
        begin = start
        while begin > 0 and doc[begin - 1].lower_ not in self._DETERMINERS and (
                doc[begin - 1].is_title or (begin > 1 and doc[begin - 1].lower_ in ("and", "&") and doc[begin - 2].is_title)):
            begin -= 1
        if any(t.lower_ in self._AGENTS for t in doc[begin:start + 1]):
            return False
        # "the Coalition's Jobs Package will…", "a bowls facility in Devonport will…": the name ends
        # a longer subject, a thing (not "the Mayor of Boston will…")
        if begin > 0 and doc[begin - 1].lower_ in ("'s", "’s"):
            return True
        if begin > 0 and doc[begin - 1].lower_ in self._PREPOSITIONS:
            return not any(t.lower_ in self._AGENTS for t in doc[max(0, begin - 4):begin])
        while begin > 0 and doc[begin - 1].lower_ in ("new", "proposed", "planned", "upgraded"):
            begin -= 1
        return begin > 0 and doc[begin - 1].lower_ in self._DETERMINERS

    _PLAN_WORDS = frozenset({"plan", "proposal", "agenda", "platform"})
    # after a name, what was said or made public ("Hernandez added", "Oduya released a plan"), or
    # the rest of a name ("Brannock Unified"): no record of governing
    _NOT_RECORD_VERBS = frozenset({"added", "noted", "stated", "explained", "answered", "replied", "shared", "released",
                                   "reported", "announced", "unified", "united"})
    _PARTICIPLE_FOLLOWERS = frozenset({"by", "to", "in", "with", "that", "within", "for", "at", "on", "under"})

    def _is_a_third_person_record(self, doc: Doc, start: int, end: int) -> bool:
        """Whether "She launched…", "Frank created…" (``doc[start:end]``, subject and verb) tells a
        record: the subject opens its clause and the verb is a plan verb's past tense — not "a task
        force chaired by…", "Streetlights repaired within 72 hours", "Build protected crosswalks"."""
        word = doc[end - 1].lower_
        # after a subject, "expanded" is a verb, not the adjective that opens a bullet
        past = _is_past_of_a_plan_verb(word) or (word in _PARTICIPLE_ADJECTIVES and word.endswith("ed"))
        opens_clause = start == 0 or doc[start - 1].text in (",", "—", "–", ":")
        return (past and opens_clause and word not in self._NOT_RECORD_VERBS and doc[start].lower_ not in PLAN_VERBS
                and not (end < len(doc) and doc[end].lower_ in self._PARTICIPLE_FOLLOWERS))
    _PERSONS = {"i", "we", "he", "she"}  # "they" may be programs as well as people
    # what makes "the … Authority" or "the … board" someone else's body, not the city's
    _OTHER_BODIES = frozenset({"state", "federal", "national", "county", "campaign", "post", "company", "census",
                               "regional", "school", "university", "company's", "state's"})

    def _subject_kind(self, doc: Doc, start: int) -> str:
        """Who the subject ending at ``start`` (the word before "will") is: "city" (the city or one
        of its bodies: "the department will…", "the Department of Public Works will…"), "agent" (a
        person or the campaign: "Jane will", "he will", "the Coalition will") or "thing" ("this will",
        "rents in the city will", "a facility in Devonport will", "Kansas City will")."""
        subject = doc[start]
        lower = subject.lower_
        before = [t.lower_ for t in doc[max(0, start - 3):start]]
        if lower in self._CITY_BODIES:
            if lower == "city" and start > 0 and doc[start - 1].is_title and doc[start - 1].lower_ not in self._DETERMINERS:
                return "thing"  # "Kansas City", "New York City": a place
            if self._OTHER_BODIES & set(before):
                return "thing"  # "the state board will decide", "the Port Authority's…"
            if len(before) >= 2 and before[-1] in self._DETERMINERS and before[-2] in self._PREPOSITIONS:
                return "thing"  # "rents in the city will…", "no one in this city will…"
            return "city"
        if lower in self._PERSONS or lower in self._AGENTS:
            return "agent"
        if self._is_thing(doc, start):
            # "the Department of Public Works will…", "the Office of Housing Stability will…"
            begin = start
            while begin > 0 and doc[begin - 1].lower_ not in self._PREPOSITIONS and start - begin < 5:
                begin -= 1
            if begin > 0 and doc[begin - 1].lower_ in ("of", "for") and any(
                    t.lower_ in self._CITY_BODIES for t in doc[max(0, begin - 3):begin - 1]) and not (
                    self._OTHER_BODIES & {t.lower_ for t in doc[max(0, begin - 4):begin - 1]}):
                return "city"
            return "thing"
        return "agent" if subject.is_title else "thing"

    # a section of campaign logistics: what stands under "Join us Saturday: …", "Get involved",
    # "Upcoming events" is about the event ("Childcare will be available"), not the city
    _LOGISTICS_HEADING_RE = re.compile(
        r"^\W*(?:join\s+(?:us|me|our\s+campaign|the\s+campaign)\b|rsvp\b|donate\b|chip\s+in\b|paid\s+for\s+by\b"
        r"|save\s+the\s+date\b|house\s+part(?:y|ies)\b|phone\s+bank|canvass|upcoming\s+events?\b"
        # the words that also open policy headings ("Volunteer service for a stronger city",
        # "Get involved in your city's future: my plan") count only as the whole heading
        r"|(?:volunteer|get\s+involved|events?|sign\s+up|contribute)"
        r"(?:\s+(?:today|now|with\s+us|this\s+(?:week|month)|with\s+[\w’']+\s+campaign))?\W*$)",
        re.I)

    def is_logistics_heading(self, heading: str) -> bool:
        """Whether a heading opens a section of campaign logistics (events, volunteering, donations)."""
        return self._LOGISTICS_HEADING_RE.search(heading) is not None

    def is_plan_heading(self, heading: str) -> bool:
        """Whether a heading names a plan: a word or phrase of the lexicon, as whole words ("vision"
        is not in "Division", "plan" not in "Planet")."""
        if self._plan_heading_re is None:
            words = sorted(self.plan_heading_words, key=len, reverse=True) or ["\0"]
            self._plan_heading_re = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
        return self._plan_heading_re.search(heading.lower()) is not None


# -- concreteness facets ----------------------------------------------------------------------
_SMALL_WORDS = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "or", "&"}
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "hundreds", "thousand", "thousands",
                "million", "millions", "billion", "dozen", "dozens", "half", "third", "quarter"]
SCALE_WORDS = ["million", "billion", "thousand", "hundred", "m", "bn", "k"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
EVERY_NOUN_STOP = {"day", "time", "way", "one", "thing", "bit", "step", "single", "opportunity", "chance", "effort",
                   "other", "year", "month", "week", "quarter", "morning", "night", "too", "over", "around", "across"}
SERVICE_NUMBERS = {"311", "911", "211", "411"}


@Language.factory(
    "analyzer_facets",
    default_config={"metrics": "metrics.txt", "owners": "owners.txt", "reference_year": None},
)
def make_facets(nlp: Language, name: str, metrics: str, owners: str, reference_year: int | None):
    return FacetMatcher(nlp, metrics, owners, reference_year)


class FacetMatcher:
    """Finds the facets of ANNOTATION.md §3 as spans; sets ``doc._.facets`` and ``doc._.facet_spans``.

    ``reference_year`` (the election's year) turns dates before it into records, not deadlines.
    """

    def __init__(self, nlp: Language, metrics: str = "metrics.txt", owners: str = "owners.txt",
                 reference_year: int | None = None):
        self.reference_year = reference_year
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, lexicon in (("metric", metrics), ("owner", owners)):
            if (LEXICON_DIR / lexicon).exists():
                patterns = [nlp.make_doc(v) for e in load_lexicon(lexicon) for v in _variants(e)]
                self.phrases.add(label, patterns)
        m = self.matcher = RuleMatcher(nlp.vocab)
        num = {"LIKE_NUM": True}
        m.add("target", [
            [{"TEXT": {"REGEX": r"^\d[\d,.]*%?$"}}, {"LOWER": {"IN": ["%", "percent", "per", "percentage"]}, "OP": "?"}],
            [{"LOWER": {"IN": ["double", "doubling", "triple", "tripling", "halve", "halving", "quadruple", "zero"]}}],
            [{"LOWER": {"IN": ["cut", "cutting", "reduce", "reducing"]}}, {"OP": "{0,4}"}, {"LOWER": "in"}, {"LOWER": "half"}],
            [{"LOWER": {"IN": ["every", "all", "each"]}}, {"IS_ALPHA": True, "LOWER": {"NOT_IN": list(EVERY_NOUN_STOP) + ["of", "the", "we", "i", "our", "that", "this", "these"]}}],
            [{"LOWER": {"IN": NUMBER_WORDS}}, {"LOWER": {"IN": ["new", "more", "additional", "fewer", "percent", "%"]}, "OP": "?"}, {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["of", "or", "and", "to", "another", "day"]}}],
            [{"LOWER": {"IN": ["thousands", "hundreds", "dozens", "millions"]}}, {"LOWER": "of"}],
            # "four of these locations", "half of the fleet": a share of a named set ("one of the best" is not)
            [{"LOWER": {"IN": [w for w in NUMBER_WORDS if w != "one"]}}, {"LOWER": "of"},
             {"LOWER": {"IN": ["the", "these", "those", "our", "its", "their", "all", "every", "them", "city's", "city’s"]}}],
            [{"LOWER": {"IN": ["at", "no"]}}, {"LOWER": {"IN": ["least", "more", "fewer", "less"]}}, {"LOWER": "than", "OP": "?"}, num],
        ])
        m.add("deadline", [
            [{"LOWER": {"IN": ["by", "before", "until", "through", "in", "during"]}}, {"LOWER": {"IN": MONTHS}, "OP": "?"}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
            # "by the end of 2026", "by the fall of 2027", "in Fall 2026", "before the 2029 storm season", "by mid-2027"
            [{"LOWER": {"IN": ["by", "before", "until", "in", "during", "starting", "beginning", "from"]}}, {"LOWER": {"IN": ["the", "in"]}, "OP": "?"},
             {"LOWER": {"IN": ["end", "start", "beginning", "middle", "close", "spring", "summer", "fall", "autumn", "winter", "mid", "first", "second"]}},
             {"LOWER": {"IN": ["-", "half", "quarter"]}, "OP": "?"}, {"LOWER": "of", "OP": "?"}, {"LOWER": "the", "OP": "?"}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
            [{"LOWER": {"IN": ["by", "before"]}}, {"LOWER": "the"}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
            [{"LOWER": {"IN": ["on", "by", "before"]}}, {"LOWER": {"IN": MONTHS}}, {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}}],
            [{"LOWER": "next"}, {"LOWER": {"IN": MONTHS}}, {"LOWER": {"NOT_IN": ["'s", "’s"]}}],
            [{"LOWER": {"IN": ["by", "before", "within", "in"]}}, {"LOWER": {"IN": ["the", "my", "our", "his", "her", "their"]}, "OP": "?"},
             {"LOWER": {"IN": ["end", "first", "next", "start", "beginning", "middle", "second", "third", "fourth", "final"]}},
             {"OP": "{0,4}"}, {"LOWER": {"IN": ["term", "year", "years", "days", "months", "budget", "administration", "session", "decade", "summer", "fall", "spring", "winter", "quarter", "week", "weeks"]}}],
            [{"LOWER": {"IN": ["within", "in", "over"]}}, {"LOWER": {"IN": ["the", "my", "his", "her", "their"]}, "OP": "?"}, {"LOWER": {"IN": ["next", "first"]}, "OP": "?"}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["days", "weeks", "months", "years", "year", "month", "day"]}}],
            # "for the next four years", "during his first two years" (not "for 20 years I have served")
            [{"LOWER": {"IN": ["for", "during"]}}, {"LOWER": {"IN": ["the", "my", "our"]}, "OP": "?"}, {"LOWER": {"IN": ["next", "first"]}}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["days", "weeks", "months", "years", "year", "month", "day"]}}],
            [{"LOWER": {"IN": ["by", "before", "in", "until"]}}, {"LOWER": {"REGEX": r"^(mid|early|late)-(19|20)\d\d$"}}],
            [{"LOWER": {"IN": ["first", "1st"]}}, {"LIKE_NUM": True}, {"LOWER": "days"}],
            [{"LOWER": "on"}, {"LOWER": "day"}, {"LOWER": {"IN": ["one", "1"]}}],
            [{"LOWER": "on"}, {"LOWER": {"IN": ["my", "her", "his", "our"]}}, {"LOWER": "first"}, {"LOWER": {"IN": ["day", "morning"]}}],
            # a start date: "starting March 1", "beginning in 2024", "starting next school year", "starting
            # with the 2027 tax bill"
            [{"LOWER": {"IN": ["starting", "beginning", "effective"]}}, {"LOWER": {"IN": ["in", "on"]}, "OP": "?"}, {"LOWER": {"IN": MONTHS}},
             {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th)?$"}, "OP": "?"}],
            [{"LOWER": {"IN": ["starting", "beginning", "effective"]}}, {"LOWER": {"IN": ["in", "with", "the"]}, "OP": "{0,2}"}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
            [{"LOWER": {"IN": ["starting", "beginning"]}}, {"LOWER": {"IN": ["next", "this"]}},
             {"LOWER": {"IN": ["year", "month", "fall", "spring", "summer", "winter", "school", "fiscal", "budget", "season"]}}],
            [{"LOWER": {"IN": ["next", "this"]}}, {"LOWER": {"IN": ["year", "spring", "summer", "fall", "winter", "budget"]}}],
            [{"LOWER": {"IN": ["by", "before"]}}, {"LOWER": {"IN": MONTHS}}],
            [{"LOWER": {"IN": ["fy", "fiscal"]}}, {"TEXT": {"REGEX": r"^(19|20)?\d\d$"}}],
        ])
        m.add("budget", [
            [{"TEXT": {"REGEX": r"^(US)?\$\d[\d,.]*[kKmMbB]?$"}}, {"LOWER": {"IN": SCALE_WORDS}, "OP": "?"}],
            [{"TEXT": {"IN": ["$", "US$"]}}, {"LIKE_NUM": True}, {"LOWER": {"IN": SCALE_WORDS}, "OP": "?"}],
            [{"LIKE_NUM": True}, {"LOWER": {"IN": ["million", "billion", "thousand"]}, "OP": "?"}, {"LOWER": {"IN": ["dollars", "dollar"]}}],
            [{"LOWER": {"IN": ["capital", "operating", "general"]}}, {"LOWER": {"IN": ["budget", "fund", "plan"]}}],
            [{"LOWER": {"IN": ["federal", "state", "philanthropic", "private", "matching", "foundation"]}}, {"LOWER": {"IN": ["grant", "grants", "funds", "funding", "dollars", "money", "match"]}}],
            [{"LOWER": {"IN": ["bond", "bonds", "levy", "tif", "surcharge", "fee", "fees", "revenue", "revenues", "endowment", "appropriation"]}}],
            [{"LOWER": {"IN": ["fund", "funded", "paid", "pay", "financed", "finance"]}}, {"LOWER": {"IN": ["by", "through", "from", "with", "for"]}}],
            [{"LOWER": {"IN": ["social", "pay"]}}, {"LOWER": {"IN": ["impact", "for"]}}, {"LOWER": {"IN": ["bond", "bonds", "success"]}}],
        ])
        service_units = ["minute", "minutes", "hour", "hours", "seconds"]
        m.add("metric", [
            [{"LOWER": {"IN": ["rate", "rates", "times", "time", "percentage", "share", "number", "count", "levels", "level", "score", "scores", "ratio", "backlog", "emissions"]}}, {"LOWER": "of", "OP": "?"}],
            # a service standard names the time it measures: "answer every call within one minute", "fill
            # every pothole within three business days", "a bus every 15 minutes" (a term's "within two
            # years" is a deadline)
            [{"LOWER": {"IN": ["within", "under", "in"]}}, {"LOWER": {"IN": ["less", "no", "one", "a"]}, "OP": "?"},
             {"LOWER": {"IN": ["than", "more", "single"]}, "OP": "?"}, {"LOWER": "than", "OP": "?"}, num, {"LOWER": {"IN": service_units}}],
            [{"LOWER": {"IN": ["within", "under", "in"]}}, {"LOWER": {"IN": ["less", "no"]}, "OP": "?"},
             {"LOWER": {"IN": ["than", "more"]}, "OP": "?"}, {"LOWER": "than", "OP": "?"}, num, {"LOWER": "business"}, {"LOWER": {"IN": ["day", "days"]}}],
            [{"LOWER": "every"}, num, {"LOWER": {"IN": service_units}}],
            # the indicator a report will count: "how long permits take", "how many participants are working"
            [{"LOWER": "how"}, {"LOWER": {"IN": ["long", "many", "much", "often", "quickly", "fast"]}}, {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["i", "we", "you", "of"]}}],
            # a share to move: "no more than 7 percent of its income", "70 percent of new hires"
            [{"LOWER": {"IN": ["percent", "%", "percentage"]}}, {"LOWER": "of"}, {"LOWER": {"IN": ["the", "its", "their", "our", "new", "all", "city", "city's", "city’s"]}, "OP": "?"},
             {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["the", "a", "an", "it", "them", "that", "this"]}}],
        ])
        m.add("owner", [
            [{"LOWER": "chief"}, {"IS_ALPHA": True, "OP": "{1,2}"}, {"LOWER": "officer"}],
            [{"LOWER": {"IN": ["office", "department", "dept", "bureau", "division", "commissioner", "director"]}}, {"LOWER": "of"}, {"IS_TITLE": True}],
            [{"IS_TITLE": True}, {"LOWER": {"IN": ["commission", "council", "authority", "board", "task", "office", "department", "university", "college", "foundation", "committee", "partnership", "alliance", "taskforce", "agency", "institute", "commissioner"]}}],
            [{"LOWER": {"IN": ["task", "advisory", "blue"]}}, {"LOWER": {"IN": ["force", "board", "ribbon", "council", "committee"]}}],
            # a named partner government or post: "the City of Cambridge", "Suffolk County", "the
            # Secretary of Transportation", "the Minister for Health"
            [{"LOWER": {"IN": ["city", "town", "county", "borough", "village", "commonwealth", "state"]}}, {"LOWER": "of"},
             {"IS_TITLE": True, "LOWER": {"NOT_IN": ["emergency", "tomorrow", "mind", "play", "affairs", "grace", "the"]}}],
            [{"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "every", "each", "our", "my", "this", "a", "an", "any", "no", "all"]}}, {"LOWER": "county"}],
            [{"LOWER": {"IN": ["minister", "secretary", "ministers"]}}, {"LOWER": {"IN": ["for", "of"]}}, {"IS_TITLE": True}],
            # a named partner: "partner with Northam Habitat for Humanity", "ask Copperhill Power & Light to…",
            # "with the Emberwick YMCA"
            [{"LOWER": {"IN": _PARTNER_LEADS}}, {"LOWER": "the", "OP": "?"},
             {"TEXT": {"REGEX": r"^[A-Z][\w.'’-]*$"}, "LOWER": {"NOT_IN": ["the", "city", "our", "my", "every", "each", "i", "we", "mayor"]}},
             {"TEXT": {"REGEX": r"^(?:[A-Z0-9][\w.'’-]*|&)$"}, "OP": "{0,3}"}],
            # partner governments: "work with the county", "ask the state to…"
            [{"LOWER": {"IN": _PARTNER_LEADS}}, {"LOWER": {"IN": ["the", "our"]}},
             {"LOWER": {"IN": ["county", "state", "council", "legislature", "region", "unions", "union", "delegation", "governor"]}}],
        ])

    def __call__(self, doc: Doc) -> Doc:
        spans: dict[str, list[Span]] = {f: [] for f in FACETS}
        for match_id, start, end in self.phrases(doc):
            spans[doc.vocab.strings[match_id]].append(doc[start:end])
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            if label == "owner" and doc[start].lower_ in _PARTNER_LEADS:
                # the partner is the name, not "with the" before it
                start += 1 + (doc[start + 1].lower_ in ("the", "our"))
            span = doc[start:end]
            if self._keep(label, span, doc):
                spans[label].append(span)
        # a number inside a deadline ("first 100 days") or an amount ("$5 million") is not a target
        taken = [(s.start, s.end) for s in spans["deadline"] + spans["budget"]]
        spans["target"] = [s for s in spans["target"] if not any(a < s.end and s.start < b for a, b in taken)]
        spans["owner"] = [s for s in spans["owner"] if s.text.lower() not in ("mayor", "the mayor", "city", "the city")]
        doc._.facet_spans = {k: _dedupe(v) for k, v in spans.items()}
        doc._.facets = {k: bool(v) for k, v in doc._.facet_spans.items()}
        return doc

    def _is_an_indicator(self, span: Span, doc: Doc) -> bool:
        """Whether "time", "number", "share", "level" name a quantity to move ("response times",
        "the number of homeless families", "the share of residents who…"), not a turn of phrase
        ("at a time of", "for the first time", "a phone number", "share the cost")."""
        head = span[0].lower_
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        after = [t.lower_ for t in doc[span.end:span.end + 4]]
        if head in ("time", "times"):
            # "response times", "plowing times", "on-time performance", "the time it takes to…"
            return (before in _TIME_METRIC_MODIFIERS or before.endswith(("ing", "ment")) and before not in ("during", "long")
                    or before == "on" or (before == "-" and span.start > 1 and doc[span.start - 2].lower_ == "on")
                    or (before == "the" and after[:2] in (["it", "takes"], ["it", "took"]))
                    # "cut the time to approve a housing project" (not "it is time to act")
                    or (before == "the" and after[:1] == ["to"] and span.start > 1
                        and doc[span.start - 2].lower_ in ("cut", "cuts", "cutting", "reduce", "reducing", "shorten", "halve", "track",
                                                           "measure", "publish", "report", "post", "lower", "speed")))
        if head in ("level", "levels"):
            return (before in _LEVEL_METRIC_MODIFIERS or bool(re.match(r"^(19|20)\d\d$", before))
                    or (span[-1].lower_ == "of" and bool(after) and after[0] in _LEVEL_METRIC_MODIFIERS))
        if head == "number":
            return span[-1].lower_ == "of" and before not in ("phone", "telephone", "a", "any")
        if head == "share":
            return span[-1].lower_ == "of" and before not in ("to", "will", "would", "fair", "a")
        return True

    _THRESHOLD_WORDS = frozenset({"exceeding", "earning", "earn", "earns", "making", "costing", "worth", "valued",
                                  "totaling", "totalling"})
    _BOUNDS = frozenset({"over", "under", "above", "below"})
    # words after which "over $5 million" is the amount spent, however bounded ("invest over",
    # "will be over", "to over"), not a line drawn ("contracts over")
    _SPENT_AFTER = frozenset({"invest", "spend", "dedicate", "provide", "commit", "allocate", "raise", "save", "add",
                                 "put", "bring", "secure", "deliver", "borrow", "fund", "direct", "devote", "redirect",
                                 "earmark", "give", "award", "grant", "return", "leverage", "invests", "spends", "be",
                                 "will", "'ll", "’ll", "to", "and", "of", "with", "by"})

    def _is_a_threshold(self, doc: Doc, i: int) -> bool:
        """Whether the amount at ``i`` draws a line ("contracts over $250,000", "families earning
        under $75,000", "costing more than $1 million") rather than says what is spent."""
        before = [t.lower_ for t in doc[max(0, i - 3):i]]
        if before[-1:] and before[-1] in self._THRESHOLD_WORDS:
            return True
        if before[-1:] and before[-1] in self._BOUNDS:
            return len(before) >= 2 and before[-2].isalpha() and before[-2] not in self._SPENT_AFTER
        return len(before) == 3 and before[1] in ("more", "less") and before[2] == "than" and before[0] in self._THRESHOLD_WORDS

    def _keep(self, label: str, span: Span, doc: Doc) -> bool:
        text = span.text.lower()
        if label == "target":
            first = span[0]
            # "21st century", "3rd", "2nd": ordinals are no target
            if re.match(r"^\d+(st|nd|rd|th)$", first.lower_):
                return False
            nxt = doc[span.end] if span.end < len(doc) else None
            if re.match(r"^(19|20)\d\d$", first.text) and span.end - span.start == 1:
                return False  # a bare year is a date, not a target
            if nxt is not None and nxt.lower_ in ("century", "centuries", "st", "nd", "th"):
                return False
            if first.lower_ == "one" and nxt is not None and nxt.lower_ == "of":
                return False  # "one of the best"
            before = doc[first.i - 1] if first.i > 0 else None
            if (before is not None and before.is_title and before.lower_ not in PLAN_VERBS and first.is_title
                    and first.lower_ in NUMBER_WORDS and nxt is not None and nxt.is_title
                    and not all(t.is_title or t.is_punct or t.like_num or t.lower_ in _SMALL_WORDS for t in doc)):
                return False  # "the March Quarter National Accounts": a name (not "Open Three New Health Centers")
            if first.lower_ in NUMBER_WORDS and span.end - span.start == 3 and span[1].lower_ == "of" and nxt is not None \
                    and nxt.lower_ in ("best", "most", "largest", "biggest", "top", "worst", "few", "many"):
                return False  # "two of the best schools"
            if doc._.label_end is not None and first.idx < doc._.label_end:
                return False  # "Idea #8:", "Card 6 —": the label's number
            if first.lower_ == "one" and span.end - span.start <= 2 and span[-1].lower_ in ("day", "another", "thing", "way", "city", "boston", "step"):
                return False
            if first.i > 0 and doc[first.i - 1].text in ("$",):
                return False
            if first.i > 0 and doc[first.i - 1].lower_ in ("since", "in", "of", "from", "district", "ward", "route", "no", "chapter", "section", "article", "question", "proposition", "prop", "amendment") and re.match(r"^\d+$", first.text):
                return False
            if first.text.startswith("$") or first.text in SERVICE_NUMBERS:
                return False
            return True
        if label == "metric" and span[0].lower_ in _GENERIC_METRIC_HEADS:
            return self._is_an_indicator(span, doc)
        if label == "metric" and span[0].lower_ in ("percent", "%", "percentage"):
            # "one percent of the hotel tax", "75 percent of the cost": a share of money is how a pledge
            # is paid for, not an indicator to move
            return not any(t.lower_ in _MONEY_WORDS for t in doc[span.start + 2:span.end + 4])
        if label == "deadline":
            years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
            if years and self.reference_year and max(years) < self.reference_year:
                return False  # a date before the election is a record, not a deadline
            if years and span[0].lower_ in ("in", "during", "through"):
                # "in 2009" reads as a record unless the sentence looks ahead
                if not (doc._.cues or {}).keys() & {"FUT_1P", "FUT_3P", "FUT_THING", "FUT_CITY", "PLEDGE", "REPORTED"} and not re.search(r"\b(will|'ll|would|by)\b", text_of(doc).lower()):
                    return False
            if years and (doc._.cues or {}).get("PAST") and not (doc._.cues or {}).keys() & {"FUT_1P", "FUT_3P", "PLEDGE"} \
                    and not (self.reference_year and min(years) >= self.reference_year):
                return False  # "By 2010 we had cut crime" (but "closed since 2020, reopened by spring 2027")
            return True
        if label == "budget":
            tok = span[0]
            after = [t.lower_ for t in doc[span.end:span.end + 8]]
            if tok.text.startswith("$") or tok.text in ("$", "US$"):
                # "Ca$h" or "Ke$ha": a dollar sign inside a word is no amount
                if tok.i > 0 and doc[tok.i - 1].text and doc[tok.i - 1].whitespace_ == "" and doc[tok.i - 1].text[-1:].isalnum():
                    return False
                # "$22 an hour", "$1,800 a month", "$2.75 a ride": a wage, a rent or a price
                scaled = any(t.lower_ in _SCALE_WORDS for t in doc[tok.i + 1:tok.i + 3])
                if not scaled and after[:2] and after[0] in ("an", "a", "per") and after[1:2] and after[1] in _RATE_UNITS:
                    return False  # but "$2 million a month" is a budget
                if self._is_a_threshold(doc, tok.i):
                    return False  # "contracts over $250,000", "families earning under $75,000": a line drawn, not money spent
            if span[-1].lower_ in ("bond", "bonds") and after[:1] and after[0] in ("between", "with", "among", "of"):
                return False  # "the bond between the police and this community"
            if span[-1].lower_ == "for" and span[0].lower_ in ("pay", "paid") \
                    and not any(w in ("by", "through", "from", "with", "using") for w in after):
                return False  # "the people who pay for it", "homes they've paid for": no funding source
            return True
        return True


# the words before a named partner: "partner with…", "ask the state to…", "hire Lanternwell Health"
_PARTNER_LEADS = ["with", "ask", "asking", "asked", "urge", "join", "joining", "convene", "hire", "contract", "lobby", "petition"]
_MONEY_WORDS = frozenset({"cost", "costs", "budget", "budgets", "tax", "taxes", "revenue", "revenues", "funds", "funding", "money",
                          "dollars", "price", "prices", "bill", "bills", "levy", "grant", "grants", "spending", "reserves", "project"})
# heads of the generic metric pattern that name an indicator only with the right neighbours
_GENERIC_METRIC_HEADS = frozenset({"time", "times", "level", "levels", "number", "share"})
_TIME_METRIC_MODIFIERS = frozenset({"response", "wait", "waiting", "travel", "commute", "commuting", "processing", "turnaround",
                                    "review", "approval", "permitting", "arrival", "transit", "emergency", "ambulance",
                                    "average", "median", "hold", "repair", "trip", "journey", "decision", "answer", "dispatch",
                                    "inspection", "closing", "completion", "cycle", "lead", "down", "run", "running"})
_LEVEL_METRIC_MODIFIERS = frozenset({"crime", "poverty", "lead", "noise", "pollution", "staffing", "service", "water", "ozone",
                                     "reading", "literacy", "grade", "achievement", "proficiency", "employment", "unemployment",
                                     "homelessness", "vacancy", "emission", "emissions", "traffic", "congestion", "violence", "debt"})


# what a price, a wage or a rent is counted in ("$15 an hour"); "$5 million a year" is a budget
def _is_a_sum(doc: Doc, i: int) -> bool:
    """Whether the amount at token ``i`` is a sum a budget holds ("$4 million", "$250,000"), not a
    price ("$5 for adults")."""
    if any(t.lower_ in _SCALE_WORDS for t in doc[i:i + 3]):
        return True
    digits = "".join(c for t in doc[i:i + 2] for c in t.text if c.isdigit() or c == ".").split(".")[0]
    return len(digits) >= 4


_SCALE_WORDS = frozenset({"million", "billion", "thousand", "trillion", "m", "bn", "k", "mn"})
_RATE_UNITS = frozenset({"hour", "month", "night", "ride", "trip", "ticket", "visit", "day", "week", "gallon", "bag", "unit"})


def _dedupe(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and span.start < out[-1].end:
            continue
        out.append(span)
    return out


# -- buzzwords --------------------------------------------------------------------------------
@Language.factory("analyzer_buzzwords", default_config={"lexicon": "buzzwords.txt"})
def make_buzzwords(nlp: Language, name: str, lexicon: str):
    return BuzzwordMatcher(nlp, lexicon)


class BuzzwordMatcher:
    """Matches the buzzword lexicon across case, hyphen and plural variants; sets ``doc._.buzzwords``."""

    def __init__(self, nlp: Language, lexicon: str = "buzzwords.txt"):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        path = LEXICON_DIR / lexicon
        entries = load_lexicon(lexicon) if path.exists() else []
        self.matcher.add("BUZZ", [nlp.make_doc(v) for e in entries for v in _variants(e)])

    def __call__(self, doc: Doc) -> Doc:
        # a word of the lexicon inside a named office is part of a name, not boilerplate: "appoint a
        # Chief Innovation Officer" names a post to fill (needs the facets component to run first)
        owners = doc._.facet_spans.get("owner", []) if doc._.facet_spans else []
        doc._.buzzwords = _dedupe([doc[s:e] for _, s, e in self.matcher(doc)
                                   if not any(o.start <= s and e <= o.end for o in owners)])
        return doc


# -- pipelines --------------------------------------------------------------------------------
def _add_abbreviations(nlp: Language) -> None:
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr.lower(), abbr.capitalize()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


@functools.lru_cache(maxsize=1)
def get_segmenter() -> Language:
    """The sentence splitter: en_core_web_sm's parser-free senter if installed, else the sentencizer."""
    try:
        nlp = spacy.load("en_core_web_sm", exclude=["ner", "lemmatizer", "attribute_ruler", "tagger", "parser"])
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        if "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    except (OSError, ImportError):
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    _add_abbreviations(nlp)
    nlp.max_length = 3_000_000
    return nlp


@functools.lru_cache(maxsize=4)
def get_nlp(reference_year: int | None = None) -> Language:
    """The feature pipeline run on every statement: tokenizer + cues + facets + buzzwords."""
    nlp = spacy.blank("en")
    _add_abbreviations(nlp)
    nlp.add_pipe("analyzer_cues")
    nlp.add_pipe("analyzer_facets", config={"reference_year": reference_year})
    nlp.add_pipe("analyzer_buzzwords")
    return nlp


# -- statements -------------------------------------------------------------------------------
_SENT_END_FIX = re.compile(r"\s+$")


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """The character span of each sentence (as ``doc.sents`` gives them), read from the token
    arrays: iterating ``doc.sents`` made a Python object per token."""
    rows = doc.to_array([SENT_START, IDX, LENGTH]).tolist()
    bounds = []
    begin = None
    for i, (sent_start, idx, length) in enumerate(rows):
        if sent_start == 1 or i == 0:
            if begin is not None:
                bounds.append((begin, end))
            begin = idx
        end = idx + length
    if begin is not None:
        bounds.append((begin, end))
    return bounds


def _opening_marks_forward(bounds: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The sentencizer ends a sentence after the opening mark of the quotation that follows
    ("…for mayor. “Nurses measure…"): the mark opens the next sentence, where a quote needs it."""
    out = list(bounds)
    for i in range(len(out) - 1):
        start, end = out[i]
        if end - start > 1 and text[end - 1] in "“‘\"" and text[end - 2].isspace():
            out[i] = (start, end - 1)
            out[i + 1] = (end - 1, out[i + 1][1])
    return out


def _has_quote_marks(text: str) -> bool:
    return "“" in text or text.count('"') >= 2


def split_statements(sections: Iterable[Section], page_text: str | None = None) -> list[Statement]:
    """Sentences of paragraphs, and bullets and headings whole, with offsets into the page text;
    a sentence inside a quotation the paragraph attributes to someone carries its ``speaker``."""
    seg = get_segmenter()
    statements: list[Statement] = []
    paragraphs = []
    for section in sections:
        if section.kind in ("heading", "item") or len(section.text) < 40:
            kind = {"heading": "heading", "item": "bullet"}.get(section.kind, "sentence")
            path = section.heading_path if section.kind != "heading" else section.heading_path
            speaker = None
            if kind == "bullet" and _has_quote_marks(section.text):
                speaker = quoted_speaker(quotations(section.text), 0, len(section.text))
            statements.append(Statement(text=section.text[:MAX_STATEMENT_CHARS], start=section.start,
                                        end=section.start + min(len(section.text), MAX_STATEMENT_CHARS),
                                        kind=kind, heading_path=path, page_number=section.page_number,
                                        speaker=speaker))
        else:
            paragraphs.append((len(statements), section))
            statements.append(None)  # placeholder keeps document order
    docs = seg.pipe([s.text for _, s in paragraphs], batch_size=256)
    filled: dict[int, list[Statement]] = {}
    for (slot, section), doc in zip(paragraphs, docs):
        out = []
        quotes = quotations(section.text) if _has_quote_marks(section.text) else []
        bounds = _opening_marks_forward(_sentence_bounds(doc), section.text)
        speakers = speakers_of_spans(quotes, bounds) if quotes else [None] * len(bounds)
        for (sent_start, sent_end), speaker in zip(bounds, speakers):
            raw = section.text[sent_start:sent_end]
            text = raw.strip()
            if not text or not any(c.isalpha() for c in text):
                continue
            start = section.start + sent_start + (len(raw) - len(raw.lstrip()))
            text = text[:MAX_STATEMENT_CHARS]
            out.append(Statement(text=text, start=start, end=start + len(text), kind="sentence",
                                 heading_path=section.heading_path, page_number=section.page_number,
                                 speaker=speaker))
        filled[slot] = out
    result: list[Statement] = []
    for i, st in enumerate(statements):
        if st is None:
            result.extend(filled.get(i, []))
        elif any(c.isalpha() for c in st.text):
            result.append(st)
    return result


# Verbs that name no checkable action on their own ("improve access", "support families"): the
# guide's buzzword test is whether the action can be checked, and these leave it open.
GENERIC_VERBS = ["improve", "support", "strengthen", "enhance", "promote", "help", "ensure", "continue", "boost",
                 "foster", "encourage", "address", "tackle", "prioritize", "prioritise", "focus", "explore",
                 "consider", "seek", "pursue", "advance", "empower", "secure", "drive", "grow", "embrace",
                 "champion", "prioritizing", "look", "strive", "work", "make", "bring", "deliver", "build"]
_GENERIC_LEAD = {"will", "'ll", "’ll", "would", "to", "shall", "and", "also", "further", "continue"}
_NOT_NAMES = {"i", "i'm", "i'll", "i've", "i'd", "mayor", "city", "the", "a", "an", "we", "our", "my"}


_HASH = spacy.strings.hash_string
_GENERIC_IDS = frozenset(_HASH(w) for w in GENERIC_VERBS)
_GENERIC_LEAD_IDS = frozenset(_HASH(w) for w in _GENERIC_LEAD)
_NOT_NAME_IDS = frozenset(_HASH(w) for w in _NOT_NAMES)
_BREAK_IDS = frozenset(_HASH(w) for w in (".", ":", "“", '"', "•", "-"))
_MODAL_IDS = frozenset(_HASH(w) for w in ("will", "'ll", "’ll", "would", "shall"))


def _token_stats(doc: Doc) -> tuple[int, bool, int]:
    """Words, whether the main action is a generic verb, and how many name-like words (programs,
    bodies, places, acronyms) the statement has beyond its first word.

    Read from the doc's attribute array: creating a Token object per word cost as much as
    tokenizing."""
    rows = doc.to_array([LOWER, IS_ALPHA, IS_TITLE, IS_UPPER, LENGTH]).tolist()
    words = generic = named = 0
    previous = 0
    subject_names = None
    for i, (lower, alpha, title, upper, length) in enumerate(rows):
        words += alpha
        if not generic and lower in _GENERIC_IDS and (i == 0 or previous in _GENERIC_LEAD_IDS):
            generic = 1
        if subject_names is None and lower in _MODAL_IDS:
            # the names before "will" say who acts ("A re-elected Turnbull Coalition Government
            # will…"), not what: only the names after it make the pledge specific
            subject_names = named
        if i and alpha and (title or (upper and length > 1)) and lower not in _NOT_NAME_IDS and previous not in _BREAK_IDS:
            named += 1
        previous = lower
    return words, bool(generic), named - (subject_names or 0)


class UnitFeatures(dict):
    """The rule-based view of one unit: cues, facets and their spans, buzzwords, density."""


def analyze_texts(texts: Iterable[str], reference_year: int | None = None) -> Iterator[UnitFeatures]:
    nlp = get_nlp(reference_year)
    tokenizer = nlp.tokenizer
    components = [proc for _, proc in nlp.pipeline]
    for text in texts:
        text = text[:MAX_STATEMENT_CHARS]
        doc = tokenizer(text)
        doc.user_data["text"] = text  # see text_of
        for proc in components:
            doc = proc(doc)
        words, generic, named = _token_stats(doc)
        buzz_tokens = sum(len(s) for s in doc._.buzzwords)
        yield UnitFeatures(
            generic_action=generic,
            named_words=named,
            cues=doc._.cues,
            facets=doc._.facets,
            facet_spans={k: [s.text for s in v] for k, v in doc._.facet_spans.items()},
            facet_offsets={k: [(s.start_char, s.end_char) for s in v] for k, v in doc._.facet_spans.items()},
            buzzwords=[s.text for s in doc._.buzzwords],
            buzzword_density=(buzz_tokens / words) if words else 0.0,
            words=words,
            has_digit=any(c.isdigit() for c in text),
        )
