"""Faults around a running lwsim, and what it leaves behind (docs/reliability.md):

- the output disk fills up: a sweep that cannot fit is refused up front with the estimate (exit 2);
  a disk filled by someone else while a sweep runs makes only its final compressed copy fail
  (exit 1), the streaming file keeps every finished point, and `--resume` after freeing space ends
  with the datasets of an uninterrupted run;
- an output directory that cannot be written (a read-only mount: root ignores permissions) is
  refused before any work by every command that writes; one removed while a sweep runs stops it
  with a clear error and nothing is written anywhere;
- truncated and corrupted HDF5 files given to report, export, merge and sweep --resume are refused
  as bad input naming the file (exit 2), never a crash;
- SIGINT and SIGTERM during start-up and during the final copy stop cleanly (test_sweep and
  test_interrupt cover signals while computing);
- requests that cannot fit in any machine's memory or time are refused up front with the estimate;
- a file-size limit (`ulimit -f`) refuses a run or sweep up front, and a write past it fails as
  "File too large" with one line and no temporary left (no death by SIGXFSZ);
- a second lwsim writing the same output is refused at once naming the first's pid; a crafted
  dataset larger than its dimensions is refused before anything is allocated for it; export
  writes both tables or neither.

Mounts need root: those tests are skipped, saying why, when mounting is not possible. Every mount
is unmounted and every process this file starts is ended (by its PID) even when a test fails.
"""

import os
import random
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py
import numpy

import lwsim_e2e as e2e

