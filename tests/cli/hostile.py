#!/usr/bin/env python3
"""hostile.py - write the hostile inputs of tests/cli/t-security.sh to stdout.

  hostile.py policies N        a bare JSON report with N policy domains, each with a failure detail
  hostile.py padded MIB        a report email whose gzip JSON is padded with MIB MiB of whitespace
  hostile.py empty-details N   a report email whose gzip JSON has N empty failure details ({})
  hostile.py copies N          a report email that carries the same gzip report N times
  hostile.py junk KIB [SEED]   a message of about KIB KiB that is not a report (SEED varies it)

Deterministic: the same arguments give the same bytes.  Python 3 standard library only.
"""

import base64
import gzip
import json
import sys

START = "2026-11-20T00:00:00Z"
END = "2026-11-20T23:59:59Z"


def report(report_id, policies):
    return {
        "organization-name": "Hostile Sender",
        "date-range": {"start-datetime": START, "end-datetime": END},
        "contact-info": "tlsrpt@hostile.example",
        "report-id": report_id,
        "policies": policies,
    }


def policy(domain, details):
    return {
        "policy": {"policy-type": "sts", "policy-domain": domain},
        "summary": {"total-successful-session-count": 1, "total-failure-session-count": 1},
        "failure-details": details,
    }


def mail(report_id, gz_parts):
    head = (
        "From: tlsrpt@hostile.example\n"
        "Subject: Report Domain: example.com Submitter: hostile.example\n"
        f"Message-ID: <{report_id}@hostile.example>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type="tlsrpt"; boundary="b"\n\n'
    )
    out = [head.encode()]
    for gz in gz_parts:
        out.append(
            b'--b\nContent-Type: application/tlsrpt+gzip\n'
            b"Content-Transfer-Encoding: base64\n\n"
            + base64.encodebytes(gz)
            + b"\n"
        )
    out.append(b"--b--\n")
    return b"".join(out)


def gz(text):
    return gzip.compress(text.encode(), mtime=0)


def main():
    what, n = sys.argv[1], int(sys.argv[2])
    out = sys.stdout.buffer
    if what == "policies":
        pols = [
            policy(
                f"d{i}.example",
                [{"result-type": "certificate-expired", "receiving-mx-hostname": f"mx.d{i}.example",
                  "failed-session-count": 1}],
            )
            for i in range(n)
        ]
        out.write(json.dumps(report("many-policies", pols), separators=(",", ":")).encode())
    elif what == "padded":
        text = json.dumps(report("padded", [policy("example.com", [])]))
        text = text[:-1] + " " * (n * 1024 * 1024) + "}"
        out.write(mail("padded", [gz(text)]))
    elif what == "empty-details":
        body = ",".join(["{}"] * n)
        text = json.dumps(report("empty-details", [policy("example.com", [])]))
        text = text.replace('"failure-details": []', '"failure-details": [' + body + "]")
        out.write(mail("empty-details", [gz(text)]))
    elif what == "copies":
        text = json.dumps(report("copies", [policy("example.com", [])]))
        out.write(mail("copies", [gz(text)] * n))
    elif what == "junk":
        seed = sys.argv[3] if len(sys.argv) > 3 else "0"
        line = (f"junk {seed} " * 8 + "\n").encode()
        body = line * (n * 1024 // len(line) + 1)
        out.write(f"From: spam@junk.example\nSubject: junk {seed}\n\n".encode() + body)
    else:
        sys.exit(f"hostile.py: unknown input {what}")


if __name__ == "__main__":
    main()
