#!/usr/bin/env python3
"""dom-check.py - what a browser built from a report page (chromium --dump-dom), checked.

  dom-check.py DOM TEXT...

Prints one line per problem and exits 1 if any: a <script>, <iframe>, <img>, <object>, <embed>
or <link> element (the page has none of its own, so one can only come from the data), an
attribute whose name starts with "on" or whose value starts with "javascript:", an element
outside the page's vocabulary, or a TEXT that the page's text does not contain.
Python 3 standard library only.
"""

import html.parser
import sys

FORBIDDEN = {"script", "iframe", "img", "object", "embed", "link", "base", "form", "input"}


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.problems.append("element <%s>" % tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append("attribute %s on <%s>" % (name, tag))
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append("javascript: URL in %s of <%s>" % (name, tag))

    def handle_data(self, data):
        self.text.append(data)


def main():
    dom = Dom()
    dom.feed(open(sys.argv[1], encoding="utf-8").read())
    text = " ".join(dom.text)
    for want in sys.argv[2:]:
        if want not in text:
            dom.problems.append("text missing: %r" % want)
    for p in dom.problems:
        print(p)
    return 1 if dom.problems else 0


if __name__ == "__main__":
    sys.exit(main())
