"""No silently mixed results: every input that changes results is in the fingerprint that a sweep's
`--resume` and `lwsim merge` compare, the observed data's text included (not only its path). A
sweep resumed after its observed data were edited, and shards computed against different observed
data, are refused (exit 2, naming the file), and the files are left as they were."""

import os

import lwsim_e2e as e2e

SWEEP = """
title = "observed data in the fingerprint"
base = "scenario.toml"

[design]
kind = "grid"
replicates = 4
seed = 5

[parameters]
"clp.departure_hazard" = [0.002, 0.01, 0.03, 0.05]
"""

OBSERVED = os.path.join("observed", "deep_end_2016.toml")


def edit_observed(directory):
    """Cyan observed as partially integrated: 2 FIPs and 5 PIPs instead of 3 and 4."""
    path = os.path.join(directory, OBSERVED)
    text = e2e.read_text(path)
    for old, new in (("fip = 3", "fip = 2"), ("pip = 4", "pip = 5"), ('Cyan = "FIP"', 'Cyan = "PIP"')):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    e2e.write_text(path, text)


class ObservedDataFingerprintTest(e2e.TempDirTestCase):

    def setUp(self):
        super().setUp()
        e2e.copy_scenario(self.tmp)
        e2e.write_text(self.path("sweep.toml"), SWEEP)

    def sweep(self, *args):
        return e2e.run("sweep", "sweep.toml", "--threads", 2, "--quiet", *args, cwd=self.tmp)

    def assert_refused_naming(self, result, *words):
        shown = f"exit {result.code}\nstderr: {result.stderr}"
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, shown)
        self.assertEqual(len(e2e.stderr_lines(result)), 1, shown)
        for word in words:
            self.assertIn(word, result.stderr, shown)

    def test_a_resume_after_the_observed_data_changed_is_refused_naming_the_observed_file(self):
        """Half a sweep computed against 3 FIPs, resumed against 2: refused, the file unchanged."""
        self.assertEqual(self.sweep("-o", "half.h5", "--shard", "0/2").code, e2e.EXIT_OK)
        before = open(self.path("half.h5"), "rb").read()
        edit_observed(self.tmp)
        result = self.sweep("-o", "half.h5", "--shard", "0/2", "--resume")
        self.assert_refused_naming(result, "half.h5", "--resume", "deep_end_2016.toml", "observed data")
        self.assertEqual(open(self.path("half.h5"), "rb").read(), before)

    def test_shards_computed_against_different_observed_data_are_not_merged(self):
        self.assertEqual(self.sweep("-o", "a.h5", "--shard", "0/2").code, e2e.EXIT_OK)
        edit_observed(self.tmp)
        self.assertEqual(self.sweep("-o", "b.h5", "--shard", "1/2").code, e2e.EXIT_OK)
        result = e2e.run("merge", "a.h5", "b.h5", "-o", "merged.h5", cwd=self.tmp)
        self.assert_refused_naming(result, "b.h5", "observed data")
        self.assertFalse(os.path.exists(self.path("merged.h5")))

    def test_shards_against_the_same_observed_data_still_merge(self):
        self.assertEqual(self.sweep("-o", "a.h5", "--shard", "0/2").code, e2e.EXIT_OK)
        self.assertEqual(self.sweep("-o", "b.h5", "--shard", "1/2").code, e2e.EXIT_OK)
        e2e.run_ok(self, "merge", "a.h5", "b.h5", "-o", "merged.h5", cwd=self.tmp)


if __name__ == "__main__":
    import unittest

    unittest.main()
