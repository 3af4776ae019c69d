"""Attack class: a secret shown inside a web component. The page shows what was typed into a text
field inside the open shadow root of a custom element, and inside another one nested in it: the
step screenshots (and so the report, which inlines them) must cover those elements as they cover
any other that shows a secret."""

from __future__ import annotations

from typing import Any

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret
from test_pictures import colours_in

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/shadow.html"
- fill: {label: Secret field, value: "{{ secret('pw') }}"}
- screenshot: after-typing
"""
SHOWN = ["#box >> #typed", "#box >> #inner >> #mirror"]  # Playwright's CSS enters open shadow roots


def test_screenshots_cover_a_secret_shown_inside_a_shadow_root(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(project.site("shadow.html"))
        page.get_by_label("Secret field").fill(NFC)
        boxes = []
        for selector in SHOWN:
            box = page.locator(selector).bounding_box()
            assert box is not None, selector
            x, y, w, h = (int(box[k]) for k in ("x", "y", "width", "height"))
            boxes.append([x + 2, y + 2, max(w - 4, 1), max(h - 4, 1)])
        # control: unmasked, the component really shows the secret there
        assert page.locator(SHOWN[0]).text_content() == NFC
        plain = colours_in(page, page.screenshot(), boxes)
        assert all(colours != {"255,0,255"} for colours in plain)
        shots = sorted((run.folder / "screenshots").glob("*-after-typing.png"))
        assert len(shots) == 1, shots
        masked = colours_in(page, shots[0].read_bytes(), boxes)
        assert masked == [{"255,0,255"}] * len(SHOWN), dict(zip(SHOWN, masked, strict=True))
    finally:
        context.close()
    assert_no_secret(run)
