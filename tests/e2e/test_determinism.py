"""Results are exact (docs/model.md §4.9): bitwise identical for any number of threads, determined
by the seed and the replicate index alone; and `lwsim report` reproduces what `lwsim run` printed.
"""

import unittest

import h5py

import lwsim_e2e as e2e

REPLICATES = 300
SEED = 11
# Root attributes that describe the invocation rather than the results.
INVOCATION_ATTRIBUTES = {"created_utc", "threads", "command_line"}


def setUpModule():
    global TMP, RUNS
    TMP = e2e.SharedTempDir()
    RUNS = {}
    for threads in (1, 2, 3):
        out = TMP.path(f"threads{threads}.h5")
        result = e2e.run_checked("run", "-o", out, "--replicates", REPLICATES, "--seed", SEED,
                                 "--threads", threads, "--quiet", cwd=TMP.name)
        RUNS[threads] = (out, result)


def tearDownModule():
    TMP.cleanup()


def contents(path):
    """{dataset path: (dtype, shape, bytes)} for every dataset in the file."""
    with h5py.File(path, "r") as f:
        return {p: e2e.dataset_content(d) for p, d in e2e.walk_datasets(f).items()}


def summary_block(stdout):
    """The model's summary as printed by run and report: from 'P(FIP) per practice' to the end,
    without the 'Wrote ...' line that only `run` prints."""
    start = stdout.index("P(FIP) per practice")
    lines = stdout[start:].splitlines()
    return "\n".join(l for l in lines if not l.startswith("Wrote ")).strip()


class ThreadsTest(unittest.TestCase):

    def test_thread_counts_give_byte_identical_datasets(self):
        """--threads 1, 2 and 3 write the same datasets, byte for byte (dtype, shape and data), in
        /results, /summary, /timeseries, /practices, /status, /design and everywhere else."""
        reference = contents(RUNS[1][0])
        for group in ("/results/", "/summary/", "/timeseries/", "/practices/", "/status/"):
            self.assertTrue(any(p.startswith(group) for p in reference), f"no dataset under {group}")
        for threads in (2, 3):
            other = contents(RUNS[threads][0])
            with self.subTest(threads=threads):
                self.assertEqual(sorted(other), sorted(reference), "the files hold different datasets")
                for path in reference:
                    with self.subTest(path):
                        self.assertEqual(other[path], reference[path])

    def test_thread_counts_give_the_same_root_attributes(self):
        """Apart from the time, the thread count and the command line, the root attributes agree."""
        with h5py.File(RUNS[1][0], "r") as one, h5py.File(RUNS[3][0], "r") as three:
            self.assertEqual(int(one.attrs["threads"]), 1)
            self.assertEqual(int(three.attrs["threads"]), 3)
            names = set(one.attrs) - INVOCATION_ATTRIBUTES
            self.assertEqual(names, set(three.attrs) - INVOCATION_ATTRIBUTES)
            for name in names:
                with self.subTest(name):
                    self.assertEqual(str(one.attrs[name]), str(three.attrs[name]))

    def test_thread_counts_print_the_same_summary(self):
        """The printed summary is the same for every thread count."""
        reference = summary_block(RUNS[1][1].stdout)
        for threads in (2, 3):
            self.assertEqual(summary_block(RUNS[threads][1].stdout), reference)


class SeedTest(unittest.TestCase):

    def test_a_different_seed_gives_different_results(self):
        """Another seed gives a different sequence of FIP counts."""
        out = TMP.path("seed.h5")
        e2e.run_checked("run", "-o", out, "--replicates", REPLICATES, "--seed", SEED + 1, "--quiet", cwd=TMP.name)
        with h5py.File(out, "r") as other, h5py.File(RUNS[1][0], "r") as reference:
            self.assertEqual(other["/results/fip_count"].shape, reference["/results/fip_count"].shape)
            self.assertNotEqual(other["/results/fip_count"][()].tobytes(),
                                reference["/results/fip_count"][()].tobytes())

    def test_replicates_depend_only_on_seed_and_index(self):
        """Replicate r is the same whatever the number of replicates: a run of 100 replicates equals
        the first 100 replicates of the run of 300 (the stream key is (seed, replicate))."""
        out = TMP.path("fewer.h5")
        e2e.run_checked("run", "-o", out, "--replicates", 100, "--seed", SEED, "--quiet", cwd=TMP.name)
        with h5py.File(out, "r") as fewer, h5py.File(RUNS[2][0], "r") as reference:
            for path, dset in e2e.walk_datasets(reference).items():
                if not path.startswith("/results/"):
                    continue
                with self.subTest(path):
                    self.assertEqual(fewer[path][()].tobytes(), dset[:, :100].tobytes())


class ReportTest(unittest.TestCase):

    def test_report_prints_the_p_fip_lines_that_run_printed(self):
        """`lwsim report out.h5` prints the same P(FIP) per practice lines as `lwsim run` did."""
        out, run = RUNS[2]
        report = e2e.run_ok(self, "report", out)
        run_rows = e2e.parse_summary(run.stdout)["p_fip"]
        self.assertEqual(len(run_rows), 7)
        self.assertEqual(e2e.parse_summary(report.stdout)["p_fip"], run_rows)
        run_lines = [l for l in run.stdout.splitlines() if " list " in l]
        report_lines = [l for l in report.stdout.splitlines() if " list " in l]
        self.assertEqual(report_lines, run_lines)

    def test_report_prints_the_whole_summary_that_run_printed(self):
        """`lwsim report` prints the whole summary block (counts, P(count), construct scores, CLP hours,
        referrals, continuity) exactly as `lwsim run` printed it."""
        out, run = RUNS[2]
        report = e2e.run_ok(self, "report", out)
        self.assertEqual(summary_block(report.stdout), summary_block(run.stdout))

    def test_report_names_the_run(self):
        """The report's header names the seed and the replicates of the run."""
        out, _ = RUNS[2]
        report = e2e.run_ok(self, "report", out)
        self.assertIn(f"{REPLICATES} replicates, seed {SEED}", report.stdout)


if __name__ == "__main__":
    unittest.main()
