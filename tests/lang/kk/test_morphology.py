"""Kazakh suffix segmentation and lemmas (``nuskha.lang.kk.morphology``)."""
from __future__ import annotations

import pytest

from nuskha.lang.kk.morphology import analyze


def cut(word: str) -> str:
    """``stem+suffix+...`` as written, from the segments."""
    _, segments = analyze(word, word)
    return "+".join(word[s.start:s.end] for s in segments if s.role != "joiner")


def lemma(word: str) -> str:
    return analyze(word, word)[0]


@pytest.mark.parametrize("word, expected_lemma, expected_cut", [
    ("түркілерден", "түркі", "түркі+лер+ден"),
    ("Хорезмнің", "Хорезм", "Хорезм+нің"),
    ("ад-Динмен", "ад-Дин", "ад-Дин+мен"),
    ("Шамға", "Шам", "Шам+ға"),
    ("Сирияға", "Сирия", "Сирия+ға"),
    ("Ходжентке", "Ходжент", "Ходжент+ке"),
    ("моңғолдар", "моңғол", "моңғол+дар"),
    ("Қадакан-Оғұлдың", "Қадакан-Оғұл", "Қадакан-Оғұл+дың"),
    ("Темір-Мәліктің", "Темір-Мәлік", "Темір-Мәлік+тің"),
    ("ТемірМәлікпен", "ТемірМәлік", "ТемірМәлік+пен"),
    ("әскерімен", "әскер", "әскер+і+мен"),
    ("300-дей", "300", "300+дей"),
])
def test_passage_words(word, expected_lemma, expected_cut):
    assert lemma(word) == expected_lemma
    assert cut(word) == expected_cut


def test_segment_roles_and_underlying_forms():
    _, segs = analyze("300-дей", "300-дей")
    assert [s.role for s in segs] == ["number", "joiner", "approx"]
    _, segs = analyze("әскерімен", "әскерімен")
    assert [s.role for s in segs] == ["stem", "possessive", "case"]
    # a voiced stem-final consonant is written, the lemma has the voiceless one
    form, segs = analyze("шапқыншылығына", "шапқыншылығына")
    assert form == "шапқыншылық"
    assert segs[0].form == "шапқыншылық"


def test_verb_endings():
    form, segs = analyze("тоқтатпайды", "тоқтатпайды")
    assert form == "тоқтат"  # the causative stays in the lemma, as in UD-KTB
    assert [s.role for s in segs] == ["stem", "voice", "negation", "tense", "person"]
    assert lemma("кетеді") == "кет"
    assert lemma("жоспарланып") == "жоспарла"  # the passive is not part of the lemma
    assert lemma("болды") == "бол"
    assert lemma("сөйлейтін") == "сөйле"


@pytest.mark.parametrize("word, expected_lemma", [
    ("балаларға", "бала"), ("үйлерде", "үй"), ("кітаптар", "кітап"), ("мектептерде", "мектеп"),
    ("қалаларда", "қала"), ("көлдерге", "көл"),
])
def test_harmony_and_assimilation(word, expected_lemma):
    assert lemma(word) == expected_lemma


def test_suffixes_of_the_wrong_series_are_not_stripped():
    # back plural -тар on the front-vowel stem мектеп, -лар after a voiceless п: not plurals
    assert lemma("мектептар") != "мектеп"
    assert lemma("кітаплар") != "кітап"


@pytest.mark.parametrize("word", ["бала", "қала", "дала", "адам", "Ош", "Ауғанстан", "Жалал", "Қазақстан"])
def test_words_that_must_stay_whole(word):
    form, segs = analyze(word, word)
    assert form == word
    assert len(segs) <= 1


def test_names_keep_capitals_common_words_do_not():
    assert lemma("Деректерде") == "дерек"  # sentence-initial common noun
    assert lemma("Назарбаевтың") == "Назарбаев"
    assert lemma("АҚШ-пен") == "АҚШ"
    assert lemma("Біздің") == "біз"


def test_pronouns_and_copula_use_the_irregular_table():
    assert lemma("оның") == "ол"
    assert lemma("маған") == "мен"
    assert lemma("еді") == "е"


