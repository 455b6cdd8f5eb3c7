"""End-to-end claims about `lwsim calibrate` and `lwsim sensitivity` on the Deep End model: a
calibration interrupted with SIGINT after any generation resumes to exactly the results of an
uninterrupted one; resuming another calibration is refused; bad calibration files are refused in
one line; the output files hold what docs/output.md says."""

import os
import signal
import subprocess
import unittest

import h5py

import lwsim_e2e as e2e

CALIBRATION = """
title = "tiny calibration"
question = "Does it run?"
base = "scenario.toml"
observed = "observed/deep_end_2016.toml"
[abc]
particles = 60
replicates = 1
seed = 4
generations = {generations}
quantile = 0.5
min_tolerance = 0
predictive_replicates = 5
adaptive_distance = {adaptive}
[distance]
fip_count = 1.0
"outcome.*" = 0.5
{patterns}
[priors]
"context.gp_buy_in_mean" = {{ distribution = "uniform", min = 0.2, max = 0.9 }}
"clp.departure_hazard" = {{ distribution = "log-uniform", min = 0.0005, max = 0.02 }}
"""

DATASETS = ("/abc/particles", "/abc/weights", "/abc/distances", "/abc/tolerance", "/abc/proposals",
            "/abc/statistics", "/abc/scales", "/abc/spread",
            "/posterior/particles", "/posterior/weights", "/posterior/summary",
            "/posterior_predictive/fip_count_distribution", "/posterior_predictive/pattern_mean",
            "/posterior_predictive/pattern_p", "/posterior_predictive/pattern_verdict")

# The patterns of scenarios/observed/deep_end_2016.toml, in file order.
OBSERVED_PATTERNS = ["coherence_gap", "participation_gap", "action_gap", "formal_share_gap",
                     "development_share_gap", "pip_support_lead", "monitoring_fip", "monitoring_pip",
                     "activities_kept_gap", "pip_activities_kept"]


def contents(path):
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(f[name]) for name in DATASETS if name in f}


