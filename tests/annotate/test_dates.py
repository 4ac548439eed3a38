"""Date recognition against the gold of both passages, and on unseen passages in the style of other chronicles."""
from __future__ import annotations

import json

import pytest

from nuskha import process
from nuskha.annotate import COMPONENTS
from nuskha.annotate.dates import recognise
from nuskha.evaluate.mentions import score_mentions
from tests.conftest import AR_TEXT, GOLD, KK_TEXT

# The issue's bars (issue 4, "What it must show"), not measured figures.
MIN_F1 = 0.95
MIN_VALUE_AGREEMENT = 0.95


def dates_of(text: str, lang: str):
    doc = process(text, lang)
    recognise(doc)
    return [m for m in doc.mentions if m.type == "date"]


def score(path, lang):
    """Exact-span P, R, F1 and value agreement of one passage's date mentions, by the project's evaluator."""
    gold = json.loads((GOLD / (path.stem + ".gold.json")).read_text("utf-8"))["mentions"]
    system = [m.to_json() for m in dates_of(path.read_text("utf-8"), lang)]
    result = score_mentions(gold, system, types=["date"]).by_type["date"]
    return (*result.exact_prf, result.value_agreement or 0.0)


@pytest.mark.parametrize("path, lang", [(AR_TEXT, "ar"), (KK_TEXT, "kk")], ids=["ar", "kk"])
def test_gold_dates_meet_the_issue_bar(path, lang):
    p, r, f1, agree = score(path, lang)
    print(f"{path.stem}: date P={p:.3f} R={r:.3f} F1={f1:.3f} value agreement={agree:.3f}")
    assert f1 >= MIN_F1 and agree >= MIN_VALUE_AGREEMENT


def test_registered_before_troops():
    assert COMPONENTS.index("nuskha.annotate.dates:recognise") < COMPONENTS.index("nuskha.annotate.troops:recognise")


def test_dual_date_value_gregorian_and_check():
    [m] = dates_of("دخل المغول المدينة في 4 ذي الحجة عام 616ه/10 شباط 1220م ، واستمرت", "ar")
    assert m.text == "4 ذي الحجة عام 616ه/10 شباط 1220م"
    assert (m.value["hijri"], m.value["ce"], m.value["gregorian"]) == ("616-12-04", "1220-02-10", "1220-02-17")
    assert m.value["check"]["status"] == "consistent"
    [m] = dates_of("وذلك في شوال 618ه/تشرين الثاني 1221م ، ومع ذلك", "ar")
    assert m.value["check"]["status"] == "partial"


@pytest.mark.parametrize("text, span, expected", [
    ("وفي سنة سبع عشرة وستمائة خرج التتار", "سنة سبع عشرة وستمائة", {"hijri": "617"}),
    ("ثم دخلت سنة ثمان وأربعين", "سنة ثمان وأربعين", {"hijri": "48"}),
    ("في العاشر من المحرم سنة ست عشرة وستمائة", "العاشر من المحرم سنة ست عشرة وستمائة", {"hijri": "616-01-10"}),
    ("وفي ثامن عشر جمادى الأولى سنة عشر وسبعمائة", "ثامن عشر جمادى الأولى سنة عشر وسبعمائة", {"hijri": "710-05-18"}),
    ("في أواخر شهر رمضان سنة 617هـ", "أواخر شهر رمضان سنة 617هـ", {"hijri": "617-09", "qualifier": "late"}),
    ("وفي ربيع الآخر سنة 618ه", "ربيع الآخر سنة 618ه", {"hijri": "618-04", "qualifier": None}),
    ("وفي سنة ألف وخمسمائة وثلاثين للإسكندر ملك", "سنة ألف وخمسمائة وثلاثين للإسكندر",
     {"other_era": {"era": "seleucid", "year": 1530}, "hijri": None, "ce": None, "calendar": "seleucid",
      "converted": {"hijri": "615", "hijri_end": "616", "ce": "1218", "ce_end": "1219"}}),
    ("بسنة 615ه", "سنة 615ه", {"hijri": "615"}),
    ("وفي المحرم من سنة سبع عشرة وستمائة", "المحرم من سنة سبع عشرة وستمائة", {"hijri": "617-01"}),
    ("سنة 617هـ الموافق 1220م وبعد", "سنة 617هـ الموافق 1220م", {"hijri": "617", "ce": "1220"}),
    ("وكانت وفاة شيث لمضي سنة ألف ومائة واثنتين وأربعين لهبوط آدم", "سنة ألف ومائة واثنتين وأربعين لهبوط آدم",
     {"other_era": {"era": "adam", "year": 1142}, "hijri": None, "gregorian": None, "calendar": "adam"}),
    ("في القرن السابع الهجري", "القرن السابع الهجري", {"hijri": "601", "hijri_end": "700", "century": 7}),
    ("وفي صيف عام 620هـ/1223م", "صيف عام 620هـ/1223م", {"hijri": "620", "ce": "1223", "qualifier": "summer"}),
])
def test_unseen_arabic(text, span, expected):
    [m] = dates_of(text, "ar")
    assert m.text == span
    for key, val in expected.items():
        assert m.value.get(key) == val, key


