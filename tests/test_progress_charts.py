"""Geometry of the progress page's SVG charts (progress/charts.py): plain functions."""

from progress.charts import count_chart, line_chart


def test_a_line_chart_puts_scores_on_a_one_to_five_scale():
    chart = line_chart([("1 Mar", 1.0), ("2 Mar", 3.0), ("3 Mar", 5.0)], width=240, height=140)

    # Plot: x from 36 to 224, y from 12 (5) to 110 (1).
    assert [(p.x, p.y, p.text) for p in chart.points] == [
        ("36", "110", "1.0"),
        ("130", "61", "3.0"),
        ("224", "12", "5.0"),
    ]
    assert chart.path == "36,110 130,61 224,12"
    assert [label for _, label in chart.y_ticks] == ["1", "2", "3", "4", "5"]


def test_a_line_chart_labels_at_most_a_few_points_and_always_the_last():
    chart = line_chart([(f"{d} Mar", 3.0) for d in range(1, 21)], x_labels=6)

    labels = [p.label for p in chart.x_labels]
    assert len(labels) <= 6 and labels[0] == "1 Mar" and labels[-1] == "20 Mar"


def test_a_single_score_sits_in_the_middle():
    chart = line_chart([("1 Mar", 2.5)], width=240)
    assert chart.points[0].x == "130"


def test_count_bars_run_from_zero_to_the_number_of_answers():
    chart = count_chart([("Vanity metrics", 5), ("No recommendation", 20)], out_of=20)

    assert [label for _, label in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert [(b.width, b.text) for b in chart.bars] == [("75", "5 of 20"), ("300", "20 of 20")]
    assert count_chart([("Vanity metrics", 1)], out_of=3).ticks[-1][1] == "3"
