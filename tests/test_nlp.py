import pytest

from analyzer.nlp import analyze_texts


def facets(text, year=2013):
    return next(analyze_texts([text], reference_year=year))


@pytest.mark.parametrize(
    "text, facet, expected",
    [
        ("Bring 21st-century innovation to City Hall.", "target", False),   # ordinal, not a target
        ("Make us one of the best cities in America.", "target", False),
        ("Make us one of the best cities in America.", "metric", False),
        ("Hire 200 more police officers.", "target", True),
        ("Open four of these locations on Sundays.", "target", True),     # a share of a named set
        ("Convert half of the city's fleet to electric.", "target", True),
        ("It is one of the things we will fix.", "target", False),
        ("The March Quarter National Accounts show growth.", "target", False),  # a name
        ("Open Three New Health Centers", "target", True),                  # a title-case pledge
        ("Two of the best schools closed.", "target", False),
        ("Idea #8: Answer calls within a day.", "target", False),      # the label's number
        ("Give every child a seat in pre-K.", "target", True),
        ("We will double the number of protected bike lanes.", "target", True),
        ("Publish 311 response times each month.", "metric", True),
        ("Plow every side street within 24 hours after the snow stops.", "metric", True),  # a service standard
        ("Answer resident emails within two business days.", "metric", True),
        ("Run Route 16 every 15 minutes.", "metric", True),
        ("Publish a quarterly report on how long permits take.", "metric", True),
        ("Hire residents for at least 40 percent of construction hours.", "metric", True),
        ("Dedicate one percent of the hotel tax to the arts.", "metric", False),  # a share of money
        ("Cut the time to approve a housing project from 14 months to four.", "metric", True),
        ("Now is the time to act.", "metric", False),
        ("Require every youth program to report attendance each year.", "metric", True),
        ("Open the new pier within two years.", "metric", False),  # a term's deadline, not a standard
        ("Publish 311 response times each month.", "target", False),      # 311 is a service, not a number
        ("Put every permit online by 2016.", "deadline", True),
        ("Appoint a chief data officer in my first 100 days.", "deadline", True),
        ("Open the new pier within two years.", "deadline", True),
        ("Finish the plan by the end of my first term.", "deadline", True),
        ("In 2009 I created the city's first open-data office.", "deadline", False),  # a record
        ("Publish on-time performance for every route every month.", "deadline", False),  # a frequency, not a date
        ("Convene a roundtable of tenants and landlords that meets quarterly.", "deadline", False),
        ("Residents can request a street tree through 311 starting March 1.", "deadline", True),
        ("Every city form goes online by my second year.", "deadline", True),
        ("On her first day, Cardenas will sign an executive order.", "deadline", True),
        ("Give every student a library card on the first day of school.", "deadline", False),  # every year's
        ("In the last year, crime fell.", "deadline", False),
        ("By 2010 we had cut crime by a third.", "deadline", False),
        ("Create a $5 million fund for pay-for-success contracts.", "budget", True),
        ("Pay for it from the capital budget.", "budget", True),
        ("Sponsor the Ca$h for Kids festival.", "budget", False),           # a dollar sign inside a name
        ("We'll rebuild the bond between the police and this community.", "budget", False),
        ("Put a $50 million housing bond on the ballot.", "budget", True),
        ("Make City Hall work for the people who pay for it.", "budget", False),
        ("I'll pay for the new library by selling the old garage.", "budget", True),
        ("Get young people into jobs that start at $22 an hour.", "budget", False),  # a wage
        ("Invest $5 million a year in park repairs.", "budget", True),
        ("We will spend $2 million a month on snow removal.", "budget", True),
        ("Appoint a Chief Innovation Officer.", "owner", True),
        ("Partner with the Emberwick YMCA to keep all eleven pools open.", "owner", True),  # a named partner
        ("Ask Copperhill Power & Light to bury the power lines.", "owner", True),
        ("I'll work with the county to extend the trail.", "owner", True),
        ("Fix the potholes on Elm Street.", "owner", False),
        ("Ask the Boston Redevelopment Authority to publish its deals.", "owner", True),
        ("The Housing Taskforce will report within six months.", "owner", True),  # one word, as often spelled
        ("Have the Police Commissioner publish response times.", "owner", True),
        ("Partner with the City of Cambridge on a shared bike network.", "owner", True),
        ("Work with Suffolk County on reentry programs.", "owner", True),
        ("Ask the Secretary of Transportation to fund the Green Line.", "owner", True),
        ("The state of our schools is a scandal.", "owner", False),
        ("Every County will get a clinic.", "owner", False),
        ("Declare a State of Emergency on housing.", "owner", False),
        ("A county-wide transit tax is no answer.", "owner", False),
        ("We'll break ground by the spring of 2027 and finish by the end of 2029.", "deadline", True),
        ("Open the terminal's appointment system by mid-2027.", "deadline", True),
        ("Raise the flood wall before the 2029 storm season.", "deadline", True),
        ("Keep property taxes flat for the next four years.", "deadline", True),
        ("For 20 years I have served this district.", "deadline", False),
        ("Cut 911 response times in half.", "metric", True),
        ("Double the number of kids in summer jobs.", "metric", True),
        ("At a time of uncertainty, we will manage the budget.", "metric", False),
        ("Put one phone number in charge of senior services.", "metric", False),
        ("Ask the county to share the cost of the road work.", "metric", False),
        ("Review every contract over $250,000 against its results.", "budget", False),
        ("No family earning under $75,000 pays more than 7 percent of income for child care.", "budget", False),
        ("Invest more than $5 million in the Main Street fund.", "budget", True),
        ("I will invest over $5 million in parks.", "budget", True),
    ],
)
def test_facets_tricky_cases(text, facet, expected):
    assert facets(text)["facets"][facet] is expected, facets(text)["facet_spans"]


