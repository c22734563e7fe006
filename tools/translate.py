"""Build the Russian notebooks from the English ones plus per-cell translations.

    python tools/translate.py            # (re)write notebooks/ru/NN_*.ipynb whose cells changed (unexecuted)
    python tools/translate.py 01_overfitting_small_data   # only this one, or 01 (--force: rewrite even if up to date)
    python tools/translate.py --check    # exit 1 if a translation is missing, stale or TODO, or a Russian
                                         # notebook is not the build of its English source (tests run this)
    python tools/translate.py --stub 01  # TODO entries for changed prose and untranslated strings/comments
    python tools/translate.py --stub 01 measure-gap  # ... and every string with a word in this code cell

One source: the English lesson, notebooks/NN_name.py (jupytext, paired with NN_name.ipynb; see
tools/lessons.py). Code is never translated, only words: translations/ru/NN_name.yml holds the
Russian text of each markdown cell, and for a code cell only its human text, each English string
or comment with its Russian. The Russian code cell is the English cell with those tokens replaced
(tokenize: names, numbers and operators are never touched), so a code edit touches one file.
Cells every lesson shares (the setup cell of tools/notebook_cells.py) are translated once, in
translations/ru/common.yml, read for any cell whose id a lesson's own file does not name.

translations/ru/01_overfitting_small_data.yml (one entry a cell, in the cell's order):

    - id: why-data-is-scarce        # a markdown cell: its id and
      en_sha: 3f2a9c1e0b7d          # the hash of the English text it translates
      text: |
        ## Почему данных мало
        ...
    - id: measure-gap               # a code cell: only its words, keyed by the English
      strings:
      - en: 'validation photos: {100 * val_acc:3.0f} % right   (guessing would give 10 %)'   # the words
        ru: 'проверочные фото:  {100 * val_acc:3.0f} % верно   (угадывание дало бы 10 %)'   # between the quotes
      - en: and get most new photos wrong
        ru: а большинство новых фото распознавать неверно
    - id: exercise-params
      strings:
      - comment: 'your answer: a number'    # a comment: the words after "# "
        ru: 'ваш ответ: число'
    - id: compare                 # (lesson 05)
      keep: [from scratch, feature extraction]    # words the code needs as they are: they stay English

An f-string's {expressions} may move (Russian word order). Adjacent literals ("a " "b") are one
string, keyed by their words joined; its `ru` may be a list, one literal a line (04 rule-data).

Which strings need a translation: every comment, every string with two words in a row
("10 per class") and every f-string with a word (f"{n} photos"); "animals", "stage5", "val" are code. A word used both
as code and as text in one cell gets one pair per occurrence, in order (`en: higher, ru: higher`
for the dict key, then `en: higher, ru: выше`); one pair otherwise serves every occurrence.
Markdown cells are stale when their en_sha no longer matches. A code cell's translation is judged
by its words: `--check` fails on a string or comment without a pair (or `keep`), on a pair whose
English is no longer in the cell, on TODO, and when the Russian code would differ from the English
in more than strings and comments (`code_skeleton`). A code-only edit needs no translation change,
even a rename inside an f-string's {expression}: the pair follows it.

After building, execute the changed Russian notebooks (they are committed executed):
`make notebooks ONLY=01` syncs the English pair, runs this script and executes both editions.
"""
from __future__ import annotations

import ast
import copy
import hashlib
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN_DIR = ROOT / "notebooks"
RU_DIR = ROOT / "notebooks" / "ru"
TRANSLATIONS = ROOT / "translations" / "ru"
COMMON = "common"  # translations/ru/common.yml: the cells every lesson shares
TODO = "TODO translate"

sys.path.insert(0, str(ROOT / "tools"))
import lessons  # noqa: E402
import notebook_cells  # noqa: E402
from cells import signature as cell_signature  # noqa: E402
from cells import source  # noqa: E402


# ----------------------------------------------------------------------------- reading
def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_notebooks() -> list:
    """notebooks/NN_name.ipynb of every English lesson (its source, NN_name.py, may be newer)."""
    stems = {p.stem for pattern in ("[0-9][0-9]_*.py", "[0-9][0-9]_*.ipynb") for p in EN_DIR.glob(pattern)}
    return [EN_DIR / f"{stem}.ipynb" for stem in sorted(stems)]


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_english(en_path: Path) -> dict:
    """The English lesson's cells: from its source NN_name.py when there is one (ids restored), else the .ipynb.

    Reading the .py means a prose edit can be stubbed and translated before the notebook is synced.
    """
    source = en_path.with_suffix(".py")
    if not source.exists():
        return load_notebook(en_path)
    nb = lessons.read_source(source)
    if en_path.exists():  # the kernel and language of the executed notebook
        nb["metadata"] = load_notebook(en_path)["metadata"]
    return nb


