"""End-to-end claims about `lwsim sweep`, its output, `lwsim report` and `lwsim export` on
sweeps: results streamed to HDF5 and identical for any thread count; a sweep killed with SIGKILL
at several moments (early, mid-run, during checkpoint flushes) and resumed ends byte-identical to
an uninterrupted run, and its file can be opened and reported on at any moment; SIGINT and SIGTERM
stop cleanly with a resumable file and a message saying how to resume; --resume refuses another
sweep file, another seed or another lwsim version; an existing output is never overwritten."""

import csv
import os
import signal
import subprocess
import time
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

RESULT_GROUPS = ("/results", "/summary", "/timeseries", "/practices", "/status", "/design", "/evaluation", "/dims")

SMALL_GRID = """
title = "test grid"
question = "Does the test grid run?"
base = "scenario.toml"

[design]
kind = "grid"
replicates = {replicates}
seed = {seed}

[parameters]
"clp.departure_hazard" = [0.002, 0.01, 0.03]
"context.gp_buy_in_mean" = {buy_in}
"""


def result_datasets(path):
    """{path: (dtype, shape, bytes)} of every result dataset of a file."""
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(f).items()
                if name.startswith(RESULT_GROUPS)}


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_sweep(directory, name="sweep.toml", replicates=60, seed=11, buy_in="[0.3, 0.6]"):
    e2e.copy_scenario(directory)
    path = os.path.join(directory, name)
    e2e.write_text(path, SMALL_GRID.format(replicates=replicates, seed=seed, buy_in=buy_in))
    return path


class SweepOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = e2e.SharedTempDir()
        cls.sweep = write_sweep(cls.dir.name)
        cls.out = cls.dir.path("ref.h5")
        e2e.run_checked("sweep", cls.sweep, "-o", cls.out, "--threads", "2", "--quiet")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_the_design_is_stored_per_point_with_named_dimensions(self):
        with h5py.File(self.out, "r") as f:
            hazard = f["/design/clp.departure_hazard"][()]
            buy_in = f["/design/context.gp_buy_in_mean"][()]
            self.assertEqual(list(hazard), [0.002, 0.002, 0.01, 0.01, 0.03, 0.03])
            self.assertEqual(list(buy_in), [0.3, 0.6, 0.3, 0.6, 0.3, 0.6])
            self.assertEqual([d.label for d in f["/design/clp.departure_hazard"].dims], ["point"])
            self.assertEqual(f["/results/fip"].shape, (6, 60, 7))
            self.assertTrue(f["/status/completed"][()].all())
            self.assertEqual(e2e.attr_str(f.attrs["kind"]), "sweep")
            self.assertEqual(e2e.attr_str(f.attrs["storage"]), "compressed")
            self.assertIsNotNone(f["/results/fip"].compression)

    def test_per_point_summaries_agree_with_the_per_replicate_results(self):
        with h5py.File(self.out, "r") as f:
            fip = f["/results/fip"][()]
            np.testing.assert_array_equal(f["/summary/p_fip"][()], fip.mean(axis=1))
            counts = f["/results/fip_count"][()]
            for point in range(6):
                histogram = np.bincount(counts[point], minlength=8) / 60.0
                np.testing.assert_array_equal(f["/summary/fip_count_distribution"][point], histogram)
                p = histogram[3]
                self.assertEqual(f["/summary/p_observed"][point], p)
                self.assertAlmostEqual(f["/summary/p_observed_se"][point], np.sqrt(p * (1 - p) / 60.0), places=15)

    def test_a_higher_departure_hazard_lowers_p_fip_under_common_random_numbers(self):
        with h5py.File(self.out, "r") as f:
            mean = f["/summary/mean_fip_count"][()]
        # points 0/2/4 share buy-in 0.3, 1/3/5 share 0.6; the hazard rises along each.
        self.assertGreater(mean[1], mean[5])
        self.assertGreater(mean[1], mean[0])

    def test_one_thread_gives_byte_identical_results(self):
        other = self.dir.path("one_thread.h5")
        e2e.run_checked("sweep", self.sweep, "-o", other, "--threads", "1", "--quiet")
        self.assertEqual(result_datasets(other), result_datasets(self.out))

    def test_an_existing_output_is_never_overwritten_without_resume(self):
        before = read_bytes(self.out)
        result = e2e.run("sweep", self.sweep, "-o", self.out, "--quiet")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT)
        self.assertEqual(len(e2e.stderr_lines(result)), 1)
        self.assertIn("--resume", result.stderr)
        self.assertEqual(read_bytes(self.out), before)

    def test_resuming_a_complete_sweep_does_nothing(self):
        before = read_bytes(self.out)
        result = e2e.run("sweep", self.sweep, "-o", self.out, "--resume", "--quiet")
        self.assertEqual(result.code, e2e.EXIT_OK, result.stderr)
        self.assertIn("already complete", result.stdout)
        self.assertEqual(read_bytes(self.out), before)

    def test_report_names_the_question_and_the_best_and_worst_points(self):
        report = e2e.run_ok(self, "report", self.out).stdout
        self.assertIn("question: Does the test grid run?", report)
        self.assertIn("design: grid over 2 parameters, 6 points (6 complete), 60 replicates per point", report)
        with h5py.File(self.out, "r") as f:
            share = f["/summary/mean_fip_count"][()] / 7.0
        best, worst = int(np.argmax(share)), int(np.argmin(share))
        lines = report.splitlines()
        top = lines[lines.index(next(l for l in lines if l.startswith("Points with the highest"))) + 2]
        bottom = lines[lines.index(next(l for l in lines if l.startswith("Points with the lowest"))) + 2]
        self.assertEqual(int(top.split()[0]), best)
        self.assertAlmostEqual(float(top.split()[1]), share[best], places=4)
        self.assertEqual(int(bottom.split()[0]), worst)
        self.assertIn("Parameters that matter most", report)
        self.assertIn("clp.departure_hazard", report)
        # 6 points, 3 levels of the hazard: a parameter with no effect would explain 2/5 by chance.
        self.assertIn("CAUTION: with 6 points in 3 bins, a parameter with no effect on the outcome explains "
                      "about 0.40", report)
        self.assertIn("sweep at least 21 points", report)

    def test_export_writes_one_row_per_point_and_per_point_and_practice(self):
        directory = self.dir.path("csv")
        e2e.run_ok(self, "export", self.out, "--csv", directory)
        with open(os.path.join(directory, "points.csv"), newline="") as f:
            points = list(csv.DictReader(f))
        with open(os.path.join(directory, "points_practice.csv"), newline="") as f:
            practices = list(csv.DictReader(f))
        self.assertEqual(len(points), 6)
        self.assertEqual(len(practices), 6 * 7)
        with h5py.File(self.out, "r") as f:
            names = list(f["/practices/name"].asstr()[()])
            for row in points:
                p = int(row["point"])
                self.assertEqual(float(row["clp.departure_hazard"]), f["/design/clp.departure_hazard"][p])
                self.assertEqual(float(row["mean_fip_count"]), f["/summary/mean_fip_count"][p])
                self.assertEqual(float(row["p_observed"]), f["/summary/p_observed"][p])
                self.assertEqual(float(row["fip_count_distribution.3"]), f["/summary/fip_count_distribution"][p, 3])
            for row in practices:
                p, i = int(row["point"]), names.index(row["practice"])
                self.assertEqual(float(row["p_fip"]), f["/summary/p_fip"][p, i])
                self.assertEqual(float(row["context.gp_buy_in_mean"]), f["/design/context.gp_buy_in_mean"][p])
        again = e2e.run("export", self.out, "--csv", directory)
        self.assertEqual(again.code, e2e.EXIT_BAD_INPUT)
        self.assertIn("--overwrite", again.stderr)

    def test_export_to_a_new_directory_named_with_a_trailing_slash(self):
        """`--csv out_csv/` names the directory out_csv, as a shell's completion writes it (it was
        refused: "the directory out_csv does not exist", taking out_csv for the parent)."""
        directory = self.dir.path("slashed")
        e2e.run_ok(self, "export", self.out, "--csv", directory + "/")
        self.assertTrue(os.path.isfile(os.path.join(directory, "points.csv")))
        self.assertTrue(os.path.isfile(os.path.join(directory, "points_practice.csv")))


class CommonRandomNumbersTest(e2e.TempDirTestCase):
    def test_two_points_with_identical_parameters_give_identical_results(self):
        e2e.copy_scenario(self.tmp)
        e2e.write_text(self.path("points.csv"), "clp.departure_hazard,context.gp_buy_in_mean\n"
                                                "0.004,0.55\n0.02,0.4\n0.004,0.55\n")
        e2e.write_text(self.path("csv.toml"), 'base = "scenario.toml"\n[design]\nkind = "csv"\n'
                                              'file = "points.csv"\nreplicates = 50\n')
        e2e.run_ok(self, "sweep", self.path("csv.toml"), "-o", self.path("out.h5"), "--quiet")
        with h5py.File(self.path("out.h5"), "r") as f:
            for name, ds in e2e.walk_datasets(f).items():
                if not name.startswith(("/results", "/summary", "/timeseries")):
                    continue
                with self.subTest(dataset=name):
                    self.assertEqual(ds[0].tobytes(), ds[2].tobytes())
            self.assertNotEqual(f["/results/fip_count"][0].tobytes(), f["/results/fip_count"][1].tobytes())


