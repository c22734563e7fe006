"""The course's gettext catalogues (.po files), read, merged, written and checked through Babel in one way.

Two tools keep catalogues with it: tools/messages.py (the package's texts, tlteach/locale/ru/LC_MESSAGES/) and
tools/translate.py (the lessons, translations/ru/). Both build a template (what gettext's .pot is) from the English
and merge it into the catalogue with Babel's Catalog.update, as gettext's msgmerge does: a new text gets an empty
msgstr; a text whose English changed keeps its old translation marked `#, fuzzy`, with the old English as
`#| msgid`, until a translator checks it and deletes the mark; a text the template no longer has is dropped. Files
are written 120 columns wide, without source locations, and only when their messages change (Babel puts its version
and the date into the header).

Babel writes a fuzzy message's old English (`#| msgid`) but reads it back as a translator comment, and wraps a long
one as if it were prose (python-babel/babel#206, open): `read` turns those lines back into the message's previous
msgid and `text` writes them as msgmerge does, once per fuzzy message.
"""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import denormalize, normalize, read_po, write_po

WIDTH = 120
FORMATS = {"python-format", "python-brace-format"}  # flags Babel guesses from a msgid's % and {}
PREVIOUS = ("msgid", "msgid_plural")


def new(locale: str, domain: str, header_comment: str, creation_date=None) -> Catalog:
    """An empty catalogue with the course's header."""
    return Catalog(locale=locale, domain=domain, project="tlteach", version="0.1", copyright_holder="tlteach",
                   language_team="tlteach translators", fuzzy=False, header_comment=header_comment,
                   **({"creation_date": creation_date} if creation_date else {}))


def read(path: Path, locale: str, domain: str, header_comment: str, formats: bool = True) -> Catalog:
    """The catalogue in `path` (a new, empty one when there is none). formats=False: without the format flags Babel
    guesses (a lesson's f-strings and prose are not format strings: Poedit would check their {} and %)."""
    if not path.exists():
        return new(locale, domain, header_comment)
    with open(path, "rb") as f:
        catalog = read_po(f, locale=locale, domain=domain)
    for message in catalog:  # the `#| msgid "..."` lines, which Babel reads as translator comments "| msgid ..."
        previous = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        ids = []
        for line in previous:
            keyword, _, rest = line.partition(" ")
            ids += [[rest]] if keyword in PREVIOUS else [ids.pop() + [line]] if ids else []
        message.previous_id = [denormalize("\n".join(lines)) for lines in ids]
    return catalog if formats else plain(catalog)


def plain(catalog: Catalog) -> Catalog:
    for message in catalog:
        message.flags -= FORMATS
    return catalog


def merge(catalog: Catalog, template: Catalog, formats: bool = True) -> Catalog:
    """Babel's Catalog.update (msgmerge): known translations kept, changed ones fuzzy, new ones empty, unused dropped."""
    catalog.update(template, update_creation_date=False)
    catalog.obsolete.clear()
    return catalog if formats else plain(catalog)


def text(catalog: Catalog, header: bool = True) -> bytes:
    """The .po file (a fuzzy message with its old English as `#| msgid` lines, as msgmerge writes them)."""
    def po(omit_header: bool) -> str:
        out = io.BytesIO()
        write_po(out, catalog, width=WIDTH, omit_header=omit_header, no_location=True, sort_output=False,
                 ignore_obsolete=True)
        return out.getvalue().decode(catalog.charset)

    body = po(omit_header=True)
    blocks = body.split("\n\n")  # one a message, in order (a po line is never blank)
    for i, message in enumerate(m for m in catalog if m.id):
        if message.fuzzy and message.previous_id:
            lines = blocks[i].split("\n")
            at = next(k for k, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid ")))
            lines[at:at] = [f"#| {keyword} {normalize(previous, prefix='#| ', width=WIDTH)}"
                            for keyword, previous in zip(PREVIOUS, message.previous_id)]
            blocks[i] = "\n".join(lines)
    head = po(omit_header=False)[:-len(body)] if header else ""
    return (head + "\n\n".join(blocks)).encode(catalog.charset)


def write(path: Path, catalog: Catalog) -> bool:
    """Write the catalogue unless the file holds these messages already, written as here (its header aside: Babel
    puts its version and the date there); whether it wrote. A rewrite also drops the `#|` lines of a message whose
    fuzzy mark a translator deleted."""
    if path.exists() and path.read_bytes().partition(b"\n\n")[2] == text(catalog, header=False):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text(catalog))
    return True


def key(message: Message) -> tuple:
    return message.context, tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id


def untranslated(catalog: Catalog) -> list:
    strings = lambda m: m.string if isinstance(m.string, (list, tuple)) else [m.string]  # noqa: E731
    return [m for m in catalog if m.id and not all(s and s.strip() for s in strings(m))]


def fuzzy(catalog: Catalog) -> list:
    """Messages whose translation is marked fuzzy: kept from an older English text, to be checked."""
    return [m for m in catalog if m.id and m.fuzzy]


def shown(message: Message) -> str:
    """A message in one line: its msgid (the start of a long one), after its context."""
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    short = msgid if len(msgid) <= 100 and "\n" not in msgid else msgid[:100].split("\n")[0] + " …"
    return f"{message.context}: {short!r}" if message.context else repr(short)


def problems(path: Path, catalog: Catalog, template: Catalog, update: str, done: str) -> list:
    """What keeps a catalogue from being complete and current: texts of the template it lacks, texts it has that
    the template does not, obsolete (#~) entries, untranslated and fuzzy messages. `update`: the command that merges
    the template in; `done`: what to run once a translation is checked."""
    have, wanted = {key(m) for m in catalog if m.id}, {key(m) for m in template if m.id}
    return ([f"{path.name}: new text, run {update} and translate it: {shown(m)}" for m in template
             if m.id and key(m) not in have]
            + [f"{path.name}: no longer used, run {update}: {shown(m)}" for m in catalog if m.id and key(m) not in wanted]
            + [f"{path.name}: obsolete entry (#~), delete it: {shown(m)}" for m in catalog.obsolete.values()]
            + [f"{path.name}: untranslated: {shown(m)}" for m in untranslated(catalog) if key(m) in wanted]
            + [f"{path.name}: fuzzy (its English text changed): check the translation, remove the fuzzy mark, run "
               f"{done}: {shown(m)}" for m in fuzzy(catalog) if key(m) in wanted])


def report(path: Path, catalog: Catalog) -> str:
    """What a merge left to do, for the command line."""
    missing, changed = untranslated(catalog), fuzzy(catalog)
    lines = [f"{path}: {len(catalog)} texts, {len(missing)} untranslated, {len(changed)} fuzzy"]
    lines += [f"   untranslated: {shown(m)}" for m in missing]
    lines += [f"   fuzzy (English changed, check the translation): {shown(m)}" for m in changed]
    return "\n".join(lines)
