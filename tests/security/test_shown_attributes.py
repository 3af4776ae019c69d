"""Attack class: a secret on screen though no element's text or value holds it: an empty field's
placeholder, the alt text of a picture that does not load, the selected option a drop-down shows.
The step screenshots (and so the report, which inlines them) must cover those elements too."""

from __future__ import annotations

from typing import Any

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret
from test_pictures import colours_in

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/attributes.html"
- fill: {label: Secret field, value: "{{ secret('pw') }}"}
- screenshot: after-typing
"""
SHOWN = ["#hint", "#picture", "#choice"]


def test_screenshots_cover_a_secret_shown_as_a_placeholder_an_alt_text_or_an_option(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(project.site("attributes.html"))
        page.get_by_label("Secret field").fill(NFC)
        boxes = []
        for selector in SHOWN:
            box = page.locator(selector).bounding_box()
            assert box is not None, selector
            x, y, w, h = (int(box[k]) for k in ("x", "y", "width", "height"))
            boxes.append([x + 2, y + 2, max(w - 4, 1), max(h - 4, 1)])
        # control: unmasked, the page really shows the secret there (and not as text or value)
        assert page.locator("#hint").get_attribute("placeholder") == NFC
        assert page.locator("#hint").input_value() == ""
        plain = colours_in(page, page.screenshot(), boxes)
        assert all(len(colours) > 2 for colours in plain)  # text drawn: many shades
        shots = sorted((run.folder / "screenshots").glob("*-after-typing.png"))
        assert len(shots) == 1, shots
        masked = colours_in(page, shots[0].read_bytes(), boxes)
        assert masked == [{"255,0,255"}] * len(SHOWN), dict(zip(SHOWN, masked, strict=True))
    finally:
        context.close()
    assert_no_secret(run)
