"""Reference results: the default Deep End scenario, 200 replicates, seed 20141101, written with
2 threads, must give exactly the datasets pinned below, byte for byte. Results do not depend on the
number of threads (test_determinism.py), so these checksums only change when what the model
computes changes. An optimisation (of the weekly step, the random streams, the runner or the
writer) must leave every checksum as it is: if this test fails after a change meant to be only
faster, the change altered results.

Updating the pins (only for an intended, documented change of results, e.g. a new mechanism):
  1. bump the model's results_version (models/lwp/model.cpp) so that files written before the
     change are not resumed or merged with files written after it, and say what changed in
     docs/model.md;
  2. rebuild, then print the new table from the repository root with
       LWSIM=build/release/apps/lwsim/lwsim LWSIM_SOURCE_DIR=. \\
         /usr/bin/python3 tests/e2e/test_reference.py --print-pins
  3. replace RESULTS_VERSION and PINS below with what it prints, and say why in the commit message.
A new output dataset also needs a pin (the test refuses datasets it does not know), so that it
is protected from then on.
"""

import hashlib
import os
import sys
import tempfile
import unittest

import h5py

import lwsim_e2e as e2e

REPLICATES = 200
SEED = 20141101
THREADS = 2

# The model's results_version when the pins were computed.
RESULTS_VERSION = "lwp-2"

