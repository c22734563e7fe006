"""The Russian edition speaks the lesson plan's words: docs/glossary.md's third column never appears.

The glossary is the translators' reference; this test reads it, so adding a wording there to avoid
makes the test look for it everywhere a Russian student reads: the lessons' translations, the
package's catalogues (figures, tables, feedback) and the Russian teacher's guide.
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
RUSSIAN_SOURCES = sorted([*(ROOT / "translations" / "ru").glob("*.po"),
                          *(ROOT / "tlteach" / "locale" / "ru" / "LC_MESSAGES").glob("*.po"),
                          *(ROOT / "docs").glob("*.ru.md")])


def glossary() -> list:
    """(english, russian, [wordings to avoid]) for each row of the glossary table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "---") and not set(cells[0]) <= {"-"}:
            rows.append((cells[0], cells[1], [w.strip() for w in cells[2].split(",") if w.strip()]))
    return rows


def avoided_in(text: str, wordings: list) -> list:
    """The avoided wordings found in `text` (whole words from their start: «фич» finds «фичи», not «специфичные»)."""
    return [w for w in wordings if re.search(r"(?<!\w)" + re.escape(w.lower()), text.lower())]


def test_the_glossary_has_the_lesson_plans_terms():
    terms = {english: russian for english, russian, _ in glossary()}
    assert terms["transfer learning"] == "перенос знаний"
    assert terms["fine-tuning"] == "дообучение" and terms["freezing (layers)"].startswith("заморозка")
    assert terms["feature extraction"] == "извлечение признаков" and "«голова»" in terms["head (output layer)"]
    assert len(terms) >= 15


def test_the_search_matches_words_not_parts_of_words():
    assert avoided_in("Это и есть перенос обучения.", ["перенос обучения"]) == ["перенос обучения"]
    assert avoided_in("новые фичи", ["фич"]) == ["фич"]
    assert avoided_in("специфичные признаки", ["фич"]) == []


@pytest.mark.parametrize("path", RUSSIAN_SOURCES, ids=lambda p: p.name)
def test_russian_texts_use_the_glossary(path):
    text = path.read_text(encoding="utf-8")
    found = [(english, russian, w) for english, russian, avoid in glossary() for w in avoided_in(text, avoid)]
    assert not found, "\n".join(f"{path.name}: «{w}» — the course says «{russian}» ({english})" for english, russian, w in found)
