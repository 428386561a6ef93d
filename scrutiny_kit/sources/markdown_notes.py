"""A Markdown visit note: YAML front matter (or a `Key: value` block), then the body read from markdown-it-py's
tokens (CommonMark with GitHub tables) into points under headings.

The tokens decide what is a heading, a list item, a table row or a paragraph, as any Markdown preview shows it.
Four readings go beyond CommonMark because a note must never lose a point to a formatting slip:
- a list indented more than the list item above it is that item's sub-bullets, even where CommonMark's
  column rule starts a new list ("1. Caseloads" then "  - over 25 in duty");
- an underlined ("setext") heading that runs over more than one line, or ends as a sentence does (. ! ?), is a
  point above a rule: `---` under a paragraph is far more often a separator than a heading underline;
- text in a code block (indented four spaces, or fenced) is read as Markdown: notes are not code;
- lines that are all `| … |` rows without a header rule are table rows, one point each.
A heading written inside a list item is that item's text; a table of only a header row is a point; cells past a
table's header columns are kept. And a line with words that no token reads (lists or quotes nested past
markdown-it's limit of 20 levels, a link definition, a code block inside a code block) is a point of its own
where it stands, its markers removed.
HTML comments (`<!-- … -->`) are removed, as every Markdown preview hides them.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .. import yamlio
from ..errors import Problem
from .note_meta import KEY_ALIASES, ParsedNote, add_meta, norm_key
from .note_points import PointBuilder, table_points
from .text_notes import key_block

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_CELL_BREAK = re.compile(r"(?<!\\)\|")
_RULE_CELL = re.compile(r"^\s*:?-+:?\s*$")
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
_SENTENCE_END = (".", "!", "?")
_MARKERS = re.compile(r"^(?:\s*(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$)))*\s*")  # quote and list markers
_ITEM_START = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])(?=\s|$)")  # a line that starts a list item
_READ = ("inline", "hr", "heading_open", "table_open")  # tokens whose lines the walk reads
_CODE = ("code_block", "fence")
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")


def parse_markdown(path: Path, text: str) -> ParsedNote:
    """Front matter (or a Key: value block) then the body as points under headings."""
    lines = text.split("\n")
    parsed = ParsedNote(lines=lines, where="to the front matter")
    start = _front_matter(path, lines, parsed)
    skip: set[int] = set()
    if start is None:
        parsed.where = "to the front matter (between '---' lines at the top)"
        start, skip = 0, key_block(lines, parsed, lambda line: bool(_HEADING_LINE.match(line)))
    # metadata lines become blank, so every token's line number is the file's
    body = ["" if i < start or i in skip else line for i, line in enumerate(lines)]
    builder = PointBuilder()
    _read_body(_without_comments("\n".join(body)), 0, builder)
    parsed.points = builder.finish()
    return parsed


def _without_comments(text: str) -> str:
    """HTML comments removed, keeping their line breaks so line numbers stay true."""
    return _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


def _read_body(text: str, first_line: int, b: PointBuilder, *, in_code: bool = False) -> None:
    """Walk the tokens of `text` (whose first line is line `first_line` + 1 of the file) into points. Text in a
    code block is read once more as Markdown (`in_code`); a code block inside it is read line by line."""
    _BodyWalk(text.split("\n"), first_line, b, in_code).walk(_MARKDOWN.parse(text))


class _BodyWalk:
    """One pass over a token stream, knowing how deep in lists it is and which table row is the header."""

    def __init__(self, lines: list[str], offset: int, builder: PointBuilder, in_code: bool) -> None:
        self.lines, self.offset, self.b, self.in_code = lines, offset, builder, in_code
        self.unread: list[int] = []  # lines with words that no token reads, in order
        self.lists: list[tuple[int, Token]] = []  # open lists: the depth each adds (2: read as sub-bullets)
        self.first_paragraph = False  # the next paragraph opens its list item
        self.item_indent = 0  # the marker indent of the current top-level list item
        self.last_list: tuple[int, int] | None = None  # (end line, marker indent) of the last top-level list
        self.in_head = False
        self.row_line = 0
        self.cells: list[str] = []
        self.header: list[str] = []
        self.header_line = 0
        self.body_rows = 0

    @property
    def depth(self) -> int:
        return sum(add for add, _ in self.lists)

    def line(self, token: Token) -> int:
        """The file's line number (from 1) where a block token starts."""
        return self.offset + (token.map[0] if token.map else 0) + 1

    def walk(self, tokens: list[Token]) -> None:
        self.unread = self._unread_lines(tokens)
        for index, token in enumerate(tokens):
            kind = token.type
            if token.map:
                self._unread_before(token.map[0])
            if kind in _LIST_OPEN:
                self.lists.append((2 if self._indented_under_item(token) else 1, token))
            elif kind in _LIST_CLOSE:
                _, opened = self.lists.pop()
                if not self.lists and opened.map:
                    self.last_list = (opened.map[1], self.item_indent)
            elif kind == "list_item_open":
                self.first_paragraph = True
                if len(self.lists) == 1 and self.depth == 2 and self._indent(token) <= self.item_indent:
                    self.lists[0] = (1, self.lists[0][1])  # back out to the level of the item above
                if self.depth == 1:
                    self.b.close()
                    self.item_indent = self._indent(token)
            elif kind == "inline":
                self._inline(tokens[index - 1], token)
            elif kind == "hr":
                self.b.close()
            elif kind in _CODE and not self.in_code:
                _read_body(token.content, self.line(token) - 1 + (kind == "fence"), self.b, in_code=True)
            elif kind in ("thead_open", "thead_close"):
                self.in_head = kind == "thead_open"
            elif kind == "tr_open":
                self.row_line, self.cells = self.line(token), []
            elif kind == "tr_close":
                self._row()
            elif kind == "table_close":
                self._table_end()
        self._unread_before(len(self.lines))

    def _unread_lines(self, tokens: list[Token]) -> list[int]:
        """The lines with words (a letter or digit, not only markers and fences) that no token the walk reads."""
        read: set[int] = set()
        for token in tokens:
            if token.map and (token.type in _READ or (token.type in _CODE and not self.in_code)):
                read.update(range(*token.map))
        return [i for i, line in enumerate(self.lines)
                if i not in read and any(c.isalnum() for c in _MARKERS.sub("", line))]

    def _unread_before(self, end: int) -> None:
        """Each run of unread lines before line index `end` (a paragraph, or one list item's lines) as a point
        of its own, where it stands."""
        run: list[int] = []
        while self.unread and self.unread[0] < end:
            if run and (self.unread[0] != run[-1] + 1 or _ITEM_START.match(self.lines[self.unread[0]])):
                self._unread_point(run)
                run = []
            run.append(self.unread.pop(0))
        if run:
            self._unread_point(run)

    def _unread_point(self, run: list[int]) -> None:
        text = " ".join(_clean_text(_MARKERS.sub("", self.lines[i])) for i in run)
        self.b.start(self.offset + run[0] + 1, text, bullet=False)
        self.b.close()

    def _inline(self, opener: Token, inline: Token) -> None:
        """A heading's text, a table cell, or a paragraph: the point it starts or the point it joins."""
        text = inline_text(inline)
        if opener.type == "heading_open" and self.depth == 0:
            self._heading(opener, text)
        elif opener.type in ("th_open", "td_open"):
            self.cells.append(text)
        elif self.depth == 0:
            self._paragraph(opener, text)
        elif self.first_paragraph:
            self.first_paragraph = False
            text = _TASK_BOX.sub("", text)
            if self.depth == 1 or not self.b.open:
                self.b.start(self.line(opener), text, bullet=True)
            else:
                self.b.add(text, sub=True)
        elif self.b.open:
            self.b.add(text)
        else:  # the item's point was closed by a point between (an unread line)
            self.b.start(self.line(opener), text, bullet=True)

    def _heading(self, opener: Token, text: str) -> None:
        """A heading gives context to the points below it; an underlined sentence is a point."""
        underlined = opener.markup in ("=", "-")
        spans = (opener.map[1] - opener.map[0]) if opener.map else 1
        if underlined and (spans > 2 or text.endswith(_SENTENCE_END)):
            self.b.start(self.line(opener), text, bullet=False)
            self.b.close()
        else:
            self.b.set_heading(text, int(opener.tag[1:]))

    def _paragraph(self, opener: Token, text: str) -> None:
        """A paragraph outside lists is a point; one made only of `| … |` rows is that many table rows (a rule row
        `|---|` among them is no point)."""
        first, end = opener.map if opener.map else (0, 0)
        rows = self.lines[first:end]
        if rows and all(_PIPE_ROW.match(row) for row in rows):
            for number, row in enumerate(rows, start=self.offset + first + 1):
                cells = _source_cells(row)
                if not all(_RULE_CELL.match(cell) for cell in cells):
                    self._row_points(number, [_clean_text(cell) for cell in cells])
            return
        self.b.start(self.line(opener), text, bullet=False)

    def _row(self) -> None:
        """A header row labels the cells below it; a body row is a point, with any cells past the header's
        columns (which GitHub's table rule drops) taken from its source line."""
        if self.in_head:
            self.b.close()
            self.header, self.header_line, self.body_rows = self.cells, self.row_line, 0
            return
        written = _source_cells(_MARKERS.sub("", self.lines[self.row_line - 1 - self.offset]))
        extra = [_clean_text(cell) for cell in written[len(self.cells):]]
        self._row_points(self.row_line, self.cells + extra)
        self.body_rows += 1

    def _table_end(self) -> None:
        """A table of only a header row (a one-cell call-out box) is a point: a header never hides words."""
        if not self.body_rows:
            header, self.header = self.header, []
            self._row_points(self.header_line, header)
        self.header = []

    def _row_points(self, number: int, cells: list[str]) -> None:
        for text in table_points(self.header, cells):
            self.b.start(number, text, bullet=False)
            self.b.close()

    def _indent(self, token: Token) -> int:
        line = (self.lines[token.map[0]] if token.map else "").expandtabs(4)
        return len(line) - len(line.lstrip())

    def _indented_under_item(self, token: Token) -> bool:
        """A top-level list straight after a list (blank lines aside) and indented more than its last item."""
        if self.lists or self.last_list is None or not token.map or not self.b.is_bullet:
            return False
        end, indent = self.last_list
        return token.map[0] == end and self._indent(token) > indent