@pytest.mark.parametrize("text, span, expected", [
    ("Ол 1219-жылы Отырарға келді.", "1219-жылы", {"ce": "1219"}),
    ("XIII ғасырдың басында моңғолдар келді", "XIII ғасырдың басында",
     {"ce": "1201", "ce_end": "1300", "qualifier": "early", "century": 13}),
    ("ХІІІ ғасырда", "ХІІІ ғасырда", {"ce": "1201", "century": 13}),  # Cyrillic look-alike letters
    ("1220–1221 жылдары соғыс болды", "1220–1221 жылдары", {"ce": "1220", "ce_end": "1221"}),
    ("1220 жылдың көктемінде", "1220 жылдың көктемінде", {"ce": "1220", "qualifier": "spring"}),
    ("1220 жылдың ақпанында Бұхара алынды", "1220 жылдың ақпанында", {"ce": "1220-02"}),
    ("1220 жылы 10 ақпанда қала алынды", "1220 жылы 10 ақпанда", {"ce": "1220-02-10"}),
    ("2020-сыншы жылы заң қабылданды", "2020-сыншы жылы", {"ce": "2020"}),
    ("13-ші ғасырда", "13-ші ғасырда", {"ce": "1201", "ce_end": "1300", "century": 13}),
    ("XII-XIII ғасырлар", "XII-XIII ғасырлар", {"ce": "1101", "ce_end": "1300", "century_end": 13}),
    ("1224 жылы аяқтағаны белгілі", "1224 жылы", {"ce": "1224", "qualifier": None}),  # аяқта- is not аяғы
])
def test_unseen_kazakh(text, span, expected):
    [m] = dates_of(text, "kk")
    assert m.text == span
    for key, val in expected.items():
        assert m.value.get(key) == val, key
    assert m.value["gregorian"] and m.value["check"] is None


@pytest.mark.parametrize("text, lang", [
    ("استمر حصار المدينة خمسة اشهر", "ar"),
    ("لمدة سنة واحدة", "ar"),
    ("ملك بعده ابنه سنة واحدة وستة أشهر", "ar"),
    ("في اليوم الثالث من الحصار", "ar"),
    ("كان ذلك عام الاستيلاء", "ar"),
    ("5 жыл бойы соғысты", "kk"),
    ("бір күндері Ходжентке оралады", "kk"),
    ("жиырма мың жылы", "kk"),  # Kazakh years are digits: no "мың жылы" = year 1000
])
def test_not_dates(text, lang):
    assert dates_of(text, lang) == []


@pytest.mark.parametrize("text, detail", [
    ("في 30 ذي الحجة سنة 617ه", "29 days"),
    ("في 30/13/617ه", "month 13"),
    ("عام 0ه", "year 0"),
])
def test_impossible_dates_recognised_and_flagged(text, detail):
    [m] = dates_of(text, "ar")
    assert m.value["check"]["status"] == "invalid" and detail in m.value["check"]["detail"]
    for key in ("gregorian", "gregorian_end"):
        iso = m.value[key]
        assert iso is None or __import__("datetime").date.fromisoformat(iso)


