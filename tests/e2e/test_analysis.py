"""Claims about the analysis scripts as a user meets them: analysis/plots.py and analysis/report.py,
run with Debian's /usr/bin/python3 as subprocesses, on small real output files of every kind that
the real lwsim binary writes here (a run with observed data and a simulated survey, a run without
either, a grid and a Latin hypercube sweep, an interrupted sweep, an ABC calibration, a Sobol and
a Morris sensitivity analysis; and from the scale-up mechanisms a run of 1,080 synthetic practices
in 152 localities, whose file has no per-practice weekly series, a run of 100 practices, and a
two-point sweep comparing a cut of posts with none).

Small runs get per-practice figures and tables; large ones get national and per-locality figures,
a table of localities and a paragraph on the programme's posts and costs.

plots.py writes, for each kind, the figures suited to it, each a real, non-blank PNG; report.py
writes one self-contained HTML file whose every quoted number is listed in its embedded JSON
with the dataset it comes from and equals that dataset's value at the printed precision, whose
plain-language summary quotes no unchecked number, and which covers the headline numbers of each
kind; both scripts refuse a missing file and a file lwsim did not write with one line and exit 2.
"""

import base64
import concurrent.futures
import html
import json
import math
import os
import re
import shutil
import subprocess
import time
import tomllib
import unittest

import h5py
import numpy as np

import lwsim_e2e as e2e

PYTHON = "/usr/bin/python3"
PLOTS = os.path.join(e2e.SOURCE_DIR, "analysis", "plots.py")
REPORT = os.path.join(e2e.SOURCE_DIR, "analysis", "report.py")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCRIPT_TIMEOUT = 180

SWEEP_GRID = """
title = "Buy-in x innovations (test grid)"
question = "How does P(FIP) depend on GP buy-in and competing innovations?"
base = "scenario.toml"

[design]
kind = "grid"
replicates = 60
seed = 5

[parameters]
"context.gp_buy_in_mean" = [0.2, 0.5, 0.8]
"context.innovation_rate_mean" = [0.0, 2.0, 8.0]
"""

SWEEP_LHS = """
title = "CLP continuity (test Latin hypercube)"
question = "Which aspect of CLP continuity matters most?"
base = "scenario.toml"

[design]
kind = "lhs"
points = 16
replicates = 30
seed = 6

[parameters]
"clp.departure_hazard" = { min = 0.0005, max = 0.02, scale = "log" }
"clp.vacancy_mean_weeks" = { min = 2, max = 40 }
"context.gp_buy_in_mean" = { min = 0.2, max = 0.9 }
"""

CALIBRATION = """
title = "Test calibration to 3 FIP / 4 PIP"
question = "Which parameter values make 3 FIPs of 7 likely?"
base = "scenario.toml"
observed = "observed/deep_end_2016.toml"

[abc]
particles = 60
replicates = 1
seed = 2016
generations = 3
min_tolerance = 0.0
quantile = 0.5
min_acceptance = 0.02
max_attempts = 200000
kernel_scale = 2.0
predictive_replicates = 10

[distance]
fip_count = 1.0

[priors]
"context.gp_buy_in_mean" = { distribution = "uniform", min = 0.2, max = 0.9 }
"context.innovation_rate_mean" = { distribution = "log-uniform", min = 0.25, max = 12.0 }
"development.engagement_effect" = { distribution = "beta", a = 2, b = 10, min = 0.0, max = 0.5 }
"""

SENSITIVITY = """
title = "Test {method} sensitivity"
question = "Which parameters matter most for P(FIP)?"
base = "scenario.toml"

[sensitivity]
method = "{method}"
samples = {samples}
levels = 4
replicates = 10
seed = 2016
bootstrap = 200
confidence = 0.95

[outputs]
"P(FIP)" = "/summary/p_fip"
"mean FIP count" = "/summary/mean_fip_count"

[parameters]
"context.gp_buy_in_mean" = {{ min = 0.2, max = 0.9 }}
"context.innovation_rate_mean" = {{ min = 0.25, max = 12.0, scale = "log" }}
"development.engagement_effect" = {{ min = 0.0, max = 0.5 }}
"""