def load_translations(stem: str) -> dict:
    """{cell id: entry} of a lesson's translation, with the shared cells' entries (common.yml) beneath its own."""
    return {**_entries(COMMON), **_entries(stem)} if stem != COMMON else _entries(COMMON)


def _entries(stem: str) -> dict:
    import yaml

    path = TRANSLATIONS / f"{stem}.yml"
    if not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {e["id"]: e for e in entries}


def english_text(cell, index: int) -> str:
    """The text a translation is made from (the title cell without its Colab badge)."""
    text = source(cell)
    if index == 0 and text.startswith("[![Open In Colab]"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text


def translatable(cell) -> bool:
    """Markdown cells must be translated; a code cell only has its words translated (`translate_code`)."""
    return cell["cell_type"] == "markdown"


# ----------------------------------------------------------------------------- code cells
# A code cell is never copied into a translation: its entry holds only the cell's human text, each English
# string or comment with its Russian, and the Russian cell is the English code with those tokens replaced.
TEXT = re.compile(r"[^\W\d_]{2,}\S*\s+\S*[^\W\d_]{2,}")  # two words: a sentence, a label (not "stage5", "val")
PRAGMA = re.compile(r"#\s*(noqa|type:|pragma|fmt:)")
OPENING = re.compile(r"[A-Za-z]*('''|\"\"\"|'|\")")


@dataclass
class Words:
    """One string (adjacent literals, "a " "b", are one string) or one comment of a code cell."""
    kind: str  # "en" (a string) or "comment"
    text: str  # what a translation is keyed on: the words between the quotes (or after "# "), as written
    start: int  # offsets of the tokens in the cell's code
    end: int
    pieces: list = field(default_factory=list)  # a string's literals: (opening, words, closing, text before it)

    def is_fstring(self) -> bool:
        return any("f" in opening.lower() for opening, *_ in self.pieces)

    def human(self) -> bool:
        """Words a student reads, which need a translation (or a place in the cell's `keep` list)."""
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
                found.append(Words("en", body, start, end, [(opening, body, quote, "")]))
        if token.type != tokenize.NL:
            last = token
    return found


def russian_string(string: Words, code: str, ru) -> str:
    """The Russian literal(s) for one English string: `ru` is its words, or a list of pieces ("a " "b")."""
    pieces = [ru] if isinstance(ru, str) else list(ru)
    column = string.start - (code.rfind("\n", 0, string.start) + 1)
    out = []
    for k, words_ in enumerate(pieces):
        opening, _, closing, before = string.pieces[min(k, len(string.pieces) - 1)]
        if k:
            out.append(before if len(string.pieces) > 1 else "\n" + " " * column)
        out.append(opening + words_ + closing)
    return "".join(out)


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


def rename_fields(russian, names: dict):
    """A translation (words, or a list of pieces) with its {expressions} renamed as in `names`."""
    if not isinstance(russian, str):
        return russian if russian is None else [rename_fields(piece, names) for piece in russian]
    parts = fields(russian)
    if parts is None:
        return russian
    return "".join(t + ("" if f is None else "{" + names.get(f, f) + "}") for t, f in parts)


def translate_code(code: str, entry: dict | None) -> tuple:
    """(the Russian code, what is wrong with the translation) for one English code cell and its entry."""
    entry = entry or {}
    cell_words = words(code)
    pairs = {}  # (kind, English words): [Russian, ...] in order
    for pair in entry.get("strings") or []:
        kind = "comment" if "comment" in pair else "en"
        ru = pair.get("ru")  # YAML may read a number or a list of pieces
        pairs.setdefault((kind, str(pair[kind])), []).append(
            [str(piece) for piece in ru] if isinstance(ru, list) else None if ru is None else str(ru))
    keep = [str(k) for k in entry.get("keep") or []]
    occurrences = {}
    for w in cell_words:
        occurrences.setdefault((w.kind, w.text), []).append(w)
    found, replaced, used = [], [], set()
    for key, ws in occurrences.items():
        kind, text = key
        what = f"comment {text!r}" if kind == "comment" else f"string {text!r}"
        renamed = {}
        if key not in pairs and any(w.is_fstring() for w in ws):  # only an {expression} changed: still translated
            same = [(old, renamed_fields(old[1], text)) for old in pairs if old[0] == "en" and old not in occurrences]
            same = [(old, names) for old, names in same if names is not None]
            if len(same) == 1:
                (key, renamed), = same
        if key not in pairs:
            if any(w.human() for w in ws) and text not in keep:
                found.append(f"untranslated {what}")
            continue
        used.add(key)
        russian = pairs[key]
        if renamed:
            russian = [rename_fields(ru, renamed) for ru in russian]
        if len(russian) not in (1, len(ws)):
            found.append(f"{what} occurs {len(ws)} times but has {len(russian)} translations "
                         "(give one for all, or one for each, in order)")
            continue
        if any(ru is None or str(ru).startswith(TODO) for ru in russian):
            found.append(f"{what} is still marked {TODO!r} (translate it, or list it under keep: if it is code)")
            continue
        for w, ru in zip(ws, russian * len(ws) if len(russian) == 1 else russian):
            if kind == "comment":
                replaced.append((w, code[w.start:w.end][:len(code[w.start:w.end]) - len(w.text)] + str(ru)))
            else:
                replaced.append((w, russian_string(w, code, ru)))
    for kind, text in pairs:
        if (kind, text) not in used:
            what = "comment" if kind == "comment" else "string"
            found.append(f"translates the {what} {text!r}, which is no longer in the cell: update or delete it")
    texts = {w.text for w in cell_words}
    found += [f"keeps {text!r} in English, which is no longer in the cell: delete it" for text in keep
              if text not in texts]
    out, pos = [], 0
    for w, new in sorted(replaced, key=lambda r: r[0].start):
        out += [code[pos:w.start], new]
        pos = w.end
    russian_code = "".join(out) + code[pos:]
    if not found and code_skeleton(russian_code) != code_skeleton(code):
        found.append("the translation changes the code itself, not only its strings and comments "
                     "(a changed {expression} in an f-string? a quote inside a string?)")
    return russian_code, found


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


# ----------------------------------------------------------------------------- checking
def problems(en_path: Path) -> list:
    """Missing, stale, TODO or unused translations for one English notebook."""
    nb = load_english(en_path)
    entries = load_translations(en_path.stem)
    found, ids = [], set()
    for i, cell in enumerate(nb["cells"]):
        cid = cell.get("id")
        ids.add(cid)
        if not cid:
            found.append(f"{en_path.stem}.py: cell {i + 1} has no id: run python tools/lessons.py sync {en_path.stem[:2]}")
            continue
        entry = entries.get(cid)
        if cell["cell_type"] == "code":
            if entry is not None and "text" in entry:
                found.append(f"{en_path.name}: code cell {cid!r} has a copy of its code (text:): give only its "
                             "strings and comments (strings: - en: ... ru: ...)")
                continue
            found += [f"{en_path.name}: code cell {cid!r}: {issue}" for issue in translate_code(source(cell), entry)[1]]
            continue
        text = english_text(cell, i)
        if entry is None:
            if translatable(cell):
                found.append(f"{en_path.name}: markdown cell {cid!r} has no translation")
            continue
        if str(entry.get("text", "")).startswith(TODO):
            found.append(f"{en_path.name}: cell {cid!r} is still marked {TODO!r}")
        elif entry.get("en_sha") != sha(text):
            found.append(f"{en_path.name}: cell {cid!r} changed in English since it was translated "
                         f"(en_sha {entry.get('en_sha')} != {sha(text)}): update the translation")
    for cid in _entries(en_path.stem):
        if cid not in ids:
            found.append(f"{en_path.name}: translation for {cid!r}, a cell that no longer exists")
    return found


# ----------------------------------------------------------------------------- building
def ru_path(en_path: Path) -> Path:
    return RU_DIR / en_path.name


def expected(en_path: Path) -> dict:
    """The Russian notebook for one English notebook, as built (outputs cleared)."""
    nb = load_english(en_path)
    entries = load_translations(en_path.stem)
    out = ru_path(en_path)
    ru = copy.deepcopy(nb)
    ru["metadata"].pop("widgets", None)  # the English run's widget state
    ru["metadata"].pop("jupytext", None)  # only the English notebook is paired with a .py
    ru["metadata"]["tlteach"] = {"language": "ru", "source": en_path.name}
    for i, cell in enumerate(ru["cells"]):
        entry = entries.get(cell.get("id"))
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "id")}
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            code = source(cell)
            text = translate_code(code, entry)[0]
        else:
            text = entry["text"].rstrip("\n") if entry is not None else source(cell)
        cell["source"] = text
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


