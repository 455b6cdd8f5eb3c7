"""An interrupted `lwsim run -o OUT.h5` (Ctrl-C, or a polite kill) stops, says so, exits non-zero and
leaves no output behind: no OUT.h5, OUT.h5.part or OUT.h5.tmp — and an existing OUT.h5 that was
to be overwritten is left as it was.
"""

import os
import signal
import subprocess
import time
import unittest

import lwsim_e2e as e2e

# Far more replicates than can finish in the ~1 s before the signal.
REPLICATES = 200000


class InterruptTest(e2e.TempDirTestCase):

    def interrupt(self, sig, *extra):
        """Starts a long run writing out.h5, sends `sig` about 1 s after it started writing, and
        returns (exit code, stderr)."""
        out = self.path("out.h5")
        proc = subprocess.Popen([e2e.LWSIM, "run", "-o", out, "--replicates", str(REPLICATES), *extra],
                                cwd=self.tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(self.reap, proc)
        deadline = time.monotonic() + 10
        while not os.path.exists(out + ".part") and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(1.0)
        if proc.poll() is not None:
            self.fail(f"the run ended (code {proc.returncode}) before it could be interrupted:\n"
                      f"{proc.communicate()[1]}")
        proc.send_signal(sig)
        try:
            _, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            self.fail(f"lwsim did not stop within 30 s of {sig.name}")
        return proc.returncode, stderr

    @staticmethod
    def reap(proc):
        """Kills `proc` (this test's own child) if a failed test left it running, and closes its pipes."""
        if proc.poll() is None:
            proc.kill()
        proc.communicate()

    def assert_nothing_left(self, keep=()):
        left = [name for name in os.listdir(self.tmp) if name not in keep]
        self.assertEqual(left, [], "an interrupted run must leave no output files")

    def test_sigint_stops_the_run_and_leaves_no_output(self):
        """SIGINT about 1 s into a long run: non-zero exit, a message about the interruption, and
        no out.h5, out.h5.part or out.h5.tmp."""
        code, stderr = self.interrupt(signal.SIGINT)
        self.assertNotEqual(code, 0)
        self.assertIn("interrupt", stderr.lower())
        self.assert_nothing_left()

    def test_sigint_exit_code_is_128_plus_the_signal(self):
        """SIGINT gives the shell convention's exit code 128 + 2 = 130, distinct from bad input (2)."""
        code, _ = self.interrupt(signal.SIGINT)
        self.assertEqual(code, 128 + signal.SIGINT)

    def test_sigterm_stops_the_run_and_leaves_no_output(self):
        """SIGTERM (a polite kill, as sent by a batch system) behaves like SIGINT."""
        code, stderr = self.interrupt(signal.SIGTERM)
        self.assertNotEqual(code, 0)
        self.assertIn("interrupt", stderr.lower())
        self.assert_nothing_left()

    def test_interrupted_overwrite_keeps_the_existing_file(self):
        """An interrupted `--overwrite` run leaves the existing out.h5 as it was."""
        e2e.write_text(self.path("out.h5"), "the previous results")
        code, _ = self.interrupt(signal.SIGINT, "--overwrite")
        self.assertNotEqual(code, 0)
        self.assertEqual(e2e.read_text(self.path("out.h5")), "the previous results")
        self.assert_nothing_left(keep=("out.h5",))


if __name__ == "__main__":
    unittest.main()
