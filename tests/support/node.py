"""The Node.js packages some tests drive (`tests/node/package.json`: openid-client,
playwright-core), installed by `make setup` with `npm ci --prefix tests/node`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parents[1] / "node"


def node_with(package: str) -> str:
    """The `node` binary, once `package` is installed in tests/node; else fail saying what to do."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            f"Node.js is not installed, and this test runs the npm package {package} on it: "
            "install Node.js 20 or newer, then run `make setup` (it runs npm ci in tests/node).",
            pytrace=False,
        )
    if not (NODE_DIR / "node_modules" / package / "package.json").is_file():
        pytest.fail(
            f"{package} is not installed: run `npm ci --prefix tests/node` "
            "(`make setup` does it when Node.js is present).",
            pytrace=False,
        )
    return node


def locked_version(package: str) -> str:
    """The version of `package` that tests/node/package-lock.json pins."""
    lock = json.loads((NODE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"][f"node_modules/{package}"]["version"])
