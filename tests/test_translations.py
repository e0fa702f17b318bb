"""The Chinese translation: complete, compiled, and covering every string of the UI.

No GUI: the .ts is read as XML, the sources with `ast`, and the .qm is rebuilt with lrelease.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "console" / "ui"
I18N = ROOT / "resources" / "i18n"
TS = I18N / "console_zh_CN.ts"
QM = I18N / "console_zh_CN.qm"

PLACEHOLDER = re.compile(r"%\d+")
ACCELERATOR = re.compile(r"&([^&\s])")  # "&&" is a literal ampersand
SHORTCUT = re.compile(r"\b(?:Ctrl|Shift|Alt)\+\w+")

# `tr` calls whose context lupdate cannot see: (enclosing class, callee) -> runtime context.
# Empty while every such call names its context: translate("Context", "text").
RUNTIME_CONTEXTS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str  # the translation's type attribute: "", "unfinished", "vanished", "obsolete"


def ts_messages() -> list[Message]:
    root = ET.parse(TS).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: {message.findtext('source')!r}"
            found.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    "".join(translation.itertext()),
                    translation.get("type", ""),
                )
            )
    return found


# -- (a) every message is translated -------------------------------------------------------
def test_ts_is_for_simplified_chinese() -> None:
    assert ET.parse(TS).getroot().get("language") == "zh_CN"


def test_every_message_is_translated_and_finished() -> None:
    problems = [
        f"{m.context}: {m.source!r} ({m.kind or 'empty'})"
        for m in ts_messages()
        if m.kind or not m.translation.strip()
    ]
    assert not problems, "untranslated, unfinished or obsolete:\n" + "\n".join(problems)


def test_translations_keep_placeholders_accelerators_and_keys() -> None:
    problems = []
    for m in ts_messages():
        for what, pattern in (
            ("placeholders", PLACEHOLDER),
            ("accelerator", ACCELERATOR),
            ("shortcut keys", SHORTCUT),
        ):
            source = Counter(x.upper() for x in pattern.findall(m.source))
            translated = Counter(x.upper() for x in pattern.findall(m.translation))
            if source != translated:
                problems.append(f"{m.context}: {m.source!r} -> {m.translation!r}: {what}")
    assert not problems, "\n".join(problems)


def test_no_message_is_duplicated() -> None:
    keys = Counter((m.context, m.source) for m in ts_messages())
    assert [k for k, n in keys.items() if n > 1] == []


# -- (b) the committed .qm is the compiled .ts ---------------------------------------------
def lrelease() -> Path:
    folder = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (folder / name).is_file():
            return folder / name
    raise AssertionError(f"pyside6-lrelease not found next to {sys.executable}")


def test_committed_qm_is_up_to_date(tmp_path: Path) -> None:
    built = tmp_path / QM.name
    run = subprocess.run(
        [str(lrelease()), str(TS), "-qm", str(built)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " 0 unfinished" in run.stdout, run.stdout
    assert QM.is_file(), f"{QM} is missing: run pyside6-lrelease (see resources/i18n/README.md)"
    assert built.read_bytes() == QM.read_bytes(), (
        f"{QM.name} is older than {TS.name}: run pyside6-lrelease (see resources/i18n/README.md)"
    )


def test_qm_answers_every_message_under_its_context() -> None:
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(QM))
    wrong = [
        f"{m.context}: {m.source!r}"
        for m in ts_messages()
        if translator.translate(m.context, m.source) != m.translation
    ]
    assert not wrong, "\n".join(wrong)


# -- (c) every string of the UI is in the .ts, under the context it is looked up in --------
def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _wrappers(module: ast.Module) -> dict[str, str]:
    """Module functions like `def _t(text): return QCoreApplication.translate("Labels", text)`."""
    found = {}
    for node in module.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        last = node.body[-1]
        if (
            isinstance(last, ast.Return)
            and isinstance(last.value, ast.Call)
            and _name(last.value.func) == "translate"
            and len(last.value.args) == 2
            and isinstance(last.value.args[1], ast.Name)
            and last.value.args[1].id == node.args.args[0].arg
        ):
            context = _constant(last.value.args[0])
            if context is not None:
                found[node.name] = context
    return found


class _Collector(ast.NodeVisitor):
    def __init__(self, path: Path, wrappers: dict[str, str]) -> None:
        self.path = path
        self.wrappers = wrappers
        self.classes: list[str] = []
        self.found: set[tuple[str, str]] = set()
        self.problems: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        name = _name(node.func)
        where = f"{self.path.name}:{node.lineno}"
        if name == "tr" and node.args and (text := _constant(node.args[0])) is not None:
            self.found.add((self._tr_context(node.func, where), text))
        elif name == "translate" and len(node.args) >= 2:
            context, text = _constant(node.args[0]), _constant(node.args[1])
            if context is not None and text is not None:
                self.found.add((context, text))
        elif (
            isinstance(node.func, ast.Name)
            and name in self.wrappers
            and node.args
            and (text := _constant(node.args[0])) is not None
        ):
            self.found.add((self.wrappers[name], text))

    def _tr_context(self, func: ast.expr, where: str) -> str:
        owner = self.classes[-1] if self.classes else ""
        callee = ast.unparse(func)
        if callee == "self.tr" and owner:
            return owner
        context = RUNTIME_CONTEXTS.get((owner, callee))
        if context is None:
            self.problems.append(
                f"{where}: cannot tell which class's tr {callee}() is; add it to RUNTIME_CONTEXTS"
            )
            return "?"
        return context


def ui_strings() -> tuple[set[tuple[str, str]], list[str]]:
    found: set[tuple[str, str]] = set()
    problems: list[str] = []
    for path in sorted(UI.glob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Collector(path, _wrappers(module))
        collector.visit(module)
        found |= collector.found
        problems += collector.problems
    return found, problems


def test_ui_strings_are_collected() -> None:
    found, problems = ui_strings()
    assert not problems, "\n".join(problems)
    contexts = {context for context, _ in found}
    assert {"IntakePanel", "MainWindow", "Labels", "CaseTable", "Timeline"} <= contexts


def test_every_ui_string_is_in_the_ts() -> None:
    in_ts = {(m.context, m.source) for m in ts_messages() if m.kind not in ("vanished", "obsolete")}
    missing = sorted(ui_strings()[0] - in_ts)
    assert not missing, "not in the .ts (run pyside6-lupdate, see resources/i18n/README.md):\n" + (
        "\n".join(f"{context}: {text!r}" for context, text in missing)
    )


def test_ts_has_no_message_the_ui_no_longer_uses() -> None:
    stale = sorted({(m.context, m.source) for m in ts_messages()} - ui_strings()[0])
    assert not stale, "in the .ts but not in console/ui:\n" + (
        "\n".join(f"{context}: {text!r}" for context, text in stale)
    )
