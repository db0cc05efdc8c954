#!/usr/bin/env python3
"""report-numbers.py - the numbers of a report page, and of `query summary --format json`, as lines
to compare (tests/cli/t-report.sh).

  report-numbers.py html PAGE      the domain table and the key figures of PAGE
  report-numbers.py json SUMMARY   the same from query summary's JSON

One line per domain: "domain successful failed reports type count, type count, ..." (the first
three result types), then "sessions N" and "failed N".  Python 3 standard library only.
"""

import html.parser
import json
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_table = False
        self.rows = []
        self.cell = None
        self.figures = {}
        self.figure = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "domain-table":
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag == "td":
            self.cell = ""
        elif tag in ("span", "strong"):
            self.text = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag == "td":
            self.rows[-1].append(self.cell)
            self.cell = None
        elif tag == "span":
            self.figure = self.text
        elif tag == "strong" and self.figure is not None:
            self.figures.setdefault(self.figure, self.text)
            self.figure = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        self.text += data


def number(text):
    return int(text.replace(",", ""))


def from_html(path):
    page = Page()
    page.feed(open(path, encoding="utf-8").read())
    out = []
    for row in page.rows:
        if not row:
            continue
        types = row[9].split(", ")
        types = [t for t in types if t and not t.endswith(" more")]
        out.append(" ".join([row[0], str(number(row[1])), str(number(row[2])), str(number(row[4])),
                             ", ".join(types)]))
    out.append("sessions %d" % number(page.figures["sessions"]))
    out.append("failed %d" % number(page.figures["failed sessions"]))
    return out


def from_json(path):
    rows = json.load(open(path, encoding="utf-8"))["rows"]
    out = []
    for r in rows:
        types = ["%s %s" % (t["result_type"], format(t["sessions"], ","))
                 for t in r["result_types"][:3]]
        out.append(" ".join([r["policy_domain"], str(r["successful"]), str(r["failed"]),
                             str(r["reports"]), ", ".join(types)]))
    out.append("sessions %d" % sum(r["successful"] + r["failed"] for r in rows))
    out.append("failed %d" % sum(r["failed"] for r in rows))
    return out


if __name__ == "__main__":
    lines = from_html(sys.argv[2]) if sys.argv[1] == "html" else from_json(sys.argv[2])
    print("\n".join(lines))