if os.environ.get("ASAN_OPTIONS"):
    # In the sanitizer build: when a full disk makes H5Fclose fail, HDF5 1.10 loses its metadata
    # accumulator (allocated under H5F__accum_write). Full stack unwinding lets tests/lsan.supp name
    # that function instead of the whole library, so lwsim's own leaks are still reported.
    os.environ["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":fast_unwind_on_malloc=0"

RESULT_GROUPS = ("/results", "/summary", "/timeseries", "/practices", "/status", "/design", "/evaluation", "/dims")

SWEEP = """
title = "faults"
base = "scenario.toml"

[design]
kind = "grid"
replicates = {replicates}
seed = 3

[parameters]
"clp.departure_hazard" = {hazards}
"context.gp_buy_in_mean" = [0.3, 0.6]
"""

CALIBRATION = """
base = "scenario.toml"
observed = "observed/deep_end_2016.toml"
[abc]
particles = 60
replicates = 1
seed = 4
generations = 8
quantile = 0.5
min_tolerance = 0
[distance]
fip_count = 1.0
"outcome.*" = 0.5
[priors]
"context.gp_buy_in_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }
"clp.departure_hazard" = { distribution = "log-uniform", min = 0.0005, max = 0.02 }
"""


def result_datasets(path):
    with h5py.File(path, "r") as f:
        return {name: e2e.dataset_content(ds) for name, ds in e2e.walk_datasets(f).items()
                if name.startswith(RESULT_GROUPS)}


def write_sweep(directory, replicates, hazards="[0.002, 0.005, 0.01, 0.02]", name="sweep.toml"):
    e2e.copy_scenario(directory)
    path = os.path.join(directory, name)
    e2e.write_text(path, SWEEP.format(replicates=replicates, hazards=hazards))
    return path


def file_attrs(path):
    os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"
    with h5py.File(path, "r") as f:
        return {"storage": e2e.attr_str(f.attrs["storage"]), "completed": f["/status/completed"][()].tolist()}


def fill(directory, name="filler"):
    """Writes a file in `directory` until its file system is full; returns its path."""
    path = os.path.join(directory, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return path


class FaultCase(e2e.TempDirTestCase):
    """A temporary directory, tmpfs mounts inside it, and processes ended in cleanup."""

    def mount_tmpfs(self, name, size, read_only=False):
        """Mounts a tmpfs of `size` (e.g. "2M") at tmp/name; skips the test when that is not possible."""
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root (CI runs the tests as root)")
        point = self.path(name)
        os.mkdir(point)
        options = f"size={size}" + (",ro" if read_only else "")
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", point],
                                capture_output=True, text=True)
        if result.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        # Registered before any process is started, so it runs after they are ended (LIFO).
        self.addCleanup(self.unmount, point)
        return point

    @staticmethod
    def unmount(point):
        if subprocess.run(["umount", point], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", point], capture_output=True)

    def start(self, *args, cwd=None):
        proc = subprocess.Popen([e2e.LWSIM, *map(str, args)], cwd=cwd or self.tmp, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.reap, proc)
        return proc

    @staticmethod
    def reap(proc):
        """Ends `proc` (this test's own child) if it still runs, and closes its pipes."""
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGCONT)
            except ProcessLookupError:
                pass
            proc.kill()
        proc.communicate()

    def wait_for(self, proc, path, limit=120):
        """Waits until `path` exists (polling; `limit` only guards against a hang)."""
        deadline = time.monotonic() + limit
        while not os.path.exists(path):
            if proc.poll() is not None:
                self.fail(f"lwsim ended (code {proc.returncode}) before {path} appeared:\n{proc.communicate()[1]}")
            if time.monotonic() > deadline:
                self.fail(f"{path} did not appear")
            time.sleep(0.005)

    def finish(self, proc, limit=300):
        try:
            out, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.kill()
            self.fail(f"lwsim did not end within {limit} s")
        return proc.returncode, out, err

    def assert_one_error_line(self, err, *words):
        lines = [l for l in err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one line on stderr:\n{err}")
        self.assertTrue(lines[0].startswith("lwsim: error: "), lines[0])
        for word in words:
            self.assertIn(word, lines[0])
        return lines[0]

    def assert_no_crash(self, result, shown=""):
        self.assertGreaterEqual(result.code, 0, f"killed by signal {-result.code}\n{shown}{result.stderr}")
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "ThreadSanitizer", "Segmentation"):
            self.assertNotIn(marker, result.stderr, shown)


class DiskFullTest(FaultCase):

    def test_a_sweep_larger_than_the_disk_is_refused_up_front_with_the_estimate(self):
        """A sweep whose streaming file cannot fit in a 2 MB tmpfs is refused before any work:
        exit 2, one line naming the output, the space it needs and the space there is; the mount
        is left empty."""
        mount = self.mount_tmpfs("small", "2M")
        sweep = write_sweep(self.tmp, replicates=200)
        out = os.path.join(mount, "out.h5")
        result = e2e.run("sweep", sweep, "-o", out, "--quiet")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        line = self.assert_one_error_line(result.stderr, out, "-o", "free", "output file would need")
        self.assertRegex(line, r"would need [0-9.]+ MB while running, but its file system has [0-9.]+ (MB|kB) free")
        self.assertEqual(os.listdir(mount), [])

    def test_a_run_output_larger_than_the_disk_is_refused_up_front(self):
        """`lwsim run -o` on a disk too small for its file is refused the same way, naming -o."""
        mount = self.mount_tmpfs("small", "1M")
        out = os.path.join(mount, "out.h5")
        result = e2e.run("run", "--replicates", 2000, "-o", out, "--quiet", cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        self.assert_one_error_line(result.stderr, out, "-o", "free")
        self.assertEqual(os.listdir(mount), [])

    def test_a_disk_filled_during_a_sweep_keeps_every_point_and_resume_finishes(self):
        """The disk of a running sweep is filled by another writer. The streaming file's space was
        taken when it was created, so every point is still computed and written; only the final
        compressed copy fails: exit 1, one line saying there is no space, that out.h5 keeps all the
        points and how to finish; no out.h5.tmp is left. After freeing the space, --resume writes
        the compressed file, whose datasets are those of an uninterrupted run."""
        mount = self.mount_tmpfs("disk", "64M")
        sweep = write_sweep(self.tmp, replicates=150)
        reference = self.path("reference.h5")
        e2e.run_ok(self, "sweep", sweep, "-o", reference, "--quiet", timeout=600)
        out = os.path.join(mount, "out.h5")
        proc = self.start("sweep", sweep, "-o", out, "--quiet", "--threads", 1)
        self.wait_for(proc, out)
        # Freeze the sweep while the disk is filled, so that it cannot finish first.
        proc.send_signal(signal.SIGSTOP)
        self.assertIsNone(proc.poll(), "the sweep ended before the disk could be filled")
        filler = fill(mount)
        proc.send_signal(signal.SIGCONT)
        code, _, err = self.finish(proc)
        self.assertEqual(code, e2e.EXIT_FAILURE, err)
        line = self.assert_one_error_line(err, "No space left on device", out, "keeps all 8 points", "--resume")
        self.assertIn(f"lwsim sweep {sweep} -o {out} --resume", line)
        self.assertEqual(sorted(os.listdir(mount)), ["filler", "out.h5"])
        self.assertEqual(file_attrs(out), {"storage": "streaming", "completed": [1] * 8})
        report = e2e.run("report", out)
        self.assertEqual(report.code, e2e.EXIT_OK, report.stderr)
        self.assertIn("8 points (8 complete)", report.stdout)

        os.remove(filler)
        resumed = e2e.run("sweep", sweep, "-o", out, "--resume", "--quiet", timeout=600)
        self.assertEqual(resumed.code, e2e.EXIT_OK, resumed.stderr)
        self.assertIn("(8 were already complete)", resumed.stdout)
        self.assertEqual(file_attrs(out)["storage"], "compressed")
        self.assertEqual(result_datasets(out), result_datasets(reference))
        self.assertEqual(sorted(os.listdir(mount)), ["out.h5"])


    def test_a_disk_filled_during_a_calibration_keeps_its_generations_and_says_how_to_resume(self):
        """The disk of a running calibration fills up after its first generation was written: exit 1,
        one line saying the file keeps its complete generations and giving the --resume command (it
        did not say the file could be resumed); no temporary is left, and --resume after freeing the
        space finishes."""
        mount = self.mount_tmpfs("disk", "16M")
        e2e.copy_scenario(self.tmp)
        cal = self.path("cal.toml")
        e2e.write_text(cal, CALIBRATION)
        out = os.path.join(mount, "cal.h5")
        proc = self.start("calibrate", cal, "-o", out, "--threads", 1)
        for line in proc.stderr:
            if "generation 1: tolerance" in line:
                break
        proc.send_signal(signal.SIGSTOP)
        filler = fill(mount)
        proc.send_signal(signal.SIGCONT)
        code, _, err = self.finish(proc)
        self.assertEqual(code, e2e.EXIT_FAILURE, err)
        # Progress lines of the generations finished after the stop come first.
        err = "\n".join(l for l in err.splitlines() if not l.startswith("lwsim: generation "))
        line = self.assert_one_error_line(err, "No space left on device", f"{out} keeps its",
                                          f"lwsim calibrate {cal} -o {out} --resume")
        kept = int(line.split(f"{out} keeps its ")[1].split()[0])
        self.assertGreaterEqual(kept, 1)
        self.assertEqual(sorted(os.listdir(mount)), ["cal.h5", "filler"])
        with h5py.File(out, "r") as f:
            self.assertEqual(int(f.attrs["generations"]), kept)
        os.remove(filler)
        resumed = e2e.run("calibrate", cal, "-o", out, "--resume", "--quiet", timeout=300)
        self.assertEqual(resumed.code, e2e.EXIT_OK, resumed.stderr)
        self.assertEqual(sorted(os.listdir(mount)), ["cal.h5"])


class OutputDirectoryTest(FaultCase):

    def test_a_read_only_output_directory_is_refused_by_every_command_that_writes(self):
        """On a read-only file system (where root cannot write either) run, sweep, calibrate,
        sensitivity, merge and export refuse their output before any work: exit 2, one line naming
        the path and saying why; nothing is created."""
        mount = self.mount_tmpfs("readonly", "1M", read_only=True)
        sweep = write_sweep(self.tmp, replicates=5)
        shard = self.path("shard.h5")
        e2e.run_ok(self, "sweep", sweep, "-o", shard, "--quiet")
        source = e2e.SOURCE_DIR
        out = os.path.join(mount, "out.h5")
        commands = {
            "run": ["run", "--replicates", 5, "-o", out],
            "sweep": ["sweep", sweep, "-o", out],
            "calibrate": ["calibrate", os.path.join(source, "scenarios", "calibration", "deep_end.toml"), "-o", out],
            "sensitivity": ["sensitivity", os.path.join(source, "scenarios", "sensitivity", "deep_end.toml"),
                            "-o", out],
            "merge": ["merge", shard, "-o", out],
        }
        for name, args in commands.items():
            with self.subTest(command=name):
                result = e2e.run(*args, *([] if name == "merge" else ["--quiet"]), cwd=self.tmp)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assert_one_error_line(result.stderr, out, "-o", "Read-only file system")
        with self.subTest(command="export"):
            target = os.path.join(mount, "csv")
            result = e2e.run("export", shard, "--csv", target)
            self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
            self.assert_one_error_line(result.stderr, target, "--csv", "Read-only file system")
        self.assertEqual(os.listdir(mount), [])

    def test_an_output_directory_removed_while_a_sweep_runs_stops_it_with_a_clear_error(self):
        """The directory of a running sweep's output is removed: at its next checkpoint the sweep
        stops (exit 1) with one line saying the file was deleted, and writes nothing anywhere (the
        directory is not re-created)."""
        sweep = write_sweep(self.tmp, replicates=2000, hazards="[0.001, 0.002, 0.005, 0.01, 0.02, 0.03]")
        directory = self.path("results")
        os.mkdir(directory)
        out = os.path.join(directory, "out.h5")
        proc = self.start("sweep", sweep, "-o", out, "--quiet", "--checkpoint-interval", 0)
        self.wait_for(proc, out)
        shutil.rmtree(directory)
        code, _, err = self.finish(proc)
        self.assertEqual(code, e2e.EXIT_FAILURE, err)
        self.assert_one_error_line(err, out, "deleted")
        self.assertFalse(os.path.exists(directory))
        self.assertEqual(e2e.list_tree(self.tmp),
                         sorted(["observed", "observed/deep_end_2016.toml", "scenario.toml", "sweep.toml"]))


class ThreadLimitTest(FaultCase):
    """The system refuses to start threads (a per-user process limit here; on clusters, a per-job
    memory limit against the threads' stacks): the command fails with one line, leaves no partial
    output, and a sweep keeps a resumable file. Run as the unprivileged user `nobody`, because
    root is not bound by RLIMIT_NPROC (and RLIMIT_AS would starve the sanitizers' shadow memory)."""

    NPROC = 12  # threads and processes `nobody` may have: fewer than the 40 threads asked for

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("switching to the user nobody needs root (CI runs the tests as root)")
        os.chmod(self.tmp, 0o777)

    def run_limited(self, *args):
        def limit():
            os.setgid(65534)
            os.setuid(65534)
            resource.setrlimit(resource.RLIMIT_NPROC, (self.NPROC, self.NPROC))
        proc = subprocess.run([e2e.LWSIM, *map(str, args)], cwd=self.tmp, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120, preexec_fn=limit)
        return e2e.Result(proc.returncode, proc.stdout, proc.stderr)

    def test_a_run_that_cannot_start_its_threads_fails_with_one_line_and_leaves_nothing(self):
        result = self.run_limited("run", "--replicates", 100, "-o", "out.h5", "--threads", 40, "--quiet")
        self.assert_no_crash(result)
        self.assertEqual(result.code, e2e.EXIT_FAILURE, result.stderr)
        self.assert_one_error_line(result.stderr, "cannot start worker thread", "of 40",
                                   "Resource temporarily unavailable", "fewer threads")
        self.assertEqual(e2e.list_tree(self.tmp), [])

    def test_a_sweep_that_cannot_start_its_threads_keeps_a_file_that_resumes(self):
        sweep = self.path("sweep.toml")
        e2e.write_text(sweep, (
            f'base = "{e2e.DEFAULT_SCENARIO}"\n'
            '[design]\nkind = "grid"\nreplicates = 20\nseed = 3\n'
            '[parameters]\n"clp.departure_hazard" = [0.001, 0.01]\n'))
        result = self.run_limited("sweep", sweep, "-o", "out.h5", "--threads", 40, "--quiet")
        self.assert_no_crash(result)
        self.assertEqual(result.code, e2e.EXIT_FAILURE, result.stderr)
        self.assert_one_error_line(result.stderr, "cannot start worker thread", "of 40")
        self.assertEqual(e2e.list_tree(self.tmp), ["out.h5", "sweep.toml"])
        resumed = e2e.run("sweep", sweep, "-o", "out.h5", "--resume", "--threads", 2, "--quiet", cwd=self.tmp)
        self.assertEqual(resumed.code, e2e.EXIT_OK, resumed.stderr)
        fresh = e2e.run("sweep", sweep, "-o", "fresh.h5", "--threads", 1, "--quiet", cwd=self.tmp)
        self.assertEqual(fresh.code, e2e.EXIT_OK, fresh.stderr)
        with h5py.File(self.path("out.h5"), "r") as a, h5py.File(self.path("fresh.h5"), "r") as b:
            for name in ("results/fip_count", "summary/p_fip"):
                self.assertTrue(numpy.array_equal(a[name][...], b[name][...]), name)


class FileSizeLimitTest(FaultCase):
    """A file-size limit (`ulimit -f`, a batch system's per-job limit) smaller than the output (it
    ended the process with SIGXFSZ, no word, and left OUT.part, OUT.tmp or points.csv.tmp): a run or
    sweep is refused up front as for a full disk; a write that still meets the limit fails as "File
    too large" through the path of any failed write: exit 1, one line, no temporary left."""

    LIMIT = 100 << 10  # bytes: far smaller than any of the outputs below

    def run_limited(self, *args):
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.LIMIT, self.LIMIT))
        # restore_signals (the default) gives lwsim SIGXFSZ's default action, as a shell would.
        proc = subprocess.run([e2e.LWSIM, *map(str, args)], cwd=self.tmp, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300, preexec_fn=limit)
        return e2e.Result(proc.returncode, proc.stdout, proc.stderr)

    def test_a_run_or_sweep_larger_than_the_limit_is_refused_up_front(self):
        """The output estimate is checked against the limit as against the free space: exit 2 before
        any work, naming the file, -o and the limit; nothing left."""
        sweep = write_sweep(self.tmp, replicates=400)
        before = e2e.list_tree(self.tmp)
        for args in (("run", "--replicates", 2000), ("sweep", sweep)):
            with self.subTest(command=args[0]):
                result = self.run_limited(*args, "-o", "out.h5", "--quiet")
                self.assert_no_crash(result)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assert_one_error_line(result.stderr, "out.h5: -o:", "ulimit -f")
                self.assertEqual(e2e.list_tree(self.tmp), before)

    def test_an_export_past_the_limit_fails_with_one_line_and_leaves_no_new_file(self):
        sweep = write_sweep(self.tmp, replicates=20, hazards="[" + ", ".join(
            str(0.001 + 0.0005 * k) for k in range(40)) + "]")
        e2e.run_ok(self, "sweep", sweep, "-o", "in.h5", "--quiet", cwd=self.tmp, timeout=300)
        before = e2e.list_tree(self.tmp)
        result = self.run_limited("export", "in.h5", "--csv", "csv")
        self.assert_no_crash(result)
        self.assertEqual(result.code, e2e.EXIT_FAILURE, result.stderr)
        self.assert_one_error_line(result.stderr, "File too large")
        self.assertEqual(e2e.list_tree(self.tmp), before)