@pytest.mark.parametrize("word", ["түркілерден", "ад-Динмен", "300-дей", "Boeing-тың", "тоқтатпайды", "55-ші",
                                  "ТемірМәлікпен", "арыстандардың", "x", "Ғ"])
def test_segments_tile_the_word(word):
    _, segs = analyze(word, word)
    if segs:
        assert segs[0].start == 0 and segs[-1].end == len(word)
        assert all(a.end == b.start for a, b in zip(segs, segs[1:]))
        assert all(s.start < s.end for s in segs)


def test_homoglyph_norm_is_used_for_analysis():
    written = "Хорезмнiң"  # Latin i (U+0069) inside a Cyrillic word
    form, segs = analyze(written, "Хорезмнің")
    assert form == "Хорезм"
    assert written[segs[-1].start:segs[-1].end] == "нiң"


def test_pipeline_gives_lemmas_and_segments(kk_doc):
    kk_doc.check()
    by_text = {t.text: t for t in kk_doc.tokens}
    assert by_text["түркілерден"].lemma == "түркі"
    assert by_text["ад-Динмен"].lemma == "ад-Дин"
    tok = by_text["300-дей"]
    assert tok.lemma == "300"
    assert [kk_doc.text[s.start:s.end] for s in tok.segments()] == ["300", "-", "дей"]
    words = [t for t in kk_doc.tokens if t.kind == "word"]
    assert all(t.lemma for t in words)


@pytest.mark.parametrize("word, expected_lemma, expected_cut", [
    ("Temırdıñ", "Temır", "Temır+dıñ"),
    ("qalalarda", "qala", "qala+lar+da"),
    ("türkılerden", "türkı", "türkı+ler+den"),
    ("Boeing-tıñ", "Boeing", "Boeing+tıñ"),
])
def test_kazakh_latin_2021_words(word, expected_lemma, expected_cut):
    assert lemma(word) == expected_lemma
    assert cut(word) == expected_cut


def test_latin_word_without_kazakh_suffix_is_left_alone():
    assert analyze("Microsoft", "Microsoft") == ("Microsoft", ())


def test_any_token_text_gives_valid_segments():
    """Whatever the tokenizer hands over (mixed scripts, marks, joiners, digits), segments stay inside the token
    and tile it when there are any."""
    from hypothesis import given, settings, strategies as st

    letters = st.sampled_from(list("аәбғдеиқлмнңоөпрстуұүхшыіһюяЁxyzieéİıñşğ0123456789-'’\u0301"))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(letters, min_size=1, max_size=14).map("".join))
    def check(word):
        lemma_, segs = analyze(word, word)
        assert isinstance(lemma_, str)
        if segs:
            assert segs[0].start == 0 and segs[-1].end == len(word)
            assert all(a.end == b.start and a.start < a.end for a, b in zip(segs, segs[1:]))

    check()


@pytest.mark.parametrize("word, expected_lemma", [
    ("Нұрсұлтан", "Нұрсұлтан"),  # the lexicon has нұрсұлтан in lower case; running text writes it capitalised
    ("Бекболаттың", "Бекболат"),
    ("Компания", "компания"),  # unknown to the lexicon; running text writes it in lower case
    ("Президенті", "президент"),  # a title: mostly capitalised, but not always, so the lexicon decides
    ("Шамға", "Шам"),  # a listed name beats running text, where шам (a lamp) is lower case
])
def test_capitals_follow_how_running_text_writes_the_lemma(word, expected_lemma):
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("халқы", "халық"), ("аузынан", "ауыз"),  # the vowel dropped before a possessive is restored...
    ("ішкі", "ішкі"), ("ұйқым", "ұйқы"),  # ...only when the restored form is a word of running text
])
def test_elided_vowel_before_a_possessive(word, expected_lemma):
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("Кореяның", "Корея"), ("Арменияға", "Армения"), ("идеясымен", "идея"),  # я is a back vowel
    ("Гонконгте", "Гонконг"),  # a final г or к takes front suffixes
    ("ресурстар", "ресурс"),  # у between consonants is a back vowel
    ("туризмді", "туризм"), ("Саммитке", "саммит"), ("тарихының", "тарих"),  # и in a closed syllable: either
])
def test_harmony_of_loanwords(word, expected_lemma):
    assert lemma(word) == expected_lemma