SCALE_UP = """
title = "Scale-up test: 1,080 synthetic practices in 152 localities"

[run]
replicates = 2
seed = 11

[evaluation]
horizon_weeks = 104
final_phase = "P4"

[evaluation.phases]
P1 = [0, 13]
P2 = [30, 52]
P3 = [61, 69]
P4 = [83, 104]

[parameters.programme]
cut_week = 52
practices_per_clp_after_cut = 2.0

[[locality]]
name = "A"
copies = 150
practices = 7
list_size = { mean = 4000, sd = 1000, min = 1500, max = 12000 }
training_share = 0.5
organisations = 12
capacity = 20

[[locality]]
name = "B"
practices = 20
list_size = { mean = 4000, sd = 1000, min = 1500, max = 12000 }
training_share = 0.5
organisations = 8
capacity = 20
start_week = 26

[[locality]]
name = "C"
practices = 10
list_size = { mean = 4000, sd = 1000, min = 1500, max = 12000 }
training_share = 0.5
"""

HUNDRED = """
title = "Scale-up test: 100 synthetic practices in two localities"

[run]
replicates = 20
seed = 11

[[locality]]
name = "North"
practices = 60
list_size = { mean = 4000, sd = 1000, min = 1500, max = 12000 }
training_share = 0.5
organisations = 24
capacity = 30

[[locality]]
name = "South"
practices = 40
list_size = { mean = 4000, sd = 1000, min = 1500, max = 12000 }
training_share = 0.5
organisations = 16
capacity = 30
"""

SWEEP_COMPARE = """
title = "Scale-up test: the cut of posts against no cut"
question = "How many fully integrated practices does the cut of posts cost?"
base = "scale.toml"

[design]
kind = "grid"
replicates = 2
seed = 12

[parameters]
"programme.cut_week" = [52, 1041]
"""

# The figures each file must get (file-name suffixes after "<stem>-"); the survey figure is added
# for files with /survey (checked separately).
EXPECTED_FIGURES = {
    "run": {"normalised_by", "fip_count", "constructs", "p_fip", "phase_scores"},
    "run_plain": {"normalised_by", "fip_count", "constructs", "p_fip", "phase_scores"},
    # No /timeseries: national and locality figures, no per-practice ones, no constructs.
    "run_scale": {"national_normalised_by", "fip_count", "locality_p_fip", "programme", "phase_scores"},
    # /timeseries present but 100 practices: constructs, and no per-practice figures.
    "run_hundred": {"national_normalised_by", "fip_count", "constructs", "locality_p_fip", "programme",
                    "phase_scores"},
    "sweep_grid": {"heatmap_mean_p_fip", "heatmap_p_observed"},
    "sweep_lhs": {"partial_dependence_mean_p_fip", "partial_dependence_p_observed"},
    "sweep_partial": {"heatmap_mean_p_fip", "heatmap_p_observed"},
    # Fewer than 9 points: no partial dependence (a line through a handful of points).
    "sweep_compare": {"national_normalised_by"},
    "calibration": {"posterior_marginals", "posterior_pairs", "abc_progress", "posterior_predictive"},
    "sobol": {"sobol_p_fip", "sobol_mean_fip_count"},
    "morris": {"morris_p_fip", "morris_mean_fip_count"},
}
INCOMPLETE_POINT = 4   # the point marked unfinished in sweep_partial.h5

Script = tuple  # (code, stdout, stderr, seconds)


def without_observed_and_survey(text):
    """The scenario text without its observed-data line and its [evaluation.survey] tables."""
    text = re.sub(r"^observed = .*\n", "", text, flags=re.M)
    return re.sub(r"^\[evaluation\.survey[^\]]*\]\n(?:(?!\[)[^\n]*\n)*", "", text, flags=re.M)


