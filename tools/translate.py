"""Build the Russian notebooks from the English ones and one gettext catalogue per lesson.

    python tools/translate.py --update 01  # merge lesson 01's English into translations/ru/01_*.po and common.po:
                                           # new texts get an empty msgstr, changed ones stay, marked fuzzy
    python tools/translate.py --update 01 measure-gap  # ... and every string with a word in this code cell
    python tools/translate.py              # (re)write notebooks/ru/NN_*.ipynb whose cells changed (unexecuted)
    python tools/translate.py 01           # only this one (--force: rewrite even if up to date)
    python tools/translate.py --check      # exit 1 if a catalogue is incomplete or out of date, or a Russian
                                           # notebook is not the build of its English source (tests run this)

One source: the English lesson, notebooks/NN_name.py (jupytext, paired with NN_name.ipynb; see tools/lessons.py).
Code is never translated, only words. translations/ru/NN_name.po is a gettext catalogue (a text editor or Poedit),
kept as the package's are (tools/catalogs.py, shared with tools/messages.py): msgctxt is the cell id, msgid the
English, msgstr the Russian, and the extracted comment (#.) what the text is. A markdown cell is one message, its
whole text (the title cell without its Colab badge). A code cell has one message per string (the words between the
quotes; adjacent literals "a " "b" are one string) or comment (the words after "# "), and the Russian cell is the
English code with those tokens replaced (tokenize: names, numbers and operators are never touched):

    #. string
    msgctxt "measure-gap"
    msgid "validation photos: {100 * val_acc:3.0f} % right"
    msgstr "проверочные фото: {100 * val_acc:3.0f} % верно"

- A string the code needs as it is (a dict key, a name the package knows) is translated as itself: msgstr = msgid.
- One message serves every occurrence of its text in the cell. Where one occurrence is code and another words, the
  second (third ...) takes its own message, msgctxt "cell-id#2" ("#3" ...), e.g. msgctxt "top-guesses#2", msgid
  "probability", msgstr "probability" (the first one, a table's column, reads "вероятность").
- A line break in a string's msgstr splits it into adjacent literals, one a line (a long Russian sentence).
- An f-string's {expressions} may move (Russian word order); a msgstr may not change the code (`code_skeleton`).
- The cells every lesson shares (SHARED: the setup cell of tools/notebook_cells.py) are translated once, in
  translations/ru/common.po.

Which strings need a message: every comment, every string with two words in a row ("10 per class") and every f-string
with a word (f"{n} photos"); "animals", "stage5", "val" are code, in the catalogue only once translated
(`--update 01 cell-id` adds every string with a word in that code cell: translate it, or delete its message).

Staleness is gettext's. `--update` syncs the lesson's .py and .ipynb (tools/lessons.py sync: new cells get an id),
makes a template from the English cells (plus the code strings the catalogue translates) and merges it into the catalogue with Babel's Catalog.update, as msgmerge: a new text gets an empty
msgstr; a text whose English changed keeps its old translation marked `#, fuzzy`, the old English as `#| msgid`
(check it, delete the mark); a text gone from the lesson is dropped. An f-string whose {expressions} alone were
renamed keeps its translation, renamed alike, not fuzzy. `--check` fails on a text the catalogue lacks or no longer
needs (run --update), an untranslated, fuzzy or obsolete message, a msgstr that changes the code, and a Russian
notebook that is not the build of its English source and catalogue.

After building, execute the changed Russian notebooks (they are committed executed): `make notebooks ONLY=01` syncs
the English pair, runs --update and the build, and executes both editions.
"""
from __future__ import annotations

import ast
import copy
import io
import json
import os
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN_DIR = ROOT / "notebooks"
RU_DIR = ROOT / "notebooks" / "ru"
TRANSLATIONS = ROOT / "translations" / "ru"
COMMON = "common"  # translations/ru/common.po: the cells every lesson shares
SHARED = ("setup",)  # their ids

sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402
import lessons  # noqa: E402
import notebook_cells  # noqa: E402
from cells import signature as cell_signature  # noqa: E402
from cells import source  # noqa: E402


