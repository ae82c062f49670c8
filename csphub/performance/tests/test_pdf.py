"""The highlight report's PDF is tagged (PDF/UA), titled, in English, and
downloads under a name that says what it is."""

import re
import zlib

from django.urls import reverse

PERIOD = "2018-06"


def pdf_text(pdf):
    """The PDF's objects as bytes, its compressed object streams inflated."""
    parts = [pdf]
    for match in re.finditer(rb"/Length (\d+)>>\r?\nstream\r?\n", pdf):
        stream = pdf[match.end() : match.end() + int(match[1])]
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_highlight_pdf_is_tagged_titled_and_named(client_for):
    response = client_for("member").get(
        reverse("performance:highlight", args=[PERIOD]) + "?format=pdf"
    )
    assert response.status_code == 200
    pdf = pdf_text(response.content)
    assert b"/StructTreeRoot" in pdf  # tagged: a structure screen readers follow
    assert b"/MarkInfo" in pdf
    assert b"/Lang (en-GB)" in pdf
    assert b"/DisplayDocTitle true" in pdf
    assert b"http://www.aiim.org/pdfua/ns/id/" in pdf  # claims PDF/UA-1
    assert b"Highlight report, June 2018" in pdf  # its title, in the metadata
    assert "highlight-report-2018-06.pdf" in response["Content-Disposition"]