class OneWriterTest(FaultCase):
    """Two lwsims writing one output: the second is refused at once with exit 2, naming the first's
    pid, and the first finishes as if alone (both used to fail, sharing the fixed temporary names).
    The lock is lwsim's own (OUT.lock), so it holds with HDF5's file locking turned off, as it often
    is on Lustre and NFS."""

    ENV = {"HDF5_USE_FILE_LOCKING": "FALSE"}

    def test_a_second_writer_of_a_running_sweeps_output_is_refused_and_the_first_finishes(self):
        os.environ.update(self.ENV)
        sweep = write_sweep(self.tmp, replicates=1500, hazards="[0.001, 0.002, 0.005, 0.01, 0.02, 0.03]")
        before = e2e.list_tree(self.tmp)
        first = self.start("sweep", sweep, "-o", "out.h5", "--quiet", "--threads", 1)
        self.wait_for(first, self.path("out.h5"))
        expected = f"out.h5 is being written by another lwsim (pid {first.pid})"
        for args in (("sweep", sweep, "-o", "out.h5"), ("sweep", sweep, "-o", "out.h5", "--resume"),
                     ("run", "--replicates", 10, "-o", "out.h5", "--overwrite")):
            with self.subTest(second=" ".join(map(str, args))):
                result = e2e.run(*args, "--quiet", cwd=self.tmp, env=self.ENV)
                self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                self.assert_one_error_line(result.stderr, expected)
                self.assertIsNone(first.poll(), "the first sweep ended before the second was tried: "
                                                "make it slower")
        code, _, err = self.finish(first)
        self.assertEqual(code, e2e.EXIT_OK, err)
        self.assertEqual(file_attrs(self.path("out.h5")), {"storage": "compressed", "completed": [1] * 12})
        self.assertEqual(e2e.list_tree(self.tmp), sorted(before + ["out.h5"]))

    def test_two_runs_started_together_give_one_output_and_one_refusal(self):
        first = self.start("run", "--replicates", 3000, "-o", "out.h5", "--quiet", "--threads", 1)
        self.wait_for(first, self.path("out.h5.lock"))
        second = e2e.run("run", "--replicates", 10, "-o", "out.h5", "--quiet", cwd=self.tmp, env=self.ENV)
        self.assertEqual(second.code, e2e.EXIT_BAD_INPUT, second.stderr)
        self.assert_one_error_line(second.stderr, f"out.h5 is being written by another lwsim (pid {first.pid})")
        code, _, err = self.finish(first)
        self.assertEqual(code, e2e.EXIT_OK, err)
        self.assertEqual(e2e.list_tree(self.tmp), ["out.h5"])