class CalibrateTest(e2e.TempDirTestCase):
    def write(self, generations=4, name="cal.toml", adaptive=True, patterns=True):
        """A tiny calibration: by default to the count, the outcomes and every observed pattern,
        with the adaptive distance."""
        e2e.copy_scenario(self.tmp)
        path = self.path(name)
        e2e.write_text(path, CALIBRATION.format(generations=generations, adaptive=str(adaptive).lower(),
                                                patterns='"pattern.*" = 1.0' if patterns else ""))
        return path

    def test_a_calibration_interrupted_after_a_generation_resumes_to_the_same_results(self):
        cal = self.write()
        reference = self.path("reference.h5")
        e2e.run_ok(self, "calibrate", cal, "-o", reference, "--quiet", timeout=300)
        with h5py.File(reference, "r") as f:
            generations = f["/abc/tolerance"].shape[0]
            self.assertEqual(e2e.attr_str(f.attrs["status"]), "complete")
        self.assertGreaterEqual(generations, 3)
        for stop_after in (1, 2):
            with self.subTest(generation=stop_after):
                out = self.path(f"out{stop_after}.h5")
                with subprocess.Popen([e2e.LWSIM, "calibrate", cal, "-o", out], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
                    seen = ""
                    for line in proc.stderr:
                        seen += line
                        if f"generation {stop_after - 1}: tolerance" in line:
                            proc.send_signal(signal.SIGINT)
                            break
                    rest = proc.stderr.read()
                    proc.wait(timeout=120)
                self.assertEqual(proc.returncode, 130, seen + rest)
                self.assertIn("resume with: lwsim calibrate", rest)
                with h5py.File(out, "r") as f:
                    self.assertEqual(e2e.attr_str(f.attrs["status"]), "running")
                    saved = f["/abc/tolerance"].shape[0]
                self.assertGreaterEqual(saved, stop_after)
                self.assertLess(saved, generations)
                resumed = e2e.run("calibrate", cal, "-o", out, "--resume", "--quiet", timeout=300)
                self.assertEqual(resumed.code, 0, resumed.stderr)
                self.assertEqual(contents(out), contents(reference))

    def test_resuming_another_calibration_is_refused(self):
        out = self.path("out.h5")
        e2e.run_ok(self, "calibrate", self.write(generations=2), "-o", out, "--quiet", timeout=300)
        other = self.write(generations=5, name="other.toml")
        result = e2e.run("calibrate", other, "-o", out, "--resume")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT)
        self.assertEqual(len(e2e.stderr_lines(result)), 1)
        self.assertIn("was not started from this calibration file", result.stderr)

    def test_the_output_holds_generations_posterior_and_predictive(self):
        out = self.path("out.h5")
        cal = self.write(generations=3, adaptive=False, patterns=False)
        result = e2e.run_ok(self, "calibrate", cal, "-o", out, "--quiet", timeout=300)
        with h5py.File(out, "r") as f:
            g = f["/abc/tolerance"].shape[0]
            self.assertEqual(f["/abc/particles"].shape, (g, 60, 2))
            self.assertEqual([d.label for d in f["/abc/particles"].dims], ["generation", "particle", "parameter"])
            self.assertEqual(list(f["/dims/parameter"].asstr()[()]), ["context.gp_buy_in_mean", "clp.departure_hazard"])
            for gen in range(g):
                self.assertAlmostEqual(float(f["/abc/weights"][gen].sum()), 1.0, places=12)
            tolerances = f["/abc/tolerance"][()]
            self.assertTrue((tolerances[1:] <= tolerances[:-1]).all())
            self.assertAlmostEqual(float(f["/posterior_predictive/fip_count_distribution"][()].sum()), 1.0, places=12)
            p = float(f["/posterior_predictive/p_observed"][()])
            self.assertEqual(p, float(f["/posterior_predictive/fip_count_distribution"][3]))
            median = f["/posterior/summary"][0, 0]
            for name, ds in e2e.walk_datasets(f).items():
                self.assertIn("description", ds.attrs, name)
                self.assertIn("units", ds.attrs, name)
        self.assertIn(f"Posterior predictive P(fip_count = 3) = {p:.4f}", result.stdout)
        self.assertIn(f"context.gp_buy_in_mean                   {median:.4g}", result.stdout)

    def test_patterns_enter_the_distance_on_adaptive_scales_and_are_checked_against_the_predictive(self):
        """With "pattern.*" every observed pattern is a term of the distance; each term is divided
        by its statistic's spread over the previous generation (1 in generation 0); the stored
        statistics and scales give back the stored distances for the count term's share; and the
        posterior predictive checks cover every observed pattern, as printed."""
        out = self.path("out.h5")
        result = e2e.run_ok(self, "calibrate", self.write(generations=3), "-o", out, timeout=300)
        # Progress for every phase, the posterior predictive's counted in simulations.
        self.assertIn("lwsim: generation 2: tolerance", result.stderr)
        self.assertIn("lwsim: posterior predictive: 300 simulations (5 per particle)", result.stderr)
        with h5py.File(out, "r") as f:
            terms = list(f["/dims/term"].asstr()[()])
            self.assertEqual(terms[0], "fip_count")
            self.assertEqual(terms[-len(OBSERVED_PATTERNS):], ["pattern." + p for p in OBSERVED_PATTERNS])
            g = f["/abc/tolerance"].shape[0]
            t = len(terms)
            self.assertEqual(f["/abc/statistics"].shape, (g, 60, t))
            scales, spread = f["/abc/scales"][()], f["/abc/spread"][()]
            self.assertTrue((scales[0] == 1.0).all())
            for gen in range(1, g):
                self.assertEqual(list(scales[gen]), list(spread[gen - 1]))
            self.assertTrue((spread > 0).all())
            # The count term of each accepted particle: |FIP count - 3| / its scale, at most the
            # particle's whole distance (every term is 0 or more).
            statistics, distances = f["/abc/statistics"][()], f["/abc/distances"][()]
            for gen in range(g):
                count_part = abs(statistics[gen, :, 0] - 3.0) / scales[gen, 0]
                self.assertTrue((count_part <= distances[gen] + 1e-12).all())
                if gen > 0:
                    self.assertTrue((distances[gen] <= f["/abc/tolerance"][gen]).all())
            self.assertEqual(list(f["/dims/pattern"].asstr()[()]), OBSERVED_PATTERNS)
            verdicts = list(f["/posterior_predictive/pattern_verdict"].asstr()[()])
            p = f["/posterior_predictive/pattern_p"][()]
            for name, verdict, value in zip(OBSERVED_PATTERNS, verdicts, p):
                self.assertTrue(0.0 <= value <= 1.0, name)
                expected = "consistent" if value >= 0.1 else "in the tail" if value >= 0.01 else "outside"
                self.assertEqual(verdict, expected, name)
                self.assertRegex(result.stdout, rf"\n  {name} +\S.* {value:.3f}  {verdict}")

    def test_a_pattern_calibration_gives_the_same_results_on_one_and_two_threads(self):
        cal = self.write(generations=2)
        one, two = self.path("one.h5"), self.path("two.h5")
        e2e.run_ok(self, "calibrate", cal, "-o", one, "--quiet", "--threads", 1, timeout=300)
        e2e.run_ok(self, "calibrate", cal, "-o", two, "--quiet", "--threads", 2, timeout=300)
        self.assertEqual(contents(one), contents(two))

    def test_bad_calibration_files_are_refused_in_one_line_and_leave_nothing(self):
        e2e.copy_scenario(self.tmp)
        cases = {
            "improper prior": ('"clp.departure_hazard" = { distribution = "uniform", min = 0.02, max = 0.01 }',
                               "improper prior"),
            "negative scale": ('"clp.departure_hazard" = { distribution = "normal", mean = 0.01, sd = -0.1 }',
                               "must be positive"),
            "unknown parameter": ('"clp.departure_hazzard" = { distribution = "uniform", min = 0.001, max = 0.01 }',
                                  "did you mean"),
        }
        for what, (prior, message) in cases.items():
            with self.subTest(case=what):
                text = CALIBRATION.format(generations=2, adaptive="true", patterns="").split("[priors]")[0]
                text += "[priors]\n" + prior + "\n"
                e2e.write_text(self.path("bad.toml"), text)
                before = e2e.list_tree(self.tmp)
                result = e2e.run("calibrate", self.path("bad.toml"), "-o", self.path("out.h5"))
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
                self.assertIn("bad.toml:", result.stderr)
                self.assertIn(message, result.stderr)
                self.assertEqual(e2e.list_tree(self.tmp), before)