# ----------------------------------------------------------------------------- reading
def english_notebooks() -> list:
    """notebooks/NN_name.ipynb of every English lesson (its source, NN_name.py, may be newer)."""
    stems = {p.stem for pattern in ("[0-9][0-9]_*.py", "[0-9][0-9]_*.ipynb") for p in EN_DIR.glob(pattern)}
    return [EN_DIR / f"{stem}.ipynb" for stem in sorted(stems)]


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_english(en_path: Path) -> dict:
    """The English lesson's cells: from its source NN_name.py when there is one (ids restored), else the .ipynb.

    Reading the .py means a prose edit can be merged and translated before the notebook is synced.
    """
    source = en_path.with_suffix(".py")
    if not source.exists():
        return load_notebook(en_path)
    nb = lessons.read_source(source)
    if en_path.exists():  # the kernel and language of the executed notebook
        nb["metadata"] = load_notebook(en_path)["metadata"]
    return nb


def english_text(cell, index: int) -> str:
    """The text a translation is made from (the title cell without its Colab badge)."""
    text = source(cell)
    if index == 0 and text.startswith("[![Open In Colab]"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text


def po_path(stem: str) -> Path:
    return TRANSLATIONS / f"{stem}.po"


def header(stem: str) -> str:
    """The comment atop a new catalogue."""
    what = "the cells every lesson shares" if stem == COMMON else f"notebooks/{stem}.py"
    return (f"# Russian translation of {what}, for tools/translate.py (its docstring says more).\n"
            "# msgctxt: a cell id; msgid: the English; msgstr: the Russian (msgstr = msgid: code that stays as it is).\n"
            "# Edit the msgstr lines, then run `make notebooks ONLY=NN` (it builds and executes notebooks/ru/NN_name.ipynb).")


def read(stem: str):
    """A lesson's catalogue, or the shared cells' (COMMON); an empty one when there is none."""
    return catalogs.read(po_path(stem), "ru", stem, header(stem), formats=False)


def translation(catalog, context: str, text: str) -> str | None:
    """The Russian of a message, None when it is missing, empty or fuzzy."""
    message = catalog.get(text, context)
    return message.string if message is not None and message.string and not message.fuzzy else None


def lesson_cells(nb: dict, stem: str) -> list:
    """(index, cell) of the cells whose words `stem`'s catalogue holds: a lesson's own, or (COMMON) its shared ones."""
    return [(i, c) for i, c in enumerate(nb["cells"]) if (c.get("id") in SHARED) == (stem == COMMON)]


# ----------------------------------------------------------------------------- code cells
TEXT = re.compile(r"[^\W\d_]{2,}\S*\s+\S*[^\W\d_]{2,}")  # two words: a sentence, a label (not "stage5", "val")
PRAGMA = re.compile(r"#\s*(noqa|type:|pragma|fmt:)")
OPENING = re.compile(r"[A-Za-z]*('''|\"\"\"|'|\")")


@dataclass
class Words:
    """One string (adjacent literals, "a " "b", are one string) or one comment of a code cell."""
    kind: str  # "string" or "comment"
    text: str  # what a translation is keyed on: the words between the quotes (or after "# "), as written
    start: int  # offsets of the tokens in the cell's code
    end: int
    pieces: list = field(default_factory=list)  # a string's literals: (opening, words, closing, text before it)

    def is_fstring(self) -> bool:
        return any("f" in opening.lower() for opening, *_ in self.pieces)

    def human(self) -> bool:
        """Words a student reads, which need a message (translated, or as itself when the code needs them)."""
        if self.kind == "comment":
            return not PRAGMA.match("#" + self.text)
        text = re.sub(r"\{[^{}]*\}", " ", self.text)  # an f-string's {expressions} are code
        return bool(TEXT.search(text) or self.is_fstring() and re.search(r"[^\W\d_]{2,}", text))


def words(code: str) -> list:
    """The strings and comments of a code cell, in order ([] when it is not Python, e.g. an IPython magic)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    lines = [0]
    for line in code.splitlines(keepends=True):
        lines.append(lines[-1] + len(line))
    offset = lambda row_col: lines[row_col[0] - 1] + row_col[1]  # noqa: E731
    found, last = [], None  # last: the previous token that is not a line break inside brackets
    for token in tokens:
        start, end = offset(token.start), offset(token.end)
        if token.type == tokenize.COMMENT:
            found.append(Words("comment", re.sub(r"^#\s*", "", token.string), start, end))
        elif token.type == tokenize.STRING:
            opening = OPENING.match(token.string).group()
            quote = opening.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if last is not None and last.type == tokenize.STRING:  # "a " "b": one more piece of the same string
                string = found[-1]
                string.pieces.append((opening, token.string[len(opening):-len(quote)], quote, code[string.end:start]))
                string.text += string.pieces[-1][1]
                string.end = end
            else:
                body = token.string[len(opening):-len(quote)]
                found.append(Words("string", body, start, end, [(opening, body, quote, "")]))
        if token.type != tokenize.NL:
            last = token
    return found


def russian_string(string: Words, code: str, ru: str) -> str:
    """The Russian literal(s) for one English string: a line break in `ru` starts another literal ("a " "b")."""
    pieces = [ru] if len(string.pieces[0][2]) == 3 else ru.split("\n")  # (a triple-quoted string keeps its lines)
    column = string.start - (code.rfind("\n", 0, string.start) + 1)
    out = []
    for k, words_ in enumerate(pieces):
        opening, _, closing, before = string.pieces[min(k, len(string.pieces) - 1)]
        if k:
            out.append(before if len(string.pieces) > 1 else "\n" + " " * column)
        out.append(opening + words_ + closing)
    return "".join(out)


def translate_code(code: str, cid: str, catalog) -> str:
    """The Russian code cell: its strings and comments replaced by their msgstr (the k-th occurrence of a text by
    the message "cid#k" when there is one, else "cid"); a text translated as itself is left as it is."""
    out, pos, seen = [], 0, {}
    for w in words(code):
        seen[w.text] = seen.get(w.text, 0) + 1
        ru = translation(catalog, f"{cid}#{seen[w.text]}", w.text) or translation(catalog, cid, w.text)
        if ru is None or ru == w.text:
            continue
        token = code[w.start:w.end]
        out += [code[pos:w.start], token[:len(token) - len(w.text)] + ru if w.kind == "comment"
                else russian_string(w, code, ru)]
        pos = w.end
    return "".join(out) + code[pos:]


def code_skeleton(code: str) -> str:
    """What a code cell does, without its words: strings blanked, comments dropped (ast ignores them).

    Two cells with the same skeleton run the same code; a translation may change only strings
    and comments. In f-strings only the {expressions} count, in any order (word order differs).
    """

    class Blank(ast.NodeTransformer):
        def visit_Constant(self, node):
            return ast.Constant("") if isinstance(node.value, str) else node

        def visit_JoinedStr(self, node):
            parts = sorted((self.visit(v) for v in node.values if isinstance(v, ast.FormattedValue)),
                           key=ast.dump)
            return ast.JoinedStr(values=parts)

    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics and the like: compare the text itself
        return code
    return ast.dump(Blank().visit(tree), annotate_fields=False)


def fields(text: str) -> list | None:
    """An f-string's words split at its {expressions}: [(text before, expression), ..., (text after, None)].

    None when the braces do not balance. `{{` and `}}` are text; an expression keeps its !conversion and
    :format ("{acc:.0f}").
    """
    parts, before, i = [], "", 0
    while i < len(text):
        if text[i:i + 2] in ("{{", "}}"):
            before, i = before + text[i:i + 2], i + 2
        elif text[i] == "{":
            depth, j, quote = 0, i, None
            while j < len(text):
                c = text[j]
                if quote:
                    quote = None if c == quote else quote
                elif c in "'\"":
                    quote = c
                elif c in "([{":
                    depth += 1
                elif c in ")]}":
                    depth -= 1
                    if not depth:
                        break
                j += 1
            if j == len(text):
                return None
            parts.append((before, text[i + 1:j]))
            before, i = "", j + 1
        else:
            before, i = before + text[i], i + 1
    return parts + [(before, None)]


def renamed_fields(old: str, new: str) -> dict | None:
    """{old expression: new one} when two f-strings differ only in their {expressions}, else None."""
    a, b = fields(old), fields(new)
    if a is None or b is None or [t for t, _ in a] != [t for t, _ in b]:
        return None
    names = {}
    for (_, x), (_, y) in zip(a, b):
        if names.setdefault(x, y) != y:
            return None
    return names


def rename_fields(russian: str, names: dict) -> str:
    """A translation with its {expressions} renamed as in `names`."""
    parts = fields(russian)
    if parts is None:
        return russian
    return "".join(t + ("" if f is None else "{" + names.get(f, f) + "}") for t, f in parts)


# ----------------------------------------------------------------------------- the catalogues
def template(cells: list, catalog, every_word=()):
    """The messages a catalogue must hold for these English (index, cell) pairs (what gettext's .pot is): each
    markdown cell; each string or comment of a code cell that a student reads (`Words.human`), and those the
    catalogue already translates (a text's second occurrence too, "cid#2"); in the code cells `every_word`
    names, every string with a word."""
    from babel.messages.catalog import Catalog

    pot = Catalog(fuzzy=False)
    for i, cell in cells:
        cid = cell.get("id")
        if cell["cell_type"] == "markdown" and english_text(cell, i):
            pot.add(english_text(cell, i), context=cid, auto_comments=["markdown cell"])
        if cell["cell_type"] != "code":
            continue
        found = {}
        for w in words(source(cell)):
            found.setdefault(w.text, []).append(w)
        for text, ws in found.items():
            what = " and ".join(sorted({w.kind for w in ws}))
            if any(w.human() or cid in every_word and w.kind == "string" and re.search(r"[^\W\d_]", text)
                   for w in ws) or catalog.get(text, cid) is not None:
                pot.add(text, context=cid, auto_comments=[what])
            for k in range(2, len(ws) + 1):
                if catalog.get(text, f"{cid}#{k}") is not None:
                    pot.add(text, context=f"{cid}#{k}", auto_comments=[f"{what}, occurrence {k} in the cell"])
    return pot


def follow_renames(catalog, pot) -> None:
    """Carry a code string's translation over to its new English when only its {expressions} were renamed (the
    only such message of its cell), renaming them in the msgstr too."""
    for message in pot:
        context = message.context
        if not message.id or catalog.get(message.id, context) is not None or message.auto_comments == ["markdown cell"]:
            continue
        same = [(old, renamed_fields(old.id, message.id)) for old in catalog
                if old.context == context and old.id and pot.get(old.id, context) is None]
        same = [(old, names) for old, names in same if names is not None]
        if len(same) == 1:
            (old, names), = same
            catalog.delete(old.id, context)
            catalog.add(message.id, rename_fields(old.string, names), context=context, flags=old.flags,
                        user_comments=old.user_comments)


def update(stem: str, every_word=(), catalog=None) -> bool:
    """Merge a lesson's English (or, COMMON, every lesson's shared cells) into its catalogue (`catalog`: the one
    to merge into instead of the file's), write it; whether the file changed."""
    notebooks = english_notebooks() if stem == COMMON else [EN_DIR / f"{stem}.ipynb"]
    cells = [cell for en_path in notebooks for cell in lesson_cells(load_english(en_path), stem)]
    unknown = set(every_word) - {cell["id"] for _, cell in cells if cell["cell_type"] == "code"}
    if unknown:
        raise SystemExit(f"{stem}: no code cell {sorted(unknown)[0]!r}")
    catalog = read(stem) if catalog is None else catalog
    pot = template(cells, catalog, every_word)
    follow_renames(catalog, pot)
    catalogs.merge(catalog, pot, formats=False)
    changed = catalogs.write(po_path(stem), catalog)
    print(catalogs.report(os.path.relpath(po_path(stem), ROOT), catalog))
    return changed


# ----------------------------------------------------------------------------- checking
def problems(en_path: Path) -> list:
    """What keeps one English lesson from its Russian build: its catalogue's problems, and common.po's for its
    shared cells."""
    nb = load_english(en_path)
    missing = [i + 1 for i, c in enumerate(nb["cells"]) if not c.get("id")]
    if missing:
        return [f"{en_path.stem}.py: cells {missing} have no id: run python tools/lessons.py sync {en_path.stem[:2]}"]
    return [p for stem in (en_path.stem, COMMON) for p in check(lesson_cells(nb, stem), read(stem), po_path(stem),
                                                                 en_path.stem[:2])]


def check(cells: list, catalog, path: Path, lesson: str) -> list:
    """The problems of a catalogue for these English (index, cell) pairs: those of tools/catalogs.problems (a text
    it lacks or no longer needs, untranslated, fuzzy, obsolete), and a msgstr that changes the code."""
    found = catalogs.problems(path, catalog, template(cells, catalog), f"`python tools/translate.py --update {lesson}`",
                              f"`make notebooks ONLY={lesson}`")
    for _, cell in cells:
        code = source(cell)
        if cell["cell_type"] == "code" and code_skeleton(translate_code(code, cell["id"], catalog)) != code_skeleton(code):
            found.append(f"{path.name}: code cell {cell['id']!r}: the translation changes the code itself, not only "
                         "its strings and comments (a changed {expression} in an f-string? a quote inside a string?)")
    return found


# ----------------------------------------------------------------------------- building
def ru_path(en_path: Path) -> Path:
    return RU_DIR / en_path.name


def expected(en_path: Path) -> dict:
    """The Russian notebook for one English notebook, as built (outputs cleared)."""
    nb = load_english(en_path)
    own, common = read(en_path.stem), read(COMMON)
    out = ru_path(en_path)
    ru = copy.deepcopy(nb)
    ru["metadata"].pop("widgets", None)  # the English run's widget state
    ru["metadata"].pop("jupytext", None)  # only the English notebook is paired with a .py
    ru["metadata"]["tlteach"] = {"language": "ru", "source": en_path.name}
    for i, cell in enumerate(ru["cells"]):
        catalog = common if cell.get("id") in SHARED else own
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "id")}
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell["source"] = translate_code(source(cell), cell.get("id"), catalog)
        elif cell["cell_type"] == "markdown":
            russian = translation(catalog, cell.get("id"), english_text(cell, i))
            cell["source"] = russian.rstrip("\n") if russian else source(cell)
    first = ru["cells"][0]
    first["source"] = notebook_cells.badge(out) + "\n" + source(first).lstrip("\n")
    return ru