def inline_text(inline: Token) -> str:
    """The words of an inline token as a reader sees them: emphasis, link and code marks gone, line breaks
    as spaces, an image as its alt text."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _source_cells(row: str) -> list[str]:
    """The cells of a `| … |` row as written: split at each `|` that is not escaped."""
    return _CELL_BREAK.split(row.strip().removeprefix("|").removesuffix("|"))


def _clean_text(cell: str) -> str:
    """Text Markdown did not read as a block (a cell of a `| … |` row, an unread line), its inline marks removed."""
    tokens = _MARKDOWN.parseInline(cell.strip())
    return inline_text(tokens[0]) if tokens else ""


def _front_matter(path: Path, lines: list[str], parsed: ParsedNote) -> int | None:
    """Read YAML front matter into parsed.meta; return the index of the first body line, or None."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return None
    end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        parsed.problems.append(Problem(path, "front matter starts with '---' but has no closing '---' line",
                                       line=first + 1))
        return len(lines)
    block = "\n".join(lines[first + 1 : end])
    try:
        data = yamlio.load(block) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # libyaml may point just past the last line of the block; keep the line inside the front matter
        line = min(first + 2 + mark.line, end) if mark is not None else first + 1
        reason = getattr(exc, "problem", None) or "not valid YAML"
        parsed.problems.append(Problem(path, f"front matter is not valid YAML ({reason})", line=line))
        return end + 1
    if not isinstance(data, dict):
        parsed.problems.append(Problem(path, "front matter must be 'key: value' lines", line=first + 2))
        return end + 1
    key_lines = yamlio.key_lines(block)
    for raw_key, value in data.items():
        key = KEY_ALIASES.get(norm_key(str(raw_key)))
        if key:
            line = key_lines.get(str(raw_key))
            add_meta(parsed, key, value, first + 1 + line if line else None)
    return end + 1
