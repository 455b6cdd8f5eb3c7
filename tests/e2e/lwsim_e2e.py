"""Shared helpers for lwsim's end-to-end tests: the real binary, run as a subprocess, on real files.

The tests are run by ctest (tests/CMakeLists.txt) as `/usr/bin/python3 -m unittest -v test_x` in
this directory, with two environment variables:

  LWSIM             path of the lwsim binary under test
  LWSIM_SOURCE_DIR  the repository root (for scenarios/, models/lwp/parameters.def, docs/)

Only the standard library, plus Debian's h5py and numpy (use /usr/bin/python3), are used.
"""

import collections
import os
import re
import shutil
import subprocess
import tempfile
import unittest

# A generous ceiling for one lwsim invocation: anything slower is a hang, not a slow machine.
DEFAULT_TIMEOUT = 120


def _required_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"environment variable {name} is not set; run the e2e tests through ctest, or as "
            f"LWSIM=<build>/apps/lwsim/lwsim LWSIM_SOURCE_DIR=<repo> /usr/bin/python3 -m unittest -v ..."
        )
    return value


LWSIM = os.path.abspath(_required_env("LWSIM"))
SOURCE_DIR = os.path.abspath(_required_env("LWSIM_SOURCE_DIR"))
SCENARIOS_DIR = os.path.join(SOURCE_DIR, "scenarios")
DEFAULT_SCENARIO = os.path.join(SCENARIOS_DIR, "deep_end_glasgow.toml")
PARAMETERS_DEF = os.path.join(SOURCE_DIR, "models", "lwp", "parameters.def")
PARAMETERS_DOC = os.path.join(SOURCE_DIR, "docs", "parameters.md")
OUTPUT_DOC = os.path.join(SOURCE_DIR, "docs", "output.md")

# The exit codes promised by README, *Using lwsim*, and docs/reliability.md.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

Result = collections.namedtuple("Result", "code stdout stderr")


def run(*args, cwd=None, timeout=DEFAULT_TIMEOUT, env=None):
    """Runs lwsim with `args` and returns Result(code, stdout, stderr) (text).

    stdin is closed so that nothing can wait for input; a run that takes longer than `timeout`
    seconds is killed and raises subprocess.TimeoutExpired (a test failure, never a hang).
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [LWSIM, *[str(a) for a in args]],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def stderr_lines(result):
    """The non-empty lines lwsim wrote on stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]


def list_tree(directory):
    """Every file and directory under `directory`, as sorted relative paths."""
    found = []
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            found.append(os.path.relpath(os.path.join(root, name), directory))
    return sorted(found)


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_text(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy_scenario(directory, name="scenario.toml"):
    """Copies the default scenario into `directory` with `observed/` alongside (so its relative
    `observed` path resolves) and returns the new scenario's path."""
    target = os.path.join(directory, name)
    shutil.copyfile(DEFAULT_SCENARIO, target)
    observed = os.path.join(directory, "observed")
    if not os.path.exists(observed):
        shutil.copytree(os.path.join(SCENARIOS_DIR, "observed"), observed)
    return target


def line_of(text, needle, exact=False):
    """The 1-based number of the first line of `text` that contains `needle` (or, when `exact`,
    that is `needle` apart from surrounding white space)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if (line.strip() == needle.strip()) if exact else (needle in line):
            return number
    raise AssertionError(f"{needle!r} not found in the text")


# LWP_PARAM(field, "dotted.name", kind, default, min, max, ...) at the start of a line (the format
# description in the file's header comment is indented after "//", so it does not match).
_PARAM_ENTRY = re.compile(r'^LWP_PARAM\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,',
                          flags=re.MULTILINE)


def parameter_table():
    """[(name, kind, default text)] for every parameter in models/lwp/parameters.def, in order."""
    entries = _PARAM_ENTRY.findall(read_text(PARAMETERS_DEF))
    if not entries:
        raise AssertionError(f"no LWP_PARAM entries found in {PARAMETERS_DEF}")
    return entries


def parameter_names():
    """Every parameter name ("dotted.name") declared in models/lwp/parameters.def, in order."""
    return [name for name, _, _ in parameter_table()]


def flatten(table, prefix=""):
    """{"a.b.c": value} for a nested dict (a parsed TOML table)."""
    out = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


class TempDirTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory `self.tmp`, removed after each test."""

    def setUp(self):
        super().setUp()
        holder = tempfile.TemporaryDirectory(prefix="lwsim-e2e-")
        self.addCleanup(holder.cleanup)
        self.tmp = holder.name

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)


