"""The evaluator's example (scenarios/examples/known_practices.toml, docs/scenarios.md, *What is
known of a practice*): a scenario that writes down what is known of each practice (its own GP
buy-in, team quality and rate of competing innovations, and dated events) is valid and runs, and
what it says of a practice changes that practice's outlook."""

import glob
import math
import os
import unittest

import lwsim_e2e as e2e

EXAMPLES = os.path.join(e2e.SCENARIOS_DIR, "examples")
KNOWN = os.path.join(EXAMPLES, "known_practices.toml")


class ExampleScenarios(unittest.TestCase):
    def test_every_example_is_valid_and_begins_with_its_question(self):
        files = sorted(glob.glob(os.path.join(EXAMPLES, "*.toml")))
        self.assertIn(KNOWN, files)
        for path in files:
            with self.subTest(file=os.path.basename(path)):
                e2e.run_ok(self, "validate", path)
                self.assertIn("Question:", e2e.read_text(path).split("\n\n")[0])

    def test_the_known_practices_example_uses_practice_values_and_dated_events(self):
        text = e2e.read_text(KNOWN)
        for key in ("gp_buy_in = ", "team_quality = ", "innovation_rate = ", "[[practice.event]]",
                    'kind = "clp_change"', 'kind = "competing_innovation"', 'kind = "lead_gp_change"'):
            self.assertIn(key, text)

    def test_the_known_practices_example_runs_and_the_practice_known_to_struggle_integrates_less(self):
        # Riverside: buy-in 0.8, team 0.7, no known events. Hillhead: buy-in 0.4, team 0.4, six
        # competing innovations a year, a CLP change and a year-long competing innovation. With 400
        # replicates each P(FIP) has a standard error of at most 0.025; the claim is that Hillhead's
        # is lower by more than 4 standard errors of the difference.
        n = 400
        result = e2e.run_ok(self, "run", KNOWN, "--replicates", n, "--threads", 1, "--quiet")
        p = {name: float(value) for name, _, value, _ in e2e.parse_summary(result.stdout)["p_fip"]}
        self.assertEqual(sorted(p), ["Hillhead", "Parkview", "Riverside"])
        se = math.sqrt((p["Riverside"] * (1 - p["Riverside"]) + p["Hillhead"] * (1 - p["Hillhead"])) / n)
        self.assertGreater(p["Riverside"] - p["Hillhead"], 4 * se, f"P(FIP): {p}")


if __name__ == "__main__":
    unittest.main()
