from search import rules


def test_a_query_is_trimmed_joined_and_capped():
    assert rules.clean_query("  夕阳红   舞蹈队 ") == "夕阳红 舞蹈队"
    assert rules.clean_query(None) == ""
    assert rules.clean_query("   ") == ""
    assert len(rules.clean_query("文" * 80)) == rules.MAX_LENGTH


def test_codes_are_letters_and_digits():
    assert rules.looks_like_code("P0012")
    assert rules.looks_like_code("20140001")
    assert rules.looks_like_code("A1-01")
    assert not rules.looks_like_code("张三")
    assert not rules.looks_like_code("Pabc")
    assert not rules.looks_like_code("舞蹈1队")
