#!/usr/bin/env python3
"""make-samples.py - write samples/*.eml: invented TLS-RPT report emails, one per sender style

Each message copies the packaging habits of one real sender (headers, MIME layout, transfer
encodings, gzip header bytes, JSON key order and spacing), as described in the project's
research notes, but carries invented data only: example.* domains, documentation IP ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), report days in November 2026.

Standard library only.  The output is byte-identical on every run (fixed gzip MTIME, fixed
compression level, no clock, no randomness).

    python3 samples/make-samples.py [OUTDIR]     (default: the directory of this script)
"""

import base64
import calendar
import json
import os
import struct
import sys
import zlib


# --- helpers -------------------------------------------------------------------------------


def gzip_bytes(data, xfl=0, os_byte=0, mtime=0, level=6):
    """gzip_bytes - one gzip member with a hand-built header (FLG=0), so XFL/OS are exact"""
    co = zlib.compressobj(level, zlib.DEFLATED, -15, 9)
    body = co.compress(data) + co.flush()
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", mtime) + bytes([xfl, os_byte])
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + body + trailer


def b64_lines(data, width=76):
    """b64_lines - base64 text cut into lines of WIDTH columns"""
    text = base64.b64encode(data).decode("ascii")
    return [text[i : i + width] for i in range(0, len(text), width)]


def compact(obj):
    """compact - JSON without any whitespace (Google, Microsoft, serde_json, Go)"""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def pyjson(obj):
    """pyjson - JSON as Python's json.dumps writes it by default (", " and ": ")"""
    return json.dumps(obj)


def ts(y, m, d, hh=0, mm=0, ss=0):
    """ts - Unix seconds of a UTC date-time"""
    return calendar.timegm((y, m, d, hh, mm, ss))


def qp_encode(text, width=76):
    """qp_encode - quoted-printable with soft line breaks, like Exchange writes it"""
    out = []
    for line in text.split("\n"):
        enc = ""
        for ch in line:
            if ch == "=" or ord(ch) > 126:
                enc += "=%02X" % ord(ch)
            else:
                enc += ch
        # soft-wrap at WIDTH-1 columns, never inside an =XX escape
        while len(enc) > width - 1:
            cut = width - 1
            if "=" in enc[cut - 2 : cut]:
                cut = enc.rindex("=", cut - 2, cut)
            out.append(enc[:cut] + "=")
            enc = enc[cut:]
        out.append(enc)
    return out


def write(outdir, name, lines, eol, final_eol=True):
    """write - join LINES with EOL and store the file"""
    data = eol.join(lines) + (eol if final_eol else "")
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data.encode("utf-8"))


# --- Google ------------------------------------------------------------------------------