def test_facets_come_with_spans():
    f = facets("Cut permit wait times in half by 2016.")
    assert f["facet_spans"]["deadline"] == ["by 2016"]
    assert f["facet_spans"]["target"]


def test_buzzwords_match_variants_and_density():
    f = facets("Bring 21st Century innovations and world class synergies to a Smart City.")
    assert len(f["buzzwords"]) >= 4
    assert f["buzzword_density"] > 0.3
    assert facets("Fill potholes within 48 hours.")["buzzword_density"] == 0


def test_a_buzzword_inside_a_named_office_is_part_of_the_name():
    f = facets("I will appoint a Chief Innovation Officer to lead this transformation.")
    assert f["facet_spans"]["owner"] == ["Chief Innovation Officer"]
    assert f["buzzwords"] == ["transformation"]
    assert facets("Bring 21st-century innovation to City Hall.")["buzzwords"]


@pytest.mark.parametrize(
    "text, cue",
    [
        ("As mayor, Jane will open a permit office.", "FUT_3P"),
        ("I'll work with the state to fund it.", "FUT_1P"),
        ("My administration will publish the data.", "FUT_1P"),
        ("I pledge to cut wait times.", "PLEDGE"),
        ("I created the first data office.", "PAST"),
        ("Join us on Saturday!", "LOGISTICS"),
        ("Would you support open data?", "QUESTION"),
        ("Ross pledged to put more services online.", "REPORTED"),
        ("We need to rethink how City Hall works.", "NEED"),
        ("Um, we're gonna fix the T, that's the bottom line.", "FUT_1P"),  # a transcript's spelling
        ("We gotta fix the schools.", "NEED"),
    ],
)
def test_commitment_cues(text, cue):
    assert cue in facets(text)["cues"]


@pytest.mark.parametrize(
    "text, cue",
    [
        ("This will create jobs downtown.", "FUT_THING"),
        ("The new Sporting Hub will be a boon.", "FUT_THING"),
        ("As mayor, Jane will open a permit office.", "FUT_3P"),  # a person, not a thing
    ],
)
def test_third_person_future_of_a_thing(text, cue):
    cues = facets(text)["cues"]
    assert cue in cues
    assert ({"FUT_3P", "FUT_THING"} - {cue}).isdisjoint(cues)


