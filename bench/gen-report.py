#!/usr/bin/env python3
"""gen-report.py - write a deterministic TLS-RPT report email for the ingest benchmark.

The message looks like Google's: multipart/report; report-type=tlsrpt, a text/plain part, then
the report as application/tlsrpt+gzip in base64. The report has one sts policy for example.com
with N failure-details; all names are example.com names and all addresses documentation ones
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24). The same arguments always give the same bytes.

  gen-report.py -n 3 > small.eml                 # 1 policy, 3 failure details
  gen-report.py -n 10000 > big.eml               # 10,000 failure details (about 2.7 MB of JSON)
  gen-report.py -n 3 --id 7 > small-7.eml        # report-id and Message-ID carry the suffix 7
  gen-report.py -n 3 --count 21 --out-dir D --name small
                                                 # D/small-1.eml .. D/small-21.eml, with the
                                                 # suffixes small-1 .. small-21
  gen-report.py -n 10000 --json big.json --rows big.rows > big.eml
                                                 # also the report's JSON text, and its
                                                 # failure rows for bench/store-floor.c

Python 3 standard library only.
"""

import argparse
import base64
import gzip
import json
import os
import random
import sys

REPORTER = "reporter.example.com"
POLICY_DOMAIN = "example.com"
START = "2024-01-01T00:00:00Z"
END = "2024-01-01T23:59:59Z"
START_UNIX = 1704067200
END_UNIX = 1704153599

RESULT_TYPES = [
    "certificate-host-mismatch",
    "certificate-expired",
    "certificate-not-trusted",
    "validation-failure",
    "starttls-not-supported",
    "sts-policy-fetch-error",
    "sts-webpki-invalid",
    "tlsa-invalid",
]
REASONS = [
    "certificate name does not match any MX host",
    "x509: certificate has expired or is not yet valid",
    "x509: certificate signed by unknown authority",
    "remote server did not offer STARTTLS",
    'unable to do http request: Get "https://mta-sts.example.com/.well-known/mta-sts.txt": '
    "context deadline exceeded",
    "TLS handshake failed: protocol version not supported",
]


