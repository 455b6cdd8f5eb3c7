"""The evaluation's patterns as claims about the default Deep End scenario (docs/model.md §9).

Chng et al. (BJGP 2021) compared the fully (FIP) and partially integrated practices (PIP) of the
Glasgow Deep End evaluation on the four constructs of normalisation process theory. Each test below
states one of those findings as a claim about the simulated FIPs and PIPs of one default run
(REPLICATES replicates, seed of the scenario) and checks it with a margin derived from the sample:
a difference of means must exceed Z standard errors, computed from the per-practice results
(practices of all replicates are the units; the seven practices of a replicate are nearly
independent, docs/model.md §9). Z = 4 keeps a false failure from chance below 1 in 10,000 per claim.

One pattern the model does not reproduce is kept as an expected failure, so that the test suite
says so and notices if a change makes it hold: by the end of the evaluation most PIPs had dropped
the development activities; the simulated PIPs drop them in under half.
"""

import math
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

REPLICATES = 1000
Z = 4.0

# Index of each label along the output's dimensions (checked against /dims in setUpModule).
COHERENCE, PARTICIPATION, ACTION, MONITORING = range(4)
P1, P4 = 0, 3
PATIENT_SUPPORT = 0


def setUpModule():
    global TMP, FILE, FIP
    TMP = e2e.SharedTempDir()
    out = TMP.path("patterns.h5")
    e2e.run_checked("run", "-o", out, "--replicates", REPLICATES, "--quiet", cwd=TMP.name)
    FILE = h5py.File(out, "r")
    labels = {name: list(FILE["dims"][name].asstr()[()]) for name in ("construct", "phase", "activity")}
    assert labels["construct"] == ["coherence", "cognitive_participation", "collective_action",
                                   "reflexive_monitoring"], labels["construct"]
    assert labels["phase"][P1] == "P1" and labels["phase"][P4] == "P4", labels["phase"]
    assert labels["activity"][PATIENT_SUPPORT] == "patient_support", labels["activity"]
    FIP = FILE["results/fip"][0].astype(bool)  # replicate x practice


def tearDownModule():
    FILE.close()
    TMP.cleanup()


def results(name):
    """A per-practice result of the run's only point, replicate x practice x ..."""
    return FILE["results"][name][0]


def by_outcome(values):
    """The per-practice values of the simulated FIPs and of the simulated PIPs."""
    return values[FIP], values[~FIP]


def difference(fip_values, pip_values):
    """Mean over FIPs minus mean over PIPs, and its standard error (Welch)."""
    se = math.sqrt(fip_values.var(ddof=1) / len(fip_values) + pip_values.var(ddof=1) / len(pip_values))
    return fip_values.mean() - pip_values.mean(), se