# SHA-256 of (dtype, shape, bytes) of every dataset of the file; see checksum().
PINS = {
    "/dims/activity":
        "3ef360a9fa21fd711530b548a4e0d9016b56606c7cd6566eed723b8bb9fc7088",
    "/dims/construct":
        "ad9d768e739f765a0bee93e081058ad63036e6a47cc95168070a3e9dec3d9080",
    "/dims/contacts":
        "460753c9b811d96ec7cb47ca0afb344bb36d1c4916c3888b110d016dbbb89b6b",
    "/dims/fip_count":
        "16d4622e720dde418eeae8efe03f20d28e905de33035c0c462f90ab90341b7a5",
    "/dims/item":
        "1f9f0e06c568725c628190da1046234514e9057e1410572feea69d9f48d765a9",
    "/dims/locality":
        "016634897d26769dda7c5f7f917659084a8f23cff30117ba295edb83613024c0",
    "/dims/outcome":
        "05afd956f4c0613dbe3e82ec553050b216b4b0187f45fa07ae29b80a8028ff64",
    "/dims/period":
        "593cd9e23f9792729d0097cd9b61232d988110f6ee2941dbb34fd813d0c6f4a2",
    "/dims/phase":
        "fed23a7b77443abacbff08c40e2d6375e6607a06233332a4ded0b6eaa9157878",
    "/dims/point":
        "6fc736901c647b6cac1136fcdf0622d0e2f687e1e4b5e14d4eb029709fd704e7",
    "/dims/practice":
        "13fd9085af5721b3d00d6eab8e122cb606130bccf277450e57ea02b01b2bcce0",
    "/dims/replicate":
        "94bce22ed9253bc2e16b1994e9b1d0d7ce13956b9e099fff5458062e9b79d082",
    "/dims/respondent":
        "1b926135928dae0e8c67d5ad5cdfde5d1ebb03908f87ea7afc34f345d4746e23",
    "/dims/setting":
        "2367724c7c5dcae780e5d904762a3d4583f50fea22fc0844aaf41b988a4f6ecb",
    "/dims/survey":
        "b63619c0ea5d2d3373539b1d99100a0f822fa9fdada12ef00f46aaa77a4e04b8",
    "/dims/week":
        "65b7c6f84dd05f2272fcda43eb517dc07b6aa726dea91ef373f2fad9bdb2921c",
    "/evaluation/phase_first_week":
        "201e073590a559810e1598ef58fe04d2e42597ae23381e38e4bdc05a5d012e7f",
    "/evaluation/phase_last_week":
        "c71c26bb91493a6b5403d7e0f5b47dc7a91ffe90979287cebd8fc01aec8491e3",
    "/evaluation/survey_replied":
        "8f64ad25f8c02bf99458905170e3c31fdc685b183b779edfaada185b8f20926a",
    "/evaluation/survey_sent":
        "453b0d9fe72f6f09b77a1eaaadad235ca10587843a7021368fad54d837915487",
    "/locality/fip_count":
        "209a4bf3a5776cd63861c2db3c0e6b56545055643a768ade77aec9e089f3afa2",
    "/locality/link_requests":
        "4b76384f9ffa42c074d6f7f0ebc030a501b7555c10a740915096b0fd6033f30e",
    "/locality/linked_share":
        "bafa8da3b1d20798fa6bad449134b3e2cb57962b628b6527a4a75a798e00cfa2",
    "/locality/normalised_by":
        "3f87777de9f0906afb631d403b54524c887a93bf39ac0ce2334e75d28744c5b3",
    "/locality/p_fip":
        "84cbb4b93e3fb7d989bf27c665ed0b20d1a2e4ddd096502aa03ad92335fdb309",
    "/locality/referrals":
        "bff2501abf08079be131671cd11eda6fcf1ce3bd9b1d89a9d290fd9a7fffcc0d",
    "/locality/refused_share":
        "b616f93ec0904f1b71db7da61037cda273ba9b3e90b96892a450d92b40dd514f",
    "/locality/saturation":
        "b616f93ec0904f1b71db7da61037cda273ba9b3e90b96892a450d92b40dd514f",
    "/locality/vacancy_clp_weeks":
        "bfc21f135073bcbc7e3c96e1f69a1d444289d34eae4b3dc2634324063a9ae16b",
    "/national/normalised":
        "b84ff37721eec6b298e2f45b489dc301b9841e1793584dbf2cbf91607ef4503d",
    "/national/normalised_by":
        "9f8e9a0e2c52b594e840cbdf3492031123770ba3bc9ea1f1ec7c5abfc427a872",
    "/practices/drawn_list_size":
        "030a5c2fe5e7b24aa740c8845c42e32daf404c590cf9128db3e04ecd958cad03",
    "/practices/gp_buy_in":
        "cdc1b75cff968ddebcc91543d03ce1e85a7198a2051455dcc2d43ccf27841e17",
    "/practices/innovation_rate":
        "51e387ddebd00b739286c7fca0328395205c7ff5bd75586bc8cbda1b7c8011d8",
    "/practices/list_size":
        "f4cf8de963497cdcc87c545ddf70f7e5b57ffc8c644be9f603323f0e67954e4b",
    "/practices/locality":
        "12c17f5318c4a8fe6936150854607f792886138026f699de84ad3e0b8a8f1a39",
    "/practices/name":
        "13fd9085af5721b3d00d6eab8e122cb606130bccf277450e57ea02b01b2bcce0",
    "/practices/start_week":
        "3313744a2bcf5513267db978d34c680bf027e6677347f6e37cfb5c1910773513",
    "/practices/team_quality":
        "d1c6ac8ac0eb3975daeca48964ac471d7655e4789778fb59eb717ee93fbbd6bd",
    "/practices/training":
        "5dc956cfaee5391ff2e060344b663d6aa87d9d3872c5f7c2f1eabc761127ef72",
    "/results/clp_hours_share":
        "5f0af600fc2f2c9eb3145a5807fee41e7efc9702d4adfb6da95f83db52b63caf",
    "/results/clp_weeks_in_post":
        "aa8b5ccef1d4fe8113b9f718cf41fa1782535fc4121a952dfdb7fd56960917c1",
    "/results/contacts_histogram":
        "c49869437651deb2b5a8ee9133c31042f300078c8def43658ddc779ea8de3d40",
    "/results/cost":
        "b24e6902b92bbce912ed1e9f57022dce86482788f217a52e609e60bc4e919e23",
    "/results/engagement_gain":
        "20121f6ab6fe62d973347a6f6b5e00aa77d04516f1b41479f0df90f7768dcc0a",
    "/results/events/appraisals":
        "1131b3bda10c6d60c247cc2aff0e2d26198b523c6b900d57feab11e379eb7187",
    "/results/events/clp_changes":
        "12710d5c473ab04f395a82ca0ded624e6d21cb7d2c3f766db74cae54e2d426ea",
    "/results/events/clp_departures":
        "52155ab964dbb0d8bd021d90ae77fc1245336b7b6e0ea8c706a06062135a0011",
    "/results/events/innovations":
        "55a7f13af238d79a8c768c06d4461518f6bc4e63dc7033b41bc876e35427903c",
    "/results/events/leadership_changes":
        "540c7fad55a25a4daf21805901e46c0c6eedf7947348e459fbb664db9731b823",
    "/results/events/staff_changes":
        "c869e33eac8703e4db9666fd7dcad790b356fee8ab627879490e10a48ecfe0c5",
    "/results/events/vacancy_weeks":
        "61cbad056ffd241f7daa1d1867b3d181d0c1c7b2ef397a4518eed74d31072bfa",
    "/results/fip":
        "c4328728627c2e7b4d2f7bde47623d9817574de7455bb810ff65ba0f9529d6ab",
    "/results/fip_count":
        "eff5c8718cfc82739099274efbdf3e6353823193bdbcaa130464e53eaeb59d20",
    "/results/first_normalised_week":
        "5cd8d722c0af34453b383e6dac99feac38998b2737ebc962ba2c4e00a929f1c9",
    "/results/linked":
        "b239e40b8f72b7300b440073ccb06934228519957496c376d294e916d4fe04a1",
    "/results/locality_fip_count":
        "bb2d31dd9fbeb25f7b9b297bd63f2308eaece64aa5a6a9adbffe06cf14e976e3",
    "/results/phase_scores":
        "d8d4cbe4454218d510e4101cbaa11ed369e501780a9ea66784e500b1c6c8c74d",
    "/results/referrals":
        "dd4a02a4210467e1067dbd29ef33e4fb733dd58d74dd5a495928145eb4140d03",
    "/results/refused":
        "3533040ce53afb6f836ec41cbb1037b2df55434aaf4613eb226ab68c77ce7dc6",
    "/results/weeks_normalised":
        "e8b0dee8c28e0a8cd80ad06d6f0baa2ccde8bfdf59957896fe16e60787c6f374",
    "/status/completed":
        "9e3de4344a62b11d31088af48bb3d5163ac4ce8cf328f8b16da965b413870760",
    "/summary/clp_departures":
        "436f61df08ee8c8cfa066460c7b5ac7a8f00ee943a5c9f3789a5fc5b436606ea",
    "/summary/clp_hours_share_by_outcome":
        "fbafede925463ed557e4eab597c8facd1f972ab1206f064cdc6eb5e3143c4001",
    "/summary/clp_posts":
        "08dcbcfd4e8bf607f3e7f12d5cc10a2e2f3d38d055d6e1284971d825d5b11eea",
    "/summary/clp_years":
        "a94f9f85898169121cf5870b184e3651b25465228f7fddbb4eeeb2418ae129d4",
    "/summary/contacts_share":
        "8154e11446659c4504dc789151d4b7a2a6e6607bad603fbee40bd4d4b2679ae8",
    "/summary/cost":
        "3cf1ea346527f0be2e1ecd108aec5a32c36dca80328686d416abdf05ef09cf80",
    "/summary/cost_per_fip":
        "6b665c8c10f203613a4287fb7e6bf22a9743a09dcfd651a49cfd420a93dd2765",
    "/summary/engagement_gain_by_outcome":
        "17adfe50702a93d7c569d3345bdf76a0ce966c924e28c2513b480683f508eac1",
    "/summary/fip_count_distribution":
        "96fc334d5e744dc38808ee0543982e979a5135f0aa9d9d26dba5e987d7b2d2c5",
    "/summary/linked_share":
        "55f3267aeca57837cfa851515580ee2e1f70619e4e4e95264606dc4b092e1363",
    "/summary/mean_fip_count":
        "23e4daf6b0e88a23664e6515ef7756a485fd2c1edd1a6a56a1f2b7816bbf4d72",
    "/summary/p_fip":
        "aaee051f02c5f0079d7922a7a7943cc8a3054025fef752c43cc09d6f9b91e472",
    "/summary/p_observed":
        "fca57dfa1cc23384516e0cce7b4213ecbbd21c8e285f9b1eb3cab0ab1ad116c2",
    "/summary/p_observed_se":
        "c2f92937c814d57d5f8f569edadcbe9db912727df5c9cbd51c1a07937a675408",
    "/summary/patients_closed":
        "de1311072077eb85375e15f21aee6d966af72cbce42bb23d55bb82a5fc682ced",
    "/summary/phase_scores_by_outcome":
        "3ed32ab96fea4e8c84da0302ae187a463fbdf92a2e0797007b8000262e618bd6",
    "/summary/practices_by_outcome":
        "5ac16197a341525ca57b5b8549a1690c0ee6401e5b2c955edb31b65cd023d326",
    "/summary/referrals":
        "7da823da4e635115137524ee74e2732e094998c423ac49b97bc0a0aa1dd56974",
    "/summary/referrals_per_clp_year":
        "7a0754a44f1d8a4cd1eaa413c2a76daeef34fdcf3831d0089f8b6d2e6e7c96da",
    "/summary/vacancy_clp_weeks":
        "10c4958aa63fb55e36b5e10997285d8a89a688f98c5a3afc62025380a87781a7",
    "/summary/vacancy_weeks":
        "d4d7e8d3afa53bb63474b381acc23f6f750d543d061e3d3e87de7e4eb5fad4b3",
    "/survey/answered_items":
        "9c0c4c262a4c1634731118041288ddf88d303e9813352d8de581bc3433cfc893",
    "/survey/mean_score_by_outcome":
        "ca1e3811605713340e62b42aaf47e370e7a0ae80eb4413849d1940031cc146e6",
    "/survey/respondent_practice":
        "230c83a67a28cabfbf06938d7b352a375a7e4476fb1319a110b2068832124bf7",
    "/survey/respondent_role":
        "5bbf3ca6247eb918204dceae675e2b870b9f2a515c7ad41bcaaed8b361c90094",
    "/survey/responses":
        "82d570486794a28fa8870e68133bb206b9e56624526f026ea32aedccbc0d81fc",
    "/timeseries/attention_load":
        "336f6f645ca9fb58b87a4fdb5b2fc4469e9104abca7a4760eca8fe63d04b03b8",
    "/timeseries/caseload":
        "32ba1d98899b524cb86e27ba76c9a28ef80877f5ddd617283a5780b94d75ea66",
    "/timeseries/clp_in_post":
        "f887fc22419519702b4fe6b1dca464ed665d1aca82adffb8c4c96b04f9e36212",
    "/timeseries/cognitive_participation":
        "ee2f6e578e259e8fe119462918bf08d978be106393f45b6339eb8800116627bf",
    "/timeseries/coherence":
        "25fffa2ce07976a0e43992fe10586dd1ec80f8c1f710a0e8ebfcdb0fac7eb11a",
    "/timeseries/collective_action":
        "61f3baa34acc121e3872239f7125492f9c3ca907cb2f06baac6389c9eb996dc7",
    "/timeseries/community_networking_share":
        "6f12f103b32bc06e157dcf2c41e32647bf87d4bf0329d2d91dcc11cce5e9ac77",
    "/timeseries/engagement":
        "46cc7f19ce09c95d6c0e482d19c03d50d07b6a30826bea64121a1f885fbe7251",
    "/timeseries/normalised":
        "bde4547bb6dcb7271a99d6ff0049a5611b3623ff6bb0f7b3b40d7e3744c9f12b",
    "/timeseries/normalised_by":
        "9849c5684a02a9af26d8fbc02245dd9da7a6a7b366711a1eb7c3883bd4ee78ff",
    "/timeseries/patient_support_share":
        "4840f080c8e65754c2828658b2cebf5fcc0a166bef390d17dcf87be0555aaaa5",
    "/timeseries/practice_development_share":
        "50bee9b28bb1f23000317c9599d1538af8fa3727d04ab2e621347ffaab289092",
    "/timeseries/reflexive_monitoring":
        "d580a8ac06fce657f6ffd3792a30ad18090a822f8b4cb48b41108063b87b364d",
    "/timeseries/understanding":
        "d7e1f5d2f6a957ffd0e69b1f77e2cfe45203b98ccf4790c710f3f6733d6650c6",
}