def test_span_starts_after_a_proclitic_even_with_diacritics():
    text = "وَبِسَنَةِ 615ه"
    [m] = dates_of(text, "ar")
    assert m.text == text[text.index("سَنَةِ"):]


# -- issue 11: annals -------------------------------------------------------------------------------------------

ANNAL = ("ثم دخلت سنة ثلاث وعشرين وستمائة\n"
         "في هذه السنة سار الملك الى دمشق. وفيها في رجب توفي القاضي، وكان قد ولد في سنة خمس وخمسين وخمسمائة.\n"
         "وفيها توفي الأمير ثامن عشر شوال من السنة المذكورة، وفي السنة الماضية مات أخوه.\n"
         "وفي سنة اربع وعشرين في شعبان ملك البلد، وحاصره من رمضان الى صفر.\n"
         "رابع رجب سنة خمس وعشرين سار الى حلب.")


def test_annal_context_gives_years_and_says_where_from():
    found = {m.text: m for m in dates_of(ANNAL, "ar")}
    expected = {
        "سنة ثلاث وعشرين وستمائة": "623",
        "هذه السنة": "623",
        "رجب": "623-07",  # وفيها: the annal, not the birth year named after it in the same sentence
        "سنة خمس وخمسين وخمسمائة": "555",
        "ثامن عشر شوال من السنة المذكورة": "623-10-18",
        "السنة الماضية": "622",
        "سنة اربع وعشرين في شعبان": "624-08",  # hundreds from the annal
        "رمضان": "623-09",  # a range running past the new year: the first month is the year before
        "صفر": "624-02",
        "رابع رجب سنة خمس وعشرين": "625-07-04",
    }
    assert {t: m.value["hijri"] for t, m in found.items()} == expected
    assert "inferred" not in found["سنة ثلاث وعشرين وستمائة"].value
    rajab = found["رجب"]
    assert rajab.value["inferred"]["year_from"] == "entered" and rajab.value["inferred"]["from_year"] == 623
    assert "623" in rajab.note and "سنة ثلاث وعشرين وستمائة" in rajab.note
    assert found["رمضان"].value["inferred"].get("across_new_year") is True
    assert found["سنة اربع وعشرين في شعبان"].note.startswith("hundreds inferred")


def test_heading_alone_on_its_line_and_apposition():
    text = "سنة خمس عشرة وستمائة\nفيها في المحرم كان كذا.\nوفيها أعني سنة ست عشرة وستمائة في صفر كان كذا. وفي ذي الحجة كان كذا"
    found = [(m.text, m.value["hijri"], (m.value.get("inferred") or {}).get("year_from")) for m in dates_of(text, "ar")]
    assert found == [("سنة خمس عشرة وستمائة", "615", None), ("المحرم", "615-01", "heading"),
                     ("سنة ست عشرة وستمائة في صفر", "616-02", None), ("ذي الحجة", "616-12", "apposition")]


def test_relative_date_without_context_is_kept_without_a_year():
    [m] = dates_of("وفي هذه السنة كان ظهور التتر", "ar")
    assert m.text == "هذه السنة" and m.value["hijri"] is None and m.value["partial"]["year_offset"] == 0
    assert "not inferred" in m.note
    doc = process("وفي هذه السنة كان ظهور التتر", "ar", meta={"annal_year": 616})
    recognise(doc)
    [m] = doc.mentions
    assert m.value["hijri"] == "616" and m.value["inferred"]["year_from"] == "metadata"


