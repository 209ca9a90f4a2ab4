#!/usr/bin/env python3
"""Extract the sample SOAP request envelopes of chapter 9 of the OII ICI spec.

Chapter 9 of the spec prints, for every ICI operation, a sample request ("9.x.y.2 <op> Message")
and a sample response ("9.x.y.3 <op>Response Message"), each inside ``` fences. A few operations
also have a "Sample Data" subsection with captured messages. This script writes every REQUEST
envelope, verbatim, to

    tests/fixtures/spec_requests/<Interface>/<NN>_<operation>.xml

(NN = order of appearance within the interface, <operation> = the local name of the first child
of the SOAP Body as printed) and lists them in tests/fixtures/spec_requests/index.json. The
IciEvent requests of 9.3 are messages our product sends rather than receives; they land in
their own folder, IciEvent/, and are marked "direction": "outbound" in the index.

"Verbatim" means the XML is kept exactly as the spec prints it, including the spec's own
mistakes; nothing is repaired, and "well_formed" records whether xml.etree can parse it. When a
page break splits an envelope into several fences, the parts are joined, and only these are
dropped: the fence markers, the blank lines at the edges of each fence and the page-break
noise between the parts. That noise includes one artifact of the PDF-to-text conversion: when a
page ended mid-envelope, the converter sometimes appended closing tags for the elements still
open (up to </soap:Envelope>), although the next part goes on with the content and then
closes those elements itself. Those invented closing lines are dropped and their spec line
numbers are listed under "dropped_lines" in the index.

Usage, from the repository root:

    python3 tools/extract_spec_requests.py [path-to-spec]

path-to-spec defaults to ../shared/spec/oii-ici-spec.txt relative to the repository root.
The output folder is rewritten on every run. The exit status is 1 if the request envelopes
do not match the operations defined in chapter 9 (one "Request name" row per operation).
"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "spec" / "oii-ici-spec.txt"
OUTPUT_DIR = REPO_ROOT / "tests" / "fixtures" / "spec_requests"

# Chapter 9 sections, by number; the headings themselves are not reliable ("9.4 Iciltem").
INTERFACES = {
    "9.1": "IciSystem",
    "9.2": "IciUser",
    "9.3": "IciEvent",
    "9.4": "IciItem",
    "9.5": "IciContainer",
    "9.6": "IciPhoneLine",
    "9.7": "IciPhoneCall",
    "9.8": "IciFolder",
    "9.9": "IciMessage",
    "9.10": "IciChatLine",
    "9.11": "IciChatSession",
    "9.12": "IciActionItem",
}
EVENT_INTERFACE = "IciEvent"  # sent by the contact center, i.e. by our product
SOAP_ACTION = "http://inqmy.com/soapdispatcher/rpc/bcbici/{interface}Bean"

CHAPTER_START = re.compile(r"^9 ICI Interface Specification\s*$")
CHAPTER_END = re.compile(r"^10 \S")
HEADING = re.compile(r"^(9(?:\.\d+)+) (\S.*?)\s*$")
FENCE = re.compile(r"^```\s*$")
REQUEST_NAME = re.compile(r"^(?:<p>)?Request name(?:</p>)?\t(?:<p>)?(.*?)(?:</p>)?\s*$")
OPERATION_TITLE = re.compile(r"^(\S+) [Oo]peration$")
ENVELOPE_START = re.compile(r"^\s*(?:<\?xml\b|<[\w.-]+:Envelope\b)")
ENVELOPE_END = re.compile(r"^\s*</[\w.-]+:Envelope>\s*$")
CLOSING_LINE = re.compile(r"^\s*</([\w.:-]+)>\s*$")
TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")
BODY_CHILD = re.compile(r"<(?:[\w.-]+:)?Body\b[^<>]*>[^<]*<([A-Za-z_][\w.:-]*)")

Line = tuple[int, str]  # (1-based line number in the spec, text without the newline)


@dataclass
class Section:
    """A numbered heading of chapter 9 with the code fences printed under it."""

    number: str
    title: str
    fences: list[list[Line]] = field(default_factory=list)


@dataclass
class Operation:
    """A "9.x.y <name> Operation" heading and the "Request name" row of its definition."""

    number: str
    name: str
    request_name: str | None = None


@dataclass
class Envelope:
    """One request envelope, joined across page breaks."""

    section: Section
    operation: Operation
    lines: list[Line]
    dropped: list[int]

    @property
    def interface(self) -> str:
        return INTERFACES[".".join(self.section.number.split(".")[:2])]

    @property
    def text(self) -> str:
        return "".join(text + "\n" for _, text in self.lines)

    @property
    def body_operation(self) -> str | None:
        """Local name of the first child element of the SOAP Body, as printed."""
        match = BODY_CHILD.search(self.text)
        return match.group(1).rpartition(":")[2] if match else None

    @property
    def is_main_sample(self) -> bool:
        return self.section.title.lower().endswith("message")


def read_chapter(spec: Path) -> list[Line]:
    """Return the lines of chapter 9 (from its heading up to chapter 10's)."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    start = next(i for i, text in enumerate(lines) if CHAPTER_START.match(text))
    end = next(i for i in range(start, len(lines)) if CHAPTER_END.match(lines[i]))
    return [(number + 1, lines[number]) for number in range(start, end)]


def parse_sections(chapter: list[Line]) -> tuple[list[Section], list[Operation]]:
    """Split chapter 9 into headed sections with their fences, and collect the operations."""
    sections: list[Section] = []
    operations: list[Operation] = []
    fence: list[Line] | None = None
    for number, text in chapter:
        if FENCE.match(text):
            if fence is None:
                fence = []
            else:
                if sections:
                    sections[-1].fences.append(fence)
                fence = None
        elif fence is not None:
            fence.append((number, text))
        elif heading := HEADING.match(text):
            sections.append(Section(heading.group(1), heading.group(2)))
            title = OPERATION_TITLE.match(heading.group(2))
            if heading.group(1).count(".") == 2 and title:
                operations.append(Operation(heading.group(1), title.group(1)))
        elif (row := REQUEST_NAME.match(text)) and operations:
            operations[-1].request_name = row.group(1).strip()
    if fence is not None:
        raise ValueError("unterminated code fence in chapter 9")
    return sections, operations


def strip_blank_edges(fence: list[Line]) -> list[Line]:
    """Drop whitespace-only lines at the start and end of a fence."""
    kept = list(fence)
    while kept and not kept[0][1].strip():
        kept.pop(0)
    while kept and not kept[-1][1].strip():
        kept.pop()
    return kept


def unmatched_closers(text: str) -> list[str]:
    """Closing tags in text whose start tag is not in text, innermost first."""
    open_tags: list[str] = []
    unmatched: list[str] = []
    for closing, name, self_closing in TAG.findall(text):
        if not closing:
            if not self_closing:
                open_tags.append(name)
        elif name in open_tags:
            while open_tags.pop() != name:
                pass
        else:
            unmatched.append(name)
    return unmatched


def invented_closers(head: list[Line], rest: str) -> int:
    """How many trailing lines of head are closing tags the PDF conversion invented.

    This happens only when head, the part before a page break, looks complete (ends with
    the Envelope's closing tag) although more parts follow. The invented lines close, from the
    outside in, a subsequence of the elements that rest, the text after the page break,
    closes without having opened them.
    """
    if not head or not ENVELOPE_END.match(head[-1][1]):
        return 0
    still_open = list(reversed(unmatched_closers(rest)))  # outermost first
    position = 0
    count = 0
    for _, text in reversed(head):
        closer = CLOSING_LINE.match(text)
        if closer is None or closer.group(1) not in still_open[position:]:
            break
        position = still_open.index(closer.group(1), position) + 1
        count += 1
    return count


def join_fences(section: Section) -> list[tuple[list[Line], list[int]]]:
    """Group the fences of a section into envelopes: (kept lines, dropped line numbers).

    A fence whose first line is not an XML declaration or an Envelope start tag continues
    the previous envelope of the section across a page break.
    """
    parts = [part for part in map(strip_blank_edges, section.fences) if part]
    groups: list[list[list[Line]]] = []
    for part in parts:
        if ENVELOPE_START.match(part[0][1]):
            groups.append([part])
        elif groups:
            groups[-1].append(part)
        else:
            warn(f"{section.number}: fence at line {part[0][0]} continues no envelope; ignored")
    envelopes = []
    for group in groups:
        lines = list(group[0])
        dropped: list[int] = []
        for index, part in enumerate(group[1:], start=1):
            rest = "\n".join(text for later in group[index:] for _, text in later)
            count = invented_closers(lines, rest)
            if count:
                dropped.extend(number for number, _ in lines[-count:])
                del lines[-count:]
            lines.extend(part)
        envelopes.append((lines, dropped))
    return envelopes


def collect_requests(sections: list[Section], operations: list[Operation]) -> list[Envelope]:
    """Every request envelope of chapter 9, in order of appearance."""
    by_number = {operation.number: operation for operation in operations}
    requests: list[Envelope] = []
    for section in sections:
        title = section.title.lower()
        is_message = title.endswith("message")
        if not (is_message or title == "sample data"):
            for fence in section.fences:
                if any(ENVELOPE_START.match(text) for _, text in fence[:3]):
                    warn(f"{section.number}: envelope under '{section.title}' ignored")
            continue
        if title.endswith("response message"):
            continue
        for lines, dropped in join_fences(section):
            operation_number = ".".join(section.number.split(".")[:3])
            envelope = Envelope(section, by_number[operation_number], lines, dropped)
            operation = envelope.body_operation
            if operation is None:
                warn(f"{section.number}: no SOAP Body child found at line {lines[0][0]}")
            elif operation.endswith("Response"):
                if is_message:
                    warn(f"{section.number}: {operation} printed as a request")
                continue
            requests.append(envelope)
    return requests


def parse_error(text: str) -> str | None:
    """None if xml.etree parses text, else the parser's message."""
    try:
        ET.fromstring(text.encode("utf-8"))  # noqa: S314 - the spec's own samples, trusted
    except ET.ParseError as error:
        return str(error)
    return None


def line_ranges(lines: list[Line]) -> list[list[int]]:
    """The spec line numbers of lines, as [first, last] runs."""
    ranges: list[list[int]] = []
    for number, _ in lines:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ranges


def write_output(requests: list[Envelope], output: Path) -> list[dict[str, object]]:
    """Write the envelope files and index.json, replacing any earlier output."""
    for old in sorted(output.glob("*/*.xml")):
        old.unlink()
    index: list[dict[str, object]] = []
    counters: dict[str, int] = {}
    for envelope in requests:
        interface = envelope.interface
        counters[interface] = counters.get(interface, 0) + 1
        operation = envelope.body_operation or envelope.operation.name
        relative = f"{interface}/{counters[interface]:02d}_{operation}.xml"
        path = output / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(envelope.text, encoding="utf-8", newline="\n")
        error = parse_error(envelope.text)
        entry: dict[str, object] = {
            "file": relative,
            "interface": interface,
            "operation": operation,
            "section": envelope.section.number,
            "soap_action": SOAP_ACTION.format(interface=interface),
            "well_formed": error is None,
            "parse_error": error,
            "direction": "outbound" if interface == EVENT_INTERFACE else "inbound",
            "request_name": envelope.operation.request_name,
            "source_lines": line_ranges(envelope.lines),
            "dropped_lines": envelope.dropped,
        }
        if envelope.operation.name != operation:
            entry["heading"] = envelope.operation.name
        index.append(entry)
    output.mkdir(parents=True, exist_ok=True)
    text = json.dumps(index, indent=2, ensure_ascii=False) + "\n"
    (output / "index.json").write_text(text, encoding="utf-8", newline="\n")
    return index


def check_against_definitions(requests: list[Envelope], operations: list[Operation]) -> bool:
    """Print the per-interface counts; True if every operation has exactly one request sample."""
    ok = True
    print(f"{'interface':<16}{'requests':>9}{'operations':>11}{'+ sample data':>14}")
    for prefix, interface in INTERFACES.items():
        defined = [op for op in operations if op.number.startswith(prefix + ".")]
        named = [op for op in defined if op.request_name is not None]
        main = [env for env in requests if env.interface == interface and env.is_main_sample]
        extra = [env for env in requests if env.interface == interface and not env.is_main_sample]
        print(f"{interface:<16}{len(main):>9}{len(named):>11}{len(extra):>14}")
        for op in defined:
            samples = [env for env in main if env.operation is op]
            if op.request_name is None:
                warn(f"{op.number} {op.name}: no 'Request name' row in its definition")
                ok = False
            if len(samples) != 1:
                warn(f"{op.number} {op.name}: {len(samples)} request samples")
                ok = False
    return ok


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    spec = Path(argv[1]) if len(argv) == 2 else DEFAULT_SPEC
    sections, operations = parse_sections(read_chapter(spec))
    requests = collect_requests(sections, operations)
    index = write_output(requests, OUTPUT_DIR)
    print(f"wrote {len(index)} request envelopes to {OUTPUT_DIR}")
    for entry in index:
        where = f"{entry['file']} ({entry['section']})"
        if not entry["well_formed"]:
            print(f"  not well-formed: {where}: {entry['parse_error']}")
        if entry["dropped_lines"]:
            print(f"  page-break closers dropped: {where}: spec lines {entry['dropped_lines']}")
        if "heading" in entry:
            print(f"  operation spelled {entry['heading']!r} in the heading: {where}")
    return 0 if check_against_definitions(requests, operations) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