class CommandLineOverrideTest(e2e.TempDirTestCase):
    """`lwsim sweep --replicates N --seed S --set name=value` does what the same values written in
    the sweep file ([design] replicates and seed, [fixed]) do, to the bit; --set of a swept
    parameter is refused, naming where the file sweeps it."""

    def test_overrides_give_the_results_of_the_same_values_in_the_file(self):
        plain = write_sweep(self.tmp, name="plain.toml", replicates=60, seed=11)
        written = write_sweep(self.tmp, name="written.toml", replicates=7, seed=5)
        e2e.write_text(written, e2e.read_text(written) + '\n[fixed]\n"clp.vacancy_mean_weeks" = 20\n')
        e2e.run_ok(self, "sweep", plain, "-o", self.path("overridden.h5"), "--quiet", "--replicates", 7,
                   "--seed", 5, "--set", "clp.vacancy_mean_weeks=20")
        e2e.run_ok(self, "sweep", written, "-o", self.path("written.h5"), "--quiet")
        e2e.run_ok(self, "sweep", plain, "-o", self.path("plain.h5"), "--quiet", "--replicates", 7, "--seed", 5)
        overridden, expected = result_datasets(self.path("overridden.h5")), result_datasets(self.path("written.h5"))
        self.assertEqual(overridden.keys(), expected.keys())
        for name in expected:
            with self.subTest(dataset=name):
                self.assertEqual(overridden[name], expected[name])
        with h5py.File(self.path("overridden.h5"), "r") as f:
            self.assertEqual(f["/results/fip_count"].shape, (6, 7))
            self.assertEqual(int(f.attrs["seed"]), 5)
        # The --set changed the results: without it they differ.
        self.assertNotEqual(result_datasets(self.path("plain.h5"))["/summary/mean_fip_count"],
                            expected["/summary/mean_fip_count"])

    def test_set_of_a_swept_parameter_is_refused_naming_where_the_file_sweeps_it(self):
        sweep = write_sweep(self.tmp)
        line = e2e.line_of(e2e.read_text(sweep), '"clp.departure_hazard" =')
        result = e2e.run("sweep", sweep, "-o", self.path("out.h5"), "--set", "clp.departure_hazard=0.01")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
        self.assertIn("--set clp.departure_hazard", result.stderr)
        self.assertIn(f"sweep.toml:{line}", result.stderr)
        self.assertFalse(os.path.exists(self.path("out.h5")))

    def test_bad_override_values_are_refused(self):
        sweep = write_sweep(self.tmp)
        for args, key in ((("--replicates", 0), "--replicates"), (("--seed", 5_000_000_000), "--seed"),
                          (("--set", "clp.departure_hazrd=0.1"), "--set clp.departure_hazrd")):
            with self.subTest(args=args):
                result = e2e.run("sweep", sweep, "-o", self.path("out.h5"), *args)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
                self.assertIn(key, result.stderr)
                self.assertFalse(os.path.exists(self.path("out.h5")))


class InterruptionTest(e2e.TempDirTestCase):
    """A longer sweep (24 points) checkpointing after every point, so that kills land mid-run and
    during checkpoint flushes."""

    BUY_IN = "[0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]"

    def setUp(self):
        super().setUp()
        self.sweep = write_sweep(self.tmp, replicates=150, buy_in=self.BUY_IN)
        self.reference = self.path("reference.h5")
        e2e.run_ok(self, "sweep", self.sweep, "-o", self.reference, "--quiet", timeout=300)
        self.out = self.path("out.h5")

    def start(self, resume):
        args = [e2e.LWSIM, "sweep", self.sweep, "-o", self.out, "--quiet", "--checkpoint-interval", "0"]
        if resume:
            args.append("--resume")
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def assert_readable(self):
        """The file opens with h5py and `lwsim report` summarises it. While lwsim writes a file it
        holds HDF5's write lock; readers that do not lock (lwsim report, or h5py with
        HDF5_USE_FILE_LOCKING=FALSE as docs/output.md says) read a consistent file."""
        os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"
        with h5py.File(self.out, "r") as f:
            completed = int(f["/status/completed"][()].sum())
        report = e2e.run("report", self.out)
        self.assertEqual(report.code, e2e.EXIT_OK, report.stderr)
        return completed

    def test_sigkill_at_several_moments_then_resume_gives_the_uninterrupted_results(self):
        completed = []
        for delay in (0.05, 0.4, 0.9, 0.25, 0.6, 0.15, 0.75):
            proc = self.start(resume=os.path.exists(self.out))
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
            if os.path.exists(self.out):
                completed.append(self.assert_readable())
        self.assertTrue(completed, "no kill left an output file")
        self.assertEqual(completed, sorted(completed))  # finished points are never lost
        final = e2e.run("sweep", self.sweep, "-o", self.out, "--resume", "--quiet", timeout=300)
        self.assertEqual(final.code, e2e.EXIT_OK, final.stderr)
        self.assertEqual(result_datasets(self.out), result_datasets(self.reference))
        self.assertEqual(e2e.list_tree(self.tmp), sorted(["observed", "observed/deep_end_2016.toml", "out.h5",
                                                           "reference.h5", "scenario.toml", "sweep.toml"]))

    def test_the_file_can_be_reported_on_while_the_sweep_runs(self):
        proc = self.start(resume=False)
        reports = 0
        while proc.poll() is None:
            if os.path.exists(self.out):
                self.assert_readable()
                reports += 1
            time.sleep(0.05)
        self.assertEqual(proc.returncode, 0, proc.stderr.read())
        self.assertGreater(reports, 0)
        self.assertEqual(result_datasets(self.out), result_datasets(self.reference))

    def test_sigint_and_sigterm_stop_cleanly_with_a_resumable_file(self):
        for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
            with self.subTest(signal=sig.name):
                if os.path.exists(self.out):
                    os.remove(self.out)
                proc = self.start(resume=False)
                # Once the sweep writes its file (at once in a release build, seconds later under
                # ThreadSanitizer), half a second more lands the signal mid-run.
                deadline = time.monotonic() + 120
                while not os.path.exists(self.out) and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.5)
                proc.send_signal(sig)
                _, err = proc.communicate(timeout=60)
                self.assertEqual(proc.returncode, code, err)
                self.assertIn("resume with: lwsim sweep", err)
                self.assertIn("--resume", err)
                done = self.assert_readable()
                self.assertLess(done, 24)
                final = e2e.run("sweep", self.sweep, "-o", self.out, "--resume", "--quiet", timeout=300)
                self.assertEqual(final.code, e2e.EXIT_OK, final.stderr)
                self.assertIn(f"({done} were already complete)", final.stdout)
                self.assertEqual(result_datasets(self.out), result_datasets(self.reference))