def checksum(dset):
    dtype, shape, data = e2e.dataset_content(dset)
    h = hashlib.sha256()
    h.update(f"{dtype}|{shape}|".encode("utf-8"))
    h.update(data)
    return h.hexdigest()


def reference_run(directory):
    """Runs the reference and returns ({dataset path: checksum}, results_version)."""
    out = os.path.join(directory, "reference.h5")
    e2e.run_checked("run", "-o", out, "--replicates", REPLICATES, "--seed", SEED, "--threads", THREADS,
                    "--quiet", cwd=directory)
    with h5py.File(out, "r") as f:
        sums = {path: checksum(d) for path, d in sorted(e2e.walk_datasets(f).items())}
        return sums, e2e.attr_str(f.attrs["results_version"])


class ReferenceResultsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = e2e.SharedTempDir()
        cls.sums, cls.results_version = reference_run(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_pins_cover_results_summaries_and_time_series(self):
        """The pinned table is not empty and covers every group that holds results."""
        for group in ("/results/", "/summary/", "/timeseries/", "/practices/"):
            self.assertTrue(any(p.startswith(group) for p in PINS), f"no pinned dataset under {group}")

    def test_results_version_is_the_pinned_one(self):
        """The pins belong to the model's current results_version (bump both together)."""
        self.assertEqual(self.results_version, RESULTS_VERSION)

    def test_every_dataset_is_byte_identical_to_the_reference(self):
        """Every dataset of the reference run has its pinned checksum, and no dataset is unpinned or
        missing (see the module docstring to update the pins after an intended change)."""
        self.assertEqual(sorted(set(PINS) - set(self.sums)), [], "pinned datasets missing from the file")
        self.assertEqual(sorted(set(self.sums) - set(PINS)), [], "datasets without a pin")
        changed = [path for path in PINS if self.sums[path] != PINS[path]]
        self.assertEqual(changed, [], "datasets whose content differs from the reference")


def print_pins():
    with tempfile.TemporaryDirectory(prefix="lwsim-reference-") as directory:
        sums, version = reference_run(directory)
    print(f'RESULTS_VERSION = "{version}"\n')
    print("PINS = {")
    for path, digest in sums.items():
        print(f'    "{path}":\n        "{digest}",')
    print("}")


if __name__ == "__main__":
    if "--print-pins" in sys.argv:
        print_pins()
    else:
        unittest.main()
