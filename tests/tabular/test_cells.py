"""Formula neutralising is exact: every string survives neutralise then unescape."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dsa.tabular.cells import DANGEROUS, neutralise, unescape


def test_dangerous_first_characters_get_an_apostrophe():
    for text in ("=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@x", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
        assert unescape(neutralise(text)) == text


def test_safe_text_and_numbers_are_untouched():
    for value in ("Riverside Surgery", "'quoted'", "", "1+1", 5, -2, 0.5, None, True):
        assert neutralise(value) == value
        assert unescape(value) == value


def test_an_apostrophe_before_a_dangerous_character_is_doubled_so_it_survives():
    assert neutralise("'=x") == "''=x"
    assert unescape("''=x") == "'=x"
    assert unescape("'=x") == "=x"


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\rab ")), max_size=8) | st.text(max_size=20))
def test_neutralise_then_unescape_is_the_identity(text):
    safe = neutralise(text)
    assert unescape(safe) == text
    assert not safe or safe[0] not in DANGEROUS
