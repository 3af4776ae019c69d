"""`bot`, the public API, as a user's Python meets it: every documented name imports, `dir()`
and completion list them although they load on first use, and `from bot import *` works."""

from __future__ import annotations

import subprocess
import sys

import bot


def test_every_public_name_resolves() -> None:
    for name in bot.__all__:
        assert getattr(bot, name) is not None, name


def test_dir_lists_the_public_names_before_they_are_loaded() -> None:
    """An interactive session (`dir(bot)`, tab completion) sees what `import bot` offers."""
    listed = subprocess.run(
        [sys.executable, "-c", "import bot; print(' '.join(dir(bot)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert set(bot.__all__) <= set(listed)


def test_star_import_and_the_docstring_s_names() -> None:
    namespace: dict[str, object] = {}
    exec("from bot import *", namespace)
    assert set(bot.__all__) <= set(namespace)
    assert {"Catalog", "RunOptions", "execute", "load_config", "BUILTIN"} <= set(bot.__all__)