def drift(en_path: Path) -> list:
    """How the committed Russian notebook differs from what its English source and translations give."""
    out = ru_path(en_path)
    rel = out.relative_to(ROOT)
    if not out.exists():
        return [f"{rel} is missing: run python tools/translate.py, then execute it"]
    have, want = cell_signature(load_notebook(out)), cell_signature(expected(en_path))
    if have == want:
        return []
    if [c[0] for c in have] != [c[0] for c in want]:
        return [f"{rel}: its cells are not those of {en_path.name}: run python tools/translate.py, then execute it"]
    cells = [w[0] for h, w in zip(have, want) if h != w]
    return [f"{rel}: cells {', '.join(map(repr, cells))} differ from the build of {en_path.name} and its "
            "translation: run python tools/translate.py, then execute it"]


def build(en_path: Path, force: bool = False) -> Path | None:
    """Write the Russian notebook (outputs cleared: execute it afterwards); None when it is up to date."""
    out = ru_path(en_path)
    if not force and out.exists() and not drift(en_path):
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(expected(en_path), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


# ----------------------------------------------------------------------------- command line
def check_all() -> list:
    found = []
    for nb in english_notebooks():
        issues = problems(nb)
        found += issues or drift(nb)  # drift is only meaningful once the translation is complete
    stems = {nb.stem for nb in english_notebooks()}
    found += [f"{os.path.relpath(path, ROOT)} has no English lesson {path.stem}: delete it" for path in
              sorted([*RU_DIR.glob("[0-9][0-9]_*.ipynb"), *TRANSLATIONS.glob("[0-9][0-9]_*.po")]) if path.stem not in stems]
    return list(dict.fromkeys(found))  # common.po's problems once


def main(argv) -> int:
    if "--check" in argv:
        found = check_all()
        print("\n".join(found) or "all Russian notebooks are complete and built from their English sources")
        return 1 if found else 0
    args = [a.removesuffix(".ipynb").removesuffix(".py") for a in argv if not a.startswith("-")]
    chosen = [nb for nb in english_notebooks() if any(lessons.selected(nb.stem, [a]) for a in args) or not args]
    if "--update" in argv:
        cells = [a for a in args if not any(lessons.selected(nb.stem, [a]) for nb in english_notebooks())]
        if cells and len(chosen) != 1 or not chosen:
            raise SystemExit("usage: python tools/translate.py --update [NN ...] | --update NN code-cell-id ...")
        for nb in chosen:
            if nb.with_suffix(".py").exists():  # take the newer of .py and .ipynb; name new cells
                lessons.sync(nb.with_suffix(".py"))
            update(nb.stem, cells)
        update(COMMON)
        return 0
    if args and not chosen:
        raise SystemExit(f"no English notebook among {args}")
    issues = list(dict.fromkeys(p for nb in chosen for p in problems(nb)))
    if issues:
        print("\n".join(issues))
        return 1
    for nb in chosen:
        out = build(nb, force="--force" in argv)
        print(f"wrote {out.relative_to(ROOT)} (execute it now)" if out else f"{ru_path(nb).relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
