"""`lwsim run -o out.h5` writes a self-describing HDF5 file (docs/output.md) whose summaries agree
with the per-replicate results they summarise and with what `run` printed, and whose stored
scenario reproduces the run.

One run (300 replicates, seed 5) is made for the whole module; every claim compares two sources
(printed summary vs HDF5, summary vs results, the stored scenario's run vs the original).
"""

import datetime
import math
import os
import re
import tomllib
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

REPLICATES = 300
SEED = 5

# Dimension names a reader may meet in the output (docs/output.md, the engine's and the model's).
KNOWN_DIMENSIONS = {"locality", "period", "point", "replicate", "practice", "week", "phase", "construct", "outcome", "setting",
                    "activity", "development_activity", "contacts", "fip_count"}
LABELLED_GROUPS = ("/results/", "/summary/", "/timeseries/", "/practices/")


def setUpModule():
    global TMP, OUT, RUN, FILE
    TMP = e2e.SharedTempDir()
    OUT = TMP.path("out.h5")
    RUN = e2e.run_checked("run", "-o", OUT, "--replicates", REPLICATES, "--seed", SEED, cwd=TMP.name)
    FILE = h5py.File(OUT, "r")


def tearDownModule():
    FILE.close()
    TMP.cleanup()


def text(name):
    """A root text attribute as str (fixed-length strings come back from h5py as bytes)."""
    return e2e.attr_str(FILE.attrs[name])


def text_values(dataset):
    """A string dataset as a list of str."""
    return list(dataset.asstr()[()])


