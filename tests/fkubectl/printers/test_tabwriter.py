from __future__ import annotations

from fkubectl.printers.tabwriter import TabWriter, format_lines, format_text


def test_columns_pad_to_widest_plus_three_minimum_six() -> None:
    text = format_lines([["NAME", "READY", "AGE"], ["a", "1/1", "5s"], ["long-name-here", "0/1", "10m"]])
    assert text == ("NAME             READY   AGE\n"
                    "a                1/1     5s\n"
                    "long-name-here   0/1     10m\n")
    assert format_lines([["A", "B"], ["x", "y"]]) == "A     B\nx     y\n"


def test_last_cell_is_not_padded_but_empty_trailing_cells_pad_the_one_before() -> None:
    assert format_lines([["NAME", "AGE", "FOO"], ["a", "5s", ""]]) == "NAME   AGE   FOO\na      5s    \n"


def test_blank_line_starts_a_new_block() -> None:
    text = format_text("NAME\tX\nlonger-name\ty\n\nN\tZ\nn\tz\n")
    assert text == "NAME          X\nlonger-name   y\n\nN     Z\nn     z\n"


def test_remembered_widths_keep_watch_rows_aligned() -> None:
    w = TabWriter()
    w.row(["NAME", "STATUS"])
    w.row(["a-long-pod-name", "Running"])
    assert w.flush() == "NAME              STATUS\na-long-pod-name   Running\n"
    w.row(["b", "Pending"])
    assert w.flush() == "b                 Pending\n"
    w.reset_widths()
    w.row(["b", "Pending"])
    assert w.flush() == "b     Pending\n"


def test_describe_settings() -> None:
    assert format_text("Name:\tx\nService Account:\ty\n", min_width=0, padding=2) == \
        "Name:             x\nService Account:  y\n"