def google(outdir):
    """google - Google style: format=flowed text, unquoted report-type, name= and filename="""
    start, end = ts(2026, 11, 20), ts(2026, 11, 20, 23, 59, 59)
    report = {
        "organization-name": "Google Inc.",
        "date-range": {
            "start-datetime": "2026-11-20T00:00:00Z",
            "end-datetime": "2026-11-20T23:59:59Z",
        },
        "contact-info": "smtp-tls-reporting@google.example",
        "report-id": "2026-11-20T00:00:00Z_example.com",
        "policies": [
            {
                "policy": {
                    "policy-type": "sts",
                    "policy-string": [
                        "version: STSv1",
                        "mode: enforce",
                        "max_age: 604800",
                        "mx: mx1.example.com",
                        "mx: *.mail.example.com",
                    ],
                    "policy-domain": "example.com",
                    "mx-host": ["mx1.example.com", "*.mail.example.com"],
                },
                "summary": {
                    "total-successful-session-count": 1284,
                    "total-failure-session-count": 9,
                },
                "failure-details": [
                    {
                        "result-type": "certificate-expired",
                        "sending-mta-ip": "198.51.100.17",
                        "receiving-ip": "203.0.113.25",
                        "receiving-mx-hostname": "mx1.example.com",
                        "failed-session-count": 5,
                    },
                    {
                        "result-type": "certificate-host-mismatch",
                        "sending-mta-ip": "2001:db8:4860:4864::1b",
                        "receiving-ip": "2001:db8:25::7",
                        "receiving-mx-hostname": "in2.mail.example.com",
                        "failed-session-count": 3,
                    },
                    {
                        "result-type": "validation-failure",
                        "sending-mta-ip": "198.51.100.18",
                        "receiving-ip": "203.0.113.26",
                        "receiving-mx-hostname": "in1.mail.example.com",
                        "failed-session-count": 1,
                        "failure-reason-code": "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                    },
                ],
            }
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=0, os_byte=0)
    fname = "google.example!example.com!%d!%d!001.json.gz" % (start, end)
    b = "0000000000009b1e2c0641d3a5f7"
    lines = [
        "Return-Path: <3xk0yZAoKAMUjkmYlgbu-hilg-likhgYlgjmrgZZgjZ.Zgi@smtp-tls-reporting.bounces.google.example>",
        "Received: from mail-yw1-f198.google.example (mail-yw1-f198.google.example [198.51.100.198])",
        "\tby mx1.example.com (Postfix) with ESMTPS id 4Z8kq51Rzyz9sQ",
        "\tfor <tlsrpt@example.com>; Sat, 21 Nov 2026 07:41:12 +0000 (UTC)",
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
        "        d=google.example; s=20230601; t=1795246871; x=1795851671; darn=example.com;",
        "        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain",
        "         :date:mime-version:from:to:cc:subject:date:message-id:reply-to;",
        "        bh=ZXhhbXBsZSBib2R5IGhhc2gsIG5vdCBhIHJlYWwgb25lAAA=;",
        "        b=ZXhhbXBsZSBzaWduYXR1cmUsIG5vdCB2ZXJpZmlhYmxlOyB0aGlzIG1lc3NhZ2UgaXMg",
        "         dGVzdCBkYXRhIHdyaXR0ZW4gZm9yIHRsc3JwdGRi",
        "MIME-Version: 1.0",
        "Date: Fri, 20 Nov 2026 23:41:11 -0800",
        "TLS-Report-Domain: example.com",
        "TLS-Report-Submitter: google.example",
        "Message-ID: <0000000000009b1e2f0641d3a5f8@google.example>",
        "Subject: Report Domain: example.com Submitter: google.example Report-ID: <2026.11.20T00.00.00Z+example.com@google.example>",
        "From: noreply-smtp-tls-reporting@google.example",
        "To: tlsrpt@example.com",
        'Content-Type: multipart/report; boundary="%s"; report-type=tlsrpt' % b,
        "",
        "--" + b,
        'Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes',
        "",
        "This is an aggregate TLS report from google.example",
        "",
        "--" + b,
        "Content-Type: application/tlsrpt+gzip; ",
        '\tname="%s"' % fname,
        "Content-Disposition: attachment; ",
        '\tfilename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        "",
        *b64_lines(gz),
        "--" + b + "--",
    ]
    write(outdir, "google.eml", lines, "\n")


# --- Microsoft ---------------------------------------------------------------------------


MS_HEADERS_TOP = [
    "Return-Path: <tlsrpt-noreply@microsoft.example>",
    "Received: from mail-eastus2azlp17011000.outbound.protection.outlook.example (mail-eastus2azlp17011000.outbound.protection.outlook.example [2001:db8:111:f403:c110::2])",
    "\tby mx1.example.com (Postfix) with ESMTPS id 4Z8m2v0NQbz9sT",
    "\tfor <tlsrpt@example.com>; %s",
    "ARC-Seal: i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.example; cv=none;",
    " b=ZXhhbXBsZSBBUkMgc2VhbCwgbm90IHZlcmlmaWFibGU7IHRoaXMgaXMgdGVzdCBkYXRhIGZvciB0bHNycHRkYiBvbmx5LiBJdCBtaW1pY3MgdGhlIGxlbmd0aCBvZiBhIHJlYWwgQVJDIHNlYWwgaGVhZGVyIGxpbmUgc28gdGhhdCBsb25nIGxpbmVzIGFyZSBleGVyY2lzZWQgYnkgdGhlIHBhcnNlci4=",
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.example;",
    " s=selector2;",
    " h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck;",
    " bh=ZXhhbXBsZSBib2R5IGhhc2gsIG5vdCBhIHJlYWwgb25lAAA=;",
    " b=ZXhhbXBsZSBzaWduYXR1cmUsIG5vdCB2ZXJpZmlhYmxlOyB0aGlzIG1lc3NhZ2UgaXMgdGVzdCBkYXRhIHdyaXR0ZW4gZm9yIHRsc3JwdGRi",
]


def microsoft_2023(outdir):
    """microsoft_2023 - Microsoft early 2023: QP text/plain, naive date-times, XFL=4"""
    start, end = ts(2026, 11, 19), ts(2026, 11, 19, 23, 59, 59)
    rid = "134081856000123456"
    report = {
        "organization-name": "Microsoft Corporation",
        "date-range": {
            "start-datetime": "2026-11-19T00:00:00",
            "end-datetime": "2026-11-19T23:59:59",
        },
        "contact-info": "tlsrpt-noreply@microsoft.example",
        "report-id": rid + "+example.com",
        "policies": [
            {
                "policy": {
                    "policy-type": "sts",
                    "policy-string": [
                        "version: STSv1",
                        "mode: enforce",
                        "mx: mx1.example.com",
                        "max_age: 86400",
                    ],
                    "policy-domain": "example.com",
                },
                "summary": {
                    "total-successful-session-count": 41,
                    "total-failure-session-count": 2,
                },
                "failure-details": [
                    {
                        "result-type": "sts-policy-fetch-error",
                        "failed-session-count": 2,
                    }
                ],
            }
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=4, os_byte=0, level=1)
    fname = "microsoft.example!example.com!%d!%d!%s.json.gz" % (start, end, rid)
    b = "_3c0a6b1e-9d2f-4e57-a1b8-0c7d4e5f6a90_"
    hdr = [h.replace("%s", "Fri, 20 Nov 2026 05:09:24 +0000") for h in MS_HEADERS_TOP]
    lines = hdr + [
        "From: <tlsrpt-noreply@microsoft.example>",
        'To: "tlsrpt@example.com" <tlsrpt@example.com>',
        "Date: Fri, 20 Nov 2026 05:09:22 +0000",
        "Subject: Report Domain: example.com Submitter: microsoft.example Report-ID:",
        " %s+example.com" % rid,
        "TLS-Report-Domain: example.com",
        "TLS-Report-Submitter: microsoft.example",
        "MIME-Version: 1.0",
        "Message-ID: <%s+example.com@example.com>" % rid,
        "Content-Type: multipart/report;",
        '\tboundary="%s"; report-type=tlsrpt' % b,
        "X-MS-TrafficTypeDiagnostic:",
        "\tBL2NAM06FT015:EE_FirstParty-TlsRpt-V3-System|PH7PR21MB3143:EE_FirstParty-TlsRpt-V3-System",
        "X-OriginatorOrg: microsoft.example",
        "X-MS-Exchange-CrossTenant-OriginalArrivalTime: 20 Nov 2026 05:09:23.0311",
        " (UTC)",
        "",
        "--" + b,
        'Content-Type: text/plain; charset="us-ascii"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "This is an aggregate TLS report from microsoft.example",
        "",
        "--" + b,
        "Content-Type: application/tlsrpt+gzip",
        "Content-Description:",
        "Content-Disposition: attachment;",
        '\tfilename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        "",
        *b64_lines(gz),
        "",
        "--" + b + "--",
    ]
    write(outdir, "microsoft-2023.eml", lines, "\r\n")


MS_HTML = """<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">
</head>
<body>
<div>This is an aggregate TLS report from microsoft.example</div>
 <br>
<br>
<p><em>Microsoft respects your privacy. Review our online </em><a href="https://privacy.microsoft.example/en-us/privacystatement"><em>Privacy Statement</em></a><em><br>
<br>
<em>Example Corporation </em><br>
<em>One Example Way</em><br>
<em>Redmond, WA, USA 98052</em></em></p>
 </body>
</html>
"""


def microsoft_2024(outdir):
    """microsoft_2024 - Microsoft 2024+: QP text/html, sts + tlsa, double-encoded TLSA (D8)"""
    start, end = ts(2026, 11, 21), ts(2026, 11, 21, 23, 59, 59)
    rid = "134083584000987654"
    tlsa = [
        "3 1 1 2B6C1E0F8A3D5C7E9B1F4A6D8C0E2B4F6A8C0E2D4F6B8A0C2E4D6F8B0A2C4E6D",
        "3 1 1 9F8E7D6C5B4A39281706F5E4D3C2B1A09F8E7D6C5B4A39281706F5E4D3C2B1A0",
    ]
    report = {
        "organization-name": "Microsoft Corporation",
        "date-range": {
            "start-datetime": "2026-11-21T00:00:00Z",
            "end-datetime": "2026-11-21T23:59:59Z",
        },
        "contact-info": "tlsrpt-noreply@microsoft.example",
        "report-id": rid + "+example.org",
        "policies": [
            {
                "policy": {
                    "policy-type": "sts",
                    "policy-string": [
                        "version: STSv1",
                        "mode: enforce",
                        "mx: *.example.org",
                        "max_age: 2592000",
                    ],
                    "policy-domain": "example.org",
                },
                "summary": {
                    "total-successful-session-count": 17,
                    "total-failure-session-count": 0,
                },
            },
            {
                "policy": {
                    "policy-type": "tlsa",
                    "policy-string": [compact(tlsa)],
                    "policy-domain": "example.org",
                },
                "summary": {
                    "total-successful-session-count": 17,
                    "total-failure-session-count": 0,
                },
            },
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=4, os_byte=0, level=1)
    fname = "microsoft.example!example.org!%d!%d!%s.json.gz" % (start, end, rid)
    b = "_f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b_"
    hdr = [
        h.replace("%s", "Sun, 22 Nov 2026 04:51:07 +0000").replace("example.com", "example.org")
        for h in MS_HEADERS_TOP
    ]
    lines = hdr + [
        "From: <tlsrpt-noreply@microsoft.example>",
        'To: "tlsrpt@example.org" <tlsrpt@example.org>',
        "Date: Sun, 22 Nov 2026 04:51:05 +0000",
        "Subject: Report Domain: example.org Submitter: microsoft.example Report-ID:",
        " %s+example.org" % rid,
        "TLS-Report-Domain: example.org",
        "TLS-Report-Submitter: microsoft.example",
        "MIME-Version: 1.0",
        "Message-ID: <%s+example.org@example.org>" % rid,
        "Content-Type: multipart/report;",
        '\tboundary="%s"; report-type=tlsrpt' % b,
        "X-MS-PublicTrafficType: Email",
        "X-OriginatorOrg: microsoft.example",
        "X-MS-Exchange-CrossTenant-OriginalArrivalTime: 22 Nov 2026 04:51:06.4412",
        " (UTC)",
        "",
        "--" + b,
        'Content-Type: text/html; charset="us-ascii"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        *qp_encode(MS_HTML),
        "--" + b,
        "Content-Type: application/tlsrpt+gzip",
        "Content-Description:",
        " " + fname,
        "Content-Disposition: attachment;",
        '\tfilename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        "",
        *b64_lines(gz),
        "",
        "--" + b + "--",
    ]
    write(outdir, "microsoft-2024.eml", lines, "\r\n")


# --- mail.ru -----------------------------------------------------------------------------


def mailru(outdir):
    """mailru - mail.ru style: Subject "Report", quoted report-type, no closing boundary"""
    start, end = ts(2026, 11, 18), ts(2026, 11, 19)
    report = {
        "organization-name": "Mail.example",
        "date-range": {
            "start-datetime": "2026-11-18T00:00:00Z",
            "end-datetime": "2026-11-19T00:00:00Z",
        },
        "contact-info": "tls_support@corp.mail.example",
        "report-id": "7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f@mail.example",
        "policies": [
            {
                "policy": {"policy-type": "sts", "policy-domain": "example.net"},
                "summary": {
                    "total-successful-session-count": 0,
                    "total-failure-session-count": 2,
                },
                "failure-details": [
                    {
                        "result-type": "sts-policy-fetch-error",
                        "failed-session-count": 2,
                        "failure-reason-code": 'unable to do http request: Get "https://mta-sts.example.net/.well-known/mta-sts.txt": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                    },
                    {
                        "result-type": "sts-policy-fetch-error",
                        "failed-session-count": 1,
                        "failure-reason-code": "bad https response code: 404",
                    },
                ],
            }
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=0, os_byte=255)
    fname = "mail.example!example.net!%d!%d!001.json.gz" % (start, end)
    b = "b0a1c2d3e4f5061728394a5b6c7d8e9f"
    lines = [
        "Return-Path: <tls-reports@mail.example>",
        "Received: from f501.i.mail.example (f501.i.mail.example [203.0.113.150])",
        "\tby mx2.example.net (Postfix) with ESMTPS id 4Z8h7c3KQwz1xP",
        "\tfor <tlsrpt@example.net>; Thu, 19 Nov 2026 03:12:45 +0000 (UTC)",
        "DKIM-Signature: v=1; a=rsa-sha256; q=dns/txt; c=relaxed/relaxed; d=corp.mail.example; s=mail4;",
        "\th=Content-Type:Message-ID:Date:Subject:To:From:MIME-Version:From:Subject:",
        "\tContent-Type:Content-Transfer-Encoding:To:Cc;",
        "\tbh=ZXhhbXBsZSBib2R5IGhhc2gsIG5vdCBhIHJlYWwgb25lAAA=;",
        "\tb=ZXhhbXBsZSBzaWduYXR1cmUsIG5vdCB2ZXJpZmlhYmxlOyB0aGlzIG1lc3NhZ2UgaXMgdGVzdCBkYXRh",
        "MIME-Version: 1.0",
        "From: tls-reports@mail.example",
        "To: tlsrpt@example.net",
        "Subject: Report",
        "Date: Thu, 19 Nov 2026 06:12:44 +0300",
        "Message-ID: <5f6e7d8c9b0a1f2e3d4c5b6a79880716@mail.example>",
        "TLS-Report-Domain: example.net",
        "TLS-Report-Submitter: mail.example",
        "Auto-Submitted: auto-generated",
        'Content-Type: multipart/report; boundary=%s; report-type="tlsrpt"' % b,
        "",
        "--" + b,
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 7bit",
        "",
        "This is an aggregate TLS report from mail.example",
        "--" + b,
        "Content-Type: application/tlsrpt+gzip",
        'Content-Disposition: attachment; filename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        "",
        *b64_lines(gz),
        "--" + b,
        "",
    ]
    write(outdir, "mailru.eml", lines, "\r\n")


# --- Postfix + sys4 tlsrpt-reporter -------------------------------------------------------


def postfix(outdir):
    """postfix - sys4 tlsrpt-reporter (Python email): CRLF, no Date, report-id last"""
    start, end = ts(2026, 11, 22), ts(2026, 11, 22, 23, 59, 59)
    report = {
        "organization-name": "Example Relay Org",
        "date-range": {
            "start-datetime": "2026-11-22T00:00:00Z",
            "end-datetime": "2026-11-22T23:59:59Z",
        },
        "contact-info": "smtp-tls-reporting@relay.example.net",
        "policies": [
            {
                "summary": {
                    "total-failure-session-count": 0,
                    "total-successful-session-count": 12,
                },
                "policy": {
                    "policy-type": "tlsa",
                    "policy-domain": "mx1.example.org",
                    "policy-string": [
                        "3 1 1 A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90"
                    ],
                },
                "failure-details": [],
            },
            {
                "summary": {
                    "total-failure-session-count": 1,
                    "total-successful-session-count": 7,
                },
                "policy": {
                    "policy-type": "sts",
                    "policy-domain": "example.org",
                    "policy-string": [
                        "version: STSv1",
                        "mode: enforce",
                        "mx: mx1.example.org",
                        "mx: mx2.example.org",
                        "max_age: 604800",
                    ],
                    "mx-host": ["mx1.example.org", "mx2.example.org"],
                },
                "failure-details": [
                    {
                        "failure-reason-code": 'hostname mismatch: "mx2.example.org" not in certificate SAN',
                        "receiving-mx-helo": "250-mx2.example.org\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-STARTTLS\r\n250 8BITMIME",
                        "receiving-mx-hostname": "mx2.example.org",
                        "receiving-ip": "203.0.113.42",
                        "sending-mta-ip": "192.0.2.10",
                        "result-type": "certificate-host-mismatch",
                        "failed-session-count": 1,
                    }
                ],
            },
            {
                "summary": {
                    "total-failure-session-count": 1,
                    "total-successful-session-count": 3,
                },
                "policy": {"policy-type": "no-policy-found"},
                "failure-details": [
                    {
                        "receiving-mx-hostname": "mail.example.org",
                        "receiving-ip": "2001:db8:0:25::9",
                        "sending-mta-ip": "2001:db8:1::10",
                        "result-type": "starttls-not-supported",
                        "failed-session-count": 1,
                    }
                ],
            },
        ],
        "report-id": "2026-11-22T00:00:00Z_idx1_example.org",
    }
    gz = gzip_bytes(pyjson(report).encode(), xfl=0, os_byte=255, mtime=ts(2026, 11, 23, 0, 5, 11))
    fname = "relay.example.net!example.org!%d!%d!1.json.gz" % (start, end)
    b = "===============7305912846502119384=="
    lines = [
        "Subject: Report Domain: example.org Submitter: relay.example.net Report-ID:",
        " <2026-11-22T00:00:00Z_idx1_example.org@relay.example.net>",
        "From: noreply-smtp-tls-reporting@relay.example.net",
        "To: tlsrpt@example.org",
        "Message-ID: <179538991108.31337.1029384756473829105@relay.example.net>",
        "TLS-Report-Domain: example.org",
        "TLS-Report-Submitter: relay.example.net",
        "TLS-Required: No",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type="tlsrpt";',
        ' boundary="%s"' % b,
        "",
        "--" + b,
        'Content-Type: text/plain; charset="us-ascii"',
        "Content-Transfer-Encoding: 7bit",
        "",
        "This is an aggregate TLS report from Example Relay Org",
        "",
        "--" + b,
        "Content-Type: application/tlsrpt+gzip",
        "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment;",
        ' filename="%s"' % fname,
        "MIME-Version: 1.0",
        "",
        *b64_lines(gz),
        "",
        "--" + b + "--",
    ]
    write(outdir, "postfix-tlsrpt-reporter.eml", lines, "\r\n")


# --- Stalwart ----------------------------------------------------------------------------


def stalwart(outdir):
    """stalwart - Stalwart (mail-auth + mail-builder): contact-info null, <unix>_<hash> id"""
    start, end = ts(2026, 11, 23), ts(2026, 11, 24)
    rid = "%d_%d" % (start, 14022719533861154077)
    report = {
        "organization-name": "mx.example.net",
        "date-range": {
            "start-datetime": "2026-11-23T00:00:00Z",
            "end-datetime": "2026-11-24T00:00:00Z",
        },
        "contact-info": None,
        "report-id": rid,
        "policies": [
            {
                "policy": {
                    "policy-type": "sts",
                    "policy-string": [
                        "version: STSv1",
                        "mode: testing",
                        "max_age: 86400",
                        "mx: mx1.example.com",
                        "mx: mx2.example.com",
                    ],
                    "policy-domain": "example.com",
                    "mx-host": ["mx1.example.com", "mx2.example.com"],
                },
                "summary": {
                    "total-successful-session-count": 6,
                    "total-failure-session-count": 0,
                },
                "failure-details": [],
            }
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=0, os_byte=255)
    fname = "mx.example.net!example.com!%d!%d.json.gz" % (start, end)
    b = "2f8c0e4d6b1a3957_a7c3e1f5b9d2_17"
    text = (
        "TLS report from mx.example.net\r\n\r\nReport Domain: example.com\r\n"
        "Submitter: mx.example.net\r\nReport-ID: %s\r\n" % rid
    )
    lines = [
        "From: <noreply-tls@mx.example.net>",
        "To: <tlsrpt@example.com>",
        "TLS-Report-Domain: example.com",
        "TLS-Report-Submitter: mx.example.net",
        "Auto-Submitted: auto-generated",
        "Subject: Report Domain: example.com Submitter: mx.example.net Report-ID: <%s>" % rid,
        "Date: Tue, 24 Nov 2026 00:00:07 +0000",
        "Message-ID: <188f2a9c4e1b7d30.9137@mx.example.net>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type="tlsrpt";',
        '\tboundary="%s"' % b,
        "",
        "",
        "--" + b,
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 7bit",
        "",
        text.rstrip("\r\n").replace("\r\n", "\n"),
        "--" + b,
        "Content-Type: application/tlsrpt+gzip",
        'Content-Disposition: attachment; filename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        "",
        *b64_lines(gz),
        "--" + b + "--",
    ]
    lines = "\n".join(lines).split("\n")
    write(outdir, "stalwart.eml", lines, "\r\n")


# --- mox ---------------------------------------------------------------------------------


def mox(outdir):
    """mox - mox tlsrptsend: org = sending host, postmaster@ contact, two tlsa policies"""
    start, end = ts(2026, 11, 24), ts(2026, 11, 24, 23, 59, 59)
    tlsa = [
        "3 1 1 5e1f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7",
        "3 1 1 c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc",
    ]
    report = {
        "organization-name": "mail.example.net",
        "date-range": {
            "start-datetime": "2026-11-24T00:00:00Z",
            "end-datetime": "2026-11-24T23:59:59Z",
        },
        "contact-info": "postmaster@mail.example.net",
        "report-id": "20261124.example.org@mail.example.net",
        "policies": [
            {
                "policy": {
                    "policy-type": "tlsa",
                    "policy-string": tlsa,
                    "policy-domain": "example.org",
                    "mx-host": ["mx1.example.org"],
                },
                "summary": {
                    "total-successful-session-count": 4,
                    "total-failure-session-count": 0,
                },
                "failure-details": [],
            },
            {
                "policy": {
                    "policy-type": "tlsa",
                    "policy-string": tlsa,
                    "policy-domain": "sub.example.org",
                    "mx-host": ["mx1.example.org"],
                },
                "summary": {
                    "total-successful-session-count": 2,
                    "total-failure-session-count": 1,
                },
                "failure-details": [
                    {
                        "result-type": "tlsa-invalid",
                        "sending-mta-ip": "2001:db8:aa::25",
                        "receiving-mx-hostname": "mx1.example.org",
                        "receiving-ip": "2001:db8:bb::25",
                        "failed-session-count": 1,
                        "failure-reason-code": "no matching tlsa record",
                    }
                ],
            },
        ],
    }
    gz = gzip_bytes(compact(report).encode(), xfl=0, os_byte=255)
    fname = "mail.example.net!example.org!%d!%d.json.gz" % (start, end)
    b = "4a7d1c9e2f5b8a0c3d6e9f1a4b7c0d3e6f9a2b5c8d1e4f7a0b3c6d9e2f5a"
    lines = [
        "From: <postmaster@mail.example.net>",
        "To: <tlsrpt@example.org>",
        "Subject: Report Domain: example.org Submitter: mail.example.net Report-ID: <20261124.example.org@mail.example.net>",
        "TLS-Report-Domain: example.org",
        "TLS-Report-Submitter: mail.example.net",
        "TLS-Required: No",
        "Message-Id: <Xq3v9KcP2mWz7bT1rLd0sA@mail.example.net>",
        "Date: 25 Nov 2026 04:17:31 +0100",
        "User-Agent: mox/v0.0.15",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type="tlsrpt"; boundary="%s"' % b,
        "",
        "--" + b,
        "Content-Transfer-Encoding: 7bit",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Report Domain: example.org",
        "Submitter: mail.example.net",
        "Report-ID: <20261124.example.org@mail.example.net>",
        "",
        "This is an aggregate TLS report. Sessions are counted per MX host and",
        "per TLSA/MTA-STS policy that applied.",
        "",
        "--" + b,
        'Content-Disposition: attachment; filename="%s"' % fname,
        "Content-Transfer-Encoding: base64",
        'Content-Type: application/tlsrpt+gzip; name="%s"' % fname,
        "",
        *b64_lines(gz),
        "--" + b + "--",
    ]
    write(outdir, "mox.eml", lines, "\r\n")


def main():
    """main - write every sample into OUTDIR"""
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for fn in (google, microsoft_2023, microsoft_2024, mailru, postfix, stalwart, mox):
        fn(outdir)


if __name__ == "__main__":
    main()