class FileTest(unittest.TestCase):

    def test_run_leaves_only_the_output_file(self):
        """A successful run leaves out.h5 and nothing else: no out.h5.part, no out.h5.tmp."""
        self.assertEqual(os.listdir(TMP.name), ["out.h5"])
        self.assertIn(f"Wrote {OUT}", RUN.stdout)

    def test_root_attributes_exist_with_sensible_types(self):
        """The root carries the provenance attributes of docs/output.md, text as UTF-8 strings,
        counts as integers."""
        strings = ["lwsim_version", "git_commit", "model", "created_utc", "command_line", "scenario"]
        integers = ["schema_version", "seed", "threads"]
        for name in strings + integers:
            self.assertIn(name, FILE.attrs, f"root attribute {name} is missing")
        for name in strings:
            # Fixed-length UTF-8 (docs/output.md): no text in HDF5's unchecksummed global heap.
            stored = FILE.attrs.get_id(name).get_type()
            self.assertIsInstance(stored, h5py.h5t.TypeStringID, f"root attribute {name} must be a string")
            self.assertFalse(stored.is_variable_str(), f"root attribute {name} must be fixed-length")
            self.assertEqual(stored.get_cset(), h5py.h5t.CSET_UTF8, f"root attribute {name} must be UTF-8")
            self.assertTrue(text(name).strip(), f"root attribute {name} is empty")
        for name in integers:
            value = FILE.attrs[name]
            self.assertTrue(np.issubdtype(np.asarray(value).dtype, np.integer),
                            f"root attribute {name} must be an integer, found {value!r}")
            self.assertEqual(np.asarray(value).shape, (), f"root attribute {name} must be a scalar")

    def test_root_attributes_agree_with_the_run(self):
        """The stored seed, threads, version, model and command line are those of the run."""
        self.assertEqual(int(text("seed")), SEED)
        threads = re.search(r"seed \d+, (\d+) threads?:", RUN.stdout)
        self.assertIsNotNone(threads, RUN.stdout)
        self.assertEqual(int(text("threads")), int(threads.group(1)))
        version = e2e.run_ok(self, "--version").stdout
        self.assertIn(text("lwsim_version"), version)
        self.assertIn(text("git_commit"), version)
        self.assertIn(f"model {text('model')}", RUN.stdout)
        self.assertIn(f"--seed {SEED}", text("command_line"))
        self.assertIn(f"--replicates {REPLICATES}", text("command_line"))
        stored = tomllib.loads(text("scenario"))
        self.assertEqual(stored["run"]["seed"], SEED)
        self.assertEqual(stored["run"]["replicates"], REPLICATES)
        self.assertEqual(stored["model"], text("model"))

    def test_created_utc_is_an_iso_utc_time_of_the_run(self):
        """created_utc is an ISO 8601 UTC time within the last hour."""
        created = datetime.datetime.strptime(text("created_utc"), "%Y-%m-%dT%H:%M:%SZ")
        created = created.replace(tzinfo=datetime.timezone.utc)
        age = datetime.datetime.now(datetime.timezone.utc) - created
        self.assertLess(abs(age.total_seconds()), 3600, f"created_utc {created} is not now")

    def test_every_dataset_has_description_and_units(self):
        """Every dataset in the file has a non-empty `description` and a `units` string attribute."""
        datasets = e2e.walk_datasets(FILE)
        self.assertGreater(len(datasets), 20)
        for path, dset in datasets.items():
            with self.subTest(path):
                self.assertIn("description", dset.attrs)
                self.assertIn("units", dset.attrs)
                self.assertIsInstance(e2e.attr_str(dset.attrs["description"]), str)
                self.assertTrue(e2e.attr_str(dset.attrs["description"]).strip())
                self.assertIsInstance(e2e.attr_str(dset.attrs["units"]), str)

    def test_datasets_have_named_dimensions_attached_to_scales(self):
        """Datasets under /results, /summary, /timeseries and /practices label every dimension with a
        known name, and each dimension is attached to a dimension scale of the same length."""
        checked = 0
        for path, dset in e2e.walk_datasets(FILE).items():
            if not path.startswith(LABELLED_GROUPS):
                continue
            checked += 1
            with self.subTest(path):
                for i in range(dset.ndim):
                    label = dset.dims[i].label
                    self.assertIn(label, KNOWN_DIMENSIONS, f"dimension {i} of {path} is labelled {label!r}")
                    self.assertGreaterEqual(len(dset.dims[i]), 1, f"dimension {i} of {path} has no scale")
                    self.assertEqual(dset.dims[i][0].shape, (dset.shape[i],),
                                     f"the {label} scale of {path} does not match its length")
        self.assertGreater(checked, 20)

    def test_dimensions_by_group(self):
        """/results are [point, replicate, ...]; /summary [point, ...]; /timeseries [point, week,
        practice]; /practices [practice] or [point, replicate, practice]."""
        for path, dset in e2e.walk_datasets(FILE).items():
            labels = [dset.dims[i].label for i in range(dset.ndim)]
            with self.subTest(path, labels=labels):
                if path.startswith("/results/"):
                    self.assertEqual(labels[:2], ["point", "replicate"])
                    self.assertEqual(dset.shape[1], REPLICATES)
                elif path.startswith("/summary/"):
                    self.assertEqual(labels[:1], ["point"])
                elif path.startswith("/timeseries/"):
                    self.assertEqual(labels, ["point", "week", "practice"])
                elif path.startswith("/practices/"):
                    self.assertIn(labels, (["practice"], ["point", "replicate", "practice"]))
        fip = FILE["/results/fip"]
        self.assertEqual([fip.dims[i].label for i in range(3)], ["point", "replicate", "practice"])

    def test_large_datasets_are_chunked_and_compressed(self):
        """Every dataset of 1 KiB or more is chunked and compressed."""
        large = {p: d for p, d in e2e.walk_datasets(FILE).items() if d.size * d.dtype.itemsize >= 1024}
        self.assertIn("/results/fip", large)
        for path, dset in large.items():
            with self.subTest(path):
                self.assertIsNotNone(dset.chunks, f"{path} is not chunked")
                self.assertIsNotNone(dset.compression, f"{path} is not compressed")

    def test_status_completed_is_all_one(self):
        """/status/completed marks every point complete."""
        completed = FILE["/status/completed"][()]
        self.assertGreater(completed.size, 0)
        self.assertTrue((completed == 1).all(), completed)


