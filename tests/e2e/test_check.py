"""`--check` (docs/reliability.md, numerical guards): `lwsim run --check` and `lwsim sweep --check`
verify the model's state invariants after every mechanism of every week, and change no result;
parameter combinations that would make a probability leave [0, 1] are refused at validation with
one line naming the file, the line and the key (exit 2), for scenarios, `--set` and sweeps alike,
and nothing is written."""

import os
import shutil
import unittest

import h5py

import lwsim_e2e as e2e

RESULT_GROUPS = ("/results", "/summary", "/timeseries", "/practices", "/status", "/design", "/evaluation",
                 "/national", "/locality", "/survey")


def result_datasets(path):
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(f).items()
                if name.startswith(RESULT_GROUPS)}


class CheckedRunTest(e2e.TempDirTestCase):
    def assert_same_results(self, plain, checked):
        a = result_datasets(plain)
        b = result_datasets(checked)
        self.assertGreater(len(a), 20)
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            self.assertEqual(a[name], b[name], name)

    def test_a_checked_run_writes_the_results_of_an_unchecked_one(self):
        plain, checked = self.path("plain.h5"), self.path("checked.h5")
        e2e.run_ok(self, "run", "--replicates", 60, "--threads", 2, "--quiet", "-o", plain)
        e2e.run_ok(self, "run", "--replicates", 60, "--threads", 2, "--quiet", "--check", "-o", checked)
        self.assert_same_results(plain, checked)

    def test_a_checked_scale_up_run_writes_the_results_of_an_unchecked_one(self):
        """Glasgow 2024 (localities, shared CLPs, a cut of posts): above 64 practices an unchecked
        replicate steps its practices in parallel, a checked one in order."""
        scenario = os.path.join(e2e.SCENARIOS_DIR, "scale_up", "glasgow_2024.toml")
        plain, checked = self.path("plain.h5"), self.path("checked.h5")
        e2e.run_ok(self, "run", scenario, "--replicates", 2, "--quiet", "-o", plain, timeout=600)
        e2e.run_ok(self, "run", scenario, "--replicates", 2, "--quiet", "--check", "-o", checked, timeout=600)
        self.assert_same_results(plain, checked)

    def test_a_checked_sweep_writes_the_results_of_an_unchecked_one(self):
        e2e.copy_scenario(self.tmp)
        sweep = self.path("sweep.toml")
        e2e.write_text(sweep, """
base = "scenario.toml"
[design]
kind = "grid"
replicates = 8
seed = 5
[parameters]
"clp.departure_hazard" = [0.002, 0.02]
"funding.cycle_weeks" = [0, 26]
""")
        plain, checked = self.path("plain.h5"), self.path("checked.h5")
        e2e.run_ok(self, "sweep", sweep, "-o", plain, "--quiet")
        e2e.run_ok(self, "sweep", sweep, "-o", checked, "--quiet", "--check")
        self.assert_same_results(plain, checked)


class CombinationGuardTest(e2e.TempDirTestCase):
    def assert_refused(self, args, file, line, key, detail, output=None):
        result = e2e.run(*args, cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        lines = e2e.stderr_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        where = f"{file}:{line}: {key}: " if line else f"{file}: {key}: "
        self.assertIn(where, lines[0])
        self.assertIn(detail, lines[0])
        if output is not None:
            self.assertFalse(os.path.exists(output), "an output file was left behind")
        self.assertEqual(sorted(os.listdir(self.tmp)), sorted(self.before))

    def setUp(self):
        super().setUp()
        e2e.copy_scenario(self.tmp)
        self.before = os.listdir(self.tmp)

    def test_a_departure_hazard_above_one_is_refused_at_the_line_that_raised_it(self):
        scenario = self.path("hazard.toml")
        e2e.write_text(scenario, 'base = "scenario.toml"\n[parameters]\n"clp.departure_hazard" = 0.3\n'
                                 '"support.clps_per_manager" = 70.0\n')
        self.before = os.listdir(self.tmp)
        out = self.path("out.h5")
        self.assert_refused(["run", scenario, "--quiet", "-o", out], scenario, 4,
                            "parameters.support.clps_per_manager",
                            "the CLP's weekly departure hazard would reach 1.65", output=out)

    def test_a_set_on_the_command_line_is_named_when_it_makes_the_combination(self):
        """The scenario's funding cycles are valid with its hazard; --set raises the hazard past 1."""
        scenario = self.path("funding.toml")
        e2e.write_text(scenario, 'base = "scenario.toml"\n[parameters]\n"funding.cycle_weeks" = 52\n'
                                 '"funding.departure_multiplier" = 20.0\n')
        self.before = os.listdir(self.tmp)
        out = self.path("out.h5")
        e2e.run_ok(self, "validate", scenario)
        self.assert_refused(["run", scenario, "--quiet", "-o", out, "--set", "clp.departure_hazard=0.1"],
                            "command line", 0, "--set clp.departure_hazard",
                            "the CLP's weekly departure hazard would reach 2", output=out)

    def test_a_sweep_point_that_makes_a_probability_leave_the_unit_interval_is_refused(self):
        sweep = self.path("sweep.toml")
        e2e.write_text(sweep, 'base = "scenario.toml"\n[design]\nkind = "grid"\nreplicates = 2\nseed = 1\n'
                              '[parameters]\n"innovation.load_mean" = [0.2, 0.7]\n')
        self.before = os.listdir(self.tmp)
        out = self.path("out.h5")
        self.assert_refused(["sweep", sweep, "-o", out, "--quiet"], sweep, 7, "parameters.innovation.load_mean",
                            "x (1 + innovation.load_spread (0.5)) must be at most 1", output=out)


if __name__ == "__main__":
    unittest.main()
