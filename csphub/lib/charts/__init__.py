"""Charts drawn on the server as SVG, the same on a page and in a PDF, each
beside a table of its data and a sentence reading it.

`base` has what they share (palette, numbers, axes, month labels, gaps);
`spc` draws the performance group's XmR charts and icons (Making Data Count);
`trend` the briefings' monthly count lines. Plain values in, SVG out: no
models, so any app can draw them.
"""
