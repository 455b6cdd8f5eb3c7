"""A real single-node Slurm cluster (munge, slurmctld, slurmd) started in a temporary folder for a
test, and stopped by PID afterwards, even when the test fails. The recipe is the one verified on
this kind of machine (Debian 12, Slurm 22.05, no systemd): everything lives in the folder, so
nothing of the machine's own configuration is touched.

    with SlurmCluster() as cluster:
        cluster.run("sbatch", "--wait", "job.sh")   # SLURM_CONF points at the test's cluster
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

REQUIRED = ("munged", "slurmctld", "slurmd", "sbatch", "srun", "sinfo")


def missing_programs():
    return [p for p in REQUIRED if shutil.which(p) is None and not os.path.exists(f"/usr/sbin/{p}")]


def _program(name):
    return shutil.which(name) or f"/usr/sbin/{name}"


class SlurmCluster:
    def __init__(self, timeout=60):
        self.timeout = timeout
        self.folder = None
        self.env = None

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="lwsim-slurm-")
        try:
            self._start()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def path(self, *parts):
        return os.path.join(self.folder, *parts)

    def _start(self):
        s = self.folder
        os.chmod(s, 0o755)  # munged refuses a socket under a folder others cannot search
        for d in ("munge/key", "munge/run", "state/ctld", "state/d", "run", "log", "jobs"):
            os.makedirs(self.path(d), exist_ok=True)
        os.chmod(self.path("munge/key"), 0o700)
        os.chmod(self.path("munge/run"), 0o755)  # munged refuses a socket folder it cannot share
        key = self.path("munge/key/munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o600)
        socket = self.path("munge/run/munge.socket.2")
        started = subprocess.run([_program("munged"), f"--key-file={key}", f"--socket={socket}",
                                  f"--pid-file={self.path('munge/munged.pid')}",
                                  f"--log-file={self.path('munge/munged.log')}",
                                  f"--seed-file={self.path('munge/munged.seed')}"],
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        if started.returncode != 0:
            raise RuntimeError(f"munged did not start: {started.stderr.strip()}")

        hardware = subprocess.run([_program("slurmd"), "-C"], check=True, capture_output=True, text=True).stdout
        fields = " ".join(f"{k}={v}" for k, v in re.findall(r"(Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=(\d+)",
                                                                 hardware))
        cpus = re.search(r"CPUs=(\d+)", hardware).group(1)
        config = f"""ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={socket}
StateSaveLocation={s}/state/ctld
SlurmdSpoolDir={s}/state/d
SlurmctldPidFile={s}/run/slurmctld.pid
SlurmdPidFile={s}/run/slurmd.pid
SlurmctldLogFile={s}/log/slurmctld.log
SlurmdLogFile={s}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
ReturnToService=2
EnforcePartLimits=ALL
MinJobAge=4
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} {fields} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""
        with open(self.path("slurm.conf"), "w") as f:
            f.write(config)
        self.env = dict(os.environ, SLURM_CONF=self.path("slurm.conf"))
        for daemon in ("slurmctld", "slurmd"):
            started = subprocess.run([_program(daemon)], env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                                     text=True, timeout=30)
            if started.returncode != 0:
                raise RuntimeError(f"{daemon} did not start: {started.stderr.strip()}")
        deadline = time.time() + self.timeout
        state = ""
        while time.time() < deadline:
            probe = subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env, capture_output=True, text=True)
            state = probe.stdout.strip()
            if state == "idle":
                return
            time.sleep(0.2)
        raise RuntimeError(f"the test Slurm cluster did not become idle (state {state!r}); logs in {self.folder}/log")

    def _stop(self):
        """Stops the daemons this cluster started, by the PIDs in their pid files."""
        if self.folder is None:
            return
        pids = []
        for pid_file in ("run/slurmd.pid", "run/slurmctld.pid", "munge/munged.pid"):
            try:
                with open(self.path(pid_file)) as f:
                    pids.append(int(f.read().strip()))
            except (OSError, ValueError):
                pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 15
        for pid in pids:
            while time.time() < deadline and os.path.exists(f"/proc/{pid}"):
                time.sleep(0.1)
            if os.path.exists(f"/proc/{pid}"):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    # -- use -------------------------------------------------------------------------------------
    def run(self, *args, timeout=600, cwd=None, env=None):
        """Runs a Slurm command (sbatch, srun, ...) against this cluster."""
        full_env = dict(self.env)
        if env:
            full_env.update(env)
        return subprocess.run([str(a) for a in args], env=full_env, cwd=cwd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)

    def log(self, name):
        try:
            with open(self.path("log", name)) as f:
                return f.read()[-4000:]
        except OSError:
            return ""