class CraftedSizeTest(FaultCase):
    """A real result whose /status/completed is replaced by a chunked dataset of 3 x 2^30 entries that
    was never written (a few kB on disk): every reader refuses it at once, naming the file and the
    dataset, without allocating for it (report used 3.1 GB for 12 s; at 2^40, a bare bad_alloc)."""

    def test_a_dataset_larger_than_its_dimensions_is_refused_quickly_by_every_reader(self):
        sweep = write_sweep(self.tmp, replicates=5)
        good = self.path("good.h5")
        e2e.run_ok(self, "sweep", sweep, "-o", good, "--quiet")
        for entries in (3 << 30, 1 << 40):
            crafted = self.path(f"crafted{entries}.h5")
            shutil.copyfile(good, crafted)
            with h5py.File(crafted, "r+") as f:
                del f["/status/completed"]
                f["/status"].create_dataset("completed", shape=(entries,), dtype="u1", chunks=(1 << 16,))
            self.assertLess(os.path.getsize(crafted), 10 << 20)
            shutil.copyfile(crafted, self.path("resume.h5"))
            name = os.path.basename(crafted)
            for args in (("report", crafted), ("export", crafted, "--csv", self.path("csv")),
                         ("merge", crafted, "-o", self.path("merged.h5")),
                         ("sweep", sweep, "-o", self.path("resume.h5"), "--resume")):
                with self.subTest(entries=entries, command=args[0]):
                    started = time.monotonic()
                    result = e2e.run(*args, cwd=self.tmp, timeout=60)
                    elapsed = time.monotonic() - started
                    self.assert_no_crash(result)
                    self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
                    self.assert_one_error_line(result.stderr, "/status/completed",
                                               "resume.h5" if args[0] == "sweep" else name)
                    self.assertLess(elapsed, 10.0)
            self.assertFalse(os.path.exists(self.path("csv")))
            self.assertFalse(os.path.exists(self.path("merged.h5")))


