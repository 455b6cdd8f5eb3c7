"""Claims about progress on stderr: on a terminal, a bar with the replicates done, rate and ETA; with
--quiet, nothing; on a pipe, no bar (plain lines only for runs longer than ten seconds)."""

import os
import pty
import subprocess
import unittest

import lwsim_e2e as e2e

SWEEP = """
base = "scenario.toml"
[design]
kind = "grid"
replicates = 150
[parameters]
"context.gp_buy_in_mean" = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
"""


class ProgressTest(e2e.TempDirTestCase):
    def setUp(self):
        super().setUp()
        e2e.copy_scenario(self.tmp)
        e2e.write_text(self.path("sweep.toml"), SWEEP)

    def run_on_terminal(self, *extra):
        """Runs a sweep with stderr on a pseudo-terminal; returns what the terminal received."""
        master, slave = pty.openpty()
        proc = subprocess.Popen([e2e.LWSIM, "sweep", self.path("sweep.toml"), "-o", self.path("out.h5"), *extra],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        received = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        os.close(master)
        self.assertEqual(proc.wait(timeout=120), 0, received.decode(errors="replace"))
        return received.decode(errors="replace")

    def test_a_terminal_shows_a_bar_with_replicates_rate_and_eta(self):
        # Replicates, not points: a compare of 2 points must move before its first point is done.
        text = self.run_on_terminal()
        self.assertRegex(text, r"\r\[[#-]{30}\] \d+/1200 replicates \(\d+%\)  [0-9.]+/s  ETA \S+")
        self.assertIn("1200/1200 replicates (100%)", text)
        self.assertTrue(text.endswith("\r\x1b[K"), repr(text[-40:]))  # the bar is cleared at the end

    def test_quiet_shows_nothing_even_on_a_terminal(self):
        self.assertEqual(self.run_on_terminal("--quiet"), "")

    def test_a_pipe_gets_no_bar(self):
        result = e2e.run("sweep", self.path("sweep.toml"), "-o", self.path("out.h5"))
        self.assertEqual(result.code, e2e.EXIT_OK, result.stderr)
        self.assertNotIn("\r", result.stderr)
        self.assertNotIn("[#", result.stderr)


if __name__ == "__main__":
    unittest.main()
