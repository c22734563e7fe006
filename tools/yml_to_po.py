"""One-off: convert the old YAML translations (translations/ru/*.yml) into gettext catalogues (translations/ru/*.po).

    python tools/yml_to_po.py     # writes NN_name.po (and common.po) from each .yml there; then git rm the .yml files

Deterministic and re-runnable: the same .yml files and English lessons give the same .po bytes (a fixed creation
date in the header), and a .po whose messages would not change is not rewritten. Delete this script once no .yml is
left on any branch.

Each .yml entry becomes messages with msgctxt = its cell id (see tools/translate.py):
- a markdown cell's `text`: msgid = the cell's current English; marked fuzzy when `en_sha` no longer matches it,
  left empty when it is `TODO translate`;
- a code cell's `strings`: msgid = `en` (or `comment`), msgstr = `ru` (a list of pieces: joined by line breaks,
  one literal a line); one `ru` per occurrence in order (`en: probability, ru: вероятность` then
  `en: probability, ru: probability`): the first as "cell-id", each other one that differs as "cell-id#k";
- `keep: [...]`: msgstr = msgid.
A lesson's own entry for a shared cell (translate.SHARED) must say what common.yml says: it is dropped.
The catalogue is then merged with the English as `python tools/translate.py --update` does (new texts empty,
changed ones fuzzy, pairs whose English is gone dropped, renamed f-string {expressions} followed).
"""
from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalogs  # noqa: E402
import translate  # noqa: E402

TODO = "TODO translate"
CREATED = datetime(2026, 12, 6, tzinfo=timezone.utc)  # the day of the conversion, the same on every run


def messages(stem: str, english: dict) -> dict:
    """{(context, msgid): (msgstr, fuzzy)} of one .yml file; `english`: {cell id: its English text} (markdown)."""
    found = {}

    def add(context, msgid, msgstr, fuzzy=False):
        if found.setdefault((context, msgid), (msgstr, fuzzy)) != (msgstr, fuzzy):
            raise SystemExit(f"{stem}.yml: {context!r} translates {msgid!r} twice, differently (a string and a comment?)")

    for entry in yaml.safe_load((translate.TRANSLATIONS / f"{stem}.yml").read_text(encoding="utf-8")) or []:
        cid = entry["id"]
        if "text" in entry and cid in english:
            text = str(entry["text"])
            stale = entry.get("en_sha") != hashlib.sha256(english[cid].encode("utf-8")).hexdigest()[:12]
            add(cid, english[cid], "" if text.startswith(TODO) else text.rstrip("\n"), stale)
        occurrences = {}
        for pair in entry.get("strings") or []:
            ru = pair.get("ru")
            ru = "\n".join(map(str, ru)) if isinstance(ru, list) else "" if ru is None else str(ru)
            occurrences.setdefault(str(pair.get("comment", pair.get("en"))), []).append("" if ru.startswith(TODO) else ru)
        for msgid, russian in occurrences.items():
            add(cid, msgid, russian[0])
            for k, ru in enumerate(russian[1:], start=2):
                if ru != russian[0]:
                    add(f"{cid}#{k}", msgid, ru)
        for msgid in map(str, entry.get("keep") or []):
            if (cid, msgid) not in found:
                add(cid, msgid, msgid)
    return found


def convert(stem: str) -> None:
    cells = [cell for nb in translate.english_notebooks() for cell in
             translate.lesson_cells(translate.load_english(nb), stem) if stem == translate.COMMON or nb.stem == stem]
    english = {c["id"]: translate.english_text(c, i) for i, c in cells if c["cell_type"] == "markdown"}
    found = messages(stem, english)
    if stem != translate.COMMON:
        shared = messages(translate.COMMON, {})
        for (context, msgid), value in list(found.items()):
            if context.split("#")[0] in translate.SHARED:
                if shared.get((context, msgid)) != value:
                    raise SystemExit(f"{stem}.yml translates the shared cell {context!r} otherwise than common.yml")
                del found[context, msgid]
    catalog = catalogs.new("ru", stem, translate.header(stem), creation_date=CREATED)
    for (context, msgid), (msgstr, fuzzy) in found.items():
        catalog.add(msgid, msgstr, context=context, flags=["fuzzy"] if fuzzy else [])
    translate.update(stem, catalog=catalog)


if __name__ == "__main__":
    for path in sorted(translate.TRANSLATIONS.glob("*.yml")):
        convert(path.stem)
