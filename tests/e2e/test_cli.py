"""The command line's informational commands (README, *Using lwsim*; docs/parameters.md): help,
version, the parameter table and the output schema with their committed documentation, `validate`,
and `run` of the built-in Deep End scenario.
"""

import os
import re
import tempfile
import tomllib
import unittest

import lwsim_e2e as e2e

OBSERVED_FILE = os.path.join(e2e.SCENARIOS_DIR, "observed", "deep_end_2016.toml")

# Options each subcommand must document (README, *Using lwsim*, plus the flags lwsim promises
# elsewhere).
SUBCOMMAND_OPTIONS = {
    "run": ["scenario", "-o", "--output", "--replicates", "--seed", "--threads", "--set", "--quiet", "--overwrite"],
    "validate": ["file"],
    "params": ["--markdown"],
    "schema": ["scenario", "--markdown"],
    "report": ["file"],
}


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


class HelpTest(unittest.TestCase):

    def test_top_level_help_lists_the_subcommands(self):
        """`lwsim --help` exits 0, on stdout only, and lists every subcommand."""
        result = e2e.run_ok(self, "--help")
        self.assertEqual(result.stderr, "")
        for command in SUBCOMMAND_OPTIONS:
            self.assertRegex(result.stdout, rf"\n\s+{command}\s", f"--help does not list {command}")

    def test_subcommand_help_lists_its_options(self):
        """`lwsim COMMAND --help` exits 0 and documents each of the command's options."""
        for command, options in SUBCOMMAND_OPTIONS.items():
            with self.subTest(command):
                result = e2e.run_ok(self, command, "--help")
                self.assertEqual(result.stderr, "")
                self.assertIn(f"lwsim {command}", result.stdout)
                for option in options:
                    self.assertRegex(result.stdout, rf"(^|[\s,]){re.escape(option)}([\s,]|$)",
                                     f"`lwsim {command} --help` does not mention {option}")

    def test_version_is_the_projects(self):
        """`lwsim --version` exits 0 and prints the version declared in the top-level CMakeLists.txt."""
        declared = re.search(r"project\(lwsim\s+VERSION\s+([0-9.]+)",
                             e2e.read_text(os.path.join(e2e.SOURCE_DIR, "CMakeLists.txt")))
        self.assertIsNotNone(declared)
        result = e2e.run_ok(self, "--version")
        self.assertRegex(result.stdout.strip(), rf"^lwsim {re.escape(declared.group(1))}\b")


class ParamsTest(unittest.TestCase):

    def test_params_lists_every_parameter_of_the_table(self):
        """`lwsim params` lists every parameter in models/lwp/parameters.def, in order, and no other."""
        result = e2e.run_ok(self, "params")
        listed = [line.split()[0] for line in result.stdout.splitlines()
                  if line.strip() and "." in line.split()[0]]
        self.assertEqual(listed, e2e.parameter_names())

    def test_params_shows_the_defaults_of_the_table(self):
        """Each parameter's default in `lwsim params` is the default in parameters.def."""
        result = e2e.run_ok(self, "params")
        defaults = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[1:] if line.strip()}
        for name, _, default in e2e.parameter_table():
            with self.subTest(name):
                self.assertEqual(float(defaults[name]), float(default))

    def test_markdown_names_every_parameter(self):
        """`lwsim params --markdown` has one table row for each parameter in parameters.def."""
        result = e2e.run_ok(self, "params", "--markdown")
        rows = re.findall(r"^\| `([^`]+)` \|", result.stdout, flags=re.MULTILINE)
        self.assertEqual(rows, e2e.parameter_names())

    def test_committed_parameter_doc_is_up_to_date(self):
        """docs/parameters.md is exactly what `lwsim params --markdown` prints (it is generated)."""
        regenerate = ("regenerate it with `cmake --build <build> --target docs-parameters` "
                      "(for example `cmake --build build/release --target docs-parameters`) and commit it")
        generated = e2e.run_ok(self, "params", "--markdown").stdout
        if not os.path.exists(e2e.PARAMETERS_DOC):
            self.fail(f"{e2e.PARAMETERS_DOC} does not exist; {regenerate}")
        committed = e2e.read_text(e2e.PARAMETERS_DOC)
        if committed != generated:
            differing = next((i for i, (a, b) in enumerate(zip(committed.splitlines(), generated.splitlines()), 1)
                              if a != b), min(len(committed.splitlines()), len(generated.splitlines())) + 1)
            self.fail(f"{e2e.PARAMETERS_DOC} is out of date with the parameter table "
                      f"(first difference at line {differing}); {regenerate}")


