"""Build the Russian notebooks from the English ones plus per-cell translations.

    python tools/translate.py           # write notebooks/ru/NN_*.ipynb (unexecuted) from translations/ru/*.yml
    python tools/translate.py --check   # exit 1 if a translation is missing or stale (tests run this)
    python tools/translate.py --stub 01_overfitting_small_data   # add entries for new/changed cells

One source: code cells are taken from the English notebook (a translated version of a code
cell may be given, e.g. for printed sentences or comments); markdown cells come from the
translation file. Each translation stores the hash of the English text it was made from:
when the English cell changes, the hash no longer matches and `--check` fails until the
translation is updated.

translations/ru/01_overfitting_small_data.yml:

    - id: why-data-is-scarce        # the English cell's id
      en_sha: 3f2a9c1e0b7d          # hash of the English source it translates
      text: |
        ## Почему данных мало
        ...
"""
from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN_DIR = ROOT / "notebooks"
RU_DIR = ROOT / "notebooks" / "ru"
TRANSLATIONS = ROOT / "translations" / "ru"
SETUP_EN = "tt.notebook_setup(seed=0)"
SETUP_RU = 'tt.notebook_setup(seed=0, language="ru")'

sys.path.insert(0, str(ROOT / "tools"))
import notebook_cells  # noqa: E402


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_notebooks() -> list:
    return sorted(EN_DIR.glob("[0-9][0-9]_*.ipynb"))


def load_translations(stem: str) -> dict:
    import yaml

    path = TRANSLATIONS / f"{stem}.yml"
    if not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {e["id"]: e for e in entries}


def translatable(cell) -> bool:
    """Markdown cells are always translated; the setup cell never (it is rewritten)."""
    return cell["cell_type"] == "markdown"


def problems(en_path: Path) -> list:
    """Missing, stale or unused translations for one English notebook."""
    nb = json.loads(en_path.read_text(encoding="utf-8"))
    entries = load_translations(en_path.stem)
    found, ids = [], set()
    for i, cell in enumerate(nb["cells"]):
        cid = cell.get("id")
        ids.add(cid)
        if i == 0:  # the title cell starts with the Colab badge of the English notebook
            text = source(cell).split("\n", 1)[1] if "colab-badge" in source(cell) else source(cell)
        else:
            text = source(cell)
        entry = entries.get(cid)
        if translatable(cell) and entry is None:
            found.append(f"{en_path.name}: markdown cell {cid!r} has no translation")
        elif entry is not None and entry.get("en_sha") != sha(text):
            found.append(f"{en_path.name}: cell {cid!r} changed in English since it was translated "
                         f"(en_sha {entry.get('en_sha')} != {sha(text)}): update the translation")
    for cid in entries:
        if cid not in ids:
            found.append(f"{en_path.name}: translation for {cid!r}, a cell that no longer exists")
    return found


def build(en_path: Path) -> Path:
    """Write the Russian notebook for one English notebook (outputs cleared: execute it afterwards)."""
    nb = json.loads(en_path.read_text(encoding="utf-8"))
    entries = load_translations(en_path.stem)
    ru = copy.deepcopy(nb)
    ru["metadata"]["language_info"] = nb["metadata"].get("language_info", {})
    ru["metadata"]["tlteach"] = {"language": "ru", "source": en_path.name}
    for i, cell in enumerate(ru["cells"]):
        entry = entries.get(cell.get("id"))
        if entry is not None:
            cell["source"] = entry["text"].rstrip("\n")
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell["source"] = source(cell).replace(SETUP_EN, SETUP_RU)
    out = RU_DIR / en_path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(ru, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    notebook_cells.apply(out)  # Colab badge pointing at the Russian notebook
    return out


def stub(stem: str) -> None:
    """Append entries (English text to translate, current hash) for cells without a valid translation."""
    import yaml

    en_path = EN_DIR / f"{stem}.ipynb"
    nb = json.loads(en_path.read_text(encoding="utf-8"))
    entries = load_translations(stem)
    for i, cell in enumerate(nb["cells"]):
        text = source(cell)
        if i == 0 and "colab-badge" in text:
            text = text.split("\n", 1)[1]
        cid = cell.get("id")
        if translatable(cell) and (cid not in entries or entries[cid].get("en_sha") != sha(text)):
            old = entries.get(cid, {}).get("text")
            entries[cid] = {"id": cid, "en_sha": sha(text), "text": old or f"TODO translate:\n{text}"}
    order = [c.get("id") for c in nb["cells"]]
    ordered = sorted(entries.values(), key=lambda e: order.index(e["id"]) if e["id"] in order else 10**6)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    (TRANSLATIONS / f"{stem}.yml").write_text(
        yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")


def main(argv) -> int:
    if "--stub" in argv:
        stub(argv[argv.index("--stub") + 1])
        return 0
    notebooks = english_notebooks()
    issues = [p for nb in notebooks for p in problems(nb)]
    todo = [f"{nb.name}: untranslated TODO left" for nb in notebooks
            if any(str(e.get("text", "")).startswith("TODO") for e in load_translations(nb.stem).values())]
    if "--check" in argv:
        print("\n".join(issues + todo) or "all Russian translations are complete and up to date")
        return 1 if issues or todo else 0
    if issues:
        print("\n".join(issues))
        return 1
    for nb in notebooks:
        print("wrote", build(nb).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
