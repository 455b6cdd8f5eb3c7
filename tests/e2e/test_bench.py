"""`lwsim bench` (docs/performance.md): the throughput figures are measured, never asserted. These
tests check what can be checked without a clock: every promised figure is there, finite and of the
right sign; the figures derived from others follow their definitions exactly; the count of random
draws is exact (the same for 1 and 2 threads); each target's verdict matches its figure; and bad
flags are refused like any bad input. No test here depends on how fast the machine is.
"""

import json
import math
import os
import statistics
import tomllib
import unittest

import lwsim_e2e as e2e

# `lwsim bench --quick` takes well under 30 s in Release (minutes under sanitizers); this ceiling
# only catches a hang.
BENCH_TIMEOUT = 900

KEYS = [
    "lwsim_version", "git_commit", "threads", "practice_weeks_per_s_1t", "practice_weeks_per_s_all",
    "draws_per_practice_week", "philox_ns_per_draw", "floor_ratio", "speedup", "hdf5_write_share",
    "peak_rss_mib", "practice_weeks_per_replicate", "philox_calls_counted", "counted_replicates",
    "samples_1t", "samples_all", "ns_per_practice_week_1t", "hdf5", "targets",
]
POSITIVE = ["practice_weeks_per_s_1t", "practice_weeks_per_s_all", "draws_per_practice_week",
            "philox_ns_per_draw", "floor_ratio", "speedup", "ns_per_practice_week_1t"]


def setUpModule():
    global RUNS
    RUNS = {}
    for threads in (1, 2):
        result = e2e.run_checked("bench", "--quick", "--json", "--threads", threads, timeout=BENCH_TIMEOUT)
        RUNS[threads] = json.loads(result.stdout)


