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
RESULTS_VERSION = "lwp-3"

# SHA-256 of (dtype, shape, bytes) of every dataset of the file; see checksum().
PINS = {
    "/dims/activity":
        "3ef360a9fa21fd711530b548a4e0d9016b56606c7cd6566eed723b8bb9fc7088",
    "/dims/construct":
        "ad9d768e739f765a0bee93e081058ad63036e6a47cc95168070a3e9dec3d9080",
    "/dims/contacts":
        "460753c9b811d96ec7cb47ca0afb344bb36d1c4916c3888b110d016dbbb89b6b",
    "/dims/development_activity":
        "38a2c196b380853ffd0d79701e56846a2e6e54d61076b55f43d46cf7a72a2b28",
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
        "cd271d821c6d2b0bdca03b2e0fb55d62d00aac157d1313ab4f8c0206cf8a8653",
    "/locality/link_requests":
        "ff5c45c36e63aee67f0f708e44c48dd09377dfa951a68bc8ce911798eb47a457",
    "/locality/linked_share":
        "e255aad4ae477682e1c70c9172eab3d5d72ccf9a97d1da71c33bd0aa73357d3c",
    "/locality/normalised_by":
        "3ab7c2899e0e875c319c525b863b8f80047877a45aa3abbe5627aea971757b15",
    "/locality/p_fip":
        "c310798aa73437337b9ba538ca38d98f9582661361b8693e4a8d5e51cf47f67a",
    "/locality/referrals":
        "296bbe0a5a598fc955d73d88bea210f1df6999acbed240dce1efec526ae021cc",
    "/locality/refused_share":
        "06b2a19cd6bdc97d3cf2328cb28f745e94f0ffc9c24c19c3bfe3e92ffea05220",
    "/locality/saturation":
        "3420c9092bf862479af2cd621b353faa43ee5ff9dad4863a1bf81f07ebd5ae30",
    "/locality/vacancy_clp_weeks":
        "bfc21f135073bcbc7e3c96e1f69a1d444289d34eae4b3dc2634324063a9ae16b",
    "/national/normalised":
        "6869209f48d7521aa3849f033f43a43c7f3ac83c3e6c27e5955bc7037cfbd7a4",
    "/national/normalised_by":
        "e196f579412d5f21dd387689cacbefbb6a5af8d1babed82fbfcd31ef2d2d8d63",
    "/practices/drawn_list_size":
        "030a5c2fe5e7b24aa740c8845c42e32daf404c590cf9128db3e04ecd958cad03",
    "/practices/gp_buy_in":
        "1d28fed594e786c03ecae030ff5aae4b6601b8ad20794dbcb90ff017c780dbed",
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
    "/results/activities_kept":
        "c8add38225fc2aa2418c305cc32c708618043f0fd22341edec27afb88c6c2b9f",
    "/results/clp_hours_share":
        "e65cb89fef60ce93520a329939a83076ac6c3ba8d4e68c96e4e48a559da4da81",
    "/results/clp_weeks_in_post":
        "aa8b5ccef1d4fe8113b9f718cf41fa1782535fc4121a952dfdb7fd56960917c1",
    "/results/contacts_histogram":
        "38e4d8aa12bc05b49eb43e4db0a1d37c191dae24471b7f8a735f83b8157bd9ab",
    "/results/cost":
        "b24e6902b92bbce912ed1e9f57022dce86482788f217a52e609e60bc4e919e23",
    "/results/dropped":
        "29e495dc6c78e83b4c3daf687c6dea04f4a6bdbce98d329983a365b4aa167e7b",
    "/results/engagement_gain":
        "2571fb22e9ef40f5f1ccc55fcef38b7ac62231a3d285c790f8c98a23c72ff6c8",
    "/results/events/appraisals":
        "ed6a1e049dd590e65b8be7279225403dfdf6e042510b43d97bf7df1b2fdac2b2",
    "/results/events/clp_changes":
        "12710d5c473ab04f395a82ca0ded624e6d21cb7d2c3f766db74cae54e2d426ea",
    "/results/events/clp_departures":
        "52155ab964dbb0d8bd021d90ae77fc1245336b7b6e0ea8c706a06062135a0011",
    "/results/events/innovations":
        "55a7f13af238d79a8c768c06d4461518f6bc4e63dc7033b41bc876e35427903c",
    "/results/events/leadership_changes":
        "182d601177be0e9c6650c5d77a7db82fc6dc823f3aa7c5f368e36e4821f27fde",
    "/results/events/staff_changes":
        "bb6d9f0ad45d4082560fde2a6fe5dc48be04cff1973077804e007073504dd575",
    "/results/events/vacancy_weeks":
        "61cbad056ffd241f7daa1d1867b3d181d0c1c7b2ef397a4518eed74d31072bfa",
    "/results/fip":
        "9629cbf30c01787339081372e75791bc8a1852fe37206094393d8447b1f993b7",
    "/results/fip_count":
        "e2ccdd2ac401cf3254587835b29432517beb3d4e418e82607e6c7d1fe653f7d2",
    "/results/first_normalised_week":
        "6715f24d3a243a1af010a80fe7ef05212f2927fe25eacd239028b8dbd1f43815",
    "/results/linked":
        "19ab353f1726400fc7c7b5f86866c826c01bf3cad9a3c9972ab4b7bd15b60c96",
    "/results/locality_fip_count":
        "a19ba59a16028226ae945b7bc344d004ef3cb3cdc69778f50123dcdedeb1d18e",
    "/results/mean_caseload":
        "71726d26db6dcbf5d74d36a5b9366603224ec82f9fe3163485b5b0e125fa5bf8",
    "/results/phase_scores":
        "d4a89d4248846a796aff7127bebfb4fdcce3ed28f9bf8971ba0e57f81c8e886a",
    "/results/referrals":
        "183874df61b5f807dd859c28bbecb7df68fbec465564bb1f6924892581ba73a6",
    "/results/refused":
        "34776625a767224fb2c1b4a725dd8c9fdba344bdfc5d10d9218c512dfba9e0c0",
    "/results/weeks_normalised":
        "5b43f83ca6d820f2532a107e816be40d93b4c1ead0a4eaf0cda2d18a90c1f799",
    "/status/completed":
        "9e3de4344a62b11d31088af48bb3d5163ac4ce8cf328f8b16da965b413870760",
    "/summary/activities_kept_by_outcome":
        "4053f5eab9c9c7782d324b4ff87f1c5356f975a93d129927d879d153b194e2ee",
    "/summary/caseload_by_outcome":
        "c4f9a7355f6939a66721d118cff013d5e4a38c3b6e32323222e61f87df470e08",
    "/summary/clp_departures":
        "436f61df08ee8c8cfa066460c7b5ac7a8f00ee943a5c9f3789a5fc5b436606ea",
    "/summary/clp_hours_share_by_outcome":
        "59bb70399dda6c64f0dcb35af5716b83ee71b117c0ee3a4b989d2788b0990056",
    "/summary/clp_posts":
        "08dcbcfd4e8bf607f3e7f12d5cc10a2e2f3d38d055d6e1284971d825d5b11eea",
    "/summary/clp_years":
        "a94f9f85898169121cf5870b184e3651b25465228f7fddbb4eeeb2418ae129d4",
    "/summary/contacts_share":
        "08b2cdf4abfea442e36502f6dbf2a72bf89f43a33fac20e6c1d7962640c7c9a3",
    "/summary/cost":
        "3cf1ea346527f0be2e1ecd108aec5a32c36dca80328686d416abdf05ef09cf80",
    "/summary/cost_per_fip":
        "fc5960a3fc6267327870216de19f519f728ba2aed191f251dee1017a992a44b1",
    "/summary/engagement_gain_by_outcome":
        "d70d747c1e47e818f04577815558576e63ccec80c6ffc6e29299cfdced98df44",
    "/summary/fip_count_distribution":
        "61b17d2efcdb2ba8b325b2bd866f1f25d159a45fdea659ca36c06f4c277bc0ce",
    "/summary/linked_share":
        "cf472d91e3caec3b8ed50a791eb01af73cf2de9af7094fd8902a3b22a6dc7982",
    "/summary/mean_fip_count":
        "3787db5bc7c0d7a94183dfb78b402c0a4edfdda9c35b07422b7715eff00fd90e",
    "/summary/p_fip":
        "ce0aa9f2e38244f535a67af3633b8f4c1c21d17cbf1724a36c1c67be46adc309",
    "/summary/p_observed":
        "91abc798223de33944c2e1566f9323ebceca9585fd42c3e06de4578a6653c532",
    "/summary/p_observed_se":
        "ca85f78591f633e4c291a009fba575a86e082ed2028669cd6ed5b8b9184a9ae3",
    "/summary/patients_closed":
        "b027de97682a38fbb5e03b307d0e7d77c12d6db60222fc660b29334213351b17",
    "/summary/phase_scores_by_outcome":
        "f151a31ea91056f27f5bf23b6fad3e2aeffe0805401d81a5cf512831d6b1f409",
    "/summary/practices_by_outcome":
        "b2e87b2acdae006a72f0936e26991a5670f08d467c5adaade1d5d5945d07a5b5",
    "/summary/referrals":
        "a0711d63a985fc60604295fcbd28e254d10ce3c10bdc7514b9ba1ff984634568",
    "/summary/referrals_per_clp_year":
        "0544ae21d850a1e30b134c13b7fc2d4a8ea636214c3cbb6a016bf4489c34259a",
    "/summary/vacancy_clp_weeks":
        "10c4958aa63fb55e36b5e10997285d8a89a688f98c5a3afc62025380a87781a7",
    "/summary/vacancy_weeks":
        "d4d7e8d3afa53bb63474b381acc23f6f750d543d061e3d3e87de7e4eb5fad4b3",
    "/survey/answered_items":
        "5d08702476739d7df173a21aeb51f6671d26ceaea2b6c8cc37e3613b015be71c",
    "/survey/mean_score_by_outcome":
        "70f978c8d01c7f8007c78148de66d8f1a32f919b9347b009466dab6346c557aa",
    "/survey/respondent_practice":
        "230c83a67a28cabfbf06938d7b352a375a7e4476fb1319a110b2068832124bf7",
    "/survey/respondent_role":
        "5bbf3ca6247eb918204dceae675e2b870b9f2a515c7ad41bcaaed8b361c90094",
    "/survey/responses":
        "715c2d0241103b1ae13e35eb2a7456d63db79b4faad24646c3bc0e6e7b0908a3",
    "/timeseries/attention_load":
        "336f6f645ca9fb58b87a4fdb5b2fc4469e9104abca7a4760eca8fe63d04b03b8",
    "/timeseries/caseload":
        "6dc68f0fea26dd4ba0d35263508df095869a500ad0d6e52aee3869c650cc12b8",
    "/timeseries/clp_in_post":
        "f887fc22419519702b4fe6b1dca464ed665d1aca82adffb8c4c96b04f9e36212",
    "/timeseries/cognitive_participation":
        "08ab7c57c56988a19bb9d91169f2bf3ab63dcfe00d8fc0af4df5514005025893",
    "/timeseries/coherence":
        "58a643e67d3f743c7c494d5c97e7b49755df46435fbb1bb0bf101d7428012df1",
    "/timeseries/collective_action":
        "deeb6dcca3e29e55b352829468dd7398af271358c412144db044f9a0448eda81",
    "/timeseries/community_networking_share":
        "5ade94f6a7c57233c89de9f88f6e99d901ba0efa82266eb41f7f5f34f3601a2c",
    "/timeseries/development_activities":
        "bf420b7e2ebe4feee7983851ad4341647cc096d3fa85e154154aa6dc65a9cc9b",
    "/timeseries/engagement":
        "6e1dec9a6227dee8e1f2d017572c7604258e4b28842d3302c7583dbf2ffe6683",
    "/timeseries/normalised":
        "9af14acd1e50d703288bae7aace0e7d4798d1c30fbc53b6fab032be16f9d6883",
    "/timeseries/normalised_by":
        "5e0e526547facd5ec6808203a401e2a57a03500d58630232eed150700f609719",
    "/timeseries/patient_support_share":
        "0ac97c659bdd6353bc246dd6d4e2aca7dbf28b2c9e645c479c0a004131831c06",
    "/timeseries/practice_development_share":
        "13b09d4a884190b0837d44734a156a0672d8020f3e3e50c26e3f0d4f6c5305d2",
    "/timeseries/reflexive_monitoring":
        "22066af6770a617aba9ebc9c540af041a1c0186cdbf05698ace161f461f72bd8",
    "/timeseries/understanding":
        "c9d2578c8b3ef35523195506ca97c81ddd1be64a24b6ae46510182019a1574ad",
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