# ----------------------------------------------------------------------------- stubs
def _dump(entries: list) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_block(dumper, value):  # multi-line text as a readable | block
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text_block)
    return yaml.dump(entries, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)


def stub(stem: str, code_ids=()) -> list:
    """Add "TODO translate" entries for what has no valid translation; returns the ids of the cells.

    Markdown cells: an entry whose English changed keeps its old translation below the new English
    text, to edit rather than redo. Code cells: a pair for each untranslated string or comment that
    a student reads (`Words.human`); in a code cell named in `code_ids`, for every string with a word
    ("before:", "frozen"). A pair whose English is gone stays for `--check` to point at.
    """
    en_path = EN_DIR / f"{stem}.ipynb"
    if en_path.with_suffix(".py").exists():  # take the newer of .py and .ipynb; name new cells
        lessons.sync(en_path.with_suffix(".py"))
    nb = load_english(en_path)
    entries = load_translations(stem)
    cells = {c.get("id"): (i, c) for i, c in enumerate(nb["cells"])}
    unknown = [cid for cid in code_ids if cid not in cells or cells[cid][1]["cell_type"] != "code"]
    if unknown:
        raise SystemExit(f"{stem}: no code cell {unknown[0]!r}")
    added = []
    for cid, (i, cell) in cells.items():
        if cell["cell_type"] == "code":
            if cid != "setup" and _stub_code(cell, entries, cid in code_ids):
                added.append(cid)
            continue
        if not translatable(cell):
            continue
        text = english_text(cell, i)
        old = entries.get(cid)
        if old is not None and old.get("en_sha") == sha(text):
            continue
        note = f"{TODO} (English now):\n{text}"
        if old is not None and not str(old.get("text", "")).startswith(TODO):
            note += f"\n--- the old translation:\n{old['text']}"
        entries[cid] = {"id": cid, "en_sha": sha(text), "text": note}
        added.append(cid)
    order = list(cells)
    ordered = sorted(entries.values(), key=lambda e: order.index(e["id"]) if e["id"] in order else 10**6)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    (TRANSLATIONS / f"{stem}.yml").write_text(_dump(ordered), encoding="utf-8")
    return added