def run_script(script, *args):
    start = time.monotonic()
    proc = subprocess.run([PYTHON, script, *map(str, args)], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=SCRIPT_TIMEOUT)
    return (proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def setUpModule():
    global TMP, FILES, PLOTTED, REPORTED, TIMES
    started = time.monotonic()
    TMP = e2e.SharedTempDir()
    d = TMP.name
    scenario = e2e.copy_scenario(d)
    e2e.write_text(TMP.path("plain.toml"), without_observed_and_survey(e2e.read_text(scenario)))
    e2e.write_text(TMP.path("grid.toml"), SWEEP_GRID)
    e2e.write_text(TMP.path("lhs.toml"), SWEEP_LHS)
    e2e.write_text(TMP.path("calibration.toml"), CALIBRATION)
    e2e.write_text(TMP.path("sobol.toml"), SENSITIVITY.format(method="sobol", samples=16))
    e2e.write_text(TMP.path("morris.toml"), SENSITIVITY.format(method="morris", samples=8))
    e2e.write_text(TMP.path("scale.toml"), SCALE_UP)
    e2e.write_text(TMP.path("hundred.toml"), HUNDRED)
    e2e.write_text(TMP.path("compare.toml"), SWEEP_COMPARE)
    FILES = {name: TMP.path(f"{name}.h5") for name in EXPECTED_FIGURES}
    commands = [
        ("run", scenario, "-o", FILES["run"], "--replicates", 300, "--seed", 5, "--quiet"),
        ("run", "plain.toml", "-o", FILES["run_plain"], "--replicates", 200, "--seed", 5, "--quiet"),
        ("sweep", "grid.toml", "-o", FILES["sweep_grid"], "--quiet"),
        ("sweep", "lhs.toml", "-o", FILES["sweep_lhs"], "--quiet"),
        ("calibrate", "calibration.toml", "-o", FILES["calibration"]),
        ("sensitivity", "sobol.toml", "-o", FILES["sobol"]),
        ("sensitivity", "morris.toml", "-o", FILES["morris"]),
        ("run", "scale.toml", "--replicates", 2, "-o", FILES["run_scale"], "--quiet"),
        ("run", "hundred.toml", "-o", FILES["run_hundred"], "--quiet"),
        ("sweep", "compare.toml", "-o", FILES["sweep_compare"], "--quiet"),
    ]
    for args in commands:
        e2e.run_checked(*args, cwd=d)
    # An interrupted sweep, as `lwsim sweep` leaves it: one point's status still 0.
    shutil.copyfile(FILES["sweep_grid"], FILES["sweep_partial"])
    with h5py.File(FILES["sweep_partial"], "r+") as f:
        f["/status/completed"][INCOMPLETE_POINT] = 0
    simulated = time.monotonic()

    def analyse(name):
        figures = TMP.path(f"figures_{name}")
        report = TMP.path(f"{name}.html")
        return name, run_script(PLOTS, FILES[name], "-o", figures), run_script(REPORT, FILES[name], "-o", report)

    PLOTTED, REPORTED = {}, {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for name, plotted, reported in pool.map(analyse, FILES):
            PLOTTED[name], REPORTED[name] = plotted, reported
    TIMES = {"lwsim": simulated - started, "scripts": time.monotonic() - simulated}


def tearDownModule():
    TMP.cleanup()


def written_pngs(name):
    """The paths plots.py printed for file `name`."""
    return [line for line in PLOTTED[name][1].splitlines() if line.strip()]


def report_html(name):
    return e2e.read_text(TMP.path(f"{name}.html"))


def quoted_numbers(text):
    match = re.search(r'<script type="application/json" id="lwsim-numbers">(.*?)</script>', text, flags=re.S)
    if match is None:
        raise AssertionError("the report has no lwsim-numbers JSON block")
    return json.loads(match.group(1))


def section(text, name):
    match = re.search(rf'<section id="{name}">(.*?)</section>', text, flags=re.S)
    if match is None:
        raise AssertionError(f"the report has no {name} section")
    return match.group(1)


# ---- an independent reading of the quoted numbers ---------------------------------------------

def source_value(f, record):
    """The value a quoted-number record points at, read from the open file `f`."""
    if "attribute" in record:
        text = e2e.attr_str(f.attrs[record["attribute"]])
        if "toml_key" not in record:
            return float(f.attrs[record["attribute"]])
        if record["attribute"] != "observed":   # the analysis part, before the base scenario
            text = text.split("\n# resolved base scenario", 1)[0]
        value = tomllib.loads(text)
        for part in record["toml_key"].split("."):
            value = value[part]
        return float(value)
    dataset = f[record["path"]]
    if "axis" in record:
        return float(dataset.shape[record["axis"]])
    if "paired" in record:  # paired differences over replicates: [point, replicate] datasets
        point, reference = record["paired"]
        d = dataset[point].astype(float) - dataset[reference].astype(float)
        if record["statistic"] == "ratio":
            denominator = f[record["denominator"]]
            return float(d.mean() / (denominator[point].astype(float) - denominator[reference]).mean())
        return float(d.mean() if record["statistic"] == "mean" else
                     np.percentile(d, {"p05": 5, "p95": 95}[record["statistic"]]))
    if "reduce" in record:
        values = dataset[()]
        return float(values.sum() if record["reduce"] == "sum" else len(np.unique(values)))
    index = tuple(record["index"])
    return float(dataset[index] if index else dataset[()])


def printed(value, style, digits):
    """How a value is printed in each style (docs in analysis/report.py's format_number)."""
    if style == "percent":
        return f"{value * 100:.{digits}f}%"
    if style == "points":
        return f"{value * 100:.{digits}f} percentage points"
    if style == "fixed":
        return f"{value:,.{digits}f}"
    if style == "sig":
        return f"{value:.{digits}g}"
    if style == "int":
        return str(round(value))
    if style == "money":
        sign, m = ("-" if value < 0 else ""), abs(value)
        return (f"{sign}£{m / 1e6:.1f}m" if m >= 1e6 else f"{sign}£{m / 1e3:.0f}k" if m >= 1e4
                else f"{sign}£{m:.0f}")
    raise AssertionError(f"unknown style {style!r}")


def within_printed_precision(text, value, style, digits):
    """Whether the printed text, read back as a number, is within half a unit of its last printed
    digit of the value."""
    if style == "money":  # £6.9m, £24k, £512: within half a unit of the last digit shown
        scale = 1e6 if text.endswith("m") else 1e3 if text.endswith("k") else 1.0
        unit = 0.1 * scale if text.endswith("m") else scale
        number = float(text.replace("£", "").rstrip("mk")) * scale
        return abs(number - value) <= 0.5 * unit * (1 + 1e-9)
    number = float(text.replace(",", "").replace(" percentage points", "").rstrip("%"))
    if style in ("percent", "points"):
        return abs(number - value * 100) <= 0.5 * 10 ** -digits + 1e-9
    if style == "fixed":
        return abs(number - value) <= 0.5 * 10 ** -digits + 1e-9
    if style == "int":
        return abs(number - value) <= 0.5
    if value == 0:
        return number == 0
    return abs(number - value) <= 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1) * (1 + 1e-9)


def has_number(records, path, index=None):
    return any(r.get("path") == path and (index is None or r.get("index") == list(index)) for r in records)


class PlotsTest(unittest.TestCase):

    def test_each_kind_of_file_gets_the_figures_suited_to_it(self):
        """plots.py exits 0 and prints one path per figure: the phase, count, construct and practice
        figures for runs, heat maps for grids, partial dependence for other designs, posterior and
        progress figures for calibrations, index charts per output for sensitivity files."""
        for name, expected in EXPECTED_FIGURES.items():
            with self.subTest(file=name):
                code, stdout, stderr, _ = PLOTTED[name]
                self.assertEqual(code, 0, stderr)
                stem = os.path.basename(FILES[name])[:-3]
                names = set()
                for path in written_pngs(name):
                    self.assertEqual(os.path.dirname(path), TMP.path(f"figures_{name}"))
                    base = os.path.basename(path)
                    self.assertTrue(base.startswith(stem + "-") and base.endswith(".png"), base)
                    names.add(base[len(stem) + 1:-4])
                with h5py.File(FILES[name], "r") as f:
                    if name.startswith("run") and "/survey/mean_score_by_outcome" in f:
                        expected = expected | {"survey"}
                self.assertEqual(names, expected)
                self.assertEqual(sorted(os.listdir(TMP.path(f"figures_{name}"))),
                                 sorted(os.path.basename(p) for p in written_pngs(name)),
                                 "plots.py wrote files it did not list, or listed files it did not write")

    def test_every_figure_is_a_real_png_that_is_not_blank(self):
        """Every listed file starts with the PNG signature, is larger than 5 kB, decodes, and is not
        a single colour (its pixels vary and hold many colours)."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.image

        for name in EXPECTED_FIGURES:
            for path in written_pngs(name):
                with self.subTest(figure=os.path.basename(path)):
                    with open(path, "rb") as png:
                        self.assertEqual(png.read(8), PNG_MAGIC)
                    self.assertGreater(os.path.getsize(path), 5 * 1024)
                    pixels = matplotlib.image.imread(path)[..., :3]
                    self.assertGreater(float(pixels.var()), 1e-3)
                    colours = np.unique(pixels.reshape(-1, 3), axis=0)
                    self.assertGreater(len(colours), 20)

    def test_the_survey_figure_follows_the_survey_datasets(self):
        """A run without a simulated survey and without observed data still gets its figures, and no
        survey figure; a run whose file has /survey gets one."""
        with h5py.File(FILES["run_plain"], "r") as f:
            self.assertNotIn("survey", f)
            self.assertNotIn("/summary/p_observed", f)
        self.assertFalse(any(p.endswith("-survey.png") for p in written_pngs("run_plain")))
        with h5py.File(FILES["run"], "r") as f:
            has_survey = "/survey/mean_score_by_outcome" in f
        self.assertEqual(any(p.endswith("-survey.png") for p in written_pngs("run")), has_survey)


class ReportTest(unittest.TestCase):

    def test_reports_exit_0_and_print_their_path(self):
        for name in FILES:
            with self.subTest(file=name):
                code, stdout, stderr, _ = REPORTED[name]
                self.assertEqual(code, 0, stderr)
                self.assertEqual(stdout.strip(), TMP.path(f"{name}.html"))
                self.assertFalse(os.path.exists(TMP.path(f"{name}.html.part")))

    def test_the_html_is_self_contained_with_every_figure_embedded_as_png(self):
        """No external resource (no http source, no <link>, no url() in the CSS); every <img> is a
        data URI that decodes to a PNG, one per figure plots.py writes for the same file."""
        for name in FILES:
            with self.subTest(file=name):
                text = report_html(name)
                self.assertTrue(text.startswith("<!DOCTYPE html>"))
                self.assertNotRegex(text, r'(src|href)\s*=\s*"(https?:)?//')
                self.assertNotIn("<link", text)
                self.assertNotRegex(text, r"url\(")
                self.assertNotRegex(text, r"@import")
                sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', text)
                self.assertEqual(len(sources), len(written_pngs(name)))
                for source in sources:
                    self.assertTrue(source.startswith("data:image/png;base64,"), source[:40])
                    data = base64.b64decode(source.split(",", 1)[1], validate=True)
                    self.assertEqual(data[:8], PNG_MAGIC)
                    self.assertGreater(len(data), 5 * 1024)

    def test_every_quoted_number_equals_the_file_at_its_printed_precision(self):
        """Each number listed in the report's JSON appears in its place in the HTML, is the value
        of the named dataset element (or attribute) printed in its style, and reads back within half
        a unit of its last digit; every marked number in the HTML is listed."""
        for name in FILES:
            text = report_html(name)
            records = quoted_numbers(text)
            self.assertGreater(len(records), 10, name)
            with h5py.File(FILES[name], "r") as f:
                for record in records:
                    with self.subTest(file=name, number=record["label"], path=record.get("path")):
                        value = source_value(f, record)
                        self.assertEqual(record["text"], printed(value, record["style"], record["digits"]))
                        self.assertTrue(within_printed_precision(record["text"], value, record["style"],
                                                                 record["digits"]))
                        self.assertTrue(f'data-q="{record["id"]}">{html.escape(record["text"])}</span>' in text,
                                        f"{record['text']!r} is not in the HTML in span {record['id']}")
            marked = re.findall(r'<span class="num" data-q="(\d+)">', text)
            self.assertEqual(set(map(int, marked)), {r["id"] for r in records},
                             f"{name}: numbers marked in the HTML and listed in the JSON differ")

    def test_the_headline_numbers_are_quoted_and_checked(self):
        """Run: P(count = observed), the mean FIP count and every practice's P(FIP); sweep: the
        lowest and highest mean FIP count and the most likely observed count; calibration: every
        posterior median and the posterior predictive P(count = observed); sensitivity: every
        first- and total-order index (Sobol) or mu* (Morris)."""
        records = quoted_numbers(report_html("run"))
        self.assertTrue(has_number(records, "/summary/p_observed", [0]))
        self.assertTrue(has_number(records, "/summary/p_observed_se", [0]))
        self.assertTrue(has_number(records, "/summary/mean_fip_count", [0]))
        with h5py.File(FILES["run"], "r") as f:
            practices = f["/practices/name"].shape[0]
            distribution_length = f["/summary/fip_count_distribution"].shape[1]
        for i in range(practices):
            self.assertTrue(has_number(records, "/summary/p_fip", [0, i]), i)
        for k in range(distribution_length):
            self.assertTrue(has_number(records, "/summary/fip_count_distribution", [0, k]), k)

        records = quoted_numbers(report_html("sweep_grid"))
        with h5py.File(FILES["sweep_grid"], "r") as f:
            mean = f["/summary/mean_fip_count"][()]
            p_observed = f["/summary/p_observed"][()]
        for point in (int(np.argmin(mean)), int(np.argmax(mean))):
            self.assertTrue(has_number(records, "/summary/mean_fip_count", [point]), point)
        self.assertTrue(has_number(records, "/summary/p_observed", [int(np.argmax(p_observed))]))

        records = quoted_numbers(report_html("calibration"))
        with h5py.File(FILES["calibration"], "r") as f:
            parameters = f["/posterior/summary"].shape[0]
        for k in range(parameters):
            self.assertTrue(has_number(records, "/posterior/summary", [k, 0]), k)
        self.assertTrue(has_number(records, "/posterior_predictive/p_observed", []))

        for name, paths in (("sobol", ["/sensitivity/first_order", "/sensitivity/total_order"]),
                            ("morris", ["/sensitivity/mu_star"])):
            records = quoted_numbers(report_html(name))
            with h5py.File(FILES[name], "r") as f:
                outputs, parameters = f[paths[0]].shape
            for path in paths:
                for o in range(outputs):
                    for k in range(parameters):
                        self.assertTrue(has_number(records, path, [o, k]), (name, path, o, k))

    def test_the_summary_quotes_no_number_that_is_not_checked(self):
        """Apart from the central-interval level, every digit in the plain-language summary is in a
        checked number, in text read from the file (titles, labels) or in a citation."""
        for name in FILES:
            with self.subTest(file=name):
                summary = section(report_html(name), "summary")
                summary = re.sub(r'<span class="(num|filetext|cite)"[^>]*>[^<]*</span>', "", summary)
                words = html.unescape(re.sub(r"<[^>]+>", " ", summary)).replace("90%", "")
                self.assertNotRegex(words, r"\d")

    def test_the_summary_tells_the_observed_count_and_the_simulated_chance_of_it(self):
        """A run's summary names the observed FIP count from the observed-data file and quotes
        P(count = observed); a run without observed data says there is none."""
        with h5py.File(FILES["run"], "r") as f:
            observed = tomllib.loads(e2e.attr_str(f.attrs["observed"]))["fip"]
        text = report_html("run")
        records = quoted_numbers(text)
        summary = section(text, "summary")
        p_observed = next(r for r in records if r.get("path") == "/summary/p_observed")
        self.assertIn(f'data-q="{p_observed["id"]}"', summary)
        observed_records = [r for r in records if r.get("toml_key") == "fip"]
        self.assertTrue(observed_records)
        self.assertTrue(all(r["text"] == str(observed) for r in observed_records))
        self.assertIn("(observed: " + f'<span class="num" data-q="{observed_records[0]["id"]}"', summary)
        plain = report_html("run_plain")
        self.assertIn("no observed data", section(plain, "summary"))
        self.assertFalse(has_number(quoted_numbers(plain), "/summary/p_observed"))

    def test_the_provenance_is_complete(self):
        """The provenance gives the lwsim version, git commit, creation time, command line, seed and
        replicates from the file, and the full resolved scenario in a collapsible <details>."""
        for name in FILES:
            with self.subTest(file=name):
                text = report_html(name)
                provenance = section(text, "provenance")
                with h5py.File(FILES[name], "r") as f:
                    for attribute in ("lwsim_version", "git_commit", "created_utc", "command_line"):
                        self.assertIn(html.escape(e2e.attr_str(f.attrs[attribute])), provenance, attribute)
                    scenario = e2e.attr_str(f.attrs["scenario"])
                    records = quoted_numbers(text)
                    for attribute in ("seed", "replicates"):
                        self.assertTrue(any(r.get("attribute") == attribute and "toml_key" not in r
                                            for r in records), attribute)
                details = re.findall(r"<details><summary>([^<]*)</summary><pre>(.*?)</pre></details>", provenance,
                                     flags=re.S)
                self.assertIn(scenario, [html.unescape(body) for _, body in details])

    def test_an_interrupted_sweep_is_reported_on_its_completed_points_only(self):
        """With one point unfinished, the report says how many points are complete and quotes no
        summary of the unfinished point; the figures are still written."""
        text = report_html("sweep_partial")
        records = quoted_numbers(text)
        completed = next(r for r in records if r.get("reduce") == "sum" and r["path"] == "/status/completed")
        self.assertEqual(completed["text"], "8")
        self.assertIn(f'Only <span class="num" data-q="{completed["id"]}">8</span> of', text)
        for record in records:
            if record.get("path", "").startswith("/summary/"):
                self.assertNotEqual(record["index"][:1], [INCOMPLETE_POINT], record["label"])
        self.assertEqual(PLOTTED["sweep_partial"][0], 0)

    def test_the_analysis_is_quick_on_small_files(self):
        """Not a benchmark: a guard that the scripts stay usable (imports, figure sizes)."""
        for name in FILES:
            with self.subTest(file=name):
                self.assertLess(PLOTTED[name][3], 60)
                self.assertLess(REPORTED[name][3], 60)


def table_rows(text, heading):
    """The rows (lists of cell HTML) of the table under <h3>heading</h3>, or None."""
    match = re.search(rf"<h3>{re.escape(heading)}</h3>\s*(?:<div class=\"table-box\">)?<table[^>]*>(.*?)</table>",
                      text, flags=re.S)
    if match is None:
        return None
    body = re.search(r"<tbody>(.*?)</tbody>", match.group(1), flags=re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def cell_record(records, cell):
    """The quoted-number record of the number in a table cell."""
    match = re.search(r'data-q="(\d+)"', cell)
    if match is None:
        raise AssertionError(f"no quoted number in the cell {cell!r}")
    return records[int(match.group(1))]


class ScaleUpTest(unittest.TestCase):
    """Files of many practices: national and locality figures, a table of localities, the programme."""

    def test_the_test_files_are_what_they_claim(self):
        """The scale-up file has more than 1,000 practices in more than 30 localities (so a histogram
        and a table of the extremes) and no per-practice weekly series; the 100-practice file has
        them, in 2 localities; the small runs have at most 20 practices."""
        with h5py.File(FILES["run_scale"], "r") as f:
            self.assertGreater(f["/practices/name"].shape[0], 1000)
            self.assertGreater(f["/locality/p_fip"].shape[1], 40)
            self.assertNotIn("timeseries", f)
            self.assertIn("/national/normalised_by", f)
            posts = f["/summary/clp_posts"][0]
            self.assertGreater(posts[0], posts[1])            # the cut of posts happened
        with h5py.File(FILES["run_hundred"], "r") as f:
            self.assertEqual(f["/practices/name"].shape[0], 100)
            self.assertEqual(f["/locality/p_fip"].shape[1], 2)
            self.assertIn("/timeseries/normalised_by", f)
        for name in ("run", "run_plain"):
            with h5py.File(FILES[name], "r") as f:
                self.assertLessEqual(f["/practices/name"].shape[0], 20)
                self.assertIn("/timeseries/normalised_by", f)

    def test_large_runs_get_no_per_practice_figure(self):
        """plots.py exits 0 on the scale-up files and draws neither the per-practice P(normalised by
        week t) nor the per-practice P(FIP) figure; the constructs figure only with /timeseries."""
        for name in ("run_scale", "run_hundred"):
            with self.subTest(file=name):
                self.assertEqual(PLOTTED[name][0], 0, PLOTTED[name][2])
                self.assertEqual(PLOTTED[name][2], "")
                figures = [os.path.basename(p) for p in written_pngs(name)]
                self.assertFalse(any(p.endswith(("-normalised_by.png", "-p_fip.png")) for p in figures), figures)
                self.assertIn(f"{name}-national_normalised_by.png", figures)
                self.assertIn(f"{name}-locality_p_fip.png", figures)
                self.assertIn(f"{name}-programme.png", figures)
                self.assertEqual(f"{name}-constructs.png" in figures, name == "run_hundred")

    def test_large_run_reports_have_a_locality_table_and_no_practice_table(self):
        """No per-practice table (and no practice's P(FIP) quoted); a table of localities: every
        locality when few, else the 10 highest and 10 lowest P(FIP), in that order, with each
        column's number from the right dataset and locality."""
        for name, expected_rows in (("run_scale", 21), ("run_hundred", 2)):
            with self.subTest(file=name):
                self.assertEqual(REPORTED[name][0], 0, REPORTED[name][2])
                text = report_html(name)
                records = quoted_numbers(text)
                self.assertIsNone(table_rows(text, "Practices"))
                self.assertFalse(has_number(records, "/summary/p_fip"))
                heading = "Localities" if name == "run_hundred" else "Localities with the highest and the lowest P(FIP)"
                rows = table_rows(text, heading)
                self.assertIsNotNone(rows, heading)
                self.assertEqual(len(rows), expected_rows)
                with h5py.File(FILES[name], "r") as f:
                    p = f["/locality/p_fip"][0]
                    localities = list(f["/dims/locality"].asstr()[()])
                rows = [row for row in rows if row[0] != "…"]
                indices = []
                for row in rows:
                    locality = html.unescape(re.sub(r"<[^>]+>", "", row[0]))
                    k = localities.index(locality)
                    indices.append(k)
                    paths = [cell_record(records, cell)["path"] for cell in row[1:]]
                    self.assertEqual(paths, ["/locality/p_fip", "/locality/fip_count", "/locality/linked_share",
                                             "/locality/refused_share", "/locality/saturation",
                                             "/locality/vacancy_clp_weeks"])
                    for cell in row[1:]:
                        self.assertEqual(cell_record(records, cell)["index"], [0, k])
                if name == "run_hundred":
                    self.assertEqual(indices, list(range(len(localities))))
                else:
                    ranked = sorted(p, reverse=True)
                    self.assertEqual(sorted(p[indices[:10]], reverse=True), ranked[:10])
                    self.assertEqual(sorted(p[indices[10:]], reverse=True), ranked[-10:])
        self.assertIsNotNone(table_rows(report_html("run"), "Practices"))

    def test_the_programme_paragraph_quotes_posts_and_costs(self):
        """The summary of the scale-up run quotes the CLP posts before and after the cut, the week of
        the cut, the vacant CLP-weeks, the mean cost and the cost per FIP, and the national share
        normalised at the horizon (each checked against the file by the test above)."""
        text = report_html("run_scale")
        summary = section(text, "summary")
        records = quoted_numbers(text)
        with h5py.File(FILES["run_scale"], "r") as f:
            last_week = f["/national/normalised_by"].shape[1] - 1
        wanted = [("/summary/clp_posts", [0, 0]), ("/summary/clp_posts", [0, 1]),
                  ("/summary/vacancy_clp_weeks", [0]), ("/summary/cost", [0]), ("/summary/cost_per_fip", [0]),
                  ("/national/normalised_by", [0, last_week])]
        for path, index in wanted:
            with self.subTest(path=path, index=index):
                ids = [r["id"] for r in records if r.get("path") == path and r.get("index") == index]
                self.assertTrue(any(f'data-q="{i}"' in summary for i in ids), (path, index))
        cut = [r for r in records if r.get("toml_key") == "parameters.programme.cut_week"]
        self.assertEqual([r["text"] for r in cut], ["52"])
        self.assertIn(f'data-q="{cut[0]["id"]}"', summary)
        self.assertIn("cut", re.sub(r"<[^>]+>", "", summary))

    def test_the_fip_count_table_of_a_large_run_lists_the_counts_that_occurred(self):
        """With 1,081 possible counts the table lists only those with a probability above zero."""
        text = report_html("run_scale")
        records = quoted_numbers(text)
        with h5py.File(FILES["run_scale"], "r") as f:
            distribution = f["/summary/fip_count_distribution"][0]
        observation = section(text, "observation")
        listed = sorted(r["index"][1] for r in records if r.get("path") == "/summary/fip_count_distribution"
                        and f'data-q="{r["id"]}"' in observation)
        self.assertEqual(listed, [int(k) for k in np.flatnonzero(distribution > 0)])
        self.assertLessEqual(len(listed), 2)

    def test_a_few_point_sweep_compares_its_points(self):
        """The two-point sweep of the scale-up scenario gets the national curves of its points and
        the side-by-side table quoting the cost per FIP of both points."""
        self.assertIn("sweep_compare-national_normalised_by.png",
                      [os.path.basename(p) for p in written_pngs("sweep_compare")])
        text = report_html("sweep_compare")
        self.assertIn("<h3>The points side by side</h3>", text)
        records = quoted_numbers(text)
        for point in (0, 1):
            self.assertTrue(has_number(records, "/summary/cost_per_fip", [point]), point)


class BadInputTest(e2e.TempDirTestCase):

    def check_refused(self, path, needle):
        for script, target in ((PLOTS, self.path("figures")), (REPORT, self.path("report.html"))):
            with self.subTest(script=os.path.basename(script)):
                code, stdout, stderr, _ = run_script(script, path, "-o", target)
                self.assertEqual(code, e2e.EXIT_BAD_INPUT, stderr)
                lines = [line for line in stderr.splitlines() if line.strip()]
                self.assertEqual(len(lines), 1, stderr)
                self.assertIn(path, lines[0])
                self.assertIn(needle, lines[0])
                self.assertEqual(stdout, "")
                self.assertFalse(os.path.exists(target))

    def test_a_missing_file_is_refused_with_one_line_and_exit_2(self):
        self.check_refused(self.path("nowhere.h5"), "no such file")

    def test_a_file_that_is_not_hdf5_is_refused(self):
        e2e.write_text(self.path("notes.h5"), "not an HDF5 file\n")
        self.check_refused(self.path("notes.h5"), "not an HDF5 file")

    def test_an_hdf5_file_lwsim_did_not_write_is_refused(self):
        with h5py.File(self.path("other.h5"), "w") as f:
            f["/summary/p_fip"] = np.zeros((1, 7))
            f.attrs["kind"] = "run"
        self.check_refused(self.path("other.h5"), "not an lwsim output file")


if __name__ == "__main__":
    unittest.main()