def test_privative_suffix_stays_in_the_lemma():
    # -сыз/-сіз "without" is derivation, kept by UD-KTB (жансыз, қабілетсіз), not the copula "you are"
    assert lemma("жансыз") == "жансыз"
    assert lemma("қабілетсіз") == "қабілетсіз"


def test_stem_seen_in_running_text_allows_any_suffix():
    # елорда is in no stem list, but KazNERD has it: plural, possessive and case are all cut
    assert cut("елордаларыңызға") == "елорда+лар+ыңыз+ға"
    assert lemma("моделін") == "модель"  # the soft sign dropped before a vowel is restored


def test_genitive_is_preferred_to_a_rare_second_person_past():
    assert lemma("жұмыстың") == "жұмыс"  # not жұм + ыс + ты + ң, "you squeezed each other"
    assert lemma("миына") == "ми"


def test_womans_surname_has_the_mans_as_lemma():
    assert lemma("Сәтбаева") == "Сәтбаев"
    assert lemma("Қайырбекованың") == "Қайырбеков"
    assert lemma("Женева") == "Женева"  # a listed place name, not a surname
    assert lemma("Украинаға") == "Украина"


@pytest.mark.parametrize("word, expected_lemma", [
    ("кісі", "кісі"), ("қатын", "қатын"), ("серпін", "серпін"),  # кіс, қат, серп: never seen alone
    ("мәтінде", "мәтін"), ("халқы", "халық"),
])
def test_stems_unseen_in_running_text_are_doubtful_cuts(word, expected_lemma):
    assert lemma(word) == expected_lemma


def test_abstract_nouns_in_lyq_are_not_first_person_plural_past():
    assert lemma("ынтымақтастық") == "ынтымақтастық"
    assert lemma("жетістік") == "жетістік"
    assert lemma("келдік") == "кел"  # a verb the lexicon does not list whole is still cut


def test_malformed_form_counts_are_a_data_error(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from nuskha.errors import DataError
    from nuskha.lang.kk import morphology

    (tmp_path / "forms_kaznerd.tsv").write_text("# _source: test\nкітап\t1\t0\n", encoding="utf-8")
    monkeypatch.setattr(morphology, "resources", SimpleNamespace(files=lambda package: tmp_path))
    morphology.form_counts.cache_clear()
    try:
        with pytest.raises(DataError, match=r"forms_kaznerd\.tsv:line 2"):
            morphology.form_counts()
    finally:
        morphology.form_counts.cache_clear()


@pytest.mark.parametrize("word, expected_lemma", [
    ("Қарағанды", "Қарағанды"),  # a listed name, not қара + ған + ды
    ("Қарағандыда", "Қарағанды"),
    ("Маңғыстауға", "Маңғыстау"),  # running text writes it as a name; not маңғыста + у + ға
    ("Қазақстанның", "Қазақстан"),  # the name reading still takes the cheapest cut
    ("Республикасымен", "республика"),  # a common word plus suffixes is no name, though capitalised in one
])
def test_a_capitalised_name_beats_a_verb_or_common_word_inside_it(word, expected_lemma):
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("Қасым-Жомарт", "Қасым-Жомарт"), ("Нұр-Сұлтанға", "Нұр-Сұлтан"),
    ("Ата-аналар", "ата-ана"),  # a common compound at a sentence start
])
def test_hyphenated_word_keeps_capitals_when_every_part_has_one(word, expected_lemma):
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("Кеннедидің", "Кеннеди"), ("Шонидің", "Шони"), ("Тбилисиді", "Тбилиси"), ("сәбиге", "сәби"),
])
def test_final_i_takes_glide_forms_of_either_series(word, expected_lemma):
    # final и is read [ій]: genitive -дің, accusative -ді, and front suffixes after a back vowel (Шони+дің)
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("Болат", "Болат"), ("Серікке", "Серік"),  # given names before surnames in KazNERD's text
    ("болат", "болат"), ("серік", "серік"),  # the common words stay common in lower case
    ("Президент", "президент"),  # a title: capitalised, but mostly without a surname after it
])
def test_given_names_keep_capitals_titles_do_not(word, expected_lemma):
    assert lemma(word) == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("үшінші", "үш"), ("Бірінші", "бір"), ("жетінші", "жеті"), ("қырқыншы", "қырық"), ("жиырмасыншы", "жиырма"),
])
def test_an_ordinal_takes_its_cardinal_as_lemma(word, expected_lemma):
    lemma, segments = analyze(word, word)
    assert lemma == expected_lemma
    assert [s.role for s in segments] == ["stem", "suffix"] and segments[-1].end == len(word)
    assert analyze("енші", "енші")[0] == "енші"  # a word that only ends like an ordinal stays whole