def _stub_code(cell, entries: dict, every_word: bool) -> bool:
    """Add TODO pairs to a code cell's entry for its untranslated words; whether there were any."""
    cid, cell_words = cell["id"], words(source(cell))
    entry = entries.get(cid) or {"id": cid}
    pairs = list(entry.get("strings") or [])
    keep = {str(k) for k in entry.get("keep") or []}
    done = {("comment" if "comment" in p else "en", str(p.get("comment", p.get("en")))) for p in pairs}
    new = []
    for w in cell_words:
        key = (w.kind, w.text)
        if key in done or w.text in keep or not (w.human() or every_word and re.search(r"[^\W\d_]", w.text)):
            continue
        done.add(key)
        new.append({w.kind: w.text, "ru": TODO})
    if not new:
        return False
    first = {}
    for n, w in enumerate(cell_words):
        first.setdefault((w.kind, w.text), n)
    def position(pair):  # in the cell's order; a pair whose English is gone last
        kind = "comment" if "comment" in pair else "en"
        return first.get((kind, str(pair[kind])), 10**6)

    entry["strings"] = sorted(pairs + new, key=position)
    entries[cid] = entry
    return True


# ----------------------------------------------------------------------------- command line
def check_all() -> list:
    found = []
    for nb in english_notebooks():
        issues = problems(nb)
        found += issues or drift(nb)  # drift is only meaningful once the translation is complete
    for ru in sorted(RU_DIR.glob("[0-9][0-9]_*.ipynb")):
        if not (EN_DIR / ru.name).exists():
            found.append(f"{ru.relative_to(ROOT)} has no English source {ru.name}: delete it")
    return found


def main(argv) -> int:
    if "--stub" in argv:
        rest = argv[argv.index("--stub") + 1:]
        if not rest:
            raise SystemExit("usage: python tools/translate.py --stub NN_name [code-cell-id ...]")
        stems = [nb.stem for nb in english_notebooks() if lessons.selected(nb.stem, rest[:1])]
        if len(stems) != 1:
            raise SystemExit(f"no English lesson {rest[0]!r}")
        rest[0] = stems[0]
        added = stub(rest[0], rest[1:])
        print(f"{len(added)} entries to translate in translations/ru/{rest[0]}.yml: {', '.join(added) or '-'}")
        return 0
    if "--check" in argv:
        found = check_all()
        print("\n".join(found) or "all Russian notebooks are complete and built from their English sources")
        return 1 if found else 0
    stems = [a.removesuffix(".ipynb").removesuffix(".py") for a in argv if not a.startswith("-")]
    chosen = [nb for nb in english_notebooks() if lessons.selected(nb.stem, stems)]
    if stems and not chosen:
        raise SystemExit(f"no English notebook among {stems}")
    issues = [p for nb in chosen for p in problems(nb)]
    if issues:
        print("\n".join(issues))
        return 1
    for nb in chosen:
        out = build(nb, force="--force" in argv)
        print(f"wrote {out.relative_to(ROOT)} (execute it now)" if out else f"{ru_path(nb).relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
