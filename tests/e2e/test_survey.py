"""The simulated staff survey (virtual evaluation, docs/model.md section 7.8) as it
reaches the user: `lwsim run` on the Deep End scenario (which surveys P2 and P4 as Chng 2021 did)
writes the /survey datasets with the documented dimensions, their summaries agree with the
per-replicate answers, the printed summary shows them, and the survey changes no other dataset —
a copy of the scenario without [evaluation.survey] writes every one of its datasets byte for byte
the same.
"""

import re
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

REPLICATES = 200
SEED = 9
# Chng 2021: questionnaires sent and replies at P2 and P4.
SENT = {"P2": 44, "P4": 30}
REPLIED = {"P2": 38, "P4": 19}
ITEMS = {"coherence": 4, "cognitive_participation": 4, "collective_action": 7, "reflexive_monitoring": 5}
SURVEY_DATASETS = {
    "/survey/responses": (["point", "replicate", "survey", "respondent", "item"], "uint8"),
    "/survey/respondent_practice": (["point", "replicate", "survey", "respondent"], "int16"),
    "/survey/respondent_role": (["point", "replicate", "survey", "respondent"], "uint8"),
    "/survey/answered_items": (["point", "survey", "outcome", "construct"], "float64"),
    "/survey/mean_score_by_outcome": (["point", "survey", "outcome", "construct"], "float64"),
    "/evaluation/survey_sent": (["survey"], "int64"),
    "/evaluation/survey_replied": (["survey"], "int64"),
}


def without_survey(text):
    """The scenario text with its [evaluation.survey] table (up to the next blank line) removed."""
    start = text.index("[evaluation.survey]\n")
    end = text.index("\n\n", start)
    return text[:start] + text[end:]


def setUpModule():
    global TMP, RUN, FILE, PLAIN_RUN, PLAIN
    TMP = e2e.SharedTempDir()
    scenario = e2e.copy_scenario(TMP.name)
    plain = TMP.path("no_survey.toml")
    e2e.write_text(plain, without_survey(e2e.read_text(scenario)))
    RUN = e2e.run_checked("run", scenario, "-o", TMP.path("survey.h5"), "--replicates", REPLICATES,
                          "--seed", SEED, "--quiet", cwd=TMP.name)
    PLAIN_RUN = e2e.run_checked("run", plain, "-o", TMP.path("plain.h5"), "--replicates", REPLICATES,
                                "--seed", SEED, "--quiet", cwd=TMP.name)
    FILE = h5py.File(TMP.path("survey.h5"), "r")
    PLAIN = h5py.File(TMP.path("plain.h5"), "r")


def tearDownModule():
    FILE.close()
    PLAIN.close()
    TMP.cleanup()


def labels(dataset):
    return [dataset.dims[i].label for i in range(dataset.ndim)]