@pytest.mark.parametrize("word, expected_lemma", [
    ("пен", "мен"), ("де", "да"), ("өзінің", "өз"), ("барлығына", "барлық"), ("сіздерге", "сіздер"),
    ("бара", "бар"), ("тағы", "тағы"),
])
def test_particles_pronouns_and_auxiliary_converbs_take_one_lemma(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("маңызды", "маңызды"), ("тұрақты", "тұрақты"), ("қажетті", "қажетті"),  # adjectives in -ды/-ті
    ("сөзді", "сөз"), ("кітапты", "кітап"), ("метрді", "метр"),  # accusatives: rare beside their noun
])
def test_adjective_in_dy_ti_is_told_from_an_accusative_by_running_text(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("өнімі", "өнім"), ("тақырыбын", "тақырып"), ("дамытуға", "дамыт"),  # inflected forms the hunspell list has
    ("сауда", "сауда"), ("қалың", "қалың"), ("сенім", "сенім"),  # stems that only look inflected
])
def test_word_list_entries_that_are_inflected_forms_are_cut(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


def test_an_initial_is_one_token_and_ends_no_sentence():
    from nuskha.pipeline import process

    text = "Мұны Г. Марченко айтты. Ол Қ. Жұмалиевпен келді."
    doc = process(text, "kk")
    words = [text[t.start:t.end] for t in doc.tokens]
    assert "Г." in words and "Қ." in words and "Г" not in words
    assert len(doc.sentences) == 2
    lower = "Ол келді. Мен а. Бар."  # a lower-case letter and a period is no initial
    assert [lower[t.start:t.end] for t in process(lower, "kk").tokens][4:6] == ["а", "."]


@pytest.mark.parametrize("word, expected_lemma", [
    ("оқып", "оқы"), ("оқиды", "оқы"), ("дамыды", "дамы"), ("қамтиды", "қамты"),  # stems in -ы/-і
    ("алады", "ал"), ("алып", "ал"), ("келді", "кел"),  # stems in a consonant keep theirs
])
def test_verb_stems_in_y_i_get_their_vowel_back(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("бұлармен", "бұл"), ("солардың", "сол"), ("осыларға", "осы"), ("оларды", "олар"),
])
def test_plural_demonstratives_take_the_singular(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("айтқым", "айт"), ("ұсынғым", "ұсын"), ("қарағысы", "қара"),  # desire: verb + -ғы/-қы + possessive
    ("жылғы", "жылғы"), ("ішкі", "ішкі"), ("алғысы", "алғыс"),  # no possessive after -ғы, or a noun in -ғыс
])
def test_desiderative_takes_the_verb_stem(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("жетелеуші", "жетеле"), ("айтушы", "айт"),  # a bare agent participle: the verb, as UD-KTB has it
    ("оқушы", "оқушы"), ("жазушы", "жазушы"),  # agent nouns the lexicon lists stay whole
])
def test_bare_agent_participle_takes_the_verb_stem(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word", ["қарамастан", "алайда", "өйткені", "немесе", "кейде", "бүгінде", "алға", "жүзеге"])
def test_function_words_that_look_inflected_stay_whole(word):
    assert analyze(word, word)[0] == word
    assert analyze(word.capitalize(), word.capitalize())[0] == word


def test_only_real_short_verbs_are_verbs():
    from nuskha.lang.kk.morphology import lexicon

    assert "v" in lexicon()["де"] and "v" in lexicon()["же"]  # де-, же-: real verbs
    assert "v" not in lexicon().get("та", "") and "v" not in lexicon().get("ма", "")  # from тау; the negation -ма
    assert analyze("тапты", "тапты")[0] == "тап" and analyze("деді", "деді")[0] == "де"
    assert "ба" not in lexicon() and "n" in lexicon()["ми"]  # a suffix listed as a noun; a real noun
    assert analyze("тамыз", "тамыз")[0] == "тамыз" and analyze("теңіз", "теңіз")[0] == "теңіз"


def test_a_converb_before_an_auxiliary_verb_takes_its_verb_lemma():
    from nuskha.pipeline import process

    def lemmas(text):
        return [t.lex.lemma for t in process(text, "kk").tokens if t.lex.kind == "word"]
    assert lemmas("Ол ала алмады.") == ["ол", "ал", "ал"]  # could not take
    assert lemmas("Баға арта түсті.")[1] == "арт"
    assert lemmas("Ала жылқы келді.")[0] == "ала"  # no auxiliary after it: the adjective (motley)
    assert lemmas("Ол арта қарады.")[1] == "арта"  # қара- is no auxiliary of the -а converb


def test_a_finite_verb_form_inside_a_clause_is_read_as_a_nominal():
    from nuskha.pipeline import process

    def lemmas(text):
        return [t.lex.lemma for t in process(text, "kk").tokens if t.lex.kind == "word"]
    assert analyze("өндірісті", "өндірісті")[0] == "өндір"  # alone: the verb reading (өндір + іс + ті)
    assert lemmas("Өндірісті жолға қойды.")[0] == "өндіріс"  # a word follows: production + accusative
    assert lemmas("Біз басты мәселені шештік.")[1] == "басты"  # the adjective (main), not бас + past tense
    assert lemmas("Ол өндірісті.")[1] == "өндір"  # last in its clause: the finite verb stays
    assert lemmas("Ол келді ме?")[1] == "кел"  # a question particle may follow a verb
    assert lemmas("Ол келді және кетті.")[1] == "кел"  # so may a conjunction


@pytest.mark.parametrize("word, expected_lemma", [
    ("барарсың", "бар"), ("ішермін", "іш"), ("жазармыз", "жаз"),  # future in -ар/-ер + person
    ("базармын", "базар"), ("адамдармын", "адам"),  # a noun in -ар with the copula is no future
])
def test_future_tense_with_a_person_ending(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


def test_negative_verb_forms_listed_whole_are_no_stems():
    assert analyze("қалмаймын", "қалмаймын")[0] == "қал"
    assert analyze("жібермеді", "жібермеді")[0] == "жібер"
    assert analyze("жасаңыздар", "жасаңыздар")[0] == "жаса"  # the polite plural imperative


@pytest.mark.parametrize("word, expected_lemma", [("біреуге", "біреу"), ("екеуі", "екеу"), ("үшеуміз", "үшеу")])
def test_collective_numerals_are_stems(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [("маңыма", "маң"), ("әкеме", "әке"), ("жаныма", "жан")])
def test_dative_after_a_first_or_second_person_possessive(word, expected_lemma):
    # -ым/-ің + -а/-е: within the cost limit, so the chain is cut (was left whole)
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("қалдырмай", "қалдыр"), ("келмей", "кел"), ("жатпай", "жат"),  # the negative converb -май/-мей
    ("жаппай", "жаппай"),  # an adverb the lexicon lists whole stays whole ("en masse")
])
def test_negative_converb(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma


@pytest.mark.parametrize("word, expected_lemma", [
    ("теңге", "теңге"), ("оқиға", "оқиға"), ("пайда", "пайда"),  # running text inflects them further
    ("елде", "ел"), ("кезде", "кез"), ("қалаға", "қала"),  # true case forms (елдегі is a locative's -гі)
])
def test_a_lexicon_noun_that_running_text_inflects_further_is_no_case_form(word, expected_lemma):
    assert analyze(word, word)[0] == expected_lemma
