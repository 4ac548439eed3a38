"""Troop figures against the gold of both passages, and on unseen passages in the style of other chronicles."""
from __future__ import annotations

import json

import pytest
import regex
from hypothesis import given, settings, strategies as st

from nuskha import process
from nuskha.annotate.dates import recognise as recognise_dates
from nuskha.annotate.troops import recognise
from nuskha.errors import NuskhaError
from nuskha.evaluate.mentions import score_mentions
from tests.conftest import AR_TEXT, GOLD, KK_TEXT

regex_iso = regex.compile(r"^-?\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

# The issue's bars (issue 4, "What it must show"), not measured figures.
MIN_F1 = 0.90
MIN_VALUE_AGREEMENT = 0.95


def troops_of(text: str, lang: str):
    doc = process(text, lang)
    recognise_dates(doc)
    recognise(doc)
    return [m for m in doc.mentions if m.type == "troops"]


def score(path, lang):
    """Exact-span P, R, F1 and value agreement of one passage's troop figures, by the project's evaluator."""
    gold = json.loads((GOLD / (path.stem + ".gold.json")).read_text("utf-8"))["mentions"]
    system = [m.to_json() for m in troops_of(path.read_text("utf-8"), lang)]
    result = score_mentions(gold, system, types=["troops"]).by_type["troops"]
    return (*result.exact_prf, result.value_agreement or 0.0)


@pytest.mark.parametrize("path, lang", [(AR_TEXT, "ar"), (KK_TEXT, "kk")], ids=["ar", "kk"])
def test_gold_troops_meet_the_issue_bar(path, lang):
    p, r, f1, agree = score(path, lang)
    print(f"{path.stem}: troops P={p:.3f} R={r:.3f} F1={f1:.3f} quantity/approx/bound agreement={agree:.3f}")
    assert f1 >= MIN_F1 and agree >= MIN_VALUE_AGREEMENT


def value(quantity, unit="soldier", approx=False, bound=None):
    return {"quantity": quantity, "unit": unit, "approx": approx, "bound": bound}


@pytest.mark.parametrize("text, span, expected", [
    ("وسار اليهم في نحو ستين الف فارس", "نحو ستين الف فارس", value(60000, "horseman", approx=True)),
    ("وكان معه زهاء خمسة آلاف فارس", "زهاء خمسة آلاف فارس", value(5000, "horseman", approx=True)),
    ("فأرسل جيشاً يقدر بعشرين ألف مقاتل", "عشرين ألف مقاتل", value(20000, approx=True)),
    ("وقتل منهم أكثر من عشرة آلاف جندي", "أكثر من عشرة آلاف جندي", value(10000, bound="more_than")),
    ("وكان عسكره لم يزد على ثلاثمائة فارس", "لم يزد على ثلاثمائة فارس", value(300, "horseman", bound="at_most")),
    ("وجمع جيشا بلغ نيفا وعشرين ألفا", "نيفا وعشرين ألفا", value(20000, bound="more_than")),
    ("وكان مع الفيلة أربع مائة رجل", "أربع مائة رجل", value(400, "man")),
    ("وانجده بثمانين ألف فارس", "ثمانين ألف فارس", value(80000, "horseman")),
    ("ومعهم ثلاثون فيلاً", "ثلاثون فيلاً", value(30, "elephant")),
    ("فخرج اليه فارسان من الديلم", "فارسان", value(2, "horseman")),
    ("وبلغت حامية القلعة ألفي جندي", "ألفي جندي", value(2000)),
    ("ثم قدم خمسة من أصحابه", "خمسة من أصحابه", value(5, "man")),
    ("وكانوا قريب من ألف فارس", "قريب من ألف فارس", value(1000, "horseman", approx=True)),
    ("وسار في بضعة آلاف من الجند", "بضعة آلاف من الجند", value(3000, bound="more_than")),
    ("وأرسل رسولاً مع ثلاثة من التجار", "ثلاثة من التجار", value(3, "man")),
])
def test_unseen_arabic(text, span, expected):
    [m] = troops_of(text, "ar")
    assert m.text == span
    assert m.value == expected


@pytest.mark.parametrize("text, span, expected", [
    ("Ол жиырма мың әскер жинады", "жиырма мың әскер", value(20000)),
    ("Сұлтанның 20 мыңдай әскері бар еді", "20 мыңдай әскері", value(20000, approx=True)),
    ("Мыңнан астам сарбаз қаза тапты", "Мыңнан астам сарбаз", value(1000, bound="more_than")),
    ("жүз шақты адаммен кетті", "жүз шақты адаммен", value(100, "man", approx=True)),
    ("он мың атты әскер жіберді", "он мың атты әскер", value(10000, "horseman")),
    ("20 мың шамасында әскер", "20 мың шамасында әскер", value(20000, approx=True)),
])
def test_unseen_kazakh(text, span, expected):
    [m] = troops_of(text, "kk")
    assert m.text == span
    assert m.value == expected


@pytest.mark.parametrize("text, lang", [
    ("استمر حصار المدينة خمسة اشهر", "ar"),
    ("حاصر مدينة بنكت مدة ثلاثة أيام", "ar"),
    ("فقسم قواته إلى أربعة جيوش", "ar"),
    ("واستمرت القلعة بالمقاومة لمدة اثني عشر يوماً", "ar"),
    ("وأعطى الجند ألف دينار", "ar"),
    ("بفتح الدال ثم ألف ، وبقي العسكر", "ar"),  # the letter alif beside a military word
    ("قتل احد افراد السفارة", "ar"),
    ("5 жыл бойы соғысты", "kk"),
    ("бір күндері Ходжентке оралады", "kk"),
    ("он екі әскери бөлімінде", "kk"),  # әскери is "military", not a unit noun
    ("Қазақстанның төрт тараптағы әскери округтері", "kk"),
    ("2 қолға 1 күрек", "kk"),  # қол: hand
])
def test_not_troops(text, lang):
    assert troops_of(text, lang) == []


def test_dates_are_never_troops():
    text = "وفي سنة سبع عشرة وستمائة سار في عشرين الف جندي"
    [m] = troops_of(text, "ar")
    assert m.text == "عشرين الف جندي"


def test_distant_hedge_sets_the_bound_outside_the_span():
    [m] = troops_of("ولم يزيد عدد افراد حاميتها على اربعمائة جندي .", "ar")
    assert m.text == "اربعمائة جندي" and m.value["bound"] == "at_most"


AR_VOCAB = ["4", "30", "13", "0", "616", "1220", "ه", "هـ", "م", "/", "-", "ذي", "الحجة", "محرم", "شباط", "تشرين",
            "الثاني", "عام", "سنة", "وسنة", "ربيع", "أواخر", "سبع", "عشرة", "وستمائة", "الف", "ألفاً", "جندي", "من",
            "التجار", "ما", "يقارب", "لم", "يزد", "على", "بثلاثين", "جنديان", "للإسكندر", "القرن", "السابع", "،"]
KK_VOCAB = ["1220", "1219-жылы", "300-дей", "жылы", "жылдары", "–", "XIII", "ғасырдың", "басында", "жиырма", "мың",
            "мыңдай", "әскер", "түркілерден", "астам", "шақты", "адам", "бір", "күндері", ","]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(AR_VOCAB), max_size=14), st.lists(st.sampled_from(KK_VOCAB), max_size=10),
       st.sampled_from([" ", "", "  "]))