class SchemaTest(unittest.TestCase):

    def test_committed_output_doc_is_up_to_date(self):
        """The dataset tables of docs/output.md, between its GENERATED markers, are exactly what
        `lwsim schema --markdown` prints (they are generated)."""
        regenerate = ("regenerate them with `cmake --build <build> --target docs-output` "
                      "(for example `cmake --build build/release --target docs-output`) and commit it")
        generated = e2e.run_ok(self, "schema", "--markdown").stdout
        doc = e2e.read_text(e2e.OUTPUT_DOC)
        begin, end = doc.find("<!-- BEGIN GENERATED"), doc.find("<!-- END GENERATED")
        if begin < 0 or end < begin:
            self.fail(f"{e2e.OUTPUT_DOC} has lost its <!-- BEGIN GENERATED --> / <!-- END GENERATED --> markers")
        committed = doc[doc.index("\n", begin) + 1:end]
        if committed != generated:
            differing = next((i for i, (a, b) in enumerate(zip(committed.splitlines(), generated.splitlines()), 1)
                              if a != b), min(len(committed.splitlines()), len(generated.splitlines())) + 1)
            self.fail(f"the dataset tables of {e2e.OUTPUT_DOC} are out of date with the output schema "
                      f"(first difference at line {differing} of the tables); {regenerate}")

    def test_schema_of_a_large_scenario_has_no_practice_timeseries(self):
        """`lwsim schema SCENARIO` describes that scenario's file: a scale-up scenario of more than
        1,000 practices has the localities and the nation but no per-practice timeseries, and its
        dimensions carry the scenario's sizes."""
        scenario = os.path.join(e2e.SCENARIOS_DIR, "scale_up", "england_pcn.toml")
        listed = e2e.run_ok(self, "schema", scenario).stdout
        self.assertIn("/locality/p_fip", listed)
        self.assertIn("/national/normalised_by", listed)
        self.assertNotIn("/timeseries/", listed)
        self.assertRegex(listed, r"/results/fip  uint8 \[point=1, replicate=\d+, practice=\d{4,}\]")

    def test_schema_of_a_sweep_has_its_design(self):
        """`lwsim schema SWEEP` describes the sweep's file: one /design dataset per swept parameter,
        over all its points."""
        sweep = os.path.join(e2e.SCENARIOS_DIR, "scale_up", "glasgow_2024_compare.toml")
        listed = e2e.run_ok(self, "schema", sweep).stdout
        self.assertRegex(listed, r"/design/[a-z_.]+  float64 \[point=\d+\]")
        self.assertNotIn("<parameter>", listed)

    def test_schema_of_a_missing_scenario_is_bad_input(self):
        """`lwsim schema` of a file that does not exist exits 2 naming the file."""
        result = e2e.run("schema", "no_such_scenario.toml")
        self.assertEqual(result.code, e2e.EXIT_BAD_INPUT)
        self.assertIn("no_such_scenario.toml", result.stderr)