def close(a, b, rel=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


class BenchJsonTest(unittest.TestCase):

    def each(self):
        for threads, data in RUNS.items():
            with self.subTest(threads=threads):
                yield threads, data

    def test_every_figure_is_reported(self):
        """The JSON object has every promised key, with the thread count asked for."""
        for threads, data in self.each():
            for key in KEYS:
                self.assertIn(key, data)
            self.assertEqual(data["threads"], threads)
            self.assertIs(data["quick"], True)

    def test_version_and_revision_are_the_binarys(self):
        """lwsim_version and git_commit are what `lwsim --version` prints."""
        version = e2e.run_ok(self, "--version").stdout.strip()
        for _, data in self.each():
            self.assertEqual(version, f"lwsim {data['lwsim_version']} ({data['git_commit']})")

    def test_figures_are_finite_and_positive(self):
        """Rates, counts, costs and ratios are finite and > 0; the HDF5 share is a fraction in (0, 1)."""
        for _, data in self.each():
            for key in POSITIVE:
                value = data[key]
                self.assertIsInstance(value, (int, float), key)
                self.assertTrue(math.isfinite(value) and value > 0, f"{key} = {value}")
            share = data["hdf5_write_share"]
            self.assertTrue(0.0 < share < 1.0, f"hdf5_write_share = {share}")
            for count, mib in data["peak_rss_mib"].items():
                self.assertTrue(math.isfinite(mib) and mib > 0, f"peak RSS for {count} replicates = {mib}")

    def test_practice_weeks_are_practices_times_weeks_of_the_default_scenario(self):
        """A replicate of the Deep End is 7 practices x (horizon + 1) weeks, read from the scenario file."""
        with open(e2e.DEFAULT_SCENARIO, "rb") as f:
            scenario = tomllib.load(f)
        practices = len(scenario["practice"])
        weeks = scenario["evaluation"]["horizon_weeks"] + 1
        for _, data in self.each():
            self.assertEqual(data["entity"], "practice")
            self.assertEqual(data["entities"], practices)
            self.assertEqual(data["weeks"], weeks)
            self.assertEqual(data["practice_weeks_per_replicate"], practices * weeks)

    def test_draw_count_is_exact_and_independent_of_threads(self):
        """The Philox calls counted over the same replicates are the same integer with 1 and 2 threads
        (each replicate's draws depend only on its own streams), and draws per practice-week is that
        count over replicates x practice-weeks."""
        self.assertEqual(RUNS[1]["counted_replicates"], RUNS[2]["counted_replicates"])
        self.assertEqual(RUNS[1]["philox_calls_counted"], RUNS[2]["philox_calls_counted"])
        self.assertEqual(RUNS[1]["draws_per_practice_week"], RUNS[2]["draws_per_practice_week"])
        for _, data in self.each():
            calls = data["philox_calls_counted"]
            self.assertIsInstance(calls, int)
            # At least one call per replicate and practice (each practice's weekly mechanisms draw).
            self.assertGreaterEqual(calls, data["counted_replicates"] * data["entities"])
            expected = calls / (data["counted_replicates"] * data["practice_weeks_per_replicate"])
            self.assertTrue(close(data["draws_per_practice_week"], expected))

    def test_derived_figures_follow_their_definitions(self):
        """The rates are the medians of their samples; speed-up is the ratio of the two rates; ns per
        practice-week is 1e9 over the 1-thread rate; floor ratio is ns per practice-week over
        (draws per practice-week x ns per draw); the Philox cost is the median of its samples."""
        for _, data in self.each():
            self.assertTrue(close(data["practice_weeks_per_s_1t"], statistics.median(data["samples_1t"])))
            self.assertTrue(close(data["practice_weeks_per_s_all"], statistics.median(data["samples_all"])))
            self.assertTrue(close(data["speedup"], data["practice_weeks_per_s_all"] / data["practice_weeks_per_s_1t"]))
            self.assertTrue(close(data["ns_per_practice_week_1t"], 1e9 / data["practice_weeks_per_s_1t"]))
            floor = data["ns_per_practice_week_1t"] / (data["draws_per_practice_week"] * data["philox_ns_per_draw"])
            self.assertTrue(close(data["floor_ratio"], floor, rel=1e-9))
            self.assertTrue(close(data["philox_ns_per_draw"], statistics.median(data["philox_ns_samples"])))
            self.assertEqual(data["replicates_all"], data["replicates_1t"] * data["threads"])

    def test_hdf5_share_is_hdf5_time_over_wall_time(self):
        """The share is (file creation + the writer thread's HDF5 writes + the compressed copy) over
        the sweep's wall time; with --quick the sweep is the built-in 100-point benchmark."""
        for _, data in self.each():
            h = data["hdf5"]
            self.assertEqual(h["sweep"], "<built-in>/bench/sweep_100_points.toml")
            self.assertEqual((h["points"], h["replicates"]), (100, 10))
            for key in ("create_seconds", "writer_seconds", "compress_seconds", "total_seconds"):
                self.assertTrue(math.isfinite(h[key]) and h[key] >= 0, f"{key} = {h[key]}")
            # At least one write per field per block, and a summary per point.
            self.assertGreaterEqual(h["writer_calls"], h["points"])
            hdf5 = h["create_seconds"] + h["writer_seconds"] + h["compress_seconds"]
            self.assertLessEqual(hdf5, h["total_seconds"])
            self.assertTrue(close(data["hdf5_write_share"], hdf5 / h["total_seconds"], rel=1e-9))

    def test_peak_memory_is_measured_for_two_replicate_counts(self):
        """With --quick, peak RSS of `lwsim run` for 1,000 and 10,000 replicates."""
        for _, data in self.each():
            self.assertEqual(sorted(data["peak_rss_mib"], key=int), ["1000", "10000"])

    def test_each_targets_verdict_matches_its_figure(self):
        """Each target reports met exactly when its figure satisfies the comparison."""
        for _, data in self.each():
            targets = data["targets"]
            rss = data["peak_rss_mib"]
            figures = {
                "practice_weeks_per_s_all": data["practice_weeks_per_s_all"],
                "floor_ratio": data["floor_ratio"],
                "speedup": data["speedup"],
                "hdf5_write_share": data["hdf5_write_share"],
                "peak_rss_growth": rss["10000"] / rss["1000"],
            }
            self.assertEqual(sorted(targets), sorted(figures))
            for name, figure in figures.items():
                with self.subTest(target=name):
                    target = targets[name]
                    if target["comparison"] == ">=":
                        self.assertEqual(target["met"], figure >= target["value"])
                    else:
                        self.assertEqual(target["comparison"], "<=")
                        # Growth is compared as rss_large <= value x rss_small, so allow rounding.
                        if not math.isclose(figure, target["value"], rel_tol=1e-12):
                            self.assertEqual(target["met"], figure <= target["value"])
            self.assertEqual([targets[k]["value"] for k in ("practice_weeks_per_s_all", "floor_ratio", "speedup",
                                                            "hdf5_write_share")],
                             [10e6, 3, 1.85, 0.10])


class BenchTextTest(e2e.TempDirTestCase):

    def test_plain_text_is_a_table_of_every_figure(self):
        """Without --json, bench prints a table naming each figure, its target and whether it is met;
        it leaves no file behind, in the working directory or in TMPDIR (where its sweep and the
        children's output files go)."""
        work = self.path("work")
        scratch = self.path("scratch")
        os.mkdir(work)
        os.mkdir(scratch)
        result = e2e.run_ok(self, "bench", "--quick", "--threads", 1, cwd=work, env={"TMPDIR": scratch},
                            timeout=BENCH_TIMEOUT)
        for row in ("million practice-weeks/s, 1 thread", "speed-up, 1 -> 1 threads",
                    "Philox4x32-10 calls per practice-week", "ns per Philox call", "floor ratio",
                    "HDF5 write share, 100 points x 10", "peak RSS MiB, lwsim run --replicates 1000",
                    "peak RSS MiB, lwsim run --replicates 10000"):
            self.assertIn(row, result.stdout)
        self.assertRegex(result.stdout, r"floor ratio\s+[0-9.]+\s+<= 3\s+(yes|no)")
        self.assertEqual(os.listdir(work), [])
        self.assertEqual(os.listdir(scratch), [])

    def test_help_documents_the_options(self):
        """`lwsim bench --help` documents --json, --threads and --quick."""
        result = e2e.run_ok(self, "bench", "--help")
        for option in ("--json", "--threads", "--quick"):
            self.assertIn(option, result.stdout)


class BenchBadInputTest(unittest.TestCase):

    def test_bad_flags_are_refused_with_one_line_and_exit_2(self):
        """An unknown option, a stray argument or a bad thread count: exit 2, one line, no stdout."""
        for args in (["--frobnicate"], ["extra"], ["--threads", "x"], ["--threads", "-1"],
                     ["--threads", "100000"], ["--threads"]):
            with self.subTest(args=args):
                result = e2e.run("bench", *args)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                lines = e2e.stderr_lines(result)
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertTrue(lines[0].startswith("lwsim: error: command line: "), lines[0])
                self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()
