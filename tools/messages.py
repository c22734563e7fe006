"""The translation catalogues (gettext .po/.mo, made with Babel): find the texts, keep them up to date.

    python tools/messages.py            # add new English texts to the .po files, drop unused ones, compile .mo
    python tools/messages.py --check    # exit 1 when a text is untranslated or fuzzy, or a .mo is stale (tests)

`make messages` runs the first. The texts come from the package itself:
- tlteach.po: every literal passed to tr(), trn() (singular and plural) or N_() in tlteach/, and the class
  and dataset names of the bundled datasets (image folders, and the text sets' labels) (contexts "class name" and "dataset name"), ImageNet's 1000 class
  names (context "ImageNet class");
- exercises.po: the question, answer and hints of every exercise in tlteach/exercises/, and every literal
  passed to tr_exercise().
The .po files are merged with Babel's Catalog.update (what gettext's msgmerge does; tools/catalogs.py, which
tools/translate.py uses for the lessons' catalogues too): a new text gets an empty
translation; a text whose English changed keeps its old translation marked `#, fuzzy` (with the old English as
`#| msgid`), which the .mo leaves out (the package shows the English) and `--check` reports until a translator
checks it and deletes the fuzzy mark. Fill in or check the .po file (a text editor or Poedit), then run this
again. A .po or .mo file whose messages do not change is not rewritten.
"""
from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tlteach"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import catalogs  # noqa: E402  (tools/catalogs.py: reading, merging, writing and checking a .po file)
from tlteach.i18n import CLASS_CONTEXT, DATASET_CONTEXT, IMAGENET_CONTEXT, LOCALE  # noqa: E402

KEYWORDS = {"tlteach": {"tr": None, "trn": (1, 2), "N_": None, "conclusion": None}, "exercises": {"tr_exercise": None}}
LANGUAGES = ("ru",)


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _source_texts(domain: str) -> dict:
    """{msgid or (singular, plural): "file:line"} of the literals passed to the domain's keywords.

    Python's own parser, not a tokenizer, so a call inside an f-string counts too.
    """
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in KEYWORDS[domain]:
                continue
            if KEYWORDS[domain][name]:  # trn(singular, plural, n)
                key = tuple(_literal(a) for a in node.args[:2])
                key = key if len(key) == 2 and all(key) else None
            else:
                key = _literal(node.args[0])
            if key:
                found.setdefault(key, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def class_names() -> list:
    """The class names of the bundled datasets: the folders that hold images, in order."""
    names = []
    for folder in sorted(p for p in (ROOT / "data").rglob("*") if p.is_dir() and p.relative_to(ROOT).parts[1] != "own"):
        if any(f.suffix in (".jpg", ".png") for f in folder.iterdir()) and folder.name not in names:
            names.append(folder.name)
    from tlteach.data.texts import TEXT_CLASSES  # the text sets' classes (lesson 07) are labels in a CSV column

    names.extend(name for classes in TEXT_CLASSES.values() for name in classes if name not in names)
    return names


def exercise_texts() -> dict:
    from tlteach.exercises import EXERCISES

    found = {}
    for name, exercise in EXERCISES.items():
        for text in (exercise.right, exercise.hint, *exercise.hints.values()):
            found.setdefault(text, f"exercise {name}")
    return found


def texts(domain: str) -> dict:
    """Every text of `domain` the package shows: {msgid: where}; class names as (CLASS_CONTEXT, name)."""
    found = _source_texts(domain)
    if domain == "tlteach":
        for name in class_names():
            found.setdefault((CLASS_CONTEXT, name), "bundled dataset folder")
        for folder in sorted(p for p in (ROOT / "data").iterdir() if p.is_dir() and p.name != "own"):
            found.setdefault((DATASET_CONTEXT, folder.name), "bundled dataset")
        from tlteach.models.backbones import imagenet_classes

        for name in imagenet_classes():
            found.setdefault((IMAGENET_CONTEXT, name), "ImageNet class (a pretrained network's guesses)")
    else:
        found.update({t: w for t, w in exercise_texts().items() if t not in found})
    return found


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def read(language: str, domain: str) -> Catalog:
    """The domain's catalogue (an empty one with our header for a language or domain that has none yet)."""
    return catalogs.read(po_path(language, domain), language, domain, header_comment=(
        f"# {language} translation of tlteach ({domain}). Edit the msgstr lines; then run\n"
        "# `make messages` (tools/messages.py) to compile the .mo file the package reads."))


def template(domain: str) -> Catalog:
    """The domain's texts as a gettext template (what xgettext or `pybabel extract` would write to a .pot)."""
    pot = Catalog(domain=domain, project="tlteach", fuzzy=False)
    for key in texts(domain):
        context, msgid = (key if isinstance(key, tuple) and key[0] in (CLASS_CONTEXT, DATASET_CONTEXT, IMAGENET_CONTEXT) else (None, key))
        pot.add(msgid, context=context)
    return pot


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def meaning(catalog: Catalog) -> dict:
    """{(context, msgid): translation} of a catalogue: what a reader of it gets, whatever wrote the file.

    A .mo file's bytes also carry the header Babel writes (its own version among them), so two
    compilations of the same .po by two Babel versions differ in bytes, never in these messages.
    """
    def key(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {(m.context, key(m.id)): key(m.string) for m in catalog if m.id and not m.fuzzy}


def compiled_meaning(path: Path) -> dict:
    with open(path, "rb") as f:
        return meaning(read_mo(f))


def write(language: str, domain: str) -> Catalog:
    """Update the domain's .po file (tools/catalogs.merge) and compile its .mo; a file whose messages would not
    change is left as it is."""
    catalog = catalogs.merge(read(language, domain), template(domain))
    path = po_path(language, domain)
    catalogs.write(path, catalog)
    mo = path.with_suffix(".mo")
    if not mo.exists() or compiled_meaning(mo) != meaning(catalog):
        mo.write_bytes(compiled(catalog))  # fuzzy translations left out (Babel's write_mo, use_fuzzy=False)
    return catalog


def problems() -> list:
    """What is out of date: new, unused, untranslated or fuzzy texts (tools/catalogs.problems), stale .mo files."""
    found = []
    for language in LANGUAGES:
        for domain in KEYWORDS:
            path = po_path(language, domain)
            current = read(language, domain)
            found += catalogs.problems(path, current, template(domain), "`make messages`", "`make messages`")
            mo = path.with_suffix(".mo")
            if not mo.exists() or compiled_meaning(mo) != meaning(current):
                found.append(f"{mo.name} is stale: run `make messages`")
    return found


def main(argv) -> int:
    if "--check" in argv:
        found = problems()
        print("\n".join(found) or "catalogues up to date")
        return 1 if found else 0
    for language in LANGUAGES:
        for domain in KEYWORDS:
            print(catalogs.report(po_path(language, domain).relative_to(ROOT), write(language, domain)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