class SharedTempDir:
    """A temporary directory for a whole test class (setUpClass / tearDownClass)."""

    def __init__(self):
        self._holder = tempfile.TemporaryDirectory(prefix="lwsim-e2e-")
        self.name = self._holder.name

    def path(self, *parts):
        return os.path.join(self.name, *parts)

    def cleanup(self):
        self._holder.cleanup()


def run_ok(testcase, *args, **kwargs):
    """Runs lwsim and fails `testcase` (with stderr shown) unless it exits 0."""
    result = run(*args, **kwargs)
    testcase.assertEqual(result.code, EXIT_OK,
                         f"lwsim {' '.join(map(str, args))} failed with code {result.code}:\n{result.stderr}")
    return result


def check_ok(result, args):
    """Raises (for setUpClass, where there is no test case yet) unless `result` is a success."""
    if result.code != EXIT_OK:
        raise AssertionError(f"lwsim {' '.join(map(str, args))} failed with code {result.code}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def run_checked(*args, **kwargs):
    return check_ok(run(*args, **kwargs), args)


def walk_datasets(h5file):
    """{path: dataset} for every dataset in an open h5py File."""
    import h5py

    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found["/" + name] = obj

    h5file.visititems(visit)
    return found


def dataset_content(dset):
    """(dtype, shape, bytes) of a dataset, for byte-for-byte comparison. Strings are compared by
    their text, whatever their HDF5 string type (fixed-length since schema 2, variable-length
    before; the bytes of an object array would be pointers), with the dtype "text"."""
    import h5py

    if h5py.check_string_dtype(dset.dtype) is not None:
        data = "\x00".join(dset.asstr()[()].ravel().tolist()).encode("utf-8")
        return ("text", dset.shape, data)
    else:
        data = dset[()].tobytes()
    return (str(dset.dtype), dset.shape, data)


def attr_str(value):
    """An HDF5 attribute as a Python str (h5py may return bytes for fixed-length strings)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


# ---- parsing what `lwsim run` and `lwsim report` print --------------------------------------

_P_FIP_LINE = re.compile(r"^\s+(\S+)\s+list\s+(\d+)\s+([0-9.]+) ± ([0-9.]+)")
_COUNT_LINE = re.compile(r"^\s+(\d+)\s+([0-9.]+)(\s|$)")
_P_OBSERVED = re.compile(r"P\(count = (\d+)\) = ([0-9.]+) ± ([0-9.]+)")
_MEAN = re.compile(r"^\s+mean ([0-9.]+); central 90% interval \[(\d+), (\d+)\]")


def parse_summary(text):
    """The numbers in the plain-text summary printed by `lwsim run` / `lwsim report`, as strings
    exactly as printed (so that comparisons can use the printed precision):

      p_fip:        [(name, list_size, p, se)] in printed order
      distribution: [(count, p)]
      p_observed:   (count, p, se) or None
      mean:         mean FIP count (str) or None
    """
    lines = text.splitlines()
    out = {"p_fip": [], "distribution": [], "p_observed": None, "mean": None, "interval": None}
    section = None
    for line in lines:
        if line.startswith("P(FIP) per practice"):
            section = "p_fip"
            continue
        if line.startswith("Number of fully integrated practices"):
            section = "count"
            continue
        if line and not line.startswith(" "):
            section = None
        if section == "p_fip":
            m = _P_FIP_LINE.match(line)
            if m:
                out["p_fip"].append(m.groups())
        elif section == "count":
            m = _COUNT_LINE.match(line)
            if m:
                out["distribution"].append((int(m.group(1)), m.group(2)))
            m = _MEAN.match(line)
            if m:
                out["mean"] = m.group(1)
                out["interval"] = (int(m.group(2)), int(m.group(3)))
            m = _P_OBSERVED.search(line)
            if m:
                out["p_observed"] = (int(m.group(1)), m.group(2), m.group(3))
    return out


def decimals(printed):
    """Number of decimals in a printed number such as '0.123'."""
    return len(printed.split(".", 1)[1]) if "." in printed else 0