class SummaryAgreesWithResults(unittest.TestCase):
    """The /summary datasets are exactly what the per-replicate /results imply."""

    @classmethod
    def setUpClass(cls):
        cls.fip = FILE["/results/fip"][0]
        cls.fip_count = FILE["/results/fip_count"][0]
        cls.observed = tomllib.loads(text("observed"))

    def test_fip_count_is_the_row_sum_of_fip(self):
        """/results/fip_count is the number of FIPs (row sum of /results/fip) in each replicate."""
        self.assertEqual(self.fip.shape[0], REPLICATES)
        np.testing.assert_array_equal(self.fip_count, self.fip.sum(axis=1))

    def test_fip_is_zero_or_one(self):
        """/results/fip holds only 0 and 1."""
        self.assertTrue(np.isin(self.fip, (0, 1)).all())

    def test_p_fip_is_the_mean_of_fip(self):
        """/summary/p_fip is the mean over replicates of /results/fip."""
        np.testing.assert_allclose(FILE["/summary/p_fip"][0], self.fip.mean(axis=0), rtol=0, atol=1e-12)

    def test_fip_count_distribution_is_the_histogram_of_fip_count(self):
        """/summary/fip_count_distribution is the histogram of /results/fip_count over 0..practices."""
        practices = self.fip.shape[1]
        histogram = np.bincount(self.fip_count, minlength=practices + 1) / REPLICATES
        np.testing.assert_allclose(FILE["/summary/fip_count_distribution"][0], histogram, rtol=0, atol=1e-12)

    def test_mean_fip_count(self):
        """/summary/mean_fip_count is the mean of /results/fip_count."""
        self.assertAlmostEqual(float(FILE["/summary/mean_fip_count"][0]), self.fip_count.mean(), places=12)

    def test_p_observed_is_the_share_of_replicates_with_the_observed_count(self):
        """/summary/p_observed is the share of replicates whose FIP count is the observed one, and
        p_observed_se its binomial standard error."""
        observed = self.observed["fip"]
        p = (self.fip_count == observed).mean()
        self.assertAlmostEqual(float(FILE["/summary/p_observed"][0]), p, places=12)
        self.assertAlmostEqual(float(FILE["/summary/p_observed_se"][0]), math.sqrt(p * (1 - p) / REPLICATES),
                               places=12)

    def test_practices_by_outcome(self):
        """/summary/practices_by_outcome is the mean number of FIPs and of PIPs per replicate."""
        np.testing.assert_allclose(FILE["/summary/practices_by_outcome"][0],
                                   [self.fip.sum(1).mean(), (1 - self.fip).sum(1).mean()], atol=1e-12)

    def test_phase_scores_by_outcome(self):
        """/summary/phase_scores_by_outcome is the mean of /results/phase_scores over FIPs and over PIPs."""
        scores = FILE["/results/phase_scores"][0].astype(np.float64)
        by_outcome = FILE["/summary/phase_scores_by_outcome"][0]
        is_fip = self.fip == 1
        np.testing.assert_allclose(by_outcome[0], scores[is_fip].mean(axis=0), atol=1e-6)
        np.testing.assert_allclose(by_outcome[1], scores[~is_fip].mean(axis=0), atol=1e-6)

    def test_event_summaries(self):
        """/summary/clp_departures and /summary/vacancy_weeks are means of the /results/events."""
        for name in ("clp_departures", "vacancy_weeks"):
            with self.subTest(name):
                np.testing.assert_allclose(FILE[f"/summary/{name}"][0],
                                           FILE[f"/results/events/{name}"][0].mean(axis=0), atol=1e-12)

    def test_referral_summaries(self):
        """/summary/referrals, linked_share and contacts_share follow from /results."""
        referrals = FILE["/results/referrals"][0].astype(np.int64)
        linked = FILE["/results/linked"][0].astype(np.int64)
        contacts = FILE["/results/contacts_histogram"][0].astype(np.int64)
        self.assertTrue((linked <= referrals).all(), "more patients linked than referred")
        self.assertAlmostEqual(float(FILE["/summary/referrals"][0]), referrals.sum(1).mean(), places=9)
        self.assertAlmostEqual(float(FILE["/summary/linked_share"][0]), linked.sum() / referrals.sum(), places=12)
        np.testing.assert_allclose(FILE["/summary/contacts_share"][0], contacts.sum((0, 1)) / contacts.sum(),
                                   atol=1e-12)

    def test_timeseries_agree_with_results(self):
        """Weekly means add up to the per-replicate totals: normalised weeks, CLP weeks in post; and
        P(normalised by the last week) is the share of replicates ever normalised."""
        normalised = FILE["/timeseries/normalised"][0]
        normalised_by = FILE["/timeseries/normalised_by"][0]
        clp_in_post = FILE["/timeseries/clp_in_post"][0]
        np.testing.assert_allclose(normalised.sum(axis=0), FILE["/results/weeks_normalised"][0].mean(axis=0),
                                   atol=1e-6)
        np.testing.assert_allclose(clp_in_post.sum(axis=0), FILE["/results/clp_weeks_in_post"][0].mean(axis=0),
                                   atol=1e-6)
        first = FILE["/results/first_normalised_week"][0]
        np.testing.assert_allclose(normalised_by[-1], (first >= 0).mean(axis=0), atol=1e-9)
        self.assertTrue((np.diff(normalised_by, axis=0) >= -1e-9).all(),
                        "P(normalised in this week or before) must never fall")

    def test_normalisation_results_are_consistent(self):
        """A practice never normalised (first week -1) spent no week normalised, and every FIP was
        normalised at some week."""
        first = FILE["/results/first_normalised_week"][0]
        weeks = FILE["/results/weeks_normalised"][0]
        np.testing.assert_array_equal(first == -1, weeks == 0)
        self.assertTrue((first[self.fip == 1] >= 0).all())


class PracticesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        with open(e2e.DEFAULT_SCENARIO, "rb") as f:
            cls.scenario = tomllib.load(f)

    def test_practice_names_are_the_scenarios_in_order(self):
        """/practices/name lists the 7 Deep End practices of the scenario file, in its order."""
        names = [p["name"] for p in self.scenario["practice"]]
        self.assertEqual(len(names), 7)
        self.assertEqual(text_values(FILE["/practices/name"]), names)
        self.assertEqual(list(FILE["/practices/list_size"][()]), [p["list_size"] for p in self.scenario["practice"]])

    def test_exactly_training_count_training_practices_in_every_replicate(self):
        """Exactly practices.training_count (4) practices are training practices in every replicate."""
        count = self.scenario["practices"]["training_count"]
        self.assertEqual(count, 4)
        training = FILE["/practices/training"][0]
        self.assertTrue(np.isin(training, (0, 1)).all())
        np.testing.assert_array_equal(training.sum(axis=1), np.full(REPLICATES, count))

    def test_training_practices_vary_between_replicates(self):
        """Which practices are training practices is drawn per replicate: more than one pattern occurs."""
        patterns = {tuple(row) for row in FILE["/practices/training"][0]}
        self.assertGreater(len(patterns), 1)


class PrintedSummaryAgreesWithFile(unittest.TestCase):
    """What `lwsim run` printed equals the HDF5 /summary, to the printed precision."""

    @classmethod
    def setUpClass(cls):
        cls.printed = e2e.parse_summary(RUN.stdout)
        cls.observed = tomllib.loads(text("observed"))

    def test_p_fip_per_practice(self):
        """Each printed P(FIP) ± error equals /summary/p_fip and its binomial standard error."""
        rows = self.printed["p_fip"]
        names = text_values(FILE["/practices/name"])
        self.assertEqual([r[0] for r in rows], names)
        sizes = list(FILE["/practices/list_size"][()])
        for (name, size, p_text, se_text), p, list_size in zip(rows, FILE["/summary/p_fip"][0], sizes):
            with self.subTest(name):
                self.assertEqual(int(size), list_size)
                self.assertEqual(p_text, f"{p:.{e2e.decimals(p_text)}f}")
                se = math.sqrt(p * (1 - p) / REPLICATES)
                self.assertEqual(se_text, f"{se:.{e2e.decimals(se_text)}f}")

    def test_observed_outcome_labels(self):
        """Each practice's printed 'observed: FIP/PIP' is the outcome in the observed data file."""
        for name, outcome in self.observed["outcome"].items():
            self.assertRegex(RUN.stdout, rf"\n  {re.escape(name)} .* observed: {outcome}\n")

    def test_fip_count_distribution(self):
        """The printed distribution of the FIP count equals /summary/fip_count_distribution."""
        distribution = FILE["/summary/fip_count_distribution"][0]
        rows = self.printed["distribution"]
        self.assertEqual([r[0] for r in rows], list(range(len(distribution))))
        for (count, text), p in zip(rows, distribution):
            self.assertEqual(text, f"{p:.{e2e.decimals(text)}f}", f"count {count}")

    def test_p_observed_and_its_error(self):
        """The printed P(count = observed) ± error equals /summary/p_observed and p_observed_se, for the
        count in the observed data file."""
        self.assertIsNotNone(self.printed["p_observed"], RUN.stdout)
        count, p_text, se_text = self.printed["p_observed"]
        self.assertEqual(count, self.observed["fip"])
        self.assertEqual(p_text, f"{FILE['/summary/p_observed'][0]:.{e2e.decimals(p_text)}f}")
        self.assertEqual(se_text, f"{FILE['/summary/p_observed_se'][0]:.{e2e.decimals(se_text)}f}")
        fip, pip = self.observed["fip"], self.observed["pip"]
        self.assertIn(f"observed: {fip} FIP / {pip} PIP", RUN.stdout)

    def test_mean_fip_count(self):
        """The printed mean FIP count equals /summary/mean_fip_count."""
        text = self.printed["mean"]
        self.assertIsNotNone(text, RUN.stdout)
        self.assertEqual(text, f"{FILE['/summary/mean_fip_count'][0]:.{e2e.decimals(text)}f}")

    def test_construct_scores_by_phase(self):
        """The printed FIP / PIP construct scores per phase equal /summary/phase_scores_by_outcome, and
        the phase headers are the phases in /evaluation."""
        phases = text_values(FILE["/dims/phase"])
        first = FILE["/evaluation/phase_first_week"][()]
        last = FILE["/evaluation/phase_last_week"][()]
        headers = [f"{name} w{a}-{b}" for name, a, b in zip(phases, first, last)]
        header_line = next(l for l in RUN.stdout.splitlines() if l.strip().startswith("construct"))
        self.assertEqual(header_line.split()[1:], " ".join(headers).split())
        scores = FILE["/summary/phase_scores_by_outcome"][0]
        constructs = text_values(FILE["/dims/construct"])
        prefixes = {"coherence": "C  coherence", "cognitive_participation": "CP cognitive participation",
                    "collective_action": "CA collective action", "reflexive_monitoring": "RM reflexive monitoring"}
        for c, construct in enumerate(constructs):
            with self.subTest(construct):
                line = next(l for l in RUN.stdout.splitlines() if l.strip().startswith(prefixes[construct]))
                pairs = re.findall(r"(\S+) / (\S+)", line)
                self.assertEqual(len(pairs), len(phases), line)
                for ph, (fip_text, pip_text) in enumerate(pairs):
                    self.assertEqual(fip_text, f"{scores[0, ph, c]:.2f}")
                    self.assertEqual(pip_text, f"{scores[1, ph, c]:.2f}")

    def test_referrals_and_continuity(self):
        """Printed referrals per CLP-year and CLP departures / vacancy weeks per practice equal /summary."""
        m = re.search(r"referrals per CLP-year in post: ([0-9.]+)", RUN.stdout)
        self.assertIsNotNone(m)
        self.assertEqual(m.group(1), f"{FILE['/summary/referrals_per_clp_year'][0]:.1f}")
        m = re.search(r"CLP departures per practice: ([0-9.]+); vacancy weeks per practice: ([0-9.]+)", RUN.stdout)
        self.assertIsNotNone(m)
        self.assertEqual(m.group(1), f"{FILE['/summary/clp_departures'][0].mean():.2f}")
        self.assertEqual(m.group(2), f"{FILE['/summary/vacancy_weeks'][0].mean():.1f}")


