"""The repository stands alone: no tracked file cites a document outside it, and every document a
file cites inside it exists, with the section it names.

Code comments, docs, tests, scenario headers and help texts cite docs/*.md (docs/sources.md holds
every observed number with its citation) or the README, never notes that only their authors have.
"""

import os
import re
import subprocess
import unittest

import lwsim_e2e as e2e

# Names of things that are not in the repository. A match in a tracked file is a citation a reader
# cannot follow.
OUTSIDE = re.compile(
    r"DESIGN(?:\.md| ?§)"
    r"|STYLE\.md|\bSTYLE\)"
    r"|standing bar"
    r"|data notes"
    r"|toolchain notes"
    r"|\.\./shared/|/work/shared|shared/data|deep_end_observed\.toml"
    r"|performance issue|\(issue: |\bthe brief\b"
)

# A citation of a document of the repository: README or docs/NAME.md, perhaps with a numbered
# section (§7.2, "section 7.8") or a named one in italics (*Sweep files*).
CITATION = re.compile(
    r"(?P<doc>README|docs/[A-Za-z_]+\.md)"
    r"(?:,? (?:§|section )(?P<number>\d+(?:\.\d+)*))?"
    r"(?:, \*(?P<name>[^*]+)\*)?"
)

THIS_FILE = os.path.basename(__file__)


def tracked_files():
    """Paths (relative to the repository root) of the files under version control, or of every
    file outside build/ and .git/ when the source tree is not a git checkout."""
    root = e2e.SOURCE_DIR
    if os.path.isdir(os.path.join(root, ".git")) or os.path.isfile(os.path.join(root, ".git")):
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
        return [p for p in out.decode("utf-8").split("\0") if p]
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = [d for d in subdirs if d not in (".git", "build") and not d.startswith("build")]
        found += [os.path.relpath(os.path.join(directory, f), root) for f in files]
    return found


def text_files():
    """(path, text with comment markers and line breaks folded into single spaces) of every tracked
    text file except this one, so that a citation broken over two comment lines is still seen."""
    for path in tracked_files():
        if os.path.basename(path) == THIS_FILE:
            continue
        with open(os.path.join(e2e.SOURCE_DIR, path), "rb") as f:
            data = f.read()
        if b"\0" in data:
            continue
        text = data.decode("utf-8", errors="replace")
        yield path, text, re.sub(r"[ \t]*\n[ \t]*(?:///?|#|\*)?[ \t]*", " ", text)


def headings(path):
    """The headings of a Markdown file of the repository, without their leading #s."""
    with open(os.path.join(e2e.SOURCE_DIR, path), encoding="utf-8") as f:
        return [line.lstrip("#").strip() for line in f if line.startswith("#")]


def line_of(text, folded_match, folded):
    """The line in `text` where a match in the folded text begins (approximately: by the words
    before it)."""
    words_before = len(folded[: folded_match.start()].split())
    seen = 0
    for number, line in enumerate(text.split("\n"), start=1):
        seen += len(line.split())
        if seen > words_before:
            return number
    return 0


class StandsAloneTest(unittest.TestCase):
    def test_no_tracked_file_cites_a_document_outside_the_repository(self):
        found = []
        for path, text, folded in text_files():
            for m in OUTSIDE.finditer(folded):
                found.append(f"{path}:{line_of(text, m, folded)}: {m.group(0)!r}")
        self.assertEqual(found, [], "citations of documents that are not in the repository "
                         "(cite docs/sources.md, a section of docs/*.md or README, or say it plainly):\n"
                         + "\n".join(found))

    def test_every_cited_document_and_section_exists(self):
        readme = "README.md"
        found = []
        for path, text, folded in text_files():
            for m in CITATION.finditer(folded):
                doc = readme if m.group("doc") == "README" else m.group("doc")
                where = f"{path}:{line_of(text, m, folded)}"
                if not os.path.isfile(os.path.join(e2e.SOURCE_DIR, doc)):
                    found.append(f"{where}: {doc} does not exist")
                    continue
                titles = headings(doc)
                number, name = m.group("number"), m.group("name")
                if number and not any(re.match(re.escape(number) + r"\.? ", t) for t in titles):
                    found.append(f"{where}: {doc} has no section {number}")
                if name and not any(name.strip().lower() in t.lower() for t in titles):
                    found.append(f"{where}: {doc} has no section '{name}'")
        self.assertEqual(found, [], "citations of documents or sections that do not exist:\n" + "\n".join(found))


if __name__ == "__main__":
    unittest.main()
