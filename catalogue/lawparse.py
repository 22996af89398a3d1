"""Parse the bundled law texts (Markdown, one article per paragraph) into law → chapter → article.

File name: ``<short title>(<YYYY-MM-DD>).md``; the date is the version (latest adoption, revision or
amendment). Headings: ``# title``, ``## 第N章 ...``, ``### 第N节 ...``; preamble ends at
``<!-- INFO END -->``; an article starts a paragraph with ``第N条``; following paragraphs (款, 项)
belong to it until the next article or heading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.cn_numbers import cn_to_int

FILE_RE = re.compile(r"^(?P<short>.+)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")
ARTICLE_RE = re.compile(r"^第(?P<num>[零〇一二三四五六七八九十百千0-9]+)条(?:[\s\u3000]+|$)(?P<rest>.*)$")
CHAPTER_RE = re.compile(r"^##\s+(?P<num>第[零一二三四五六七八九十百0-9]+章)[\s\u3000]*(?P<title>.*)$")
SECTION_RE = re.compile(r"^###\s+")
EFFECTIVE_RE = re.compile(r"自(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日起施行")
LIABILITY_TITLES = ("法律责任", "罚则")


@dataclass
class ParsedArticle:
    number: int
    label: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedChapter:
    order: int
    number: str
    title: str
    articles: list[ParsedArticle] = field(default_factory=list)

    @property
    def is_liability(self) -> bool:
        return any(t in self.title for t in LIABILITY_TITLES)


@dataclass
class ParsedLaw:
    title: str
    short_title: str
    version_date: dt.date
    effective_from: dt.date | None
    level: str
    preamble: str
    source_file: str
    chapters: list[ParsedChapter]
    loose_articles: list[ParsedArticle]

    def all_articles(self):
        for ch in self.chapters:
            for a in ch.articles:
                yield ch, a
        for a in self.loose_articles:
            yield None, a


def law_level(title: str) -> str:
    if title.startswith("浙江省"):
        return "local"
    if title.endswith("法"):
        return "law"
    return "regulation"


def parse_law_file(path: Path) -> ParsedLaw:
    m = FILE_RE.match(path.name)
    if not m:
        raise ValueError(f"{path.name}: file name must be '<title>(YYYY-MM-DD).md'")
    version_date = dt.date.fromisoformat(m["date"])
    lines = [ln.rstrip() for ln in path.read_text(encoding="utf-8").splitlines()]
    title = ""
    preamble: list[str] = []
    chapters: list[ParsedChapter] = []
    loose: list[ParsedArticle] = []
    in_preamble = True
    current: ParsedArticle | None = None
    seen_numbers: set[int] = set()
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        if in_preamble:
            if line.startswith("<!--"):
                in_preamble = False
            else:
                preamble.append(line)
            continue
        if cm := CHAPTER_RE.match(line):
            chapters.append(ParsedChapter(len(chapters) + 1, cm["num"], cm["title"].strip()))
            current = None
            continue
        if SECTION_RE.match(line):
            current = None
            continue
        if am := ARTICLE_RE.match(line):
            number = cn_to_int(am["num"])
            if number in seen_numbers:
                raise ValueError(f"{path.name}: article {number} appears twice")
            seen_numbers.add(number)
            current = ParsedArticle(number, f"第{am['num']}条", [am["rest"].strip()] if am["rest"].strip() else [])
            (chapters[-1].articles if chapters else loose).append(current)
            continue
        if current is not None:
            current.paragraphs.append(line)
    if not title:
        raise ValueError(f"{path.name}: no '# title' line")
    effective = None
    all_text = "\n".join(a.text for ch in chapters for a in ch.articles) + "\n".join(a.text for a in loose)
    if em := EFFECTIVE_RE.search(all_text[-400:]):
        effective = dt.date(int(em["y"]), int(em["m"]), int(em["d"]))
    # An amended version takes effect on its own date unless the text names a later one.
    if effective is None or effective < version_date:
        effective = version_date
    return ParsedLaw(
        title=title,
        short_title=m["short"],
        version_date=version_date,
        effective_from=effective,
        level=law_level(title),
        preamble="\n".join(preamble),
        source_file=path.name,
        chapters=chapters,
        loose_articles=loose,
    )