class StoredScenarioTest(unittest.TestCase):
    """The `scenario` attribute is the full resolved scenario: lwsim accepts it and it reproduces the run."""

    @classmethod
    def setUpClass(cls):
        cls.dir = e2e.SharedTempDir()
        cls.stored = cls.dir.path("stored.toml")
        e2e.write_text(cls.stored, text("scenario"))
        cls.again = cls.dir.path("again.h5")
        e2e.run_checked("run", cls.stored, "--replicates", REPLICATES, "--quiet", "-o", cls.again, cwd=cls.dir.name)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_validate_accepts_the_stored_scenario(self):
        """`lwsim validate` accepts the stored scenario, and resolves it to itself."""
        result = e2e.run_ok(self, "validate", self.stored)
        resolved = tomllib.loads(result.stdout)
        self.assertEqual(resolved, tomllib.loads(text("scenario")))

    def test_stored_parameters_are_those_of_the_default_scenario(self):
        """The stored scenario lists every parameter with the value `lwsim validate` resolves for the
        default scenario file."""
        default = tomllib.loads(e2e.run_ok(self, "validate", e2e.DEFAULT_SCENARIO).stdout)
        self.assertEqual(tomllib.loads(text("scenario"))["parameters"], default["parameters"])

    def test_rerunning_the_stored_scenario_gives_identical_results(self):
        """Running the stored scenario again gives byte-identical /results, /practices and /summary."""
        with h5py.File(self.again, "r") as again:
            original = {p: d for p, d in e2e.walk_datasets(FILE).items()
                        if p.startswith(("/results/", "/practices/", "/summary/", "/timeseries/"))}
            self.assertIn("/results/fip", original)
            for path, dset in original.items():
                with self.subTest(path):
                    self.assertIn(path, again)
                    self.assertEqual(e2e.dataset_content(dset), e2e.dataset_content(again[path]))


