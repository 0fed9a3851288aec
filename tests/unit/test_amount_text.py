"""Amounts typed with their thousands grouped (povlib.planning.parse_amount_text) and the headline money
format (povlib.i18n.fmt_vnd_short): issue 10 item 9."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from povlib.errors import PovlibInputError
from povlib.i18n import fmt_int, fmt_vnd, fmt_vnd_short
from povlib.planning import parse_amount_text


@given(st.integers(min_value=0, max_value=10**13), st.sampled_from(["vi", "en"]))
def test_a_formatted_amount_reads_back(n, lang):
    assert parse_amount_text(fmt_int(n, lang), lang) == n
    assert parse_amount_text(fmt_vnd(n, lang), lang) == n
    assert parse_amount_text(str(n), lang) == n


@pytest.mark.parametrize("text", ["", "abc", "-5", "25.000,5", "25.00.000", "2.5", "1.000,000", "25 000.000", "1e6"])
def test_bad_amounts_are_refused_with_a_vietnamese_message(text):
    with pytest.raises(PovlibInputError) as err:
        parse_amount_text(text)
    assert "viết như 25.000.000" in err.value.message("vi") and "25,000,000" in err.value.message("en")


def test_headline_money():
    assert fmt_vnd_short(8_144_231_000) == "8,14 tỷ đồng"
    assert fmt_vnd_short(8_144_231_000, "en") == "8.14 bn VND"
    assert fmt_vnd_short(None) == "–"
