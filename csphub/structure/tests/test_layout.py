"""The structure map draws reporting lines as a tree and a legend that fits."""

import re
from types import SimpleNamespace

from csphub.structure import layout
from csphub.structure.layout import (
    BOX_H,
    BOX_W,
    GAP_X,
    Box,
    Canvas,
    legend,
    reporting_lines,
)


def body(pk, parent=None):
    return SimpleNamespace(pk=pk, reports_to_id=parent)


def test_groups_under_one_parent_branch_off_a_trunk_not_a_chain():
    column = (0, 100)
    boxes = {
        1: Box(100, 0, body(1), column=column),
        2: Box(100, 70, body(2, 1), column=column),
        3: Box(100, 140, body(3, 1), column=column),
    }
    paths = re.findall(r' d="([^"]+)"', str(reporting_lines(boxes)))
    trunk = 100 - GAP_X / 2
    assert paths == [
        f"M100 {70 + BOX_H / 2:.0f}H{trunk:.0f}V{BOX_H / 2:.0f}H100",
        f"M100 {140 + BOX_H / 2:.0f}H{trunk:.0f}V{BOX_H / 2:.0f}H100",
    ]


def test_a_line_to_a_parent_straight_above_goes_round_the_boxes_between():
    boxes = {
        1: Box(100, 0, body(1), column=(0, 100)),
        2: Box(100, 70, body(2), column=(60, 100)),  # another band's box
        3: Box(100, 140, body(3, 1), column=(120, 100)),
    }
    (path,) = re.findall(r' d="([^"]+)"', str(reporting_lines(boxes)))
    gutter = 100 + BOX_W + 4
    assert f"H{gutter}V" in path  # beside box 2, never through it
    assert path.startswith(f"M{100 + BOX_W // 2} 140")


def test_legend_wraps_to_fit_a_narrow_map():
    canvas = Canvas(4)
    legend(canvas)
    xs_ys = [
        (float(x), float(y))
        for x, y in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"', "".join(canvas.parts)
        )
    ]
    for x, _ in xs_ys:
        assert x < canvas.width
    assert len({y for _, y in xs_ys}) >= 2  # more than one row on 4 columns
    assert canvas.y > layout.PAD + 30
