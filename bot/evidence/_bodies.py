"""Scrubbing bodies by their structure: form-encoded bodies field by field, XML node by node.

A form body (`txtUser=a&txtPass=…`) is split into fields: a field whose name is secret (or was
typed into) or whose value is the start of a typed secret is masked whole, whatever its encoding;
the others are scrubbed as text. XML is parsed and only text and attribute values are rewritten,
so the file stays well-formed whatever a mask replaces.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote_plus

from bot.evidence._masking import FieldMasks

_FORM = re.compile(r"[^=&\s]+=[^&\s]*(?:&[^=&\s]*(?:=[^&\s]*)?)*")
Clean = Callable[[str], str]


def looks_like_form(body: str) -> bool:
    """`a=1&b=2`: application/x-www-form-urlencoded (or a query string)."""
    return "=" in body and _FORM.fullmatch(body.strip()) is not None


def scrub_form(body: str, masks: FieldMasks, clean: Clean, mask: str) -> tuple[str, int]:
    """The body with secret fields masked whole and the rest cleaned; and how many were masked."""
    masked, pieces = 0, []
    for piece in body.split("&"):
        name, sep, value = piece.partition("=")
        if (
            sep
            and value
            and (masks.is_secret_name(unquote_plus(name)) or masks.is_typed_prefix(value))
        ):
            pieces.append(f"{clean(name)}={mask}")
            masked += 1
        else:
            pieces.append(clean(piece))
    return "&".join(pieces), masked


def scrub_xml(text: str, clean: Clean) -> str | None:
    """The document with every text and attribute value cleaned; None when it is not XML."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.text:
            element.text = clean(element.text)
        if element.tail:
            element.tail = clean(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = clean(value)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