def test_random_token_soup_never_breaks_offsets_or_dates(ar_words, kk_words, sep):
    for words, lang in ((ar_words, "ar"), (kk_words, "kk")):
        text = sep.join(words) or "x"
        if not text.strip():
            continue
        try:
            doc = process(text, lang)
        except NuskhaError:  # the language check may reject a soup of digits: not this recogniser's concern
            continue
        recognise_dates(doc)
        recognise(doc)
        doc.check()
        for m in doc.mentions:
            assert m.text.strip() == m.text and m.text
            if m.type == "date":
                for key in ("gregorian", "gregorian_end"):
                    iso = m.value[key]
                    assert iso is None or regex_iso.match(iso)


@pytest.mark.parametrize("text, span, expected", [
    ("وخرج اليهم ثلثة نفر تجار من سمرقند", "ثلثة نفر تجار", value(3, "man")),
    ("فاجتمع معهم مائتان وعشرون تاجرا من أهل البلد", "مائتان وعشرون تاجرا", value(220, "man")),
    ("ثم سير ابنه في ثلاثة تومانات عسكر الى جند", "ثلاثة تومانات عسكر", value(30000)),
    ("وبقي الأمير في خمسة آلاف من عسكره متحصنا", "خمسة آلاف من عسكره", value(5000)),
    ("وكان المحاصرون في القلعة يخرجون مائة مائة يقاتلون العسكر", "مائة مائة", value(100)),
    ("ولم يبق مع صاحب القلعة الا رجلان", "رجلان", value(2, "man")),
    ("وبقي معه نفران يقاتلان", "نفران", value(2, "man")),
    ("وكان عسكره يزيدون على عشرة آلاف فارس", "يزيدون على عشرة آلاف فارس", value(10000, "horseman", bound="more_than")),
    ("وعسكر الخليفة لم يبلغوا ألفي فارس", "لم يبلغوا ألفي فارس", value(2000, "horseman", bound="at_most")),
    ("وقتل المغول في المعركة نحو أربعين ألف كردي وتركماني", "نحو أربعين ألف كردي وتركماني", value(40000, approx=True)),
    ("وكان في حامية القلعة ثمانى مائه فارس", "ثمانى مائه فارس", value(800, "horseman")),
    # a second figure right after a first shares its military context, with its unit left out
    ("سير إليها خمسة آلاف فارس وأميرا آخر في سبعة آلاف وكانوا بها", "سبعة آلاف", value(7000)),
])
def test_chronicle_troop_forms(text, span, expected):
    """Issue 11: old spellings, tumens, نفر and duals, caravans, partitive من عسكره, distributives, bounds,
    counted peoples, implicit units after a parallel figure (the unit is not scored: soldier by default)."""
    found = troops_of(text, "ar")
    assert [m.text for m in found][-1] == span
    got = found[-1].value
    assert (got["quantity"], got["approx"], got["bound"]) == (expected["quantity"], expected["approx"],
                                                             expected["bound"])


@pytest.mark.parametrize("text", [
    "وله من العمر نحو ثلث سنين وحلف له الجند",  # an age, beside a military word
    "وحمل اليه العسكر خمسمائة دينار",
    "وغنم العسكر ألف رأس من الغنم",
    "فقتل كل واحد منهم أربعا وعشرين شخصا",  # civilians
])
def test_chronicle_non_troops(text):
    assert troops_of(text, "ar") == []
