"""Claims about the output schema as documented: every dataset in a real output file is listed in
docs/output.md with its shape, and analysis/lwsim_results.py reads every one of them."""

import io
import os
import re
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.environ.get("LWSIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
LWSIM = os.environ.get("LWSIM", "lwsim")
sys.path.insert(0, os.path.join(SOURCE, "analysis"))

import h5py  # noqa: E402
import lwsim_results  # noqa: E402


class OutputSchemaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "out.h5")
        subprocess.run([LWSIM, "run", "--replicates", "64", "--seed", "3", "--quiet", "-o", cls.path],
                       check=True, stdout=subprocess.DEVNULL, timeout=300)
        with open(os.path.join(SOURCE, "docs", "output.md"), encoding="utf-8") as f:
            cls.doc = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_dataset_in_a_real_file_is_documented_with_its_dimensions(self):
        with lwsim_results.Results(self.path) as r:
            datasets = r.datasets()
            self.assertGreater(len(datasets), 40)
            for name, ds in datasets:
                with self.subTest(dataset=name):
                    path = "/design/<parameter>" if name.startswith("/design/") else name
                    rows = [line for line in self.doc.splitlines() if line.startswith(f"| `{path}`")]
                    self.assertTrue(rows, f"{name} is not documented in docs/output.md")
                    labels = [d.label for d in ds.dims]
                    if not name.startswith("/timeseries/"):
                        self.assertIn("[" + ", ".join(labels) + "]", rows[0],
                                      f"docs/output.md gives other dimensions for {name}: {labels}")
                    else:
                        self.assertEqual(labels, ["point", "week", "practice"])

    def test_every_documented_dataset_exists_in_a_real_file(self):
        # The run and sweep schema (calibration and sensitivity files come after it).
        run_schema = self.doc.split("## Calibration files")[0]
        documented = set(re.findall(r"^\| `(/[a-z_/]+)`", run_schema, flags=re.M))
        self.assertGreater(len(documented), 40)
        with h5py.File(self.path, "r") as f:
            present = set()
            f.visititems(lambda name, obj: present.add("/" + name) if isinstance(obj, h5py.Dataset) else None)
        # Sweeps add /design/<parameter>; a run with observed data has every other dataset.
        for path in sorted(documented):
            with self.subTest(dataset=path):
                self.assertIn(path, present)

    def test_lwsim_schema_lists_every_dataset_of_a_real_file_with_its_type_and_dimensions(self):
        """`lwsim schema` prints the layout of the file `lwsim run` writes: the same datasets (a
        sweep's /design/<parameter> aside), in the same groups, each with the file's type, dimension
        labels, units and description."""
        listed = subprocess.run([LWSIM, "schema"], check=True, capture_output=True, text=True, timeout=60).stdout
        entries = re.findall(r"^  (/\S+)  (\S+) \[([^\]]*)\](?:  \((.*)\))?\n      (.*)$", listed, flags=re.M)
        schema = {path: (dtype, [d.split("=")[0] for d in dims.split(", ") if d], units, description)
                  for path, dtype, dims, units, description in entries if not path.startswith("/design/")}
        with h5py.File(self.path, "r") as f:
            datasets = {}
            f.visititems(lambda name, obj: datasets.__setitem__("/" + name, obj)
                         if isinstance(obj, h5py.Dataset) else None)
            self.assertEqual(sorted(schema), sorted(datasets))
            for path, (dtype, dims, units, description) in schema.items():
                with self.subTest(dataset=path):
                    ds = datasets[path]
                    kind = "string" if ds.dtype.kind == "S" else str(ds.dtype)
                    self.assertEqual(dtype, kind)
                    if not path.startswith("/dims/"):
                        self.assertEqual(dims, [d.label for d in ds.dims])
                    self.assertEqual(units, lwsim_results.text_attr(ds, "units"))
                    self.assertEqual(description, lwsim_results.text_attr(ds, "description"))

    def test_the_reader_describes_every_dataset_with_units_and_meaning(self):
        out = io.StringIO()
        lwsim_results.describe(self.path, out)
        lines = out.getvalue().splitlines()
        with lwsim_results.Results(self.path) as r:
            names = [name for name, _ in r.datasets()]
        self.assertEqual(len(lines), len(names) + 1)
        for name, line in zip(names, lines[1:]):
            self.assertTrue(line.startswith(name + "  ["), line)

    def test_the_reader_summary_matches_the_file(self):
        out = io.StringIO()
        lwsim_results.summary(self.path, out)
        with lwsim_results.Results(self.path) as r:
            for name, p in r.p_fip().items():
                self.assertIn(f"P(FIP) {name}: {p:.4f}", out.getvalue())


if __name__ == "__main__":
    unittest.main()
