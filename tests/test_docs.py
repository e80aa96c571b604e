"""The repository stands alone and its documents say what the code does (issue 11).

- docs/record.md (the output contract) lists exactly the JSON fields and table keys the parser exports;
- fields beyond the contract are listed in the README;
- no file refers to a path outside the repository (the sibling shared/ folder, /work/…).
"""
import re
from pathlib import Path

from crawler.parsing import parse_document
from crawler.parsing.spec import SECTION_KEYS, table_columns

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SEED = sorted((REPO / "tests" / "fixtures" / "seeds").glob("*.txt"))[1]


def record_md() -> str:
    return (DOCS / "record.md").read_text("utf-8")


def json_block_keys(text: str) -> list[str]:
    block = text.split("```json", 1)[1].split("```", 1)[0]
    # top-level keys: two-space indent inside the braces
    return re.findall(r'^  "([a-z_0-9]+)":', block, re.M)


def test_contract_json_fields_are_the_parsers_fields_in_order():
    documented = json_block_keys(record_md())
    rec = parse_document(SEED.read_bytes(), SEED.resolve().as_uri())
    assert documented == list(rec)[:len(documented)]
    assert len(documented) == 23
    extras = list(rec)[len(documented):]
    readme = (REPO / "README.md").read_text("utf-8")
    beyond = readme.split("Fields beyond the contract", 1)[1].split("\n\n", 1)[0]
    for name in extras:
        assert f"`{name}`" in beyond, f"{name} is exported but documented neither in docs/record.md nor the README"
    assert list(rec["sections"]) == list(SECTION_KEYS)


def _table_keys_section() -> str:
    text = record_md()
    return text.split("## Table keys", 1)[1].split("\n## ", 1)[0]


def _keys(fragment: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z_0-9]*)`", fragment))


def test_contract_table_keys_are_the_parsers_rows_and_columns():
    section = _table_keys_section()
    t2 = section.split("- **table2**", 1)[1].split("- **table3**", 1)[0]
    t3 = section.split("- **table3**", 1)[1].split("- **table4**", 1)[0]
    t4 = section.split("- **table4**", 1)[1]
    exported = {"t2": set(), "t3": set(), "t4": set()}
    for table, row, col, _versions in table_columns():
        exported[table] |= {row, col}
    # amount_unit's values (元/万元) and `null` are prose, not keys
    assert exported["t2"] == _keys(t2) - {"null"}
    assert exported["t3"] == _keys(t3)
    assert exported["t4"] == _keys(t4)


def test_documents_the_code_cites_are_in_the_repository():
    for name in ("record.md", "report-format.md", "portals.md"):
        assert (DOCS / name).is_file(), name
    assert "tests/fixtures/seeds/" in (DOCS / "report-format.md").read_text("utf-8")


SHARED = "shared"  # spelt apart so this file does not match its own pattern
OUTSIDE = re.compile(rf"\.\./{SHARED}|/work/{SHARED}|{SHARED}/spec|{SHARED}/corpus")
TEXT_SUFFIXES = {".py", ".md", ".csv", ".toml", ".cfg", ".sh", ".txt", ".json", ".ini", ".yml", ".yaml"}
SKIP_DIRS = {".git", ".venv", "output", "state", "__pycache__", "node_modules", ".pytest_cache"}


def test_no_file_refers_to_a_path_outside_the_repository():
    offenders = []
    checked = 0
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.suffix not in TEXT_SUFFIXES or not path.is_file() or path == Path(__file__):
            continue
        checked += 1
        for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()[:100]}")
    assert checked > 100  # the walk really covered the repository
    assert offenders == []
