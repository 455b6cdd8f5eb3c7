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
        "bc067dc83db27f1c898cfd17966017deb642095a93bdf76504bd942aa3fdee26",
    "/locality/link_requests":
        "1a4ae941e9a8c2b4ff78e6307c14118e9da86cc9555c34607a3e362d9945bb3a",
    "/locality/linked_share":
        "de95035369c5378dbbbd2a3db71b87a358e2ed39329bd6cb56c2414ed658be0e",
    "/locality/normalised_by":
        "2438c4cfc1dcdc92ca4075d4853d7d48aa0b9ec17f0ad8203beb59671ce26837",
    "/locality/p_fip":
        "50a0a921a8f3c5a4340c3fd33303687827d28d041a6728d69a2ba7e47270089e",
    "/locality/referrals":
        "6b6d7fc6839fd3416afb74f89ae93b681fc4433f489c04c844ceb1ba3a6a2541",
    "/locality/refused_share":
        "ece3d348bb6667fc878e0eb6ccdd7f9093d082b3f8ab84da960a41188573e3d6",
    "/locality/saturation":
        "8451e28097f53903b07a1e50bfde332921ed5777c75e6ca53630dddb982e4d40",
    "/locality/vacancy_clp_weeks":
        "bfc21f135073bcbc7e3c96e1f69a1d444289d34eae4b3dc2634324063a9ae16b",
    "/national/normalised":
        "82f832b55ce89993ceda27e2ff5215e67781820f75bb79f6346ecc8d0b1799a8",
    "/national/normalised_by":
        "cfc50c39ac47b8e14a69433b5714bf5eb488d82b4a51a644a64d7f8b95c91078",
    "/practices/drawn_list_size":
        "030a5c2fe5e7b24aa740c8845c42e32daf404c590cf9128db3e04ecd958cad03",
    "/practices/gp_buy_in":
        "0ad117df9b2cc3f161244075e38c7dd0434e2344669211efeb7a89f456629f1a",
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
        "32a2f70399dd9b6215847790fcf3fc6c7940a1117592eb2a7b5baa729cfc1af8",
    "/results/clp_hours_share":
        "c8b9dd6e1edf26d21d32a5856205a06b870d4eb2999e8dda31411bf44e2f52a5",
    "/results/clp_weeks_in_post":
        "aa8b5ccef1d4fe8113b9f718cf41fa1782535fc4121a952dfdb7fd56960917c1",
    "/results/contacts_histogram":
        "0bf28fb727de06b0b76432344266a79df88e981bf518d1ed9374f2dde86bfdef",
    "/results/cost":
        "b24e6902b92bbce912ed1e9f57022dce86482788f217a52e609e60bc4e919e23",
    "/results/dropped":
        "be3119b04112f04e5ca19d7c8807909e64dbbc999be40664fb94fa9594fc8515",
    "/results/engagement_gain":
        "7830b437e4cc52216322f3f5723e320682ac67cc83a9ad1e7b8980b59a50085a",
    "/results/events/appraisals":
        "c348373f61cd721b347d8d7c31f76b2d9978c0f9a5b3e14417f6d7e26e1c2b19",
    "/results/events/clp_changes":
        "12710d5c473ab04f395a82ca0ded624e6d21cb7d2c3f766db74cae54e2d426ea",
    "/results/events/clp_departures":
        "52155ab964dbb0d8bd021d90ae77fc1245336b7b6e0ea8c706a06062135a0011",
    "/results/events/innovations":
        "55a7f13af238d79a8c768c06d4461518f6bc4e63dc7033b41bc876e35427903c",
    "/results/events/leadership_changes":
        "43ca83ce20f6ad66d8fa9f76fdd78b5b395ad887d4071550c2dceec901ecd975",
    "/results/events/staff_changes":
        "a1ec8b799c39c0ed3d7d8fe6f6cbe8e82d33938a01578362686fbcd966e6e503",
    "/results/events/vacancy_weeks":
        "61cbad056ffd241f7daa1d1867b3d181d0c1c7b2ef397a4518eed74d31072bfa",
    "/results/fip":
        "77e3b93f1a2a6eb17a0648f946f4c77e06e73004adf872c7ce219d62f6bfde06",
    "/results/fip_count":
        "bed02f010a9e35c56a5ca20e82f476ffdf47c8d3bc0dd8c2c36218140e719e6d",
    "/results/first_normalised_week":
        "53ff5a72718967d415c303ffd9bbdaf202a94fea1c8da7471803c67db765d457",
    "/results/linked":
        "fe23f4c419bb55622f68323d6bf1e0f8090a5900027bd85bd802e304b3a2677c",
    "/results/locality_fip_count":
        "812224b996b2e5ce0275ec0f7de2379a33f37f9c27b25f145a8aabe9c174476b",
    "/results/mean_caseload":
        "92bec1398a3b0e148fcd1e578b670a35d42faac62afcf3d57f05131a6363be77",
    "/results/phase_scores":
        "5a7fc3744404a6415f5efb56745719711a69e328837236eb04cd680f72cef3eb",
    "/results/referrals":
        "8cf82fa2222a1574ef8d30bf2446ecf41f676f6e8faf42e1495e51a638e4cb31",
    "/results/refused":
        "a2927dff17f35cdd5630c968260f399383675e28dcac65f317492a67c87d66eb",
    "/results/weeks_normalised":
        "8cb3be2d96701eb0b7d65526edbd2aa20f9cc5546573f85fee2c95d85c340aa2",
    "/status/completed":
        "9e3de4344a62b11d31088af48bb3d5163ac4ce8cf328f8b16da965b413870760",
    "/summary/activities_kept_by_outcome":
        "c6715dd37d8959826966908b801531d0275a56134deb2c282570e98e77d11c22",
    "/summary/caseload_by_outcome":
        "871d2eaa8a7012944c5e0cd264efc5546647280ac5e31f6b1b0edea7a3c41e21",
    "/summary/clp_departures":
        "436f61df08ee8c8cfa066460c7b5ac7a8f00ee943a5c9f3789a5fc5b436606ea",
    "/summary/clp_hours_share_by_outcome":
        "47c178825d8ee8a92894e32cc6feb6418d555c8296b901633f2617c6575a85df",
    "/summary/clp_posts":
        "08dcbcfd4e8bf607f3e7f12d5cc10a2e2f3d38d055d6e1284971d825d5b11eea",
    "/summary/clp_years":
        "a94f9f85898169121cf5870b184e3651b25465228f7fddbb4eeeb2418ae129d4",
    "/summary/contacts_share":
        "15633e5b73960ab6af9231356ec8a1ea7783f42987053162345925560dfd991b",
    "/summary/cost":
        "3cf1ea346527f0be2e1ecd108aec5a32c36dca80328686d416abdf05ef09cf80",
    "/summary/cost_per_fip":
        "c8322afa363385cec44a92c144defcc9d7815c1accb9602a66a3d72270953889",
    "/summary/engagement_gain_by_outcome":
        "012cc74ce14a864b70e22a0043cac0b60a8f53edae0bcf8e4f69b8f3f9e69ce1",
    "/summary/fip_count_distribution":
        "b03901398c4f9fd1bb73f682250b8309e85f819ad256ed7853259dc9818ee8ed",
    "/summary/linked_share":
        "3dbc37e579039eb0c0f2f22453fb55d68b0d74837b0cdc6b27a989c5ee868368",
    "/summary/mean_fip_count":
        "62cfb464cbf747537193cba10c939baea5b134ba380f27303dcdca76c2f8e393",
    "/summary/p_fip":
        "7775233e046afc241a1c541c763fed366a88f69f442b4490fb8b2f4e2762b978",
    "/summary/p_observed":
        "dc295c685773e98f73de0c921f32aea44713ed19217f5ea9fbe0367b4360da15",
    "/summary/p_observed_se":
        "dd437573b9ab3779f1de36b62ecd643e150f8ea527839a91e9ab1b89e5458efa",
    "/summary/patients_closed":
        "b6892df0854cc1bd02c720584f4804152496708b32a60794a8be351fc3bc444c",
    "/summary/phase_scores_by_outcome":
        "103a6e691e32d5960284f1fd9b837f644f26c9506f3f39fae618f5bc6b5eb880",
    "/summary/practices_by_outcome":
        "00e222e1b04fe2bf689d0d751d2e138c1e2f75cd2f96068b040f8a0b231a3a09",
    "/summary/referrals":
        "9a7ca63929313e4f22ca314407a40715c2bb2a684f7e5eaafcdcfbfd48b925e5",
    "/summary/referrals_per_clp_year":
        "91ea368f69aa85e71aa0f3e0e7b384ad26efb40a4f36e72cf321c6c30d3d4607",
    "/summary/vacancy_clp_weeks":
        "10c4958aa63fb55e36b5e10997285d8a89a688f98c5a3afc62025380a87781a7",
    "/summary/vacancy_weeks":
        "d4d7e8d3afa53bb63474b381acc23f6f750d543d061e3d3e87de7e4eb5fad4b3",
    "/survey/answered_items":
        "6ac6dd77e6e6aa08a0f79414593c768d15e89116520e4fc0f5571c61bda751f4",
    "/survey/mean_score_by_outcome":
        "d8b8e4db1a8f09181a90e50844b45631a712b8db58efa730d9a8b58d49b48127",
    "/survey/respondent_practice":
        "230c83a67a28cabfbf06938d7b352a375a7e4476fb1319a110b2068832124bf7",
    "/survey/respondent_role":
        "5bbf3ca6247eb918204dceae675e2b870b9f2a515c7ad41bcaaed8b361c90094",
    "/survey/responses":
        "365b0980260a4561d4cde76858758d8852e5c2d1986b85b4a7bba0e5cfa8b68c",
    "/timeseries/attention_load":
        "336f6f645ca9fb58b87a4fdb5b2fc4469e9104abca7a4760eca8fe63d04b03b8",
    "/timeseries/caseload":
        "98ec65fa47f30884452753912e03768345898457ed297dd1b1e2813894be42b0",
    "/timeseries/clp_in_post":
        "f887fc22419519702b4fe6b1dca464ed665d1aca82adffb8c4c96b04f9e36212",
    "/timeseries/cognitive_participation":
        "a8c21571e57e6ad7e78e1d9c7b413c59abc50d352f84b7dff6f75c0b2c3bae56",
    "/timeseries/coherence":
        "2bd47c778a743e2efdcc35393efed7009469faba2a269efad00e75c35940d6ad",
    "/timeseries/collective_action":
        "37a067b1cd21aa9dc2f1e46dad31c3ce1cb279ee04a3a8b192ea67bb01d80b04",
    "/timeseries/community_networking_share":
        "27b4fe33466c582bfab5c33e452ecb1b5c98c555abf33372e3ab11b826f3288d",
    "/timeseries/development_activities":
        "0c56d2beafa0dd82716d6b6e3e7a03c10e6804362f926ddafc199211e2db6365",
    "/timeseries/engagement":
        "d1751c1688a2814ce9faccc635311fe155a31e0be5278da38421b3cd38a37600",
    "/timeseries/normalised":
        "def1a10b606cd0794d59bafa248e4076fe2efc2b2565d9336597f4085c55c105",
    "/timeseries/normalised_by":
        "cf8e512eaa93665dc8cb07f87a5c552fdaa64c10d25aa4f8299e19d87b63e9a7",
    "/timeseries/patient_support_share":
        "655469a472774c3e829304a90883e7b6b2cac55cf7f1d9b69d7eca56460b3834",
    "/timeseries/practice_development_share":
        "010852d479f9e7156a1b0b9f3083cd2cd665a54ae89ec61d2ea0d734447a650b",
    "/timeseries/reflexive_monitoring":
        "f4a1f691a9b8553af7974afc9db26b6c933d4791cda05d21b0d7fff1eb5ffa22",
    "/timeseries/understanding":
        "614100e8f3b9ddec8e58aaba1520eb1a8cd3a536ef066ed83db150586c8eefd4",
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
