"""The plain parts of attempts: comparing two attempts and choosing a drill's passage."""

from attempts.compare import CriterionRow, criterion_rows, mode_changes, word_diff
from attempts.drills import apply_rewrite, passages


def test_mode_changes_sorts_fixed_remaining_and_new():
    changes = mode_changes(
        ["premature_scaling", "vanity_metrics", "premature_scaling"],
        ["vanity_metrics", "no_measurement_plan"],
    )
    assert changes.fixed == ["premature_scaling"]
    assert changes.remaining == ["vanity_metrics"]
    assert changes.new == ["no_measurement_plan"]


def test_mode_changes_with_nothing_found_either_time():
    changes = mode_changes([], [])
    assert (changes.fixed, changes.remaining, changes.new) == ([], [], [])


def test_criterion_rows_side_by_side_in_the_newer_order():
    before = [("plan", "Plan", 2, 5), ("metrics", "Metrics", 3, 5), ("old", "Old", 4, 5)]
    after = [("metrics", "Metrics", 4, 5), ("plan", "Plan", 2, 5), ("new", "New", 5, 5)]
    rows = criterion_rows(before, after)
    assert rows == [
        CriterionRow("metrics", "Metrics", 3, 4, 5),
        CriterionRow("plan", "Plan", 2, 2, 5),
        CriterionRow("new", "New", None, 5, 5),
        CriterionRow("old", "Old", 4, None, 5),
    ]
    assert [r.change for r in rows] == [1, 0, None, None]


def test_word_diff_marks_removed_and_added_words_for_eyes_and_screen_readers():
    diff = word_diff(
        "We launch in every market at once and track views.",
        "We launch in Germany only and track renewals.",
    )
    assert diff.removed == 5 and diff.added == 3
    assert (
        '<del><span class="visually-hidden">[removed: </span>every market at once'
        '<span class="visually-hidden">]</span></del>'
    ) in diff.html
    assert "[added: </span>Germany only" in diff.html
    assert diff.html.startswith("We launch in <del>")
    assert "and track <del>" in diff.html


def test_word_diff_escapes_the_candidates_text():
    diff = word_diff("a <b>", "a <script>alert(1)</script>")
    assert "<script>" not in diff.html
    assert "&lt;script&gt;" in diff.html


def test_word_diff_of_the_same_text_marks_nothing():
    diff = word_diff("Same words\nhere.", "Same words here.")
    assert (diff.added, diff.removed) == (0, 0)
    assert str(diff.html) == "Same words here."


TEXT = "We start with creators. We launch in every market at once with a big PR push. Then we see."


def evidence(quote: str) -> dict:
    start = TEXT.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def test_passages_are_the_sentences_holding_the_evidence_each_once():
    found = passages(TEXT, [evidence("every market"), evidence("big PR")])
    assert [TEXT[s:e] for s, e in found] == [
        "We launch in every market at once with a big PR push."
    ]


def test_passages_in_two_sentences_and_quotes_not_in_the_text():
    found = passages(TEXT, [evidence("Then we see"), evidence("We start"), {"quote": "absent"}])
    assert [TEXT[s:e] for s, e in found] == ["We start with creators.", "Then we see."]
    assert passages(TEXT, [{"quote": "nowhere in it"}]) == []


def test_apply_rewrite_replaces_only_the_passage():
    start, end = passages(TEXT, [evidence("big PR")])[0]
    new = apply_rewrite(TEXT, start, end, "  We launch in Germany only for six weeks.\n")
    assert new == "We start with creators. We launch in Germany only for six weeks. Then we see."
