"""Attack class: a secret in pictures. A secret typed into a text field (not `type=password`), on
a page that shows what was typed ("You typed: …", a mirror, a "show password" eye): the trace
records no screencast by default, and every step screenshot (and so the report to share, which
inlines them) covers each element whose text or value holds a secret."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from canaries import EIGHT, NFC
from security_helpers import Project, SecRun, assert_no_secret, held

from bot.evidence import write_shared_html

pytestmark = pytest.mark.browser

MAGENTA = [255, 0, 255]  # Playwright's mask colour
STEPS = """\
- goto: "{{ client.site_url }}/echo.html"
- fill: {label: Secret field, value: "{{ secret('pw') }}"}
- fill: {label: Password, exact: true, value: "{{ secret('pw8') }}"}
- click: {role: button, name: Show password}
"""
SHOWN = ["#pw", "#pw2", "#typed", "#mirror"]  # each holds a secret once the steps ran
_PIXELS = """async ([src, boxes]) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  return boxes.map(([x, y, w, h]) => {
    const d = g.getImageData(x, y, w, h).data, colours = new Set();
    for (let i = 0; i < d.length; i += 4) colours.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
    return Array.from(colours);
  });
}"""


def colours_in(viewer: Any, png: bytes, boxes: list[list[int]]) -> list[set[str]]:
    """The colours inside each box of a PNG, read by drawing it in the browser."""
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    return [set(found) for found in viewer.evaluate(_PIXELS, [src, boxes])]


def inner_boxes(page: Any) -> list[list[int]]:
    """Each shown element's box, 2 px in from its edges (no anti-aliasing at the border)."""
    boxes = []
    for selector in SHOWN:
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        x, y, w, h = (int(box[k]) for k in ("x", "y", "width", "height"))
        boxes.append([x + 2, y + 2, max(w - 4, 1), max(h - 4, 1)])
    return boxes


def trace_members(run: SecRun) -> list[str]:
    with zipfile.ZipFile(run.folder / "trace.zip") as archive:
        return archive.namelist()


def run_and_look(project: Project, browser: Any, client: str) -> tuple[SecRun, Any, Any]:
    """The run, plus a page left as the run left it (for the elements' boxes) and a viewer."""
    run = project.run(STEPS + "- screenshot: after-the-eye\n", browser, client=client)
    assert run.verdict == "passed", run
    context = browser.new_context()
    page = context.new_page()
    page.goto(project.site("echo.html"))
    page.get_by_label("Secret field").fill(NFC)
    page.get_by_label("Password", exact=True).fill(EIGHT)
    page.get_by_role("button", name="Show password").click()
    return run, page, context


def test_screenshots_cover_every_element_that_shows_a_secret(
    project: Project, browser: Any
) -> None:
    run, page, context = run_and_look(project, browser, "pages")
    try:
        boxes = inner_boxes(page)
        # control: unmasked, the page really shows the secrets in those places
        assert page.locator("#typed").text_content() == NFC
        assert page.locator("#pw2").get_attribute("type") == "text"
        plain = colours_in(page, page.screenshot(), boxes)
        assert all(colours != {"255,0,255"} for colours in plain)
        shot = run.folder / "screenshots" / "005-after-the-eye.png"
        masked = colours_in(page, shot.read_bytes(), boxes)
        assert masked == [{"255,0,255"}] * len(SHOWN), dict(zip(SHOWN, masked, strict=True))
        report = (run.folder / "report.html").read_text(encoding="utf-8")
        assert 'src="screenshots/005-after-the-eye.png"' in report
        shared = write_shared_html(run.folder).read_text(encoding="utf-8")
        assert base64.b64encode(shot.read_bytes()).decode() in shared  # the same, inlined
    finally:
        context.close()
    assert not [m for m in trace_members(run) if m.endswith((".jpeg", ".jpg"))]
    assert sorted(held(run.raw_trace, {"pw": NFC, "pw8": EIGHT})) == ["pw", "pw8"]  # control
    assert_no_secret(run)


def test_a_screencast_is_recorded_only_when_the_client_asks_and_every_report_says_so(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser, client="pages-film")
    assert run.verdict == "passed", run
    frames = [m for m in trace_members(run) if m.endswith((".jpeg", ".jpg"))]
    assert frames  # the client asked for the filmstrip
    said = "the trace holds a screencast"
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    assert any(said in note for note in report["notes"])
    assert said in (run.folder / "report.html").read_text(encoding="utf-8")
    assert said in Path(run.folder / "junit.xml").read_text(encoding="utf-8")
    assert said in run.output  # the printed verdict
    assert_no_secret(run)  # the bytes: the pictures themselves are what the note warns about
