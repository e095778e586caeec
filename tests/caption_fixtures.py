"""Reading the caption fixtures (format in tests/fixtures/captions/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "captions"


@dataclass
class CaptionCase:
    """One fixture document with what must come out of it."""

    name: str
    text: str
    captions: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


def _none(value: str) -> str | None:
    value = value.strip()
    return None if value == "-" else value


def load_case(path: Path) -> CaptionCase:
    case = CaptionCase(path.stem, "")
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            lines.append(line)
        elif line.startswith("+ "):
            lines.append(line[2:])
            case.prose.append(line[2:])
        elif line.startswith("= "):
            lines.append(line[2:])
        elif line.startswith("> "):
            kind, _, value = line[2:].strip().partition(": ")
            if kind == "caption":
                text, credit, date = value.split(" | ")
                case.captions.append((text.strip(), _none(credit), _none(date)))
            elif kind == "prose":
                case.prose.append(value)
            else:
                raise ValueError(f"{path.name}:{number}: unknown expectation {kind!r}")
        else:
            raise ValueError(f"{path.name}:{number}: line has no '+ ', '= ' or '> ' prefix")
    case.text = "\n".join(lines)
    return case


def load_cases() -> list[CaptionCase]:
    return [load_case(path) for path in sorted(FIXTURES.glob("*.txt"))]
