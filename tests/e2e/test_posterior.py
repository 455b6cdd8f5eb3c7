"""Predictions that carry the calibrated uncertainty (`lwsim run|sweep --posterior CAL.h5`,
docs/scenarios.md, *Predictions from a posterior*): each replicate draws a particle of the
calibration's final population by weight, from a stream keyed by the replicate alone, runs with
its parameters and records it; the variance of the FIP count splits into a part from the
parameters and a stochastic part.

One tiny calibration is made for the module; the claims compare two sources each (threads,
shards, ranks, points of a compare; printed against recomputed)."""

import os
import shutil
import subprocess
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

CALIBRATION = """
title = "tiny calibration for posterior draws"
base = "scenario.toml"
[abc]
particles = 40
seed = 8
generations = 2
predictive_replicates = 2
[priors]
"context.gp_buy_in_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }
"clp.departure_hazard" = { distribution = "log-uniform", min = 0.0005, max = 0.02 }
"""

COMPARE = """
title = "two points"
base = "scenario.toml"
[design]
kind = "grid"
replicates = 60
labels = ["slow turnover", "fast turnover"]
reference = 0
[parameters]
"clp.vacancy_mean_weeks" = [4, 30]
"""

REPLICATES = 200
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
if os.environ.get("ASAN_OPTIONS"):
    # As in test_cluster.py: Open MPI's allocations at MPI_Init are never freed; the leak checker
    # needs full stack unwinding to attribute them to Open MPI's libraries (suppressed there).
    MPI_ENV["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":fast_unwind_on_malloc=0"


def setUpModule():
    global TMP, CAL
    TMP = e2e.SharedTempDir()
    e2e.copy_scenario(TMP.name)
    e2e.write_text(TMP.path("cal.toml"), CALIBRATION)
    e2e.write_text(TMP.path("compare.toml"), COMPARE)
    CAL = TMP.path("cal.h5")
    e2e.run_checked("calibrate", "cal.toml", "-o", CAL, "--quiet", cwd=TMP.name, timeout=300)


def tearDownModule():
    TMP.cleanup()


def contents(path):
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(f).items()}


def run_with_posterior(out, *extra):
    return e2e.run_checked("run", "scenario.toml", "--posterior", CAL, "--replicates", REPLICATES, "-o", out,
                           *extra, cwd=TMP.name, timeout=300)


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = TMP.path("run.h5")
        cls.result = run_with_posterior(cls.out, "--threads", "2")

    def test_each_replicate_runs_with_a_particle_drawn_by_weight_and_records_it(self):
        with h5py.File(CAL, "r") as c, h5py.File(self.out, "r") as f:
            particles, weights = c["/posterior/particles"][()], c["/posterior/weights"][()]
            self.assertTrue(np.array_equal(f["/posterior/particles"][()], particles))
            self.assertTrue(np.array_equal(f["/posterior/weights"][()], weights))
            self.assertEqual(list(f["/dims/calibrated"].asstr()[()]), list(c["/dims/parameter"].asstr()[()]))
            drawn = f["/posterior/particle"][0]
            self.assertEqual(drawn.shape, (REPLICATES,))
            self.assertTrue(((drawn >= 0) & (drawn < len(weights))).all())
            self.assertTrue((weights[drawn] > 0).all())
            # The draws per particle, as the summary counts them.
            counts = np.bincount(drawn, minlength=len(weights))
            self.assertTrue(np.allclose(f["/posterior/draws"][0] * REPLICATES, counts))
            # Drawn by weight: the mean drawn buy-in is the posterior's weighted mean within 4 of
            # its standard errors (the draws are independent).
            values = particles[drawn, 0]
            mean = float(np.sum(weights * particles[:, 0]))
            sd = float(np.sqrt(np.sum(weights * (particles[:, 0] - mean) ** 2)))
            self.assertLess(abs(values.mean() - mean), 4 * sd / np.sqrt(REPLICATES))
            # The drawn parameters act: the replicates' GP buy-in draws centre on their particle's
            # mean buy-in (context.gp_buy_in_mean), not the scenario's default.
            buy_in = f["/practices/gp_buy_in"][0].mean(axis=1)
            self.assertGreater(np.corrcoef(values, buy_in)[0, 1], 0.5)

    def test_the_printed_variance_split_is_the_analysis_of_variance_of_the_fip_count(self):
        with h5py.File(self.out, "r") as f:
            y = f["/results/fip_count"][0].astype(float)
            drawn = f["/posterior/particle"][0]
        total = y.var(ddof=1)
        groups = {}
        for value, particle in zip(y, drawn):
            groups.setdefault(int(particle), []).append(value)
        within = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in groups.values())
        stochastic = min(within / (len(y) - len(groups)), total)
        line = (f"variance of fip_count over the replicates {total:.4g}: "
                f"{100 * (total - stochastic) / total:.0f}% from the calibrated parameters (between the "
                f"{len(groups)} particles drawn), {100 * stochastic / total:.0f}% stochastic (within them)")
        self.assertIn(line, self.result.stdout)
        report = e2e.run_checked("report", self.out)
        self.assertIn(line, report.stdout)

    def test_the_posterior_datasets_are_documented_with_their_dimensions(self):
        with open(os.path.join(e2e.SOURCE_DIR, "docs", "output.md"), encoding="utf-8") as doc:
            section = doc.read().split("## Runs and sweeps with `--posterior`")[1].split("\n## ")[0]
            rows = [line for line in section.splitlines() if line.startswith("| `/posterior/")]
        with h5py.File(self.out, "r") as f:
            self.assertEqual(e2e.attr_str(f.attrs["posterior"]), CAL)
            for name, ds in e2e.walk_datasets(f).items():
                if not name.startswith("/posterior/"):
                    continue
                with self.subTest(dataset=name):
                    row = [r for r in rows if r.startswith(f"| `{name}`")]
                    self.assertTrue(row, f"{name} is not documented in docs/output.md")
                    self.assertIn("[" + ", ".join(d.label for d in ds.dims) + "]", row[0])

    def test_results_do_not_depend_on_the_number_of_threads(self):
        one = TMP.path("run_one_thread.h5")
        run_with_posterior(one, "--threads", "1", "--quiet")
        self.assertEqual(contents(one), contents(self.out))

    def test_results_do_not_depend_on_the_number_of_ranks(self):
        mpirun = shutil.which("mpirun")
        if os.environ.get("LWSIM_MPI") != "1" or mpirun is None:
            self.skipTest("lwsim was built without MPI")
        two = TMP.path("run_two_ranks.h5")
        args = [mpirun, "-np", "2", e2e.LWSIM, "run", "scenario.toml", "--posterior", CAL, "--replicates",
                str(REPLICATES), "-o", two, "--quiet", "--threads", "1"]
        proc = subprocess.run(args, env=dict(os.environ, **MPI_ENV), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=300, cwd=TMP.name)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(contents(two), contents(self.out))


