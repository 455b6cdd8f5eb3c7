"""The scale-up scenario library (scenarios/scale_up/) as a policy analyst uses it: every file is
valid and begins with its question and sources; the comparisons run and are reported side by
side, in plain text and in the HTML report; a national-scale replicate is bitwise identical for
any number of threads. Replicates are reduced so that the whole file runs in a minute or two."""

import glob
import os
import re
import subprocess
import unittest

import h5py

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
        self.assertIn("cut_week=52", table)
        self.assertIn("cut_week=1041", table)
        with h5py.File(self.sweep, "r") as f:
            cost = f["/summary/cost"][()]
        row = next(line for line in table.splitlines() if line.strip().startswith("/summary/cost "))
        values = [float(v) for v in row.split()[1:]]
        self.assertEqual(len(values), 2)
        for printed, stored in zip(values, cost):
            self.assertAlmostEqual(printed, stored, delta=abs(stored) * 1e-5)

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