def failure_detail(i, rng):
    """failure_detail - the i-th failure-details element; rows differ in IPs, names and counts"""
    nets = ["192.0.2.", "198.51.100."]
    mx = "mx%d.%s" % (i % 8 + 1, POLICY_DOMAIN)
    d = {
        "result-type": RESULT_TYPES[i % len(RESULT_TYPES)],
        "sending-mta-ip": nets[(i // 256) % 2] + str(i % 256),
        "receiving-mx-hostname": mx,
        "receiving-ip": "203.0.113." + str((i * 7 + 3) % 256),
        "failed-session-count": rng.randint(1, 500),
        "failure-reason-code": REASONS[i % len(REASONS)],
    }
    info = "https://%s/i/%08x" % (REPORTER, rng.getrandbits(32))
    # The optional members on some rows only, as real reports do.
    if i % 2 == 0:
        d["receiving-mx-helo"] = mx
    if i % 4 == 0:
        d["additional-information"] = info
    return d


FAILURE_COLUMNS = [
    "result-type",
    "sending-mta-ip",
    "receiving-mx-hostname",
    "receiving-mx-helo",
    "receiving-ip",
    "failed-session-count",
    "additional-information",
    "failure-reason-code",
]


def failure_rows(report):
    """failure_rows - the report's failure-details as lines of tab-separated fields, in the
    column order of the failures table after policy_ref (doc/schema.md); absent = empty"""
    lines = []
    for d in json.loads(report)["policies"][0]["failure-details"]:
        lines.append("\t".join(str(d.get(k, "")) for k in FAILURE_COLUMNS) + "\n")
    return "".join(lines).encode("utf-8")


def report_json(n, suffix):
    """report_json - the report as compact JSON bytes with n failure-details"""
    rng = random.Random(8460 + n)
    details = [failure_detail(i, rng) for i in range(n)]
    failed = sum(d["failed-session-count"] for d in details)
    report_id = "%s_%s" % (START, POLICY_DOMAIN)
    if suffix is not None:
        report_id += "_" + suffix
    report = {
        "organization-name": "Reporter Example Inc.",
        "date-range": {"start-datetime": START, "end-datetime": END},
        "contact-info": "smtp-tls-reporting@" + REPORTER,
        "report-id": report_id,
        "policies": [
            {
                "policy": {
                    "policy-type": "sts",
                    "policy-string": [
                        "version: STSv1",
                        "mode: enforce",
                        "max_age: 604800",
                        "mx: mx1.%s" % POLICY_DOMAIN,
                        "mx: *.%s" % POLICY_DOMAIN,
                    ],
                    "policy-domain": POLICY_DOMAIN,
                    "mx-host": ["mx1.%s" % POLICY_DOMAIN, "*.%s" % POLICY_DOMAIN],
                },
                "summary": {
                    "total-successful-session-count": 12345,
                    "total-failure-session-count": failed,
                },
                "failure-details": details,
            }
        ],
    }
    return json.dumps(report, separators=(",", ":")).encode("utf-8")


def message(report, n, suffix):
    """message - the whole email carrying @report (JSON bytes) as bytes, CRLF line ends"""
    gz = gzip.compress(report, compresslevel=9, mtime=0)
    b64 = base64.b64encode(gz).decode("ascii")
    tag = "" if suffix is None else "." + suffix
    boundary = "000000000000benchb0undary%06d" % n
    filename = "%s!%s!%d!%d!001.json.gz" % (REPORTER, POLICY_DOMAIN, START_UNIX, END_UNIX)
    lines = [
        "MIME-Version: 1.0",
        "Date: Tue, 02 Jan 2024 03:14:15 -0800",
        "Message-ID: <bench-%d%s@%s>" % (n, tag, REPORTER),
        "Subject: Report Domain: %s Submitter: %s Report-ID: <2024.01.01T00.00.00Z+%s%s@%s>"
        % (POLICY_DOMAIN, REPORTER, POLICY_DOMAIN, tag, REPORTER),
        "From: noreply-smtp-tls-reporting@%s" % REPORTER,
        "To: tlsrpt@%s" % POLICY_DOMAIN,
        "TLS-Report-Domain: %s" % POLICY_DOMAIN,
        "TLS-Report-Submitter: %s" % REPORTER,
        'Content-Type: multipart/report; boundary="%s"; report-type=tlsrpt' % boundary,
        "",
        "--" + boundary,
        'Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes',
        "",
        "This is an aggregate TLS report from %s" % REPORTER,
        "",
        "--" + boundary,
        'Content-Type: application/tlsrpt+gzip; name="%s"' % filename,
        'Content-Disposition: attachment; filename="%s"' % filename,
        "Content-Transfer-Encoding: base64",
        "",
    ]
    lines += [b64[i : i + 76] for i in range(0, len(b64), 76)]
    lines += ["--" + boundary + "--", ""]
    return "\r\n".join(lines).encode("ascii")


def main():
    """main - parse the options and write one message to stdout or a numbered set to a directory"""
    ap = argparse.ArgumentParser(description="Write a deterministic TLS-RPT report email.")
    ap.add_argument("-n", "--failures", type=int, default=3, help="failure-details (default 3)")
    ap.add_argument("--id", help="suffix that makes the report-id and Message-ID unique")
    ap.add_argument("--count", type=int, help="write COUNT messages with suffixes NAME-1..NAME-COUNT")
    ap.add_argument("--out-dir", help="directory for --count (required with it)")
    ap.add_argument("--name", default="report", help="file name prefix for --count")
    ap.add_argument("--json", help="also write the report's JSON text to this file")
    ap.add_argument("--rows", help="also write its failure rows (tab-separated) to this file")
    args = ap.parse_args()
    if args.failures < 0:
        ap.error("--failures must be >= 0")
    if args.count is None:
        report = report_json(args.failures, args.id)
        sys.stdout.buffer.write(message(report, args.failures, args.id))
        for path, data in ((args.json, report), (args.rows, failure_rows(report))):
            if path:
                with open(path, "wb") as f:
                    f.write(data)
        return 0
    if not args.out_dir:
        ap.error("--count needs --out-dir")
    if args.json or args.rows:
        ap.error("--json and --rows write one report's files: not with --count")
    for k in range(1, args.count + 1):
        path = os.path.join(args.out_dir, "%s-%d.eml" % (args.name, k))
        with open(path, "wb") as f:
            suffix = "%s-%d" % (args.name, k)
            f.write(message(report_json(args.failures, suffix), args.failures, suffix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