@pytest.mark.parametrize("text, span, hijri, qualifier", [
    ("وتوفي لثمان خلون من رجب سنة 620ه", "لثمان خلون من رجب سنة 620ه", "620-07-08", None),
    ("وتوفي ولثلث بقين من ربيع الاول سنة 620ه", "لثلث بقين من ربيع الاول سنة 620ه", "620-03-27", None),
    ("لليلة خلت من شوال سنة 620ه", "لليلة خلت من شوال سنة 620ه", "620-10-01", None),
    ("في غرة المحرم سنة 620ه", "غرة المحرم سنة 620ه", "620-01-01", None),
    ("في سلخ صفر سنة 620ه", "سلخ صفر سنة 620ه", "620-02-30", None),
    ("في منتصف شعبان سنة 620ه", "منتصف شعبان سنة 620ه", "620-08", "mid"),
    ("في أواخر رمضان سنة 620ه", "أواخر رمضان سنة 620ه", "620-09", "late"),
    ("صبيحة يوم الجمعة سابع عشر رمضان سنة 620ه", "صبيحة يوم الجمعة سابع عشر رمضان سنة 620ه", "620-09-17",
     "morning"),
    ("سنة سبع وستمائة أواخر. رجب توفي", "سنة سبع وستمائة أواخر. رجب", "607-07", "late"),  # a stray stop
    ("وفي سنة 620ه في العشرين من جمادى الآخرة", "سنة 620ه في العشرين من جمادى الآخرة", "620-06-20", None),
])
def test_day_expressions(text, span, hijri, qualifier):
    [m] = dates_of(text, "ar")
    assert (m.text, m.value["hijri"], m.value["qualifier"]) == (span, hijri, qualifier)


@pytest.mark.parametrize("weekday, status", [("الاثنين", "consistent"), ("الثلثاء", "off_by_one"),
                                             ("الأحد", "off_by_one"), ("الجمعة", "inconsistent")])
def test_weekday_check_against_the_tabular_calendar(weekday, status):
    # 4 Dhu al-Hijja 616 is a Monday in the tabular calendar (10 February 1220, Julian)
    [m] = dates_of(f"يوم {weekday} رابع ذي الحجة سنة ست عشرة وستمائة", "ar")
    assert m.text.startswith("يوم ") and m.value["weekday_check"]["status"] == status
    if status == "inconsistent":  # widened by the tabular uncertainty
        assert (m.value["gregorian"], m.value["gregorian_end"]) == ("1220-02-16", "1220-02-18")
    else:  # pinned to the day the weekday names
        assert m.value["gregorian_end"] is None
    assert m.value["check"] is None  # the dual-date check is not the weekday check


def test_hijri_only_day_is_widened_and_dual_dates_stay_pinned():
    [m] = dates_of("في رابع ذي الحجة سنة ست عشرة وستمائة", "ar")
    assert (m.value["gregorian"], m.value["gregorian_end"]) == ("1220-02-16", "1220-02-18")
    [m] = dates_of("في 4 ذي الحجة عام 616ه/10 شباط 1220م", "ar")
    assert (m.value["gregorian"], m.value["gregorian_end"]) == ("1220-02-17", None)


@pytest.mark.parametrize("text", [
    "قال رجب بن علي كذا",  # a month name as a person's name
    "وصل يوم الجمعة الى البلد",  # a weekday alone
    "وخربت هذه البلاد",
    "وكان ذلك في آب الأمير",  # آب (August) is not read alone
    "من السنة النبوية",
])
def test_annal_words_that_are_not_dates(text):
    assert dates_of(text, "ar") == []


def test_tei_of_an_annal_is_valid_and_marks_inferred_years(shared_dir):
    """Every TEI output stays valid; a date whose year came from the annal carries @evidence="internal", and the
    reader gives back the whole value (inferred, weekday check, other era)."""
    from nuskha.annotate import annotate
    from nuskha.tei.read import parse_bytes, read_tree
    from nuskha.tei.validate import validate_tree
    from nuskha.tei.write import document_bytes

    schema = shared_dir / "tei" / "tei_all-4.12.0.rng"
    if not schema.exists():
        pytest.skip(f"{schema} is absent")
    text = ANNAL + "\nوفيها وهي سنة ألف وخمسمائة وثلاثين للإسكندر، يوم الاثنين رابع ذي الحجة سنة ست عشرة وستمائة."
    doc = annotate(process(text, "ar", id="annal"))
    tree = parse_bytes(document_bytes(doc))
    assert validate_tree(tree, schema) == []
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    dates = {el.xpath("string(.)"): el for el in tree.getroot().iterfind(".//t:date", ns) if el.get("type") != "written"}
    assert dates["رجب"].get("evidence") == "internal" and dates["هذه السنة"].get("evidence") == "internal"
    assert dates["سنة ثلاث وعشرين وستمائة"].get("evidence") is None
    [read] = read_tree(tree).documents
    back = {m.text: m for m in read.mentions if m.type == "date"}
    for m in doc.mentions:
        if m.type == "date":
            assert back[m.text].value == m.value