class SurveyDatasetsTest(unittest.TestCase):

    def test_survey_datasets_have_the_documented_dimensions_and_types(self):
        """Each /survey dataset has the dimensions and type docs/output.md gives, attached to scales of
        the right length, and the survey, respondent and item scales hold the surveyed phases, one
        place per questionnaire of the largest survey, and the 20 named items."""
        doc = e2e.read_text(f"{e2e.SOURCE_DIR}/docs/output.md")
        for path, (dims, dtype) in SURVEY_DATASETS.items():
            with self.subTest(path):
                self.assertIn(path, FILE)
                dset = FILE[path]
                self.assertEqual(labels(dset), dims)
                self.assertEqual(str(dset.dtype), dtype)
                row = next(line for line in doc.splitlines() if line.startswith(f"| `{path}`"))
                self.assertIn("[" + ", ".join(dims) + "]", row)
                self.assertIn(dtype, row)
                for i in range(dset.ndim):
                    self.assertEqual(dset.dims[i][0].shape, (dset.shape[i],))
        self.assertEqual(FILE["/survey/responses"].shape, (1, REPLICATES, 2, 44, 20))
        self.assertEqual(list(FILE["/dims/survey"].asstr()[()]), ["P2", "P4"])
        self.assertEqual(FILE["/dims/respondent"].shape, (44,))
        expected_items = [f"{c}_{k}" for c, n in ITEMS.items() for k in range(1, n + 1)]
        self.assertEqual(list(FILE["/dims/item"].asstr()[()]), expected_items)
        self.assertEqual(list(FILE["/evaluation/survey_sent"][()]), [44, 30])
        self.assertEqual(list(FILE["/evaluation/survey_replied"][()]), [38, 19])

    def test_exactly_the_published_numbers_are_sent_and_reply_in_every_replicate(self):
        """In every replicate 44 and 30 questionnaires go out and exactly 38 and 19 are answered; a
        respondent answers all 20 items on the 5-point scale, and places without a questionnaire
        have practice -1, role 255 and no answers."""
        responses = FILE["/survey/responses"][0]
        practice = FILE["/survey/respondent_practice"][0]
        role = FILE["/survey/respondent_role"][0]
        for s, phase in enumerate(("P2", "P4")):
            with self.subTest(phase):
                answered = responses[:, s] > 0                      # [replicate, respondent, item]
                replied = answered.any(axis=2)
                np.testing.assert_array_equal(answered.all(axis=2), replied)  # all items or none
                np.testing.assert_array_equal(replied.sum(axis=1), REPLIED[phase])
                sent = practice[:, s] >= 0
                np.testing.assert_array_equal(sent.sum(axis=1), SENT[phase])
                self.assertFalse((replied & ~sent).any(), "a reply without a questionnaire")
                self.assertTrue(((responses[:, s][replied] >= 1) & (responses[:, s][replied] <= 5)).all())
                np.testing.assert_array_equal(role[:, s] == 255, ~sent)
                self.assertTrue((role[:, s][sent] <= 5).all())
                self.assertTrue((practice[:, s][sent] < 7).all())

    def test_each_practice_asks_its_core_leadership_first(self):
        """Every practice's first two questionnaires go to its lead GP (role 0) and practice manager
        (role 2); the CLP (role 5) is asked at most once per practice and, when asked, third."""
        practice = FILE["/survey/respondent_practice"][0]
        role = FILE["/survey/respondent_role"][0]
        for r in range(REPLICATES):
            for s in range(2):
                for i in range(7):
                    roles = list(role[r, s][practice[r, s] == i])
                    with self.subTest(replicate=r, survey=s, practice=i):
                        self.assertGreaterEqual(len(roles), 4)
                        self.assertEqual(roles[:2], [0, 2])
                        self.assertLessEqual(roles.count(5), 1)
                        if 5 in roles:
                            self.assertEqual(roles.index(5), 2)

    def test_mean_score_by_outcome_is_computed_from_the_answers(self):
        """/survey/mean_score_by_outcome is the mean answer, per construct, of respondents whose
        practice is a FIP (or a PIP) in /results/fip; /survey/answered_items counts those items per
        replicate."""
        responses = FILE["/survey/responses"][0].astype(np.int64)
        practice = FILE["/survey/respondent_practice"][0].astype(np.int64)
        fip = FILE["/results/fip"][0]
        mean = FILE["/survey/mean_score_by_outcome"][0]
        answered = FILE["/survey/answered_items"][0]
        bounds = np.cumsum([0] + list(ITEMS.values()))
        for s in range(2):
            asked = practice[:, s]                                   # [replicate, respondent]
            sent = asked >= 0
            in_fip = np.zeros(sent.shape, dtype=bool)
            rows, cols = np.nonzero(sent)
            in_fip[rows, cols] = fip[rows, asked[rows, cols]] == 1
            for o, is_fip in enumerate((True, False)):
                chosen = sent & (in_fip == is_fip)
                for c in range(4):
                    items = responses[:, s, :, bounds[c]:bounds[c + 1]][chosen]
                    count = int((items > 0).sum())
                    with self.subTest(survey=s, outcome=o, construct=c):
                        self.assertAlmostEqual(float(answered[s, o, c]), count / REPLICATES, places=12)
                        if count:
                            self.assertAlmostEqual(float(mean[s, o, c]), items.sum() / count, places=12)
                        else:
                            self.assertTrue(np.isnan(mean[s, o, c]))

    def test_the_printed_survey_section_shows_the_file(self):
        """`lwsim run` prints, per survey, the phase, sent and replied counts and the mean score per
        construct for FIP / PIP respondents, equal to /survey/mean_score_by_outcome to 2 decimals."""
        text = RUN.stdout
        self.assertIn("Simulated staff survey (NoMAD-style, 1-5)", text)
        mean = FILE["/survey/mean_score_by_outcome"][0]
        for s, (phase, week) in enumerate((("P2", 52), ("P4", 104))):
            with self.subTest(phase):
                match = re.search(rf"^  {phase} week {week}\s+(\d+)\s+(\d+)((?:\s+\S+ / \S+){{4}})\s*$", text,
                                  flags=re.M)
                self.assertIsNotNone(match, text)
                self.assertEqual(int(match.group(1)), SENT[phase])
                self.assertEqual(int(match.group(2)), REPLIED[phase])
                pairs = re.findall(r"(\S+) / (\S+)", match.group(3))
                for c, (fip, pip) in enumerate(pairs):
                    for o, printed in enumerate((fip, pip)):
                        if printed == "n/a":
                            self.assertTrue(np.isnan(mean[s, o, c]))
                        else:
                            self.assertAlmostEqual(float(printed), mean[s, o, c], delta=0.005 + 1e-9)


class SurveyChangesNothingElseTest(unittest.TestCase):

    def test_every_dataset_of_the_scenario_without_survey_is_byte_identical(self):
        """Every dataset written without the survey (results, summaries, time series, practices,
        dimension scales...) is written byte for byte the same with it; the survey only adds the
        /survey datasets, its two constants and three dimension scales."""
        plain = e2e.walk_datasets(PLAIN)
        surveyed = e2e.walk_datasets(FILE)
        self.assertGreater(len(plain), 40)
        for path, dset in plain.items():
            with self.subTest(path):
                self.assertIn(path, surveyed)
                self.assertEqual(e2e.dataset_content(surveyed[path]), e2e.dataset_content(dset))
        added = sorted(set(surveyed) - set(plain))
        self.assertEqual(added, sorted(list(SURVEY_DATASETS) + ["/dims/survey", "/dims/respondent", "/dims/item"]))

    def test_without_survey_nothing_about_a_survey_is_written_or_printed(self):
        """A scenario without [evaluation.survey] has no /survey group and prints no survey section;
        apart from that section, the two runs print the same summary."""
        self.assertNotIn("survey", PLAIN)
        self.assertNotIn("Simulated staff survey", PLAIN_RUN.stdout)

        def without_section(text):
            return re.sub(r"\nSimulated staff survey.*?\n(?=\n)", "", text, flags=re.S)

        strip = lambda text: "\n".join(l for l in text.splitlines() if not l.startswith(("Wrote ", "lwsim ")))
        self.assertEqual(strip(without_section(RUN.stdout)).split("P(FIP) per practice", 1)[1],
                         strip(PLAIN_RUN.stdout).split("P(FIP) per practice", 1)[1])


if __name__ == "__main__":
    unittest.main()