def test_rule_matcher_matches_like_a_spacy_matcher():
    """Fixed phrases run in a PhraseMatcher, patterns with a required word are evaluated around
    it, the rest in a Matcher: together, exactly the matches of one spaCy Matcher."""
    import spacy
    from spacy.matcher import Matcher

    from analyzer.nlp import RuleMatcher

    nlp = spacy.blank("en")
    patterns = {
        "A": [[{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["will", "'ll"]}}],
              [{"LOWER": "my"}, {"LOWER": {"IN": ["plan", "team"]}, "OP": "?"}, {"LOWER": "will"}]],
        "B": [[{"LOWER": "cut"}, {"OP": "{0,3}"}, {"LOWER": "half"}],
              [{"LIKE_NUM": True}, {"LOWER": "days"}],
              [{"IS_TITLE": True, "LOWER": {"NOT_IN": ["i", "the"]}}, {"LOWER": {"IN": ["will", "would"]}}],
              [{"LOWER": {"IN": ["i", "we"]}}, {"LOWER": {"IN": ["also", "then"]}, "OP": "*"}, {"LOWER": "pledge"}],
              [{"LOWER": "will"}, {"LOWER": "be"}, {"LOWER": {"REGEX": "^[a-z]+ed$"}}],
              [{"IS_ALPHA": True, "OP": "+"}, {"LOWER": "officer"}],
              [{"LOWER": "chief"}, {"IS_ALPHA": True, "OP": "{1,2}"}, {"LOWER": "officer"}]],
        "C": [[{"LIKE_NUM": True}, {"LOWER": "percent", "OP": "?"}]],  # no required word: a Matcher's
    }
    reference, fast = Matcher(nlp.vocab), RuleMatcher(nlp.vocab)
    for label, pats in patterns.items():
        reference.add(label, pats)
        fast.add(label, pats)
    assert len(fast.phrases) == 1 and len(fast.matcher) == 1 and len(fast.anchored) == 7
    for text in ["I will cut the wait in half within 100 days.", "My plan will help; my team will too.",
                 "We'll see. My will is strong.", "Nothing here.", "We also then pledge it. I pledge.",
                 "Jane will go and Bob Would not; the City will be renamed.", "Appoint a Chief Data Officer now.",
                 "Cut cut half half, 50 percent in 3 days.", ""]:
        doc = nlp(text)
        assert sorted(fast(doc)) == sorted(reference(doc)), text


def test_generic_actions_and_names():
    generic, named = facets("We will improve outcomes for families.")["generic_action"], facets("We will improve outcomes for families.")["named_words"]
    assert generic and named == 0
    f = facets("Appoint a Chief Innovation Officer at the Boston Redevelopment Authority.")
    assert not f["generic_action"] and f["named_words"] >= 4
    # who acts is no detail of the pledge: the names before "will" do not count
    assert facets("A re-elected Turnbull Coalition Government will support jobs and growth.")["named_words"] == 0
    assert facets("The Hale administration will reopen the Dover Street Recreation Center.")["named_words"] == 4


def test_amount_patterns_skip_texts_without_digits_and_match_the_same():
    # the Matcher's patterns all need a digit or "$": a text with neither does not run it
    import spacy
    from spacy.matcher import Matcher

    from analyzer.nlp import RuleMatcher

    nlp = spacy.blank("en")
    pats = [[{"TEXT": {"REGEX": r"^\$\d+$"}}, {"LOWER": "million", "OP": "?"}], [{"TEXT": {"IN": ["$", "US$"]}}, {"LIKE_NUM": True}]]
    reference, fast = Matcher(nlp.vocab), RuleMatcher(nlp.vocab)
    reference.add("budget", pats)
    fast.add("budget", pats)
    assert fast._matcher_needs_digits
    for text in ["Spend $5 million.", "Spend US$ five.", "Spend five million dollars.", "No money here."]:
        doc = nlp(text)
        assert sorted(fast(doc)) == sorted(reference(doc)), text
    fast.add("count", [[{"LIKE_NUM": True}, {"IS_ALPHA": True}]])  # "ten days": no digit needed
    assert not fast._matcher_needs_digits


def test_we_gotta_is_have_to_not_a_record():
    assert "PAST" not in facets("We gotta fix the schools.")["cues"]
    assert "PAST" in facets("We got the job done.")["cues"]


@pytest.mark.parametrize(
    "text, pledged",
    [
        ("My first priority will be public safety, period.", False),  # a topic: no action named
        ("My top priority is going to be jobs.", False),
        ("My first priority will be to reopen the Harker Avenue substation.", True),
        ("My first priority will be getting the buses on time.", True),
        ("My first budget will put 100 officers on the street.", True),
    ],
)
def test_a_priority_named_as_a_topic_is_no_first_person_pledge(text, pledged):
    assert ("FUT_1P" in facets(text)["cues"]) is pledged


def test_a_named_partner_is_the_owner_without_the_words_before_it():
    assert facets("Partner with the Emberwick YMCA to keep the pools open.")["facet_spans"]["owner"] == ["Emberwick YMCA"]
    assert facets("Ask the state to pay for it.")["facet_spans"]["owner"] == ["state"]