class PatternTest(unittest.TestCase):

    def assert_higher_in_fips(self, values, what):
        fips, pips = by_outcome(values)
        self.assertGreater(len(fips), 100)
        self.assertGreater(len(pips), 100)
        diff, se = difference(fips, pips)
        self.assertGreater(diff, Z * se, f"{what}: FIP {fips.mean():.3f}, PIP {pips.mean():.3f}, "
                           f"difference {diff:.3f} (standard error {se:.4f})")

    def test_coherence_participation_and_action_are_higher_in_fips_at_p4(self):
        """Chng 2021, Table 3: in FIPs the core leadership shared an understanding (C), staff
        engaged with one another (CP) and the CLP's work was balanced (CA); in PIPs less so."""
        scores = results("phase_scores")[:, :, P4, :]
        for construct, name in ((COHERENCE, "C"), (PARTICIPATION, "CP"), (ACTION, "CA")):
            with self.subTest(construct=name):
                self.assert_higher_in_fips(scores[..., construct], f"{name} at P4")

    def test_reflexive_monitoring_is_low_in_both_groups(self):
        """Chng 2021, Table 3: reflexive monitoring was underdeveloped in both FIPs and PIPs. The
        claim: the mean RM score at P4 is below one half in each group (margin Z standard errors)."""
        monitoring = results("phase_scores")[:, :, P4, MONITORING]
        for name, values in zip(("FIP", "PIP"), by_outcome(monitoring)):
            with self.subTest(group=name):
                se = values.std(ddof=1) / math.sqrt(len(values))
                self.assertLess(values.mean() + Z * se, 0.5, f"RM at P4 in {name}s: {values.mean():.3f}")

    def test_engagement_in_fips_comes_more_from_formal_settings(self):
        """Chng 2021, Table 3: FIP staff engaged in formal settings (meetings, shared learning) and
        informal ones; PIP staff less formally and more informally. The claim: the formal share of
        the engagement gained is higher in FIPs (practices that gained none are left out)."""
        gain = results("engagement_gain")  # replicate x practice x setting (formal, informal)
        self.assertEqual(list(FILE["dims"]["setting"].asstr()[()]), ["formal", "informal"])
        total = gain.sum(axis=-1)
        some = total > 0
        share = np.where(some, gain[..., 0] / np.where(some, total, 1.0), np.nan)
        fips, pips = share[FIP & some], share[~FIP & some]
        diff, se = difference(fips, pips)
        self.assertGreater(diff, Z * se, f"formal share: FIP {fips.mean():.3f}, PIP {pips.mean():.3f}")

    def test_pip_clps_focus_on_one_to_one_support_with_a_real_caseload(self):
        """Chng 2021, Table 3: in PIPs the CLP's practice development role was constrained and the
        CLP focused more on one-to-one patient support than on other activities. The claims: in
        PIPs patient support is the largest share of the CLP's hours and a larger share than in
        FIPs; and those hours are demanded ones (patient support counts demanded hours only,
        docs/model.md §7.4), from a real caseload: at least 10 active patients on average
        (Skivington 2018: case management is time-consuming)."""
        hours = results("clp_hours_share")  # replicate x practice x activity
        in_post = results("clp_weeks_in_post") > 0
        pip_hours = hours[~FIP & in_post]
        shares = pip_hours.mean(axis=0)
        self.assertEqual(int(np.argmax(shares)), PATIENT_SUPPORT, f"PIP CLP hours by activity: {shares}")
        support = hours[..., PATIENT_SUPPORT]
        fips, pips = support[FIP & in_post], support[~FIP & in_post]
        diff, se = difference(pips, fips)
        self.assertGreater(diff, Z * se, f"patient support share: PIP {pips.mean():.3f}, FIP {fips.mean():.3f}")
        caseload = results("mean_caseload")[~FIP & in_post]
        se = caseload.std(ddof=1) / math.sqrt(len(caseload))
        self.assertGreater(caseload.mean() - Z * se, 10.0, f"PIP mean active caseload {caseload.mean():.1f}")

    def test_development_activities_are_kept_up_in_fips_and_dropped_more_in_pips(self):
        """Chng 2021: early on all practices tried staff wellbeing activities, information about
        community organisations and shared learning sessions; by the end only FIPs kept them up.
        The claims: every activity is kept up at P4 by more FIPs than PIPs, by most FIPs, and by
        fewer PIPs at P4 than at P1."""
        kept = results("activities_kept").astype(float)  # replicate x practice x phase x activity
        for activity in range(kept.shape[-1]):
            with self.subTest(activity=activity):
                at_p4 = kept[:, :, P4, activity]
                self.assert_higher_in_fips(at_p4, f"activity {activity} kept at P4")
                fips, pips = by_outcome(at_p4)
                self.assertGreater(fips.mean() - Z * fips.std(ddof=1) / math.sqrt(len(fips)), 0.5)
                at_p1 = kept[:, :, P1, activity][~FIP]
                diff, se = difference(at_p1, pips)
                self.assertGreater(diff, Z * se, f"PIPs keeping activity {activity}: P1 {at_p1.mean():.3f}, "
                                   f"P4 {pips.mean():.3f}")

    @unittest.expectedFailure
    def test_most_pips_have_dropped_the_development_activities_by_p4(self):
        """Chng 2021: by the end only FIPs continued the development activities. Not reproduced:
        the simulated PIPs keep each activity up in about 55% of cases at P4 (docs/model.md §9)."""
        kept = results("activities_kept")[:, :, P4, :][~FIP].astype(float)
        for activity in range(kept.shape[-1]):
            share = kept[:, activity]
            se = share.std(ddof=1) / math.sqrt(len(share))
            self.assertLess(share.mean() + Z * se, 0.5)

    def test_integration_is_not_ordered_by_list_size(self):
        """Chng 2021: the three FIPs included the smallest practice (list 2,244) and the PIPs the
        largest (5,946): integration did not follow list size. The claim: the simulated P(FIP)
        of the seven practices is not ordered by their list sizes (rank correlation neither +1
        nor -1)."""
        p_fip = FIP.mean(axis=0)
        sizes = FILE["practices"]["list_size"][()]
        ranks = lambda x: np.argsort(np.argsort(x))
        rho = np.corrcoef(ranks(p_fip), ranks(np.asarray(sizes)))[0, 1]
        self.assertLess(abs(rho), 1.0 - 1e-9, f"P(FIP) {p_fip} against list sizes {sizes}")

    def test_the_observed_count_lies_in_the_central_90_percent(self):
        """Chng 2021: 3 of the 7 practices fully integrated. The claim: 3 lies within the central
        90% of the simulated FIP count (from the 5th to the 95th percentile, inclusive)."""
        counts = FILE["results"]["fip_count"][0]
        low, high = np.percentile(counts, [5, 95], method="inverted_cdf")
        self.assertLessEqual(low, 3, f"central 90% of the FIP count: [{low}, {high}]")
        self.assertGreaterEqual(high, 3, f"central 90% of the FIP count: [{low}, {high}]")


if __name__ == "__main__":
    unittest.main()
