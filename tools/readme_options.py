"""Write the README's two option tables from the one declaration of the mock's options
(``wan_mock._service._options.OPTIONS``): the ``wan-mock serve`` options (spelling, default,
meaning) and the keyword options of ``WanMock``, ``WanMockServer`` and the ``wan_mock`` marker
(which of them takes each, meaning).

Each table stands in README.md between ``<!-- options: NAME -->`` and ``<!-- /options: NAME -->``
and nothing between them is written by hand. ``--check`` changes nothing and exits 1 when the
README's tables are not what the declaration gives (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

sys.path.insert(0, str(ROOT / "src"))
from wan_mock._service._options import (  # noqa: E402
    IN_PROCESS,
    MARKER,
    OPTIONS,
    SERVE,
    SERVER,
    Option,
    options_of,
)


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a ``|`` (even in code) would end the cell."""
    return text.replace("|", "\\|")


def _spelled(option: Option) -> str:
    """``--store PATH|URL``, ``--rate-limits / --no-rate-limits``, ``--quiet``."""
    if option.is_switch:
        return f"{option.flag} / {option.negative_flag}"
    value = option.placeholder or option.metavar or "|".join(option.choices)
    return f"{option.flag} {value}" if value and not option.is_flag else option.flag


def _default(option: Option) -> str:
    if option.shown_default is not None:
        return option.shown_default
    if option.default is False:
        return "off"
    if option.default is None:
        return "none"
    return f"`{option.default}`"


def serve_table() -> str:
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for option in options_of(SERVE):
        spelled = _cell(f"`{_spelled(option)}`")
        rows.append(f"| {spelled} | {_cell(_default(option))} | {_cell(option.doc)} |")
    return "\n".join(rows)


#: Who takes a keyword option, as the keyword table says it.
_TAKERS = ((IN_PROCESS, "`WanMock`"), (SERVER, "`WanMockServer`"), (MARKER, "the marker"))


def keyword_table() -> str:
    """The options of the classes: those both take first, then ``WanMock``'s, then
    ``WanMockServer``'s, each group in the declaration's order."""
    rows = ["| option | taken by | meaning |", "|---|---|---|"]
    keywords = [option for option in OPTIONS if option.surfaces & {IN_PROCESS, SERVER}]
    keywords.sort(
        key=lambda option: (IN_PROCESS not in option.surfaces, SERVER not in option.surfaces)
    )
    for option in keywords:
        takers = ", ".join(name for surface, name in _TAKERS if surface in option.surfaces)
        rows.append(f"| `{option.name}` | {takers} | {_cell(option.keyword_doc)} |")
    return "\n".join(rows)


TABLES: dict[str, Callable[[], str]] = {"serve": serve_table, "keywords": keyword_table}


def written(text: str) -> str:
    """The README with each table between its markers as the declaration gives it."""
    for name, table in TABLES.items():
        start, end = f"<!-- options: {name} -->", f"<!-- /options: {name} -->"
        if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
            raise SystemExit(f"README.md: expected one {start} … {end} block")
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        text = f"{before}{start}\n{table()}\n{end}{after}"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 on drift")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = written(current)
    if wanted == current:
        return 0
    if args.check:
        print("README.md: the option tables are not what wan_mock/_service/_options.py gives;")
        print("run `make readme-options`")
        return 1
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