class ResumeRefusalTest(e2e.TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.sweep = write_sweep(self.tmp, replicates=40)
        self.out = self.path("out.h5")
        proc = subprocess.Popen([e2e.LWSIM, "sweep", self.sweep, "-o", self.out, "--quiet"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.wait(timeout=120)
        self.before = read_bytes(self.out)

    def refuse(self, *args, message):
        result = e2e.run(*args)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertEqual(read_bytes(self.out), self.before)

    def test_resume_with_a_different_sweep_file_is_refused(self):
        other = write_sweep(self.tmp, name="other.toml", replicates=40, buy_in="[0.3, 0.7]")
        self.refuse("sweep", other, "-o", self.out, "--resume", message="differs from the one this file was started")

    def test_resume_with_a_different_seed_is_refused(self):
        other = write_sweep(self.tmp, name="seeded.toml", replicates=40, seed=12)
        self.refuse("sweep", other, "-o", self.out, "--resume", message="seed 11")

    def test_resume_with_another_lwsim_version_is_refused(self):
        with h5py.File(self.out, "r+") as f:
            f.attrs["lwsim_version"] = "0.0.1"
        self.before = read_bytes(self.out)
        self.refuse("sweep", self.sweep, "-o", self.out, "--resume", message="written by lwsim 0.0.1")

    def test_resume_of_a_missing_file_is_refused(self):
        result = e2e.run("sweep", self.sweep, "-o", self.path("none.h5"), "--resume")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT)
        self.assertIn("no such file to resume", result.stderr)


class BadSweepTest(e2e.TempDirTestCase):
    def test_bad_sweep_files_are_refused_in_one_line_and_leave_nothing(self):
        e2e.copy_scenario(self.tmp)
        cases = {
            "unknown parameter": ('"clp.departure_hazzard" = [0.1]', "did you mean"),
            "empty range": ('"clp.departure_hazard" = { min = 0.01, max = 0.01 }', "empty range"),
            "min above max": ('"clp.departure_hazard" = { min = 0.02, max = 0.01 }', "greater than max"),
            "log over zero": ('"clp.handover_fraction" = { min = 0.0, max = 1.0, scale = "log" }', "min > 0"),
        }
        for what, (line, message) in cases.items():
            with self.subTest(case=what):
                kind = "grid" if "[" in line.split("=", 1)[1] else "lhs"
                text = f'base = "scenario.toml"\n[design]\nkind = "{kind}"\npoints = 4\n[parameters]\n{line}\n'
                if kind == "grid":
                    text = text.replace("points = 4\n", "")
                e2e.write_text(self.path("bad.toml"), text)
                before = e2e.list_tree(self.tmp)
                result = e2e.run("sweep", self.path("bad.toml"), "-o", self.path("out.h5"))
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                lines = e2e.stderr_lines(result)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertIn("bad.toml:", lines[0])
                self.assertIn(message, lines[0])
                self.assertEqual(e2e.list_tree(self.tmp), before)


if __name__ == "__main__":
    unittest.main()