class SweepTest(unittest.TestCase):
    def sweep(self, out, *extra):
        return e2e.run_checked("sweep", "compare.toml", "--posterior", CAL, "-o", out, "--quiet", *extra,
                               cwd=TMP.name, timeout=300)

    def test_every_point_draws_the_same_particle_in_the_same_replicate(self):
        out = TMP.path("compare.h5")
        self.sweep(out)
        with h5py.File(out, "r") as f:
            drawn = f["/posterior/particle"][()]
            self.assertEqual(drawn.shape, (2, 60))
            self.assertTrue(np.array_equal(drawn[0], drawn[1]))
        report = e2e.run_checked("report", out)
        # The paired difference's variance split, recomputed from the replicates.
        with h5py.File(out, "r") as f:
            y = f["/results/fip_count"][()].astype(float)
        d = y[1] - y[0]
        groups = {}
        for value, particle in zip(d, drawn[0]):
            groups.setdefault(int(particle), []).append(value)
        total = d.var(ddof=1)
        within = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in groups.values()) / (len(d) - len(groups))
        stochastic = min(within, total)
        self.assertIn(f"fast turnover minus the reference, fip_count: variance {total:.4g}, "
                      f"{100 * (total - stochastic) / total:.0f}% from the calibrated parameters, "
                      f"{100 * stochastic / total:.0f}% stochastic", report.stdout)
        self.assertNotIn("posterior particle", report.stdout.split("Points with")[0])  # no paired difference of it

    def test_shards_merged_equal_the_whole_sweep(self):
        whole = TMP.path("whole.h5")
        self.sweep(whole)
        shards = [TMP.path(f"shard{i}.h5") for i in range(2)]
        for i, shard in enumerate(shards):
            self.sweep(shard, "--shard", f"{i}/2")
        merged = TMP.path("merged.h5")
        e2e.run_checked("merge", *shards, "-o", merged, cwd=TMP.name)
        a, b = contents(whole), contents(merged)
        results = [name for name in a if name.startswith(("/results", "/summary", "/posterior"))]
        self.assertIn("/posterior/particle", results)
        for name in results:
            self.assertEqual(a[name], b[name], name)

    def test_resuming_without_the_posterior_is_refused(self):
        out = TMP.path("resume.h5")
        self.sweep(out)
        result = e2e.run("sweep", "compare.toml", "-o", out, "--resume", cwd=TMP.name)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)


class BadPosteriorTest(e2e.TempDirTestCase):
    def refused(self, *args, key, words):
        e2e.copy_scenario(self.tmp)
        before = e2e.list_tree(self.tmp)
        result = e2e.run(*args, cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
        self.assertIn(key, result.stderr)
        for word in words:
            self.assertIn(word, result.stderr)
        self.assertEqual(e2e.list_tree(self.tmp), before)

    def test_a_file_that_is_not_a_complete_calibration_is_refused(self):
        run_file = TMP.path("plain.h5")  # a run's output, not a calibration's
        if not os.path.exists(run_file):
            e2e.run_checked("run", "scenario.toml", "--replicates", 2, "-o", run_file, "--quiet", cwd=TMP.name)
        self.refused("run", "scenario.toml", "--posterior", run_file, "-o", "out.h5", key="--posterior",
                     words=("not a calibration file",))
        self.refused("run", "scenario.toml", "--posterior", "nowhere.h5", "-o", "out.h5", key="--posterior",
                     words=("nowhere.h5",))

    def test_setting_or_sweeping_a_calibrated_parameter_is_refused(self):
        self.refused("run", "scenario.toml", "--posterior", CAL, "--set", "clp.departure_hazard=0.01", "-o",
                     "out.h5", key="--set", words=("clp.departure_hazard", "posterior"))
        e2e.write_text(self.path("sweep.toml"), COMPARE.replace("clp.vacancy_mean_weeks", "clp.departure_hazard")
                       .replace("[4, 30]", "[0.001, 0.01]"))
        self.refused("sweep", "sweep.toml", "--posterior", CAL, "-o", "out.h5", key="--posterior",
                     words=("clp.departure_hazard", "swept"))


if __name__ == "__main__":
    unittest.main()