@pytest.mark.parametrize("text, span, ce", [
    ("1220 жылы Бұхара алынды. Қыркүйек айында моңғолдар кетті.", "Қыркүйек айында", "1220-09"),
    ("1219 жылы соғыс басталды, ал 12 ақпанда қала алынды", "12 ақпанда", "1219-02-12"),
    ("2015 жылдың қазан айында заң қабылданды", "2015 жылдың қазан айында", "2015-10"),
    ("XIX ғасырдың екінші жартысында", "XIX ғасырдың екінші жартысында", "1801"),
])
def test_kazakh_months_in_modern_prose(text, span, ce):
    """Issue 12: a month named as a month is a date; its year comes from the last year named."""
    m = dates_of(text, "kk")[-1]
    assert (m.text, m.value["ce"]) == (span, ce)


def test_kazakh_month_word_alone_is_not_a_date():
    assert dates_of("Ол үлкен қазан алды", "kk") == []  # қазан: October, and a cauldron


_FILTERED_SAMPLES = [
    ("ar", "وكان عمره ستين سنة ، وملك سنة ثلث عشرة وستمائة لثلاث عشرة ليلة بقيت من شهر رمضان"),
    ("ar", "بين ستمائة وعشرين - ستمائة وثلاثين هـ جرت امور ، وفي سنة 617 ه/1220 م وفي عام 1514 للإسكندر وقتل منهم ثلاثون رجلا"),
    ("ar", "وبقي خمسين يوما ثم مات لثمان خلون من رجب سنة . والسنة المذكورة كانت شديدة وفي السنة التي بعدها"),
    ("ar", "وفي القرن السابع ، والقرن ، والسنة ، وسنة ، خمسة آلاف فارس وسبع سنين"),
    ("kk", "XIII ғасырда, 1220 жылдың ақпанында он мың әскер келді. Кейін жиырма адам қалды"),
]


@pytest.mark.parametrize("lang, text", _FILTERED_SAMPLES)
def test_start_filter_never_drops_a_date(lang, text):
    """The grammar skips number words with no anchor in reach and year words before a word that cannot go on a
    date (a speed-up): at every position it skips, a full parse finds no date either."""
    from nuskha.annotate.tables import date_grammar, token_words
    from nuskha.core.dates import NUMBER_START, WEAK_START

    grammar = date_grammar(lang)
    words = token_words(process(text, lang).tokens)
    grammar.find(words)  # fills the per-form memo
    skipped = 0
    for i, w in enumerate(words):
        code = grammar._could_start[w]
        if code == WEAK_START and not grammar._weak_start_holds(words, i) or \
                code == NUMBER_START and grammar._anchors.isdisjoint(words[i + 1:i + 16]):
            skipped += 1
            assert grammar.match_at(words, i) is None, (i, w)
    assert skipped  # the samples do exercise the filter


# An excerpt whose annal headings were cut off (written for these tests, in the style of Ibn al-Athir's annals).
_HEADLESS = ("ذكر ملك الفرنج بيت المقدس\n"
             "وفي هذه السنة ملك الفرنج القدس بعد حصار شديد، وقتلوا فيه خلقا كثيرا. وكنا قد ذكرنا مسيرهم في سنة "
             "تسعين وأربعمائة.\n"
             "وفيها في رمضان سار الوزير إلى الري.\n\n"
             "ذكر وفاة صلاح الدين\n"
             "وكان الفرنج قد ملكوا القدس قبل ذلك بزمان. وفي هذه السنة في صفر توفي السلطان صلاح الدين يوسف بن أيوب "
             "بدمشق.\n"
             "وفيها في شوال خرج الحاج.\n")


