"""The scale-up scenario library (scenarios/scale_up/) as a policy analyst uses it: every file is
valid and begins with its question and sources; the comparisons run and are reported side by
side, in plain text and in the HTML report; a national-scale replicate is bitwise identical for
any number of threads. Replicates are reduced so that the whole file runs in a minute or two."""

import csv
import glob
import json
import os
import re
import subprocess
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

SCALE_UP = os.path.join(e2e.SCENARIOS_DIR, "scale_up")
PYTHON = "/usr/bin/python3"
REPORT_PY = os.path.join(e2e.SOURCE_DIR, "analysis", "report.py")


def setUpModule():
    global TMP
    TMP = e2e.SharedTempDir()


def tearDownModule():
    TMP.cleanup()


def small_compare(name, replicates):
    """A copy of scenarios/scale_up/<name>_compare.toml with fewer replicates, based on the real
    scenario file."""
    text = e2e.read_text(os.path.join(SCALE_UP, f"{name}_compare.toml"))
    base = os.path.join(SCALE_UP, f"{name}.toml")
    text = re.sub(r'^base = ".*"$', f'base = "{base}"', text, flags=re.M)
    text = re.sub(r"^replicates = \d+$", f"replicates = {replicates}", text, flags=re.M)
    path = TMP.path(f"{name}_compare_small.toml")
    e2e.write_text(path, text)
    return path


