"""Claims about running lwsim on clusters, with the real components started by the tests: a sweep
under `mpirun -np 2` and `mpirun --oversubscribe -np 3` writes result datasets byte-identical to
one process's; a rank that dies ends the job with an error and leaves a file that --resume
completes; and on a real single-node Slurm cluster (munge, slurmctld, slurmd started here and
stopped by PID afterwards) a job array of shards with a dependent merge job, and an
`srun --mpi=pmix -n 2` sweep, both reproduce the single-process results byte for byte, using the
ready-made scripts of scenarios/cluster/."""

import os
import shutil
import signal
import subprocess
import time
import unittest

import h5py

import lwsim_e2e as e2e
import slurm_cluster

REQUIRE_MPI = os.environ.get("LWSIM_MPI") == "1"
CLUSTER_DIR = os.path.join(e2e.SOURCE_DIR, "scenarios", "cluster")
RESULT_GROUPS = ("/results", "/summary", "/timeseries", "/practices", "/status", "/design", "/evaluation", "/dims")
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
if os.environ.get("ASAN_OPTIONS"):
    # In the sanitizer build, Open MPI's own allocations at MPI_Init are never freed; the leak
    # checker needs full stack unwinding to attribute them to Open MPI's libraries, which
    # tests/lsan.supp then suppresses (lwsim's own leaks are still reported).
    MPI_ENV["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":fast_unwind_on_malloc=0"
    os.environ["ASAN_OPTIONS"] = MPI_ENV["ASAN_OPTIONS"]

SWEEP = """
title = "cluster test"
question = "Do clusters reproduce one process?"
base = "scenario.toml"
[design]
kind = "lhs"
points = {points}
replicates = {replicates}
seed = 7
[parameters]
"clp.departure_hazard" = {{ min = 0.001, max = 0.03, scale = "log" }}
"context.gp_buy_in_mean" = {{ min = 0.2, max = 0.9 }}
"""


def result_datasets(path):
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(f).items()
                if name.startswith(RESULT_GROUPS)}


def make_sweep(directory, points, replicates, name="sweep.toml"):
    e2e.copy_scenario(directory)
    path = os.path.join(directory, name)
    e2e.write_text(path, SWEEP.format(points=points, replicates=replicates))
    return path


def mpirun():
    path = shutil.which("mpirun")
    if path is None:
        if REQUIRE_MPI:
            raise AssertionError("lwsim was built with MPI but mpirun is not installed (./setup.sh test installs it)")
        raise unittest.SkipTest("lwsim was built without MPI")
    return path


class MpiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not REQUIRE_MPI:
            raise unittest.SkipTest("lwsim was built without MPI (LWSIM_MPI=OFF or no MPI found)")
        cls.dir = e2e.SharedTempDir()
        cls.sweep = make_sweep(cls.dir.name, points=12, replicates=60)
        cls.reference = cls.dir.path("one_process.h5")
        e2e.run_checked("sweep", cls.sweep, "-o", cls.reference, "--quiet")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def run_mpi(self, ranks, *extra, out):
        args = [mpirun(), *extra, "-np", str(ranks), e2e.LWSIM, "sweep", self.sweep, "-o", out, "--quiet",
                "--threads", "1"]
        proc = subprocess.run(args, env=dict(os.environ, **MPI_ENV), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc

    def test_two_ranks_write_the_results_of_one_process(self):
        out = self.dir.path("two_ranks.h5")
        proc = self.run_mpi(2, out=out)
        self.assertIn("2 ranks x 1 threads", proc.stdout)
        self.assertEqual(result_datasets(out), result_datasets(self.reference))
        with h5py.File(out, "r") as f:
            self.assertEqual(int(f.attrs["ranks"]), 2)

    def test_three_oversubscribed_ranks_write_the_results_of_one_process(self):
        out = self.dir.path("three_ranks.h5")
        self.run_mpi(3, "--oversubscribe", out=out)
        self.assertEqual(result_datasets(out), result_datasets(self.reference))

    def test_bad_input_under_mpi_is_reported_once_with_exit_code_2(self):
        args = [mpirun(), "-np", "2", e2e.LWSIM, "sweep", self.sweep, "-o", self.reference, "--quiet"]
        proc = subprocess.run(args, env=dict(os.environ, **MPI_ENV), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(proc.returncode, e2e.EXIT_BAD_INPUT, proc.stderr)
        self.assertEqual(proc.stderr.count("lwsim: error:"), 1, proc.stderr)
        self.assertIn("--resume", proc.stderr)


BATCH_CALIBRATION = """
title = "calibration on ranks"
base = "scenario.toml"
observed = "observed/deep_end_2016.toml"
[abc]
particles = 40
replicates = 1
seed = 4
generations = 2
quantile = 0.5
min_tolerance = 0
predictive_replicates = 3
[distance]
fip_count = 1.0
[priors]
"context.gp_buy_in_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }
"clp.departure_hazard" = { distribution = "log-uniform", min = 0.0005, max = 0.02 }
"""

BATCH_SENSITIVITY = """
title = "sensitivity on ranks"
base = "scenario.toml"
[sensitivity]
method = "sobol"
samples = 16
replicates = 4
seed = 9
bootstrap = 50
[outputs]
"P(FIP)" = "/summary/p_fip"
[parameters]
"context.gp_buy_in_mean" = { min = 0.2, max = 0.9 }
"clp.departure_hazard" = { min = 0.0005, max = 0.02, scale = "log" }
"""


class MpiBatchTest(unittest.TestCase):
    """`lwsim calibrate` and `lwsim sensitivity` decide their batches on rank 0 and compute them on
    every rank: on 2 ranks their files hold the datasets of one process."""

    def setUp(self):
        if not REQUIRE_MPI:
            self.skipTest("lwsim was built without MPI (LWSIM_MPI=OFF or no MPI found)")
        self.dir = e2e.SharedTempDir()
        self.addCleanup(self.dir.cleanup)
        e2e.copy_scenario(self.dir.name)

    def check_command(self, command, text):
        spec = self.dir.path(f"{command}.toml")
        e2e.write_text(spec, text)
        one = self.dir.path(f"{command}_one.h5")
        two = self.dir.path(f"{command}_two.h5")
        e2e.run_checked(command, spec, "-o", one, "--quiet", "--threads", "1", cwd=self.dir.name)
        args = [mpirun(), "-np", "2", e2e.LWSIM, command, spec, "-o", two, "--quiet", "--threads", "1"]
        proc = subprocess.run(args, env=dict(os.environ, **MPI_ENV), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=300, cwd=self.dir.name)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        with h5py.File(one, "r") as a, h5py.File(two, "r") as b:
            expected = {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(a).items()}
            got = {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(b).items()}
        self.assertGreater(len(expected), 3)
        self.assertEqual(sorted(expected), sorted(got))
        for name in expected:
            self.assertEqual(expected[name], got[name], name)

    def test_a_calibration_on_two_ranks_holds_the_results_of_one_process(self):
        self.check_command("calibrate", BATCH_CALIBRATION)

    def test_a_sensitivity_analysis_on_two_ranks_holds_the_results_of_one_process(self):
        self.check_command("sensitivity", BATCH_SENSITIVITY)


def descendants(pid):
    """PIDs of every process below `pid` (read from /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def rank_pid(mpirun_pid, rank):
    for pid in descendants(mpirun_pid):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() in environ:
            return pid
    return None


class RankDeathTest(e2e.TempDirTestCase):
    def test_a_rank_that_dies_ends_the_job_with_an_error_and_resume_completes_the_file(self):
        if not REQUIRE_MPI:
            self.skipTest("lwsim was built without MPI")
        sweep = make_sweep(self.tmp, points=40, replicates=150)
        reference = self.path("reference.h5")
        e2e.run_ok(self, "sweep", sweep, "-o", reference, "--quiet", timeout=300)
        out = self.path("out.h5")
        proc = subprocess.Popen([mpirun(), "-np", "2", e2e.LWSIM, "sweep", sweep, "-o", out, "--quiet", "--threads",
                                 "1", "--checkpoint-interval", "0"],
                                env=dict(os.environ, **MPI_ENV), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        victim = None
        deadline = time.time() + 60
        while victim is None and time.time() < deadline and proc.poll() is None:
            if os.path.exists(out):
                victim = rank_pid(proc.pid, 1)
            time.sleep(0.05)
        self.assertIsNotNone(victim, "rank 1 was not found")
        time.sleep(0.5)  # let some points finish
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertRegex(stderr, r"rank 1|process rank|exited on signal 9", stderr)
        # The file is resumable, in a single process, and ends as if never interrupted.
        report = e2e.run("report", out)
        self.assertEqual(report.code, e2e.EXIT_OK, report.stderr)
        self.assertIn("INCOMPLETE", report.stdout)
        final = e2e.run("sweep", sweep, "-o", out, "--resume", "--quiet", timeout=300)
        self.assertEqual(final.code, e2e.EXIT_OK, final.stderr)
        self.assertEqual(result_datasets(out), result_datasets(reference))


class SlurmTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = slurm_cluster.missing_programs()
        if missing:
            raise AssertionError(f"Slurm is not installed ({', '.join(missing)} missing); ./setup.sh test installs "
                                 "slurm-wlm and munge")
        cls.dir = e2e.SharedTempDir()
        cls.sweep = make_sweep(cls.dir.name, points=12, replicates=60)
        cls.reference = cls.dir.path("one_process.h5")
        e2e.run_checked("sweep", cls.sweep, "-o", cls.reference, "--quiet")
        cls.cluster = slurm_cluster.SlurmCluster()
        cls.cluster.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.cluster.__exit__(None, None, None)
        cls.dir.cleanup()

    def test_a_job_array_of_shards_and_a_dependent_merge_job_reproduce_one_process(self):
        outdir = self.dir.path("array")
        proc = self.cluster.run(os.path.join(CLUSTER_DIR, "submit_array.sh"), self.sweep, outdir, "3", "--wait",
                                "--cpus-per-task=1", env={"LWSIM": e2e.LWSIM})
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr + self.cluster.log("slurmctld.log"))
        self.assertRegex(proc.stdout, r"array job \d+, merge job \d+")
        for i in range(3):
            self.assertTrue(os.path.exists(os.path.join(outdir, f"shard_{i}.h5")))
        merged = os.path.join(outdir, "sweep.h5")
        self.assertTrue(os.path.exists(merged), os.listdir(outdir))
        self.assertEqual(result_datasets(merged), result_datasets(self.reference))

    def test_an_srun_pmix_sweep_on_two_ranks_reproduces_one_process(self):
        if not REQUIRE_MPI:
            self.skipTest("lwsim was built without MPI")
        out = self.dir.path("srun.h5")
        proc = self.cluster.run("sbatch", "--wait", "--ntasks=2", "--cpus-per-task=1", f"--chdir={self.dir.name}",
                                os.path.join(CLUSTER_DIR, "sweep_mpi.sbatch"), self.sweep, out,
                                env={"LWSIM": e2e.LWSIM})
        logs = "".join(e2e.read_text(os.path.join(self.dir.name, n)) for n in os.listdir(self.dir.name)
                       if n.startswith("lwsim-mpi-"))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr + logs)
        self.assertIn("2 ranks x 1 threads", logs)
        self.assertEqual(result_datasets(out), result_datasets(self.reference))


if __name__ == "__main__":
    unittest.main()
