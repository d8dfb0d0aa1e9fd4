"""R-SEC-01: markings read, print and combine as the banner needs them."""

import pytest

from secoop.core.markings import Classification, Dissemination, Marking, MarkingError, combine


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UNCLASSIFIED", "UNCLASSIFIED"),
        ("cui", "CUI"),
        ("SECRET//NOFORN", "SECRET//NOFORN"),
        ("CUI//REL TO USA, XBN", "CUI//REL TO USA, XBN"),
        ("CUI // REL TO XBN, USA, GBR", "CUI//REL TO USA, GBR, XBN"),
        ("C//REL TO USA,XBN", "CONFIDENTIAL//REL TO USA, XBN"),
    ],
)
def test_r_sec_01_marking_reads_and_prints_canonically(text, expected):
    assert str(Marking.parse(text)) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "A marking is required"),
        ("TOP SECRET", "Unknown classification 'TOP SECRET': use UNCLASSIFIED, CUI, CONFIDENTIAL or SECRET."),
        ("CUI//REL TO XBN", "A REL TO list starts with USA: write 'REL TO USA, XBN'."),
        ("CUI//REL TO USA, XB", "REL TO takes ISO 3166 alpha-3 trigraphs such as USA or XBN, not XB."),
        ("CUI//FOUO", "Unknown dissemination control 'FOUO': use NOFORN or REL TO USA, <trigraphs>."),
        ("CUI//NOFORN//X", "Cannot read marking"),
    ],
)
def test_r_sec_01_bad_marking_says_what_to_fix(text, message):
    with pytest.raises(MarkingError) as exc:
        Marking.parse(text)
    assert message in str(exc.value)


def test_r_sec_01_rel_to_is_stored_so_one_like_finds_a_country():
    m = Marking.parse("CUI//REL TO USA, XBN")
    assert m.rel_to_stored == ",USA,XBN,"
    assert Marking.rel_to_from_stored(",USA,XBN,") == ("USA", "XBN")
    assert m.releasable_to("XBN") and m.releasable_to("USA") and not m.releasable_to("GBR")
    assert not Marking.parse("CUI").releasable_to("XBN")


def test_r_sec_01_page_banner_is_highest_and_most_restrictive():
    a = Marking.parse("CUI//REL TO USA, XBN, GBR")
    b = Marking.parse("CONFIDENTIAL//REL TO USA, XBN")
    assert str(combine([a, b])) == "CONFIDENTIAL//REL TO USA, XBN"
    assert str(combine([a, Marking.parse("SECRET//NOFORN")])) == "SECRET//NOFORN"
    assert str(combine([a, Marking.parse("UNCLASSIFIED")])) == "CUI"
    assert str(combine([Marking.parse("CUI//REL TO USA, GBR"), Marking.parse("CUI//REL TO USA, XBN")])) == "CUI//NOFORN"
    assert str(combine([])) == "UNCLASSIFIED"
    assert combine([b]).classification == Classification.CONFIDENTIAL
    assert combine([b]).dissemination == Dissemination.REL
