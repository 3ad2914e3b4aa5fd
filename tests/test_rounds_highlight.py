from feedback.highlight import highlight, locate, merge


def anchor(key):
    return f"fm-{key}"


def test_text_is_escaped_and_spans_marked_at_their_offsets():
    text = "Go <global> now & track views."
    spans = [(0, 11, "premature_scaling"), (24, 29, "vanity_metrics")]

    html = highlight(text, spans, anchor=anchor)

    assert html == (
        '<mark class="evidence" data-failure-modes="premature_scaling">'
        '<a href="#fm-premature_scaling" aria-describedby="fm-premature_scaling">'
        "Go &lt;global&gt;</a></mark> now &amp; track "
        '<mark class="evidence" data-failure-modes="vanity_metrics">'
        '<a href="#fm-vanity_metrics" aria-describedby="fm-vanity_metrics">views</a></mark>.'
    )


def test_overlapping_spans_become_one_mark_described_by_both():
    html = highlight("abcdefghij", [(5, 9, "b"), (2, 6, "a"), (3, 4, "a")], anchor=anchor)

    assert html == (
        'ab<mark class="evidence" data-failure-modes="a b">'
        '<a href="#fm-a" aria-describedby="fm-a fm-b">cdefghi</a></mark>j'
    )


def test_touching_spans_stay_apart():
    assert merge([(0, 2, "a"), (2, 4, "b")]) == [(0, 2, ["a"]), (2, 4, ["b"])]


def test_no_spans_is_just_the_escaped_text():
    assert highlight("<b>hi</b>", [], anchor=anchor) == "&lt;b&gt;hi&lt;/b&gt;"


def test_evidence_is_found_by_its_quote_when_offsets_are_off():
    text = "We launch in Canada first, then globally."

    assert locate(text, {"start": 10, "end": 19, "quote": "in Canada"}) == (10, 19)
    assert locate(text, {"start": 0, "end": 9, "quote": "in Canada"}) == (10, 19)
    assert locate(text, {"start": 30, "end": 99, "quote": "globally"}) == (32, 40)
    assert locate(text, {"start": 0, "end": 5, "quote": "not there"}) is None
    assert locate(text, {"start": "x", "end": None, "quote": ""}) is None
