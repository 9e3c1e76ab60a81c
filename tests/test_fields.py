"""What one cell may hold: every rule with its exact message, and property tests over numbers,
dates, digits, text and web addresses (hypothesis).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics import fields
from analytics.fields import FieldError

TODAY = dt.date(2026, 12, 1)


def reason(check, *args, **kwargs) -> str:
    with pytest.raises(FieldError) as info:
        check(*args, **kwargs)
    return str(info.value)


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2147483648", "2147483648 is more than 27, the largest allowed here"),
        (
            "100000000000000000000",
            "100000000000000000000 is more than 27, the largest allowed here",
        ),
        ("28", "28 is more than 27, the largest allowed here"),
        ("١٢", "'١٢' uses digits other than 0-9; type it with 0-9"),
        ("１２", "'１２' uses digits other than 0-9; type it with 0-9"),
        ("-1", "'-1' is not a whole number >= 0"),
        ("1.5", "'1.5' is not a whole number >= 0"),
        ("12 ", "'12 ' is not a whole number >= 0"),
        ("0", "0 is less than 1, the smallest allowed here"),
    ],
)
def test_numbers_are_ascii_digits_within_bounds(text, message):
    assert reason(fields.whole_number, text, maximum=27, minimum=1) == message


def test_a_number_of_thousands_of_digits_is_refused_without_converting_it():
    text = "9" * 5000  # int() itself refuses strings over 4,300 digits
    assert reason(fields.whole_number, text, maximum=27).endswith(
        "is more than 27, the largest allowed here"
    )


@given(st.integers(min_value=0, max_value=10**30))
def test_every_ascii_number_is_read_exactly_or_refused_by_its_bound(number):
    text = str(number)
    if number <= 2_147_483_647:
        assert fields.whole_number(text, maximum=2_147_483_647) == number
    else:
        assert "is more than 2,147,483,647" in reason(
            fields.whole_number, text, maximum=2_147_483_647
        )


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=6))
def test_only_ascii_digits_make_a_number(text):
    if text.isascii():
        assert fields.whole_number(text, maximum=10**6) == int(text)
    else:
        assert reason(fields.whole_number, text, maximum=10**6).endswith(
            "uses digits other than 0-9; type it with 0-9"
        )


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1000", "'1000' is before 2018, when HMIP's ratings of probation began"),
        ("0001", "'0001' is before 2018, when HMIP's ratings of probation began"),
        ("2017-12-31", "'2017-12-31' is before 2018, when HMIP's ratings of probation began"),
        ("2026-12-09", "'2026-12-09' is in the future (today is 2026-12-01)"),
        ("2027", "'2027' is in the future (today is 2026-12-01)"),
        ("２０２４-10-24", "'２０２４-10-24' uses digits other than 0-9; type it with 0-9"),
        ("2024-١٠-24", "'2024-١٠-24' uses digits other than 0-9; type it with 0-9"),
        ("2024-02-30", "'2024-02-30' is not a real date (day is out of range for month)"),
        ("24-10-2024", "'24-10-2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_published_dates_lie_in_hmips_years(text, message):
    assert reason(fields.published_date, text, today=TODAY) == message


def test_published_dates_at_the_edges_are_accepted():
    assert fields.published_date("2018", today=TODAY).first_day == dt.date(2018, 1, 1)
    assert fields.published_date("2026-12-08", today=TODAY).precision == "day"  # 7 days ahead


@pytest.mark.parametrize(
    ("fieldwork", "published", "message"),
    [
        ("2025-08", "2025-07-31", "fieldwork '2025-08' is after the publication date '2025-07-31'"),
        ("2026", "2025", "fieldwork '2026' is after the publication date '2025'"),
        (
            "2016-05",
            "2018-09",
            "'2016-05' is before 2017, earlier than the fieldwork of any rated inspection (the "
            "first were published in 2018)",
        ),
        ("2025-06-03", "2025-07-31", "'2025-06-03' should be YYYY-MM or YYYY"),
    ],
)
def test_fieldwork_comes_before_publication(fieldwork, published, message):
    pub = fields.parse_partial_date(published)
    assert reason(fields.fieldwork_date, fieldwork, pub) == message


def test_fieldwork_in_the_month_or_year_of_publication_is_accepted():
    assert (
        fields.fieldwork_date("2025-07", fields.parse_partial_date("2025-07-31")).text == "2025-07"
    )
    assert fields.fieldwork_date("2025-12", fields.parse_partial_date("2025")).text == "2025-12"


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_day_is_accepted_exactly_when_it_is_in_range(day):
    text = day.isoformat()
    if dt.date(2018, 1, 1) <= day <= TODAY + dt.timedelta(days=7):
        assert fields.published_date(text, today=TODAY).first_day == day
    else:
        with pytest.raises(FieldError):
            fields.published_date(text, today=TODAY)


@given(st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 11, 1)))
def test_a_last_day_is_the_last_day_the_date_can_mean(day):
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        date = fields.parse_partial_date(text)
        assert date.first_day <= day <= date.last_day
        following = date.last_day + dt.timedelta(days=1)
        assert not following.isoformat().startswith(text)


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Sund\x0berland",
            "contains a control character (U+000B) at character 5; a cell holds one line of plain text",
        ),
        (
            "Sund\x00erland",
            "contains a NUL byte (U+0000) at character 5; a cell holds one line of plain text",
        ),
        ("a\tb", "contains a tab (U+0009) at character 2; a cell holds one line of plain text"),
        (
            "a\nb",
            "contains a line break (U+000A) at character 2; a cell holds one line of plain text",
        ),
        (
            "a\u2028b",
            "contains a control character (U+2028) at character 2; a cell holds one line of plain text",
        ),
        (
            "abc\u202edcba",
            "contains a control character (U+202E) at character 4; a cell holds one line of plain text",
        ),
        ("x" * 1001, "is 1,001 characters long; the limit is 1,000"),
    ],
)
def test_cells_are_one_line_of_plain_text(text, message):
    assert reason(fields.plain_text, text) == message


NOT_PLAIN = {
    chr(c)
    for c in [
        *range(0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
}


@given(st.text(max_size=50))
def test_text_is_kept_exactly_or_refused_at_its_first_hidden_character(text):
    hidden = [i for i, c in enumerate(text) if c in NOT_PLAIN]
    if not hidden:
        assert fields.plain_text(text) == text
    else:
        first = hidden[0]
        message = reason(fields.plain_text, text)
        assert f"(U+{ord(text[first]):04X}) at character {first + 1};" in message


def test_values_in_messages_are_clipped_and_show_hidden_characters():
    assert fields.shown("a\x0bb") == "a\\x0bb"
    assert fields.shown("x" * 100) == "x" * 59 + "…"


# --- web addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "'javascript:alert(1)' is not an http(s) web address"),
        (
            "https://x)![i](http://evil.example/p.png)",
            "'https://x)![i](http://evil.example/p.png)' is not an http(s) web address (contains ')')",
        ),
        ("https://x/a b", "'https://x/a b' is not an http(s) web address (contains a space)"),
        ("https://x/[a]", "'https://x/[a]' is not an http(s) web address (contains '[')"),
        ("https://x/<b>", "'https://x/<b>' is not an http(s) web address (contains '<')"),
        (
            "https://hmiprobation.gov.uk@evil.example/",
            "'https://hmiprobation.gov.uk@evil.example/' is not an http(s) web address (has a user name before the host)",
        ),
        ("https:///path", "'https:///path' is not an http(s) web address (has no valid host name)"),
        (
            "https://ex_ample.org/",
            "'https://ex_ample.org/' is not an http(s) web address (has no valid host name)",
        ),
        (
            "https://example.org:99999/",
            "'https://example.org:99999/' is not an http(s) web address (Port out of range 0-65535)",
        ),
        (
            "https://exämple.org/",
            "'https://exämple.org/' is not an http(s) web address (has characters other than ASCII; percent-encode them)",
        ),
    ],
)
def test_web_addresses_are_parsed_strictly(url, message):
    assert reason(fields.web_address, url) == message


def test_real_source_addresses_pass():
    for url in (
        "https://hmiprobation.justiceinspectorates.gov.uk/document/national-inspection-april-2025",
        "http://www.russellwebster.com/hmiptvcrc18/",
        "https://example.org/a?b=c&d=e#f",
    ):
        assert fields.web_address(url) == url


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_no_accepted_address_holds_a_character_markdown_reads(tail):
    url = "https://example.org/" + tail
    if fields.is_web_address(url):
        assert not set(url) & set(" <>\"'`()[]{}|\\^")
        assert url.isprintable()
