from app.domain.languages import DEFAULT, LANGUAGES, choose, shown_year, supported, with_year


def test_a_tag_names_the_language_the_app_speaks():
    assert supported("vi-VN") == "vi"
    assert supported("th") == "th"
    assert supported("id-ID") == "id"
    assert supported("zh-CN") == "zh_Hans"
    assert supported("zh-Hans-CN") == "zh_Hans"
    assert supported("zh") == "zh_Hans"
    assert supported("EN-gb") == "en"


def test_traditional_chinese_and_unknown_languages_are_not_spoken():
    assert supported("zh-TW") is None
    assert supported("zh-Hant") is None
    assert supported("fr-FR") is None
    assert supported("*") is None


def test_the_persons_choice_wins_over_the_browser():
    assert choose("th", [("vi", 1.0)]) == "th"


def test_without_a_choice_the_browsers_best_spoken_language_decides():
    assert choose("", [("fr", 1.0), ("vi", 0.8), ("en", 0.5)]) == "vi"
    assert choose("", [("en", 0.3), ("zh-TW", 1.0), ("zh-CN", 0.9)]) == "zh_Hans"
    assert choose("", [("th", 0.0), ("id", 0.1)]) == "id"


def test_an_unknown_choice_or_no_spoken_language_falls_back_to_english():
    assert choose("klingon", [("de", 1.0)]) == DEFAULT == "en"
    assert choose("", []) == "en"


def test_every_language_names_itself():
    assert LANGUAGES["vi"] == "Tiếng Việt" and LANGUAGES["zh_Hans"] == "简体中文"


def test_the_thai_calendar_counts_years_from_the_buddhist_era():
    assert shown_year(2026, "buddhist") == 2569
    assert shown_year(2026, "gregorian") == 2026


def test_a_date_pattern_takes_the_shown_year_as_a_literal():
    assert with_year("d MMM y", 2569) == "d MMM '2569'"
    assert with_year("y年M月d日", 2569) == "'2569'年M月d日"