class LibraryTest(unittest.TestCase):
    def test_every_scale_up_file_is_valid_and_begins_with_its_question(self):
        files = sorted(glob.glob(os.path.join(SCALE_UP, "*.toml")))
        names = {os.path.basename(f) for f in files}
        for required in ("deep_end_100.toml", "scotland_clw.toml", "glasgow_2024.toml", "england_pcn.toml"):
            self.assertIn(required, names)
        for path in files:
            with self.subTest(file=os.path.basename(path)):
                e2e.run_ok(self, "validate", path)
                head = e2e.read_text(path).split("\n\n")[0]
                self.assertIn("Question:" if not path.endswith("_compare.toml") else "# Question:", head)

    def test_the_populations_have_the_published_sizes(self):
        # 100 Deep End practices, 86 in NHS GGC; 1,295 networks and 6,300 practices in England.
        for name, practices, localities in (("deep_end_100", 100, 2), ("england_pcn", 6300, 1295),
                                            ("glasgow_2024", 105, 1), ("scotland_clw", 280, 3)):
            with self.subTest(scenario=name):
                out = TMP.path(f"{name}_one.h5")
                e2e.run_ok(self, "run", os.path.join(SCALE_UP, f"{name}.toml"), "--replicates", 1,
                           "-o", out, "--quiet", timeout=600)
                with h5py.File(out, "r") as f:
                    self.assertEqual(f["/practices/name"].shape, (practices,))
                    self.assertEqual(f["/dims/locality"].shape, (localities,))
                    if name == "deep_end_100":
                        locality = f["/practices/locality"].asstr()[()]
                        self.assertEqual(sum(1 for l in locality if l == "NHS Greater Glasgow and Clyde"), 86)
                    if name == "england_pcn":
                        # One link worker per network: as many posts as networks.
                        self.assertEqual(f["/summary/clp_posts"][0].tolist(), [1295, 1295])
                        self.assertNotIn("/timeseries/coherence", f)  # too many practices
                        self.assertEqual(f["/locality/normalised_by"].shape, (1, 105, 1295))


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sweep = TMP.path("glasgow.h5")
        e2e.run_checked("sweep", small_compare("glasgow_2024", 40), "-o", cls.sweep, "--quiet", timeout=600)

    def test_the_cut_leaves_42_of_70_posts_and_changes_nothing_before_its_week(self):
        with h5py.File(self.sweep, "r") as f:
            cut_week = f["/design/programme.cut_week"][()].tolist()
            self.assertEqual(cut_week, [52, 1041])
            posts = f["/summary/clp_posts"][()]
            self.assertEqual(posts[0].tolist(), [70, 42])
            self.assertEqual(posts[1].tolist(), [70, 70])
            national = f["/national/normalised"][()]
            locality = f["/locality/normalised_by"][()]
            # Common random numbers: identical before week 52, bit for bit.
            self.assertEqual(national[0, :52].tobytes(), national[1, :52].tobytes())
            self.assertEqual(locality[0, :52].tobytes(), locality[1, :52].tobytes())
            self.assertNotEqual(national[0, 52:].tobytes(), national[1, 52:].tobytes())
            changes = f["/results/events/clp_changes"][()]
            self.assertGreater(changes[0].sum(), 0)
            self.assertEqual(changes[1].sum(), 0)
            self.assertLess(f["/summary/cost"][0], f["/summary/cost"][1])

    def test_lwsim_report_puts_the_points_side_by_side(self):
        result = e2e.run_ok(self, "report", self.sweep)
        self.assertIn("Side by side", result.stdout)
        table = result.stdout.split("Side by side")[1]
        header = table.splitlines()[1]
        self.assertIn("cut in April 2024", header)  # the compare file's labels head the columns
        self.assertIn("no cut", header)
        with h5py.File(self.sweep, "r") as f:
            cost = f["/summary/cost"][()]
        row = next(line for line in table.splitlines() if line.strip().startswith("/summary/cost "))
        values = row.split()[1:]
        self.assertEqual(len(values), 2)
        for printed, stored in zip(values, cost):  # money as money: £6.9m
            self.assertRegex(printed, r"^£\d+\.\dm$")
            self.assertAlmostEqual(float(printed[1:-1]) * 1e6, stored, delta=0.05e6 + 1e-3)
        # The posts before and after the cut, read across.
        self.assertRegex(table, r"/summary/clp_posts\[\w+\]\s+70\s+70")
        self.assertRegex(table, r"/summary/clp_posts\[\w+\]\s+42\s+70")

    def paired(self):
        """The per-replicate FIP counts and costs at the cut (point 0) and without it (point 1)."""
        with h5py.File(self.sweep, "r") as f:
            self.assertEqual(f.attrs["design_labels"].decode(), "cut in April 2024\nno cut")
            self.assertEqual(int(f.attrs["design_reference"]), 1)
            return f["/results/fip_count"][()].astype(float), f["/results/cost"][()]

    def test_lwsim_report_answers_the_question_with_the_paired_difference(self):
        fips, _ = self.paired()
        d = fips[0] - fips[1]  # replicate by replicate: the same simulated Glasgow
        result = e2e.run_ok(self, "report", self.sweep)
        answer = next(line for line in result.stdout.splitlines() if line.startswith("answer: "))
        m = re.fullmatch(r"answer: cut in April 2024 against no cut: number of FIPs in the replicate "
                         r"(\S+) practices against (\S+) practices, a difference of (\S+) practices "
                         r"\(90% of replicates: (\S+) practices to (\S+) practices\)", answer)
        self.assertIsNotNone(m, answer)
        printed = [float(v) for v in m.groups()]
        expected = [fips[0].mean(), fips[1].mean(), d.mean(), *np.percentile(d, [5, 95])]
        for p, e in zip(printed, expected):
            self.assertAlmostEqual(p, e, delta=0.005 + 1e-9)
        self.assertLess(d.mean(), 0)  # the cut costs fully integrated practices
        # The answer comes before the tables: the first thing after the design.
        self.assertLess(result.stdout.index("answer: "), result.stdout.index("Side by side"))

    def test_lwsim_export_writes_the_paired_differences_of_lwsim_report(self):
        fips, cost = self.paired()
        out = TMP.path("glasgow_csv")
        e2e.run_ok(self, "export", self.sweep, "--csv", out)
        with open(os.path.join(out, "differences.csv"), newline="") as f:
            rows = {row["quantity"]: row for row in csv.DictReader(f)}
        n = fips.shape[1]
        for quantity, values in (("number of FIPs in the replicate", fips), (None, cost)):
            row = rows[quantity] if quantity else next(r for q, r in rows.items() if q.startswith("programme cost"))
            d = values[0] - values[1]
            self.assertEqual((row["point"], row["label"], row["reference_point"], row["reference_label"]),
                             ("0", "cut in April 2024", "1", "no cut"))
            self.assertEqual(row["interval"], "90% of replicates")
            for column, expected in (("point_value", values[0].mean()), ("reference_value", values[1].mean()),
                                     ("difference", d.mean()), ("standard_error", d.std(ddof=1) / np.sqrt(n)),
                                     ("interval_low", np.percentile(d, 5)), ("interval_high", np.percentile(d, 95))):
                self.assertAlmostEqual(float(row[column]), expected, delta=1e-9 * max(1.0, abs(expected)),
                                       msg=f"{row['quantity']}: {column}")
        # Cost per additional FIP: the difference of mean costs over that of mean FIP counts, with
        # its delta-method interval.
        row = rows["cost per additional FIP"]
        dn, dd = cost[0] - cost[1], fips[0] - fips[1]
        x, y = dn.mean(), dd.mean()
        r = x / y
        cov = np.cov(dn, dd, ddof=1) / n
        se = np.sqrt(cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / abs(y)
        self.assertAlmostEqual(float(row["difference"]), r, delta=1e-9 * abs(r))
        self.assertEqual(row["interval"], "90% confidence (delta method)")
        self.assertAlmostEqual(float(row["interval_low"]), r - 1.6448536269514722 * se, delta=1e-6 * abs(r))
        self.assertAlmostEqual(float(row["interval_high"]), r + 1.6448536269514722 * se, delta=1e-6 * abs(r))
        ratio = rows["cost per FIP"]
        self.assertAlmostEqual(float(ratio["point_value"]), cost[0].mean() / fips[0].mean(), delta=1e-6)
        with open(os.path.join(out, "points.csv"), newline="") as f:
            labels = [row["label"] for row in csv.DictReader(f)]
        self.assertEqual(labels, ["cut in April 2024", "no cut"])

    def test_lwsim_report_of_two_runs_puts_them_side_by_side(self):
        a, b = TMP.path("run_a.h5"), TMP.path("run_b.h5")
        scenario = os.path.join(SCALE_UP, "glasgow_2024.toml")
        e2e.run_ok(self, "run", scenario, "--replicates", 8, "-o", a, "--quiet", timeout=300)
        e2e.run_ok(self, "run", scenario, "--replicates", 8, "--set", "programme.cut_week=1041", "-o", b,
                   "--quiet", timeout=300)
        result = e2e.run_ok(self, "report", a, b)
        table = result.stdout.split("Side by side")[1]
        header = table.splitlines()[1]
        self.assertIn("run_a.h5", header)
        self.assertIn("run_b.h5", header)
        self.assertRegex(table, r"/summary/mean_fip_count\s+\S+\s+\S+")

    def test_the_html_report_puts_the_points_side_by_side(self):
        html = TMP.path("glasgow.html")
        result = subprocess.run([PYTHON, REPORT_PY, self.sweep, "-o", html], capture_output=True, text=True,
                                timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = e2e.read_text(html)
        self.assertIn("The points side by side", text)
        section = text.split("The points side by side")[1].split("</table>")[0]
        self.assertIn("programme cost per fully integrated practice", section)
        self.assertEqual(section.count("<tr>"), section.count("</tr>"))


    def test_the_html_report_answers_first_with_the_paired_difference(self):
        fips, cost = self.paired()
        html = TMP.path("glasgow_answer.html")
        result = subprocess.run([PYTHON, REPORT_PY, self.sweep, "-o", html], capture_output=True, text=True,
                                timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = e2e.read_text(html)
        summary = text.split('<section id="summary">')[1].split("</section>")[0]
        first = re.search(r"<p>(.*?)</p>", summary, flags=re.S).group(1)
        words = re.sub(r"<[^>]+>", "", first)
        self.assertIn("Against “no cut”, “cut in April 2024” gives", words)
        self.assertIn("fewer", words)
        self.assertIn("saved per fully integrated practice lost", words)  # fewer FIPs, lower cost
        records = json.loads(re.search(r'id="lwsim-numbers">(.*?)</script>', text, flags=re.S)
                             .group(1).replace("<\\/", "</"))
        paired = [r for r in records if "paired" in r]
        self.assertGreaterEqual(len(paired), 5)  # FIP mean, 5th and 95th percentiles, cost, ratio
        for record in paired:
            with self.subTest(record=record["label"]):
                self.assertIn(f'data-q="{record["id"]}">{record["text"]}<', first)
                point, reference = record["paired"]
                values = {"/results/fip_count": fips, "/results/cost": cost}
                d = values[record["path"]][point] - values[record["path"]][reference]
                if record["statistic"] == "ratio":
                    expected = d.mean() / (fips[point] - fips[reference]).mean()
                else:
                    expected = {"mean": d.mean(), "p05": np.percentile(d, 5),
                                "p95": np.percentile(d, 95)}[record["statistic"]]
                self.assertAlmostEqual(record["value"], expected, delta=1e-9 * max(1.0, abs(expected)))
                if record["style"] == "fixed":
                    self.assertAlmostEqual(float(record["text"]), expected, delta=0.05 + 1e-9)
                    self.assertGreaterEqual(expected, 0)  # magnitudes: the direction is said in words
        # Wide tables scroll inside the page instead of running off it.
        self.assertEqual(text.count('<div class="table-box"><table'), text.count("<table"))


class ThreadsTest(unittest.TestCase):
    def test_a_national_replicate_is_bitwise_identical_for_1_and_2_threads(self):
        # One replicate of 6,300 practices: the practices are stepped in parallel within each week.
        outputs = []
        for threads in (1, 2):
            out = TMP.path(f"england_t{threads}.h5")
            e2e.run_ok(self, "run", os.path.join(SCALE_UP, "england_pcn.toml"), "--replicates", 1,
                       "--threads", threads, "-o", out, "--quiet", timeout=600)
            outputs.append(out)
        with h5py.File(outputs[0], "r") as one, h5py.File(outputs[1], "r") as two:
            a, b = e2e.walk_datasets(one), e2e.walk_datasets(two)
            self.assertEqual(sorted(a), sorted(b))
            self.assertGreater(len(a), 50)
            for path in a:
                with self.subTest(dataset=path):
                    self.assertEqual(e2e.dataset_content(a[path]), e2e.dataset_content(b[path]))


if __name__ == "__main__":
    unittest.main()