def test_annal_without_heading_is_dated_by_what_it_reports():
    """No heading and no annal year: the annal is dated by an event or a death of the period chronology reported
    in the date's sentence, else by the first one its section reports; the year named in passing on another
    line is not the annal; the note says where the year came from and the certainty is lowered."""
    from nuskha.annotate import annotate

    doc = annotate(process(_HEADLESS, "ar"))
    found = [(m.text, m.value["hijri"], m.value.get("inferred", {}).get("year_from")) for m in doc.mentions
             if m.type == "date"]
    assert found == [("هذه السنة", "492", "event"), ("سنة تسعين وأربعمائة", "490", None),
                     ("رمضان", "492-09", "event"), ("هذه السنة", "589", "death"), ("صفر", "589-02", "death"),
                     ("شوال", "589-10", "death")]
    ramadan = next(m for m in doc.mentions if m.text == "رمضان")
    assert "Jerusalem" in ramadan.note and "reported with 'هذه السنة' earlier in its section" in ramadan.note
    assert ramadan.cert < 0.8


def test_year_named_in_passing_completes_only_its_own_line():
    text = "ثم ملكوا مراغة في صفر سنة ثمان عشرة وستمائة، ثم ساروا في رجب الى حران.\nوفيها في شوال توفي فلان."
    found = {m.text: m for m in dates_of(text, "ar")}
    assert found["رجب"].value["hijri"] == "618-07" and found["رجب"].value["inferred"]["year_from"] == "named"
    assert found["شوال"].value["hijri"] is None and "not inferred" in found["شوال"].note


def test_tei_of_an_annal_dated_by_its_reports_is_valid(shared_dir):
    from nuskha.annotate import annotate
    from nuskha.tei.read import parse_bytes, read_tree
    from nuskha.tei.validate import validate_tree
    from nuskha.tei.write import document_bytes

    schema = shared_dir / "tei" / "tei_all-4.12.0.rng"
    if not schema.exists():
        pytest.skip(f"{schema} is absent")
    doc = annotate(process(_HEADLESS, "ar", id="headless"))
    tree = parse_bytes(document_bytes(doc))
    assert validate_tree(tree, schema) == []
    [read] = read_tree(tree).documents
    back = {(m.start, m.text): m for m in read.mentions if m.type == "date"}
    inferred = [m for m in doc.mentions if m.type == "date" and m.value.get("inferred")]
    assert inferred and all(back[(m.start, m.text)].value == m.value for m in inferred)
    # a year from the period chronology is evidence from outside the text; one from the text's own annal is internal
    tei = document_bytes(doc).decode("utf-8")
    outside = sum(m.value["inferred"]["year_from"] in ("event", "death") for m in inferred)
    assert outside > 0
    assert tei.count('evidence="external"') == outside
    assert tei.count('evidence="internal"') == len(inferred) - outside


def test_section_without_its_year_said_takes_the_first_event_it_reports():
    from nuskha.annotate import annotate

    text = "ذكر مسير الفرنج\nوفي شعبان ملك الفرنج انطاكية بعد حصار. ثم ساروا الى بيت المقدس فملكوه.\n"
    doc = annotate(process(text, "ar"))
    [shaban] = [m for m in doc.mentions if m.type == "date"]
    assert shaban.value["hijri"] == "491-08" and "Antioch" in shaban.note and "in the same sentence" in shaban.note


def test_an_army_passing_by_a_town_dates_nothing():
    from nuskha.annotate import annotate

    doc = annotate(process("ذكر مسير الفرنج\nوفي هذه السنة سار الفرنج الى انطاكية، ثم رجعوا الى بلادهم.\n", "ar"))
    [this_year] = [m for m in doc.mentions if m.type == "date"]
    assert this_year.value["hijri"] is None and "not inferred" in this_year.note
