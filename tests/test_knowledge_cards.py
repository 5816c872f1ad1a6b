"""The knowledge cards: well-formed, bilingual, in the project's own words, and the
retrieval set only points at cards that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from conftest import seeds_or_skip

from coach.config import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
QUERIES = REPO_ROOT / "benchmarks" / "data" / "retrieval_queries.jsonl"
REQUIRED_KEYS = {"id", "title", "title_en", "topic", "tags", "source", "language"}
TOPICS = {
    "purpose", "conversation", "follow-up", "reciprocity", "asks", "pitch",
    "self-presentation", "quality", "maintenance", "trust", "network", "connector", "events",
}
SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SUMMARY_HEADING = "## English summary"
RUN = 10  # same rule as ../shared/tools/copycheck.py


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def card_files() -> list[Path]:
    return sorted(KNOWLEDGE_DIR.glob("*.md"))


def parse_card(path: Path) -> tuple[dict, str, str]:
    """Return (front matter, Spanish body, English summary) of one card."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, f"{path.name}: no front matter block"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    body = match.group(2)
    assert body.count(SUMMARY_HEADING) == 1, f"{path.name}: needs one '{SUMMARY_HEADING}'"
    spanish, english = body.split(SUMMARY_HEADING)
    return meta, spanish.strip(), english.strip()


def sources_of(meta: dict) -> list[str]:
    return [s.strip() for s in str(meta["source"]).split(",") if s.strip()]


def test_there_are_enough_cards():
    assert len(card_files()) >= 25


def test_every_card_parses_with_the_required_front_matter():
    for path in card_files():
        meta, _, _ = parse_card(path)
        missing = REQUIRED_KEYS - meta.keys()
        assert not missing, f"{path.name}: missing {sorted(missing)}"
        assert meta["id"] == path.stem, f"{path.name}: id {meta['id']!r} != file name"
        assert KEBAB.match(meta["id"]), f"{path.name}: id is not kebab-case"
        assert meta["topic"] in TOPICS, f"{path.name}: unknown topic {meta['topic']!r}"
        assert meta["language"] == "es"
        assert isinstance(meta["tags"], list) and meta["tags"], f"{path.name}: tags"
        assert str(meta["title"]).strip() and str(meta["title_en"]).strip()


def test_card_sources_name_seed_files():
    for path in card_files():
        meta, _, _ = parse_card(path)
        names = sources_of(meta)
        assert names, f"{path.name}: empty source"
        for name in names:
            assert SEED_NAME.match(name), f"{path.name}: bad source name {name!r}"


def test_card_sources_exist_in_the_seeds_folder():
    seeds = {p.name for p in seeds_or_skip().glob("*.txt")}
    for path in card_files():
        meta, _, _ = parse_card(path)
        for name in sources_of(meta):
            assert name in seeds, f"{path.name}: source {name!r} is not a seed file"


def test_card_bodies_respect_length_limits():
    for path in card_files():
        _, spanish, english = parse_card(path)
        n_es, n_en = len(words(spanish)), len(words(english))
        assert 80 <= n_es <= 160, f"{path.name}: Spanish body has {n_es} words (80-160)"
        assert 40 <= n_en <= 80, f"{path.name}: English summary has {n_en} words (40-80)"


def test_card_titles_are_distinct():
    titles = [parse_card(p)[0]["title"] for p in card_files()]
    titles_en = [parse_card(p)[0]["title_en"] for p in card_files()]
    assert len(set(titles)) == len(titles)
    assert len(set(titles_en)) == len(titles_en)


def test_retrieval_set_is_labelled_with_existing_cards():
    ids = {p.stem for p in card_files()}
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert len(rows) >= 48
    langs = [row["lang"] for row in rows]
    assert set(langs) == {"es", "en"}
    assert abs(langs.count("es") - langs.count("en")) <= len(rows) // 10
    covered: set[str] = set()
    for row in rows:
        assert 3 <= len(words(row["query"])) <= 12, f"query length: {row['query']!r}"
        assert 1 <= len(row["relevant"]) <= 2, f"relevant ids: {row}"
        unknown = set(row["relevant"]) - ids
        assert not unknown, f"{row['query']!r}: unknown card ids {sorted(unknown)}"
        covered |= set(row["relevant"])
    assert covered == ids, f"cards without a query: {sorted(ids - covered)}"


def test_no_card_copies_a_ten_word_run_from_the_seeds():
    seed_runs: set[str] = set()
    for seed in sorted(seeds_or_skip().glob("*.txt")):
        ws = words(seed.read_text(encoding="utf-8", errors="replace"))
        seed_runs |= {" ".join(ws[i:i + RUN]) for i in range(len(ws) - RUN + 1)}
    copied = []
    for path in card_files():
        ws = words(path.read_text(encoding="utf-8"))
        for i in range(len(ws) - RUN + 1):
            run = " ".join(ws[i:i + RUN])
            if run in seed_runs:
                copied.append(f"{path.name}: {run}")
    assert not copied, "copied from the seeds:\n" + "\n".join(copied[:10])