class ValidateTest(unittest.TestCase):

    def test_validate_accepts_the_default_scenario_and_prints_every_parameter(self):
        """`lwsim validate scenarios/deep_end_glasgow.toml` exits 0 and prints, as TOML, every
        parameter of the table with its default (the scenario sets none)."""
        result = e2e.run_ok(self, "validate", e2e.DEFAULT_SCENARIO)
        resolved = tomllib.loads(result.stdout)
        parameters = e2e.flatten(resolved["parameters"])
        table = e2e.parameter_table()
        self.assertEqual(sorted(parameters), sorted(name for name, _, _ in table))
        for name, kind, default in table:
            with self.subTest(name):
                self.assertEqual(float(parameters[name]), float(default))
                if kind == "INTEGER":
                    self.assertIsInstance(parameters[name], int)

    def test_validate_says_which_kind_of_input_it_found(self):
        """Every kind of lwsim input validates, and the first line says which kind it is."""
        scenarios = e2e.SCENARIOS_DIR
        for path, kind in (("deep_end_glasgow.toml", "a valid scenario file"),
                           ("sweeps/clp_continuity_lhs.toml", "a valid lhs sweep"),
                           ("scale_up/glasgow_2024_compare.toml", "a valid grid sweep"),
                           ("calibration/deep_end.toml", "a valid calibration file"),
                           ("sensitivity/deep_end.toml", "a valid sensitivity file (sobol)"),
                           ("observed/deep_end_2016.toml", "valid observed data for the built-in scenario")):
            with self.subTest(path):
                result = e2e.run_ok(self, "validate", os.path.join(scenarios, path))
                self.assertIn(kind, result.stdout.splitlines()[0])

    def test_a_study_file_can_name_the_built_in_scenario_as_its_base(self):
        with tempfile.TemporaryDirectory() as tmp:
            sweep = os.path.join(tmp, "sweep.toml")
            e2e.write_text(sweep, 'base = "<built-in>/deep_end_glasgow.toml"\n[design]\nkind = "grid"\n'
                                  'replicates = 3\n[parameters]\n"clp.departure_hazard" = [0.0, 0.02]\n')
            result = e2e.run_ok(self, "validate", sweep)
            self.assertIn("over base scenario <built-in>/deep_end_glasgow.toml", result.stdout)
            e2e.run_ok(self, "sweep", sweep, "-o", os.path.join(tmp, "out.h5"), "--quiet")

    def test_bad_observed_data_are_refused_by_validate(self):
        with tempfile.TemporaryDirectory() as tmp:
            observed = os.path.join(tmp, "observed.toml")
            text = e2e.read_text(os.path.join(e2e.SCENARIOS_DIR, "observed", "deep_end_2016.toml"))
            e2e.write_text(observed, text.replace('Magenta = "FIP"', 'Mauve = "FIP"'))
            result = e2e.run("validate", observed)
            self.assertEqual(result.code, e2e.EXIT_BAD_INPUT, result.stderr)
            self.assertEqual(len(e2e.stderr_lines(result)), 1, result.stderr)
            self.assertIn(f"{observed}:{e2e.line_of(e2e.read_text(observed), 'Mauve')}:", result.stderr)

    def test_validate_keeps_the_scenarios_own_values(self):
        """The resolved scenario keeps the file's title, run settings, phases and practices."""
        result = e2e.run_ok(self, "validate", e2e.DEFAULT_SCENARIO)
        resolved = tomllib.loads(result.stdout)
        original = load_toml(e2e.DEFAULT_SCENARIO)
        for key in ("title", "evaluation", "practices", "practice"):
            self.assertEqual(resolved[key], original[key], key)
        self.assertEqual(resolved["run"]["replicates"], original["run"]["replicates"])
        self.assertEqual(resolved["run"]["seed"], original["run"]["seed"])
        self.assertEqual(os.path.realpath(resolved["run"]["observed"]), os.path.realpath(OBSERVED_FILE))


class DefaultRunTest(unittest.TestCase):
    """`lwsim run` without a scenario runs the built-in Deep End Glasgow scenario (README, *Using
    lwsim*)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = e2e.SharedTempDir()
        cls.builtin = e2e.run_checked("run", "--replicates", 200, "--quiet", cwd=cls.tmp.name)
        cls.observed = load_toml(OBSERVED_FILE)
        cls.scenario = load_toml(e2e.DEFAULT_SCENARIO)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_prints_the_deep_end_comparison(self):
        """It prints the observed 3 FIP / 4 PIP of the observed data file, P(count = 3), P(FIP) for
        each practice of the scenario, and construct scores at each phase."""
        out = self.builtin.stdout
        fip, pip = self.observed["fip"], self.observed["pip"]
        self.assertEqual((fip, pip), (3, 4))
        self.assertIn(f"observed: {fip} FIP / {pip} PIP", out)
        self.assertRegex(out, rf"P\(count = {fip}\) = [0-9.]+ ± [0-9.]+")
        printed = e2e.parse_summary(out)
        self.assertEqual([row[0] for row in printed["p_fip"]], [p["name"] for p in self.scenario["practice"]])
        self.assertEqual(len(printed["distribution"]), len(self.scenario["practice"]) + 1)
        for phase in self.scenario["evaluation"]["phases"]:
            self.assertRegex(out, rf"\b{phase} w\d+-\d+")
        self.assertIn(self.scenario["title"], out)

    def test_writes_nothing_without_an_output(self):
        """Without -o, run writes no file."""
        self.assertEqual(os.listdir(self.tmp.name), [])

    def test_builtin_scenario_is_the_committed_file(self):
        """The built-in scenario gives the same printed summary as scenarios/deep_end_glasgow.toml."""
        from_file = e2e.run_ok(self, "run", e2e.DEFAULT_SCENARIO, "--replicates", 200, "--quiet", cwd=self.tmp.name)

        def summary(text):
            lines = text[text.index("P(FIP) per practice"):].splitlines()
            # The observed file is named by path; built-in vs on-disk paths differ.
            return [re.sub(r"\(from .*\)", "", line) for line in lines]

        self.assertEqual(summary(from_file.stdout), summary(self.builtin.stdout))


if __name__ == "__main__":
    unittest.main()