class ExportAllOrNothingTest(FaultCase):
    """`export` writes both tables or neither (it replaced points.csv, then failed on the second and
    left points_practice.csv.tmp; a directory in the way of the second table is now refused up
    front, by the checks of every output path). FileSizeLimitTest shows that a failed write leaves no
    new file and no directory the export created; sim_tests "outputs committed together are all
    replaced or none" that a failed rename restores the tables already replaced."""

    def test_an_export_that_cannot_write_its_second_table_changes_nothing(self):
        sweep = write_sweep(self.tmp, replicates=5)
        e2e.run_ok(self, "sweep", sweep, "-o", "in.h5", "--quiet", cwd=self.tmp)
        os.makedirs(self.path("csv", "points_practice.csv"))
        e2e.write_text(self.path("csv", "points.csv"), "the earlier export")
        before = e2e.list_tree(self.tmp)
        result = e2e.run("export", "in.h5", "--csv", "csv", "--overwrite", cwd=self.tmp)
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        self.assert_one_error_line(result.stderr, "points_practice.csv", "--csv")
        self.assertEqual(e2e.read_text(self.path("csv", "points.csv")), "the earlier export")
        self.assertEqual(e2e.list_tree(self.tmp), before)


class DamagedFileTest(FaultCase):
    """Real output files, truncated at several offsets or with bytes flipped, given to every reader."""

    @classmethod
    def setUpClass(cls):
        cls.dir = e2e.SharedTempDir()
        cls.sweep = write_sweep(cls.dir.name, replicates=4, hazards="[0.002, 0.02]")
        cls.complete = cls.dir.path("complete.h5")
        e2e.run_checked("sweep", cls.sweep, "-o", cls.complete, "--quiet")
        # A streaming (unfinished) file, as a sweep killed with SIGKILL leaves it.
        cls.streaming = cls.dir.path("streaming.h5")
        slow = write_sweep(cls.dir.name, replicates=300, hazards="[0.002, 0.02]", name="slow.toml")
        proc = subprocess.Popen([e2e.LWSIM, "sweep", slow, "-o", cls.streaming, "--quiet"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while not os.path.exists(cls.streaming) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
        finally:
            proc.kill()
            proc.wait()
        if file_attrs(cls.streaming)["storage"] != "streaming":
            raise AssertionError("the killed sweep did not leave a streaming file")

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def damaged_copies(self, source):
        """(label, path) of damaged copies of `source`: truncations and flipped bytes."""
        with open(source, "rb") as f:
            data = f.read()
        size = len(data)
        copies = []
        for offset in (0, 7, 64, 511, 2048, size // 4, size // 2, size - 1):
            copies.append((f"truncated at {offset}", data[:offset]))
        for offset in (0, 3, 8, 9, 12, 20, 28, 40, 44, 52, 60, 96, size // 3, size // 2, (2 * size) // 3):
            flipped = bytearray(data)
            flipped[offset] ^= 0xFF
            copies.append((f"byte {offset} flipped", bytes(flipped)))
        paths = []
        for i, (label, content) in enumerate(copies):
            path = self.path(f"damaged_{i}.h5")
            with open(path, "wb") as f:
                f.write(content)
            paths.append((label, path))
        return paths

    def check_reader(self, args, path, label, must_fail):
        """A reader given a damaged file: never a crash; exit 2 with one line naming the file, or
        (when the damage is in result values HDF5 cannot check) success. Truncated files and a broken
        superblock must be refused. Under AddressSanitizer, HDF5's own losses on damaged files are
        not counted against lwsim (fuzz/lsan.supp says which)."""
        suppressions = os.path.join(e2e.SOURCE_DIR, "fuzz", "lsan.supp")
        result = e2e.run(*args, cwd=self.tmp, env={"LSAN_OPTIONS": f"suppressions={suppressions}:print_suppressions=0"})
        shown = f"{label}: lwsim {' '.join(map(str, args))}\n"
        self.assert_no_crash(result, shown)
        if must_fail:
            self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, shown + result.stderr)
        self.assertIn(result.code, (e2e.EXIT_OK, e2e.EXIT_BAD_INPUT), shown + result.stderr)
        if result.code == e2e.EXIT_BAD_INPUT:
            self.assert_one_error_line(result.stderr, path)

    def test_random_bit_flips_never_crash_a_reader(self):
        """200 damaged copies of each file (50 under a sanitizer), with 1 to 4 random bits flipped
        (half of them in the first 8 KiB, where the superblock, the root group and its attributes
        are), each given to `lwsim report`, which must refuse it in one line or read it, never crash.
        lwsim writes the HDF5 1.8 format, whose metadata blocks carry checksums, and keeps no text in
        the unchecksummed global heap. Measured with the default format and variable-length strings
        (schema 1), 8 of 600 such copies crashed HDF5 1.10 under AddressSanitizer, so 400 copies miss
        that regression with probability about exp(-400 * 8 / 600) = 0.5%, and the 100 of the
        sanitizer build (a copy costs about 1 s there; CI's time is bounded) with about 26%: under
        the sanitizers the result_file fuzz target reads thousands of mutated files in CI's 20 s
        (docs/reliability.md)."""
        rng = random.Random(11)
        path = self.path("damaged.h5")
        copies = 50 if os.environ.get("LWSIM_SANITIZE") else 200
        for source in (self.complete, self.streaming):
            with open(source, "rb") as f:
                data = f.read()
            for i in range(copies):
                flipped = bytearray(data)
                limit = min(len(data), 8192) if i % 2 == 0 else len(data)
                offsets = [rng.randrange(limit) for _ in range(rng.randint(1, 4))]
                for at in offsets:
                    flipped[at] ^= 1 << rng.randrange(8)
                with open(path, "wb") as f:
                    f.write(flipped)
                self.check_reader(["report", path], path, f"bytes {offsets} of {os.path.basename(source)} flipped",
                                  must_fail=False)

    def test_damaged_files_are_refused_by_report_export_merge_and_resume_naming_the_file(self):
        for source in (self.complete, self.streaming):
            for label, path in self.damaged_copies(source):
                must_fail = label.startswith("truncated") or label in ("byte 0 flipped", "byte 3 flipped")
                with self.subTest(file=os.path.basename(source), damage=label):
                    self.check_reader(["report", path], path, label, must_fail)
                    csv = self.path("csv")
                    shutil.rmtree(csv, ignore_errors=True)
                    self.check_reader(["export", path, "--csv", csv], path, label, must_fail)
                    merged = self.path("merged.h5")
                    if os.path.exists(merged):
                        os.remove(merged)
                    self.check_reader(["merge", path, "-o", merged, "--allow-incomplete"], path, label, must_fail)
                    resumed = self.path("resumed.h5")
                    shutil.copyfile(path, resumed)
                    sweep = self.sweep if source == self.complete else self.dir.path("slow.toml")
                    self.check_reader(["sweep", sweep, "-o", resumed, "--resume", "--quiet", "--threads", 2],
                                      resumed, label, must_fail)
                    self.assertFalse(os.path.exists(resumed + ".tmp"), "a temporary file was left behind")


class SignalTest(FaultCase):
    """Signals outside the computing phase that test_sweep and test_interrupt already cover."""

    def setUp(self):
        super().setUp()
        self.sweep = write_sweep(self.tmp, replicates=40)
        self.reference = self.path("reference.h5")
        e2e.run_ok(self, "sweep", self.sweep, "-o", self.reference, "--quiet")
        self.out = self.path("out.h5")

    def test_sigint_and_sigterm_during_start_up_leave_nothing_or_a_resumable_file(self):
        """A signal within the first milliseconds of a sweep: lwsim stops (exit 128 + signal; or,
        before its handlers exist, it dies of the signal), leaves no temporary file, and an out.h5
        it leaves is a readable file that --resume completes to the uninterrupted results."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            for delay in (0.0, 0.001, 0.005, 0.02, 0.05):
                with self.subTest(signal=sig.name, delay=delay):
                    if os.path.exists(self.out):
                        os.remove(self.out)
                    proc = self.start("sweep", self.sweep, "-o", self.out, "--quiet")
                    time.sleep(delay)
                    proc.send_signal(sig)
                    code, _, err = self.finish(proc)
                    self.assertIn(code, (128 + sig, -sig), err)
                    self.assertNotIn("Sanitizer", err)
                    self.assertFalse(os.path.exists(self.out + ".tmp"), "a temporary file was left behind")
                    if code == 128 + sig:
                        self.assertIn("interrupted by signal", err)
                    if os.path.exists(self.out):
                        final = e2e.run("sweep", self.sweep, "-o", self.out, "--resume", "--quiet")
                        self.assertEqual(final.code, e2e.EXIT_OK, final.stderr)
                        self.assertEqual(result_datasets(self.out), result_datasets(self.reference))

    def interrupt_the_copy(self, proc, path, sig):
        """Waits for the final copy (path + ".tmp") to start, freezes lwsim, and sends `sig` while
        it is frozen. Returns False when the copy was already over (the file renamed)."""
        self.wait_for(proc, path + ".tmp")
        proc.send_signal(signal.SIGSTOP)
        in_copy = os.path.exists(path + ".tmp")
        proc.send_signal(sig)
        proc.send_signal(signal.SIGCONT)
        return in_copy

    def test_sigint_during_the_final_compression_keeps_the_streaming_file_and_resume_finishes(self):
        """SIGINT while a finished sweep writes its compressed copy: exit 130, a message saying all
        points are complete and how to finish, no out.h5.tmp; the streaming out.h5 has every point
        and --resume compresses it to the uninterrupted results."""
        big = write_sweep(self.tmp, replicates=300, name="big.toml",
                          hazards="[0.001, 0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02]")
        reference = self.path("big_reference.h5")
        e2e.run_ok(self, "sweep", big, "-o", reference, "--quiet", timeout=600)
        for attempt in range(3):
            if os.path.exists(self.out):
                os.remove(self.out)
            proc = self.start("sweep", big, "-o", self.out, "--quiet")
            self.wait_for(proc, self.out)  # created (its own out.h5.tmp renamed): now computing
            landed = self.interrupt_the_copy(proc, self.out, signal.SIGINT)
            code, _, err = self.finish(proc)
            if landed and code != 0:
                break
        else:
            self.fail("the signal never landed during the final copy")
        self.assertEqual(code, 130, err)
        self.assertIn("while compressing", err)
        self.assertIn(f"lwsim sweep {big} -o {self.out} --resume", err)
        self.assertFalse(os.path.exists(self.out + ".tmp"))
        self.assertEqual(file_attrs(self.out), {"storage": "streaming", "completed": [1] * 16})
        final = e2e.run("sweep", big, "-o", self.out, "--resume", "--quiet", timeout=600)
        self.assertEqual(final.code, e2e.EXIT_OK, final.stderr)
        self.assertEqual(result_datasets(self.out), result_datasets(reference))

    def test_sigterm_during_the_final_copy_of_a_run_leaves_no_output(self):
        """SIGTERM while `lwsim run -o` writes its compressed file: exit 143 and no output at all
        (a run is not resumable), neither out.h5 nor out.h5.part nor out.h5.tmp."""
        for attempt in range(3):
            proc = self.start("run", "--replicates", 5000, "-o", self.out, "--quiet")
            landed = self.interrupt_the_copy(proc, self.out, signal.SIGTERM)
            code, _, err = self.finish(proc)
            if landed and code != 0:
                break
            os.remove(self.out)
        else:
            self.fail("the signal never landed during the final copy")
        self.assertEqual(code, 143, err)
        self.assertIn("interrupted by signal 15", err)
        for suffix in ("", ".part", ".tmp"):
            self.assertFalse(os.path.exists(self.out + suffix), suffix)


class UpFrontRefusalTest(e2e.TempDirTestCase):
    """Requests no machine could carry out are refused at once, with what they would need."""

    def assert_refused_with_estimate(self, result, *words):
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
        lines = e2e.stderr_lines(result)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertRegex(lines[0], r"would need .*[0-9.]+ (kB|MB|GB|TB|PB|EB) output file")
        self.assertRegex(lines[0], r"at least [0-9.e+]+ CPU-(seconds|minutes|hours|days|years)")
        for word in words:
            self.assertIn(word, lines[0])
        self.assertEqual(result.stdout, "")
        return lines[0]

    def test_absurd_replicates_are_refused_with_the_bytes_and_cpu_time_they_would_need(self):
        before = e2e.list_tree(self.tmp)
        result = e2e.run("run", "--replicates", 10 ** 12, "-o", "out.h5", cwd=self.tmp)
        line = self.assert_refused_with_estimate(result, "--replicates", "1000000000000 replicates")
        self.assertRegex(line, r"PB output file")
        self.assertEqual(e2e.list_tree(self.tmp), before)

    def sweep_refused(self, design, parameters, *words):
        e2e.copy_scenario(self.tmp)
        e2e.write_text(self.path("huge.toml"), f'base = "scenario.toml"\n[design]\n{design}\n[parameters]\n{parameters}\n')
        before = e2e.list_tree(self.tmp)
        for command in (["validate", "huge.toml"], ["sweep", "huge.toml", "-o", "out.h5"]):
            with self.subTest(command=command[0]):
                result = e2e.run(*command, cwd=self.tmp)
                self.assert_refused_with_estimate(result, "huge.toml:", *words)
                self.assertEqual(e2e.list_tree(self.tmp), before)

    def test_a_design_of_a_billion_points_is_refused_at_its_points_line(self):
        self.sweep_refused('kind = "lhs"\npoints = 1000000000\nreplicates = 10',
                           '"clp.departure_hazard" = { min = 0.001, max = 0.02 }',
                           "huge.toml:4: design.points", "1000000000 points")

    def test_a_grid_of_a_hundred_million_points_is_refused_at_its_parameters(self):
        levels = "[" + ", ".join(str(0.1 + 0.05 * i) for i in range(10)) + "]"
        names = ["context.gp_buy_in_mean", "context.team_quality_mean", "clp.handover_fraction",
                 "clp.momentum_shock", "context.innovation_rate_mean", "clp.departure_hazard",
                 "development.engagement_effect", "clp.vacancy_mean_weeks"]
        small = {"clp.departure_hazard": "[0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01]",
                 "context.innovation_rate_mean": "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
                 "clp.vacancy_mean_weeks": "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"}
        parameters = "\n".join(f'"{n}" = {small.get(n, levels)}' for n in names)
        self.sweep_refused('kind = "grid"\nreplicates = 10', parameters, "100000000 points")

    def test_a_sweep_needing_centuries_of_cpu_time_is_refused(self):
        self.sweep_refused('kind = "random"\npoints = 10000000\nreplicates = 100000000',
                           '"clp.departure_hazard" = { min = 0.001, max = 0.02 }',
                           "CPU time (more than the limit of 100 CPU-years)")


if __name__ == "__main__":
    unittest.main()
