import datetime as dt

import pytest

from analyzer.errors import FieldError
from analyzer.field import DEMO_FIELD, load_field

GOOD = """
[election]
city = "Boston"
state = "MA"
office = "Mayor"
year = 2013
dates = { preliminary = 2013-09-24, general = 2013-11-05 }

[[candidates]]
name = "John Connolly"
slug = "connolly"
sources = [ { url = "http://www.connollyforboston.com/", wayback = 2013-09-20 } ]

[[candidates]]
name = "Nobody Known"
slug = "nobody"
"""


def write(tmp_path, text, name="field.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_field_loads_and_is_fictional():
    field = load_field(DEMO_FIELD)
    assert field.election.fictional is True
    assert len(field.candidates) >= 4
    assert any(not c.sources for c in field.candidates)
    assert all(s.kind == "local" and s.path.exists() for c in field.candidates for s in c.sources)


def test_good_field(tmp_path):
    field = load_field(write(tmp_path, GOOD))
    connolly, nobody = field.candidates
    assert connolly.sources[0].kind == "wayback"
    assert connolly.sources[0].wayback == dt.date(2013, 9, 20)
    assert nobody.sources == ()
    assert field.election.dates["general"] == dt.date(2013, 11, 5)
    assert field.as_dict()["election"]["city"] == "Boston"


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("year = 2013", "year = 2013\ncolour = 'red'"), 7, "unknown key 'colour'"),
        (('slug = "nobody"', 'slug = "connolly"'), 16, "duplicate slug"),
        (('slug = "nobody"', 'slug = "../etc"'), 16, "slug"),
        (("http://www.connollyforboston.com/", "javascript:alert(1)"), 12, "not an http(s) URL"),
        (("http://www.connollyforboston.com/", "file:///etc/passwd"), 12, "not an http(s) URL"),
        (('city = "Boston"', 'city = "Boston'), 3, "malformed TOML"),
        (("wayback = 2013-09-20", "wayback = 2013-09-20, colour = 1"), 12, "unknown source key"),
    ],
)
def test_bad_fields_name_file_and_line(tmp_path, change, line, words):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(FieldError) as info:
        load_field(path)
    message = str(info.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert words in message


def test_missing_file_and_missing_path(tmp_path):
    with pytest.raises(FieldError, match="no such field file"):
        load_field(tmp_path / "nope.toml")
    bad = GOOD + '\n[[candidates]]\nname = "X"\nslug = "x"\nsources = [ { path = "saved/missing" } ]\n'
    with pytest.raises(FieldError, match="does not exist"):
        load_field(write(tmp_path, bad))


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b"[election]\ncity = \"\xff\xfe\"\n")
    with pytest.raises(FieldError, match="not UTF-8"):
        load_field(path)


def test_control_characters_are_dropped_from_names(tmp_path):
    text = GOOD.replace('name = "John Connolly"', 'name = "John\\u0000 \\u202eConnolly"\nparty = "Demo\\u0000crat"')
    field = load_field(write(tmp_path, text))
    assert field.candidates[0].name == "John Connolly"
    assert field.candidates[0].party == "Democrat"