class StoredScenarioWithSetTest(unittest.TestCase):
    """A value given with --set is part of the stored scenario, so the stored scenario alone
    reproduces the run."""

    def test_set_value_is_stored_and_reproduces_the_run(self):
        """After `run --set clp.departure_hazard=0.02`, the stored scenario says 0.02, and running it
        gives the same /results as the original run."""
        tmp = e2e.SharedTempDir()
        self.addCleanup(tmp.cleanup)
        first, second, stored = tmp.path("first.h5"), tmp.path("second.h5"), tmp.path("stored.toml")
        e2e.run_ok(self, "run", "--replicates", 100, "--seed", SEED, "--set", "clp.departure_hazard=0.02",
                   "--quiet", "-o", first, cwd=tmp.name)
        with h5py.File(first, "r") as f:
            text = e2e.attr_str(f.attrs["scenario"])
            self.assertEqual(tomllib.loads(text)["parameters"]["clp"]["departure_hazard"], 0.02)
            e2e.write_text(stored, text)
            e2e.run_ok(self, "run", stored, "--quiet", "-o", second, cwd=tmp.name)
            with h5py.File(second, "r") as g:
                for path, dset in e2e.walk_datasets(f).items():
                    if path.startswith("/results/"):
                        with self.subTest(path):
                            self.assertEqual(e2e.dataset_content(dset), e2e.dataset_content(g[path]))
            # Same seed, so the same streams as the module's run: only the parameter differs.
            self.assertNotEqual(f["/results/events/clp_departures"][()].tobytes(),
                                FILE["/results/events/clp_departures"][:, :100].tobytes(),
                                "--set must change the results")


if __name__ == "__main__":
    unittest.main()
