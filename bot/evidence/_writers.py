"""report.json, report.html (screenshots beside it, or inlined to share it) and junit.xml for a
`RunRecord`."""

from __future__ import annotations

import base64
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.errors import FailureKind
from bot.evidence._content import write_atomic
from bot.evidence._record import RunRecord, StepRecord
from bot.evidence.scrub import Scrubber

TEMPLATES = Path(__file__).parent / "templates"
IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
WITHHELD = "screenshot withheld: it held a secret"
NOT_KEPT = "screenshot not kept (see About this evidence)"
SHARED = "report-shared.html"
# characters XML 1.0 cannot hold (control characters, surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_json(record: RunRecord, directory: Path, *, scrubber: Scrubber | None = None) -> Path:
    """`report.json`: the whole record, every string scrubbed."""
    data = _or_new(scrubber).json_value(record.to_dict())
    return _write(directory / "report.json", json.dumps(data, indent=2, ensure_ascii=False))


def write_html(
    record: RunRecord,
    directory: Path,
    *,
    scrubber: Scrubber | None = None,
    inline: bool = False,
    name: str = "report.html",
) -> Path:
    """`report.html`: inline CSS, every step with its duration and screenshot, the final state,
    the failed step's YAML and error, and how to open the trace. Screenshots are referenced
    (`screenshots/…`, beside it in the run folder) unless `inline`: then each is a `data:` image
    and the file stands alone, to be shared (`write_shared_html`)."""
    scrubber = _or_new(scrubber)

    def show(screenshot: str | None) -> str | None:
        return image_source(directory, screenshot, scrubber, inline=inline)

    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            record=record,
            screenshots={step.seq: show(step.screenshot) for step in record.steps},
            final=show(record.final_screenshot),
            trace=_trace_name(directory),
            said=(WITHHELD, NOT_KEPT),
            next_step=_next_step(record),
            inline=inline,
        )
    )
    return _write(directory / name, scrubber.text(html))


def write_shared_html(directory: Path) -> Path:
    """`report-shared.html` of a sealed run folder: its report with every screenshot inlined,
    one file to attach to a ticket. Made from report.json and the screenshots, both already
    scrubbed and scanned when the run ended."""
    data = json.loads((directory / "report.json").read_text(encoding="utf-8"))
    return write_html(RunRecord.from_dict(data), directory, inline=True, name=SHARED)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["seconds"] = format_seconds
    environment.filters["utc"] = format_utc
    return environment


def _next_step(record: RunRecord) -> str | None:
    """What to try after a failed run, from its failure kind; None when it passed."""
    if record.verdict != "failed":
        return None
    known = {str(kind) for kind in FailureKind}
    kind = FailureKind(record.failure_kind if record.failure_kind in known else FailureKind.ERROR)
    return kind.next_step.replace("RUN_ID", record.run_id)


def write_junit(
    record: RunRecord,
    directory: Path,
    *,
    scrubber: Scrubber | None = None,
    trace_path: Path | None = None,
    report_path: Path | None = None,
) -> Path:
    """`junit.xml`: one testcase per step, a failure element on the failed step, and properties
    pointing at the trace and the HTML report, and the notes about the evidence. Well-formed
    whatever the run's texts hold: each is scrubbed and stripped of what XML cannot hold."""
    scrubber = _or_new(scrubber)

    def clean(text: str) -> str:
        return _NOT_XML.sub("\ufffd", scrubber.text(text))

    suite = ET.Element("testsuite", _suite_attributes(record))
    properties = ET.SubElement(suite, "properties")
    facts = {
        "run_id": record.run_id,
        "runbook": record.runbook,
        "client": record.client or "",
        "verdict": record.verdict,
        "trace": str(trace_path or directory / "trace.zip"),
        "report": str(report_path or directory / "report.html"),
    }
    if record.final_screenshot:
        facts["final_screenshot"] = record.final_screenshot
    properties_list = [*facts.items(), *(("note", note) for note in record.notes)]
    for name, value in properties_list:
        ET.SubElement(properties, "property", {"name": name, "value": clean(value)})
    for step in record.steps:
        _testcase(suite, record, step, clean)
    ET.indent(suite)
    text = ET.tostring(suite, encoding="unicode", xml_declaration=True)
    return _write(directory / "junit.xml", text + "\n")


def _suite_attributes(record: RunRecord) -> dict[str, str]:
    return {
        "name": _NOT_XML.sub("\ufffd", f"{record.runbook}[{record.client or '-'}]"),
        "tests": str(len(record.steps)),
        "failures": str(sum(step.status == "failed" for step in record.steps)),
        "skipped": str(sum(step.status == "skipped" for step in record.steps)),
        "time": f"{record.duration or 0:.3f}",
        "timestamp": format_utc(record.started_at),
    }


def _testcase(
    suite: ET.Element, record: RunRecord, step: StepRecord, clean: Callable[[str], str]
) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": clean(f"{record.runbook}.{step.path}"),
            "name": clean(step.description),
            "time": f"{step.duration or 0:.3f}",
        },
    )
    if step.status == "failed":
        failure = ET.SubElement(
            case,
            "failure",
            {"message": clean(step.message or "failed"), "type": step.failure_kind or "error"},
        )
        if step.path == record.failing_step:
            parts = [step.source, record.failing_yaml, step.message]
        else:  # a step around the failing one: it names that step, the one to look at
            parts = [step.source, _failed_inside(record), step.message]
        failure.text = clean("\n\n".join(filter(None, parts)))
    elif step.status == "skipped":
        ET.SubElement(case, "skipped", {"message": clean(step.message or "skipped")})
    if step.screenshot:
        out = ET.SubElement(case, "system-out")
        out.text = clean(f"[[ATTACHMENT|{step.screenshot}]]")


def _failed_inside(record: RunRecord) -> str | None:
    if not record.failing_source:
        return None
    return f"failed inside: {record.failing_source} ({record.failing_description})"


def image_source(
    directory: Path, screenshot: str | None, scrubber: Scrubber, *, inline: bool
) -> str | None:
    """Where report.html finds a screenshot: its path beside the report, or (`inline`) a `data:`
    URI; None when there is none, NOT_KEPT when its file is gone (deleted while sealing), WITHHELD
    when it holds a secret."""
    if not screenshot:
        return None
    path = directory / screenshot
    if not path.is_file():
        return NOT_KEPT
    if not inline:
        return quote(screenshot)
    data = path.read_bytes()
    if scrubber.contains(data):
        return WITHHELD
    kind = next(
        (mime for magic, mime in IMAGE_TYPES.items() if data.startswith(magic)),
        "application/octet-stream",
    )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def format_seconds(value: Any) -> str:
    if not isinstance(value, int | float):
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def format_utc(value: Any) -> str:
    if not isinstance(value, int | float):
        return "–"
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(value))


def _trace_name(directory: Path) -> str | None:
    trace = directory / "trace.zip"
    return trace.name if trace.exists() else None


def _or_new(scrubber: Scrubber | None) -> Scrubber:
    return scrubber if scrubber is not None else Scrubber()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return path
