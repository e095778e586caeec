"""``cleankit explain``: what each step changed in one document, and why."""

from __future__ import annotations

import unicodedata

from rich.console import Console
from rich.text import Text

from cleankit.document import Document
from cleankit.edits import Edit
from cleankit.pipeline import Pipeline

_LABEL_STYLES = {"whitespace": "dim", "mojibake": "magenta"}


_ESCAPES = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def _visible(text: str) -> str:
    """Show invisible characters (controls, odd spaces, format marks) as escapes."""
    return "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if _invisible(c) else c) for c in text)


def _invisible(char: str) -> bool:
    return char != " " and unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn")


def _line_col(raw: str, offset: int) -> tuple[int, int]:
    line = raw.count("\n", 0, offset) + 1
    return line, offset - (raw.rfind("\n", 0, offset) + 1) + 1


def render_edit(raw: str, edit: Edit, context: int) -> Text:
    """One change: where it is, its label and reason, and the text around it."""
    line, col = _line_col(raw, edit.start)
    out = Text(f"  {line}:{col} ", style="bold")
    out.append(f"{edit.label}", style=_LABEL_STYLES.get(edit.label, "yellow"))
    out.append(f" ({edit.kind}) ")
    if edit.reason:
        out.append(f"{edit.reason}: ", style="italic")
    before = raw[max(0, edit.start - context) : edit.start]
    after = raw[edit.end : edit.end + context]
    out.append(_visible(before), style="dim")
    if edit.end > edit.start:
        out.append(_visible(raw[edit.start : edit.end]), style="bold red strike")
    if edit.replacement:
        out.append(_visible(edit.replacement), style="bold green")
    out.append(_visible(after), style="dim")
    return out


def _short(value: object, width: int = 100) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_restored(entry: dict) -> Text:
    """One line of a normalised document: its original, its candidate or its surface."""
    out = Text(f"  line {entry['line'] + 1} ", style="bold")
    if entry.get("original") is not None:
        out.append("restored", style="green")
        out.append(f" from {entry['source']} (score {entry['score']}): ")
        out.append(_short(entry["original"]))
        return out
    out.append("unrestored", style="yellow")
    out.append(f" (best score {entry['score']})")
    candidate = entry.get("candidate")
    if candidate:
        out.append(f"; candidate in {candidate['source']} ({candidate['score']}): ")
        out.append(_short(candidate["text"], 80), style="dim")
    if entry.get("surface") is not None:
        out.append("; surface forms (partial): ")
        out.append(_short(entry["surface"], 80))
    return out


def explain_document(
    console: Console, pipeline: Pipeline, raw: str, source: str, context: int = 30, limit: int = 50
) -> Document:
    """Clean ``raw`` step by step, printing each step's new edits and labels."""
    doc = Document(raw, id=source, source=source)
    if not pipeline.prepared:
        pipeline.prepare(lambda: [Document(raw, id=source, source=source)])
    console.print(
        f"[bold]{source}[/]: {len(raw):,} characters; steps: {' → '.join(pipeline.names)}"
    )
    for step in pipeline.steps:
        before_edits = {id(e) for e in doc.edits}
        before_labels = len(doc.annotations)
        before_meta = dict(doc.meta)
        before_restored = len(doc.restored)
        change = step(doc)
        new = [e for e in doc.edits if id(e) not in before_edits]
        labels = doc.annotations[before_labels:]
        removed = ", ".join(f"{k} {n:,}" for k, n in sorted(change.chars_removed.items()))
        replaced = ", ".join(f"{k} {n:,}" for k, n in sorted(change.chars_replaced.items()))
        console.print(
            f"\n[bold cyan]{step.name}[/]: {change.edits} edit(s)"
            + (f"; removed {removed} chars" if removed else "")
            + (f"; replaced {replaced} chars" if replaced else ""),
            highlight=False,
        )
        shown = new if limit <= 0 else new[:limit]
        for edit in shown:
            console.print(render_edit(raw, edit, context))
        for annotation in labels[: limit or None]:
            line, col = _line_col(raw, annotation.start)
            console.print(
                f"  {line}:{col} [blue]{annotation.label}[/] (label) {annotation.reason}: "
                f"{_visible(raw[annotation.start : annotation.end])[:80]}",
                highlight=False,
            )
        if len(new) > len(shown):
            console.print(f"  … and {len(new) - len(shown)} more (use --limit 0 to show all)")
        for key, value in doc.meta.items():
            if key not in before_meta or before_meta[key] != value:
                console.print(f"  [blue]meta[/] {key} = {_short(value)}", highlight=False)
        for entry in doc.restored[before_restored:][: limit or None]:
            console.print(render_restored(entry))
    console.print(f"\n[bold]result[/]: {len(raw):,} → {len(doc.text):,} characters")
    return doc