class SensitivityTest(e2e.TempDirTestCase):
    def test_sobol_and_morris_files_hold_indices_with_intervals(self):
        e2e.copy_scenario(self.tmp)
        for method, extra in (("sobol", "samples = 8"), ("morris", "samples = 4\nlevels = 4")):
            with self.subTest(method=method):
                e2e.write_text(self.path("s.toml"), f"""
base = "scenario.toml"
[sensitivity]
method = "{method}"
{extra}
replicates = 10
bootstrap = 50
[outputs]
"P(FIP)" = "/summary/p_fip"
"mean FIP count" = "/summary/mean_fip_count"
[parameters]
"context.gp_buy_in_mean" = {{ min = 0.2, max = 0.9 }}
"clp.departure_hazard" = {{ min = 0.0005, max = 0.02, scale = "log" }}
""")
                out = self.path(f"{method}.h5")
                result = e2e.run_ok(self, "sensitivity", self.path("s.toml"), "-o", out, "--quiet", timeout=300)
                with h5py.File(out, "r") as f:
                    self.assertEqual(e2e.attr_str(f.attrs["method"]), method)
                    if method == "sobol":
                        # A first-order estimate above its total-order one is pointed out, per output.
                        above = (f["/sensitivity/first_order"][()] > f["/sensitivity/total_order"][()]).any(axis=1)
                        self.assertEqual(result.stdout.count("CAUTION: the first-order index is above"),
                                         int(above.sum()), result.stdout)
                    points = 8 * 4 if method == "sobol" else 4 * 3
                    self.assertEqual(f["/sensitivity/outputs"].shape, (2, points))
                    key = "first_order" if method == "sobol" else "mu_star"
                    self.assertEqual(f[f"/sensitivity/{key}"].shape, (2, 2))
                    ci = f[f"/sensitivity/{key}_ci"][()]
                    self.assertTrue((ci[..., 0] <= ci[..., 1]).all())
                    # The mean FIP count is 7 x mean P(FIP) at every point.
                    outputs = f["/sensitivity/outputs"][()]
                    for a, b in zip(outputs[0], outputs[1]):
                        self.assertAlmostEqual(7 * a, b, places=9)


if __name__ == "__main__":
    unittest.main()
