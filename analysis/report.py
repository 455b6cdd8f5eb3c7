#!/usr/bin/python3
"""A self-contained HTML report of an lwsim output file, for a policy analyst.

    /usr/bin/python3 analysis/report.py OUT.h5 -o REPORT.html

One HTML file, readable offline and by e-mail: a plain-language summary of what was run and the
main numbers, the comparison with what was observed, the figures of analysis/plots.py (embedded
as base64 PNG) with captions, key tables, and the provenance (lwsim version, git commit, creation
time, command line, seed, replicates, and the full resolved scenario). Works for every kind of
lwsim file: run, sweep, calibration and sensitivity (the root attribute `kind`), of any size: a
run of more than 40 practices gets a table of localities instead of practices, and every run a
paragraph on the programme's CLP posts and costs when the file has them.

Every number the report quotes is read from the HDF5 file and formatted by one helper
(QuotedNumbers), which records its label, dataset path (or root attribute), index, style and
printed text; the list is embedded in the page as JSON (<script type="application/json"
id="lwsim-numbers">) so that tests, and sceptical readers, can check each number against the file.

Exit codes: 0 success, 2 bad input (missing file, not an lwsim HDF5 file), 1 anything else.
"""

import argparse
import base64
import html
import io
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lwsim_results as lr  # noqa: E402
import plots  # noqa: E402  (matplotlib with the Agg backend)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
PRACTICE_TABLE_MAX = plots.PRACTICE_BARS_MAX   # beyond, a table of localities instead of practices
LOCALITY_TABLE_MAX = 40                        # beyond, the highest and lowest P(FIP) only
LOCALITY_EXTREMES = 10
COUNT_ROWS_MAX = 30                            # FIP-count table: beyond, only the likely counts
BASE_SCENARIO_MARK = "\n# resolved base scenario"


def esc(text):
    return html.escape(str(text), quote=True)


def from_file(text):
    """Text read from the file (a title, a label, a stop reason), marked as such."""
    return f'<span class="filetext">{esc(text)}</span>'


def asked(question):
    """' asked: “QUESTION?”' ending a sentence about an analysis, or '.' without a question."""
    if not question:
        return "."
    return f" asked: “{from_file(question)}”" + ("" if question.rstrip().endswith(("?", ".", "!")) else ".")


def quoted_title(f):
    """The file's title in quotation marks, for a sentence."""
    return "“" + from_file(lr.text_attr(f, "title")) + "”"


def cite(text):
    return f'<span class="cite">{esc(text)}</span>'


CHNG_2021 = cite("Chng et al. 2021")


# ---- the numbers the report quotes ----------------------------------------------------------

def format_number(value, style, digits):
    """The printed text of a number. Styles: 'percent' (value x 100, `digits` decimals, '%'),
    'points' (the same in percentage points, for standard errors of probabilities), 'fixed' (`digits` decimals, thousands separated by commas), 'sig' (`digits` significant
    digits, Python's 'g' format) and 'int' (rounded, no separators: seeds, weeks, counts)."""
    if style == "percent":
        return f"{value * 100:.{digits}f}%"
    if style == "points":
        return f"{value * 100:.{digits}f} percentage points"
    if style == "fixed":
        return f"{value:,.{digits}f}"
    if style == "sig":
        return f"{value:.{digits}g}"
    if style == "int":
        return f"{round(value)}"
    if style == "money":
        return format_money(value)
    raise ValueError(f"unknown number style {style!r}")


def format_money(value):
    """GBP as a person writes it, as `lwsim report` does: £6.9m, £24k, £512 (a minus before £)."""
    sign, magnitude = ("-" if value < 0 else ""), abs(value)
    if magnitude >= 1e6:
        return f"{sign}£{magnitude / 1e6:.1f}m"
    if magnitude >= 1e4:
        return f"{sign}£{magnitude / 1e3:.0f}k"
    return f"{sign}£{magnitude:.0f}"


def percent_digits(p, trials=None):
    """Decimals for a probability printed as a percentage: none between 1% and 99%, enough to
    show the first significant digit of p or of 1 - p outside that range; one more when `trials`
    (replicates) make the Monte Carlo standard error smaller than half a percentage point."""
    if not math.isfinite(p) or p <= 0 or p >= 1:
        return 0
    digits = 0
    if not 0.01 <= p <= 0.99:
        tail = min(p, 1 - p) * 100
        digits = min(4, max(1, -math.floor(math.log10(tail))))
    if trials and math.sqrt(p * (1 - p) / trials) < 0.005:
        digits = max(digits, 1)
    return digits


def error_digits(se):
    """Decimals for a standard error printed in percentage points: one, or more for tiny ones."""
    if not math.isfinite(se) or se <= 0 or se >= 0.001:
        return 1
    return min(4, -math.floor(math.log10(se * 100)))


class QuotedNumbers:
    """Formats every number the report quotes and records where it comes from.

    Each quote returns HTML (<span class="num" data-q="ID">TEXT</span>) and appends a record
    {id, label, text, value, style, digits, path, ...} where the source is one of:
      path + index        an element of a dataset (index [] for a scalar)
      path + attribute    a root attribute (path "/")
      path + attribute + toml_key   a value in the TOML text of a root attribute (`observed`, or
                          the analysis part of `sweep`, `calibration`, `sensitivity`)
      path + axis         the length of a dataset's axis (e.g. the number of practices)
      path + reduce       'sum' or 'unique_count' of a one-dimensional dataset
    """

    def __init__(self, f):
        self.f = f
        self.records = []

    def dataset(self, label, path, index=(), style="fixed", digits=2):
        index = [int(i) for i in index]
        value = self.f[path][tuple(index)] if index else self.f[path][()]
        return self._quote(label, float(value), {"path": path, "index": index}, style, digits)

    def attribute(self, label, name, style="int", digits=0):
        return self._quote(label, float(self.f.attrs[name]), {"path": "/", "attribute": name}, style, digits)

    def setting(self, label, attribute, key, style="int", digits=0):
        value = toml_setting(self.f, attribute, key)
        return self._quote(label, float(value), {"path": "/", "attribute": attribute, "toml_key": key},
                           style, digits)

    def shape(self, label, path, axis=0):
        return self._quote(label, float(self.f[path].shape[axis]), {"path": path, "axis": axis}, "int", 0)

    def reduced(self, label, path, reduce, style="int", digits=0):
        values = self.f[path][()]
        value = float(np.sum(values)) if reduce == "sum" else float(len(np.unique(values)))
        return self._quote(label, value, {"path": path, "reduce": reduce}, style, digits)

    def percent(self, label, path, index=(), trials=None):
        """A probability as a percentage with digits suited to its size (and to the number of
        `trials` it was estimated from)."""
        index = [int(i) for i in index]
        value = float(self.f[path][tuple(index)] if index else self.f[path][()])
        return self.dataset(label, path, index, "percent", percent_digits(value, trials))

    def error(self, label, path, index=(), style="percent"):
        """A standard error of a probability: '2.1%' (style 'percent', for tables) or '2.1
        percentage points' (style 'points', for sentences)."""
        index = [int(i) for i in index]
        value = float(self.f[path][tuple(index)] if index else self.f[path][()])
        return self.dataset(label, path, index, style, error_digits(value))

    def paired(self, label, path, point, reference, statistic, style="fixed", digits=2):
        """A statistic of the paired differences x[point, r] - x[reference, r] of a [point,
        replicate] dataset over replicates r: 'mean', 'p05' or 'p95' (lr.paired_statistic)."""
        value = lr.paired_statistic(self.f[path][()], point, reference, statistic)
        return self._quote(label, value, {"path": path, "paired": [int(point), int(reference)],
                                          "statistic": statistic}, style, digits)

    def incremental_ratio(self, label, numerator, denominator, point, reference, style="money", digits=0):
        """The mean paired difference of `numerator` over that of `denominator` (cost per additional
        FIP)."""
        value = lr.incremental_ratio(self.f[numerator][()], self.f[denominator][()], point, reference)
        return self._quote(label, value, {"path": numerator, "denominator": denominator,
                                          "paired": [int(point), int(reference)], "statistic": "ratio"},
                           style, digits)

    def _quote(self, label, value, source, style, digits):
        if not math.isfinite(value):
            return '<span class="na">n/a</span>'
        text = format_number(value, style, digits)
        record = {"id": len(self.records), "label": label, "text": text, "value": value,
                  "style": style, "digits": digits, **source}
        self.records.append(record)
        return f'<span class="num" data-q="{record["id"]}">{esc(text)}</span>'

    def json(self):
        # "</" cannot end the script element early once escaped.
        return json.dumps(self.records, ensure_ascii=False, indent=1).replace("</", "<\\/")


def toml_setting(f, attribute, key):
    """A dotted key of the TOML text in a root attribute (the analysis part for sweep,
    calibration and sensitivity files, the whole text otherwise)."""
    text = lr.text_attr(f, attribute).split(BASE_SCENARIO_MARK, 1)[0]
    value = lr.parse_toml(text)
    for part in key.split("."):
        value = value[part]
    return value


def has_setting(f, attribute, key):
    try:
        toml_setting(f, attribute, key)
        return True
    except (KeyError, TypeError):
        return False


# ---- HTML pieces ----------------------------------------------------------------------------

def paragraph(*sentences):
    return "<p>" + " ".join(s for s in sentences if s) + "</p>"


def table(headers, rows, caption=None, classes=""):
    """A table in a box that scrolls sideways when the table is wider than the page."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (f'<div class="table-box"><table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def join_words(items, conjunction="and"):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def figure_html(number, figure):
    buffer = io.BytesIO()
    figure.figure.savefig(buffer, format="png")
    plt.close(figure.figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = figure.title if figure.title.endswith(("?", ".", "!")) else figure.title + "."
    return (f'<figure id="figure-{esc(figure.name)}"><img src="data:image/png;base64,{data}" '
            f'alt="{esc(figure.title)}"><figcaption><strong>Figure {number}. {esc(title)}</strong> '
            f"{esc(figure.caption)}</figcaption></figure>")


def central_interval(distribution, counts, mass=0.90):
    """The central interval of a count distribution holding `mass` (as `lwsim run` prints it)."""
    cumulative = np.cumsum(distribution)
    tail = (1 - mass) / 2
    lower = counts[int(np.searchsorted(cumulative, tail - 1e-12))]
    upper = counts[min(len(counts) - 1, int(np.searchsorted(cumulative, 1 - tail - 1e-12)))]
    return int(lower), int(upper)


def scale_path(dataset, axis):
    """The path of the dimension scale on a dataset's axis, e.g. '/dims/week'."""
    dim = dataset.dims[axis]
    return dim[0].name if len(dim) else None


class Report:
    """The parts of a report, filled in by one of the kind-specific builders below."""

    def __init__(self, f, kind, path):
        self.f = f
        self.kind = kind
        self.path = path
        self.q = QuotedNumbers(f)
        self.summary = []        # paragraphs (HTML)
        self.notes = []          # cautions (HTML)
        self.observation = []    # the comparison with observation (HTML)
        self.tables = []         # (heading, HTML)
        self.figures = plots.figures(f, kind)
        self.provenance = []     # (label, HTML)
        self.details = []        # (summary, text)


# ---- run ------------------------------------------------------------------------------------

def build_run(r):
    f, q = r.f, r.q
    names = lr.string_values(f["/practices/name"])
    n = len(names)
    practices_text = q.shape("number of practices", "/practices/name")
    replicates_text = q.attribute("replicates", "replicates", "fixed", 0)
    week_series = next((f[path] for path in ("/national/normalised_by", "/timeseries/normalised_by")
                        if path in f), None)
    week_path = scale_path(week_series, 1) if week_series is not None else None
    horizon_text = (q.dataset("horizon (last week)", week_path, [week_series.shape[1] - 1], "int", 0)
                    if week_path else None)

    distribution = f["/summary/fip_count_distribution"][0]
    counts = np.asarray(lr.scale_values(f["/summary/fip_count_distribution"], 1))
    count_path = scale_path(f["/summary/fip_count_distribution"], 1)
    mode = int(np.argmax(distribution))
    observed = lr.observed_count(f)
    has_observed = observed is not None and "/summary/p_observed" in f

    replicates = lr.int_attr(f, "replicates")
    mean_text = q.dataset("mean FIP count", "/summary/mean_fip_count", [0], "fixed", 2)

    def most_likely():
        count = q.dataset("most likely FIP count", count_path, [mode], "int", 0) if count_path else str(mode)
        share = q.percent("P(most likely FIP count)", "/summary/fip_count_distribution", [0, mode], replicates)
        return f"{count} ({share} of runs)"
    title = quoted_title(f)
    if has_observed:
        obs_text = (q.setting("observed FIP count", "observed", "fip") if has_setting(f, "observed", "fip")
                    else esc(observed))
        r.summary.append(paragraph(
            f"<strong>In {replicates_text} simulated evaluations of the {practices_text} practices of the "
            f"scenario {title}, exactly {obs_text} practices were fully integrated in "
            f"{q.percent('P(FIP count = observed)', '/summary/p_observed', [0], replicates)} of runs "
            f"(observed: {obs_text}); on average {mean_text} were.</strong>"))
    else:
        r.summary.append(paragraph(
            f"<strong>In {replicates_text} simulated evaluations of the {practices_text} practices of the "
            f"scenario {title}, on average {mean_text} practices were fully integrated at the end; the "
            f"most likely number was {most_likely()}.</strong>"))
    r.summary.append(paragraph(
        "Each simulated evaluation (a replicate) follows the practices"
        + (f" from the start of the evaluation to week {horizon_text}" if horizon_text else "")
        + ", drawing afresh what is not known about each practice (GP buy-in, team relationships, "
          "competing innovations, link-worker turnover).",
        "At the end each practice is classified as fully integrated (FIP) or partially integrated (PIP), "
        f"as in the process evaluation of the Glasgow Deep End Links Worker Programme ({CHNG_2021})."))
    if has_observed:
        lower, upper = central_interval(distribution, counts)
        inside = lower <= observed <= upper
        r.summary.append(paragraph(
            f"The Monte Carlo standard error of that share is "
            f"{q.error('standard error of P(FIP count = observed)', '/summary/p_observed_se', [0], 'points')}.",
            "It is also the most likely count." if mode == observed else
            f"The most likely count was {most_likely()}.",
            "The observed count lies inside the central 90% of simulated counts: the scenario is "
            "consistent with what was observed." if inside else
            "The observed count lies outside the central 90% of simulated counts: under this "
            "scenario what was observed would be unusual."))
    else:
        r.summary.append(paragraph("The file holds no observed data to compare with."))

    localities = (lr.scale_values(f["/locality/p_fip"], 1) if "/locality/p_fip" in f else [])
    if n > PRACTICE_TABLE_MAX and len(localities) >= 2:
        p_locality = f["/locality/p_fip"][0]
        finite = np.flatnonzero(np.isfinite(p_locality))
        if len(finite):
            lo = int(finite[np.argmin(p_locality[finite])])
            hi = int(finite[np.argmax(p_locality[finite])])
            r.summary.append(paragraph(
                f"The share of a locality's practices that fully integrated ranged from "
                f"{q.percent(f'P(FIP) of locality {localities[lo]}', '/locality/p_fip', [0, lo])} "
                f"({from_file(localities[lo])}) to "
                f"{q.percent(f'P(FIP) of locality {localities[hi]}', '/locality/p_fip', [0, hi])} "
                f"({from_file(localities[hi])}), over "
                f"{q.shape('number of localities', '/locality/p_fip', 1)} localities."))
    else:
        p_fip = f["/summary/p_fip"][0]
        lo, hi = int(np.argmin(p_fip)), int(np.argmax(p_fip))
        r.summary.append(paragraph(
            f"The chance that a given practice fully integrated ranged from "
            f"{q.percent(f'P(FIP) {names[lo]}', '/summary/p_fip', [0, lo], replicates)} ({from_file(names[lo])}) to "
            f"{q.percent(f'P(FIP) {names[hi]}', '/summary/p_fip', [0, hi], replicates)} ({from_file(names[hi])})."))
    if "/national/normalised_by" in f and horizon_text:
        last = f["/national/normalised_by"].shape[1] - 1
        r.summary.append(paragraph(
            f"By week {horizon_text}, "
            f"{q.percent('share of practices normalised by the horizon', '/national/normalised_by', [0, last])} "
            "of all practices had been normalised at some point (the share of practices whose C, CP and CA "
            "had stayed above their thresholds for the required run of weeks), on average over the "
            "simulated evaluations."))
    programme_paragraph(r, horizon_text)

    if "/summary/phase_scores_by_outcome" in f:
        r.summary.append(construct_sentences(r))
    if "/survey/mean_score_by_outcome" in f:
        r.summary.append(survey_sentence(r))

    run_observation(r, names, distribution, counts, count_path, observed if has_observed else None)
    run_tables(r, names)


def programme_paragraph(r, horizon_text):
    """CLP posts before and after a cut, vacant CLP-weeks, the mean cost and the cost per fully
    integrated practice (docs/model.md, section 7.9), in words."""
    f, q = r.f, r.q
    sentences = []
    if "/summary/clp_posts" in f and f["/summary/clp_posts"].shape[1] >= 2:
        posts = f["/summary/clp_posts"][0]
        before = q.dataset("CLP posts before the cut", "/summary/clp_posts", [0, 0], "fixed", 0)
        if np.isfinite(posts[:2]).all() and posts[0] != posts[1]:
            after = q.dataset("CLP posts after the cut", "/summary/clp_posts", [0, 1], "fixed", 0)
            cut = ""
            if has_setting(f, "scenario", "parameters.programme.cut_week"):
                cut = " in week " + q.setting("week of the cut of posts", "scenario", "parameters.programme.cut_week")
            sentences.append(
                f"The programme had {before} link-worker (CLP) posts until posts were cut{cut}, and {after} "
                "after the cut (practices regrouped to share a CLP).")
        else:
            sentences.append(f"The programme had {before} link-worker (CLP) posts throughout (no cut of posts).")
    if "/summary/vacancy_clp_weeks" in f:
        sentences.append(
            f"Posts stood vacant for "
            f"{q.dataset('vacant CLP-weeks', '/summary/vacancy_clp_weeks', [0], 'fixed', 0)} CLP-weeks in all, "
            "on average.")
    if "/summary/cost" in f:
        period = f" up to week {horizon_text}" if horizon_text else ""
        sentence = f"The programme cost £{q.dataset('mean programme cost', '/summary/cost', [0], 'fixed', 0)}{period} on average"
        if "/summary/cost_per_fip" in f:
            if np.isfinite(f["/summary/cost_per_fip"][0]):
                sentence += (", or £" + q.dataset("cost per fully integrated practice", "/summary/cost_per_fip", [0], "fixed", 0)
                             + " per fully integrated practice (mean cost divided by the mean number of "
                               "fully integrated practices)")
            else:
                sentence += "; no practice fully integrated, so there is no cost per fully integrated practice"
        sentences.append(sentence + ". The amounts (salaries, development funds) are assumptions of the "
                         "scenario, not published costs.")
    if sentences:
        r.summary.append(paragraph(*sentences))


def construct_sentences(r):
    f, q = r.f, r.q
    dataset = f["/summary/phase_scores_by_outcome"]             # [point, outcome, phase, construct]
    outcomes = lr.scale_values(dataset, 1)
    phases = lr.scale_values(dataset, 2)
    constructs = lr.scale_values(dataset, 3)
    if "FIP" not in outcomes or "PIP" not in outcomes:
        return ""
    fip, pip = outcomes.index("FIP"), outcomes.index("PIP")
    last = len(phases) - 1
    parts = []
    for k, construct in enumerate(constructs):
        label = plots.CONSTRUCT_LABELS.get(construct, construct)
        a = q.dataset(f"{construct} score of FIPs at {phases[last]}", dataset.name, [0, fip, last, k], "fixed", 2)
        b = q.dataset(f"{construct} score of PIPs at {phases[last]}", dataset.name, [0, pip, last, k], "fixed", 2)
        parts.append(f"{esc(label.split(' ', 1)[1])} {a} against {b}")
    return paragraph(
        f"In the final evaluation phase ({from_file(phases[last])}), simulated fully integrated practices "
        f"scored (on a scale from zero to one) {join_words(parts)} for partially integrated ones.",
        f"The evaluation ({CHNG_2021}) found fully integrated practices ahead in coherence, cognitive "
        "participation and collective action, and reflexive monitoring underdeveloped in both groups.")


def survey_sentence(r):
    f, q = r.f, r.q
    dataset = f["/survey/mean_score_by_outcome"]               # [point, survey, outcome, construct]
    surveys = lr.scale_values(dataset, 1)
    outcomes = lr.scale_values(dataset, 2)
    constructs = lr.scale_values(dataset, 3)
    if "FIP" not in outcomes or "PIP" not in outcomes or not surveys:
        return ""
    fip, pip = outcomes.index("FIP"), outcomes.index("PIP")
    s = len(surveys) - 1
    parts = []
    for k, construct in enumerate(constructs):
        label = plots.CONSTRUCT_LABELS.get(construct, construct).split(" ", 1)[1]
        a = q.dataset(f"survey {surveys[s]} {construct} FIP", dataset.name, [0, s, fip, k], "fixed", 2)
        b = q.dataset(f"survey {surveys[s]} {construct} PIP", dataset.name, [0, s, pip, k], "fixed", 2)
        parts.append(f"{esc(label)} {a} against {b}")
    return paragraph(
        f"In the simulated staff survey at {from_file(surveys[s])} (a five-point scale, as the evaluation's "
        f"NoMAD-style questionnaire), respondents in fully integrated practices scored {join_words(parts)} "
        "in partially integrated ones.")


def run_observation(r, names, distribution, counts, count_path, observed):
    f, q = r.f, r.q
    outcomes = lr.observed_outcomes(f)
    replicates = lr.int_attr(f, "replicates")
    shown = list(range(len(counts)))
    caption = "Simulated distribution of the number of fully integrated practices"
    if len(counts) > COUNT_ROWS_MAX:
        # Thousands of possible counts: only those that occurred (and the observed one); if still
        # too many, the most likely ones.
        shown = [k for k in shown if distribution[k] > 0 or (observed is not None and int(counts[k]) == observed)]
        if len(shown) > COUNT_ROWS_MAX:
            likely = sorted(shown, key=lambda k: -distribution[k])[:COUNT_ROWS_MAX]
            shown = sorted(set(likely) | {k for k in shown if observed is not None and int(counts[k]) == observed})
            caption += ": the most likely counts (the others are omitted)"
        else:
            caption += ": the counts that occurred (every other count has probability zero)"
    rows = []
    for k in shown:
        count = counts[k]
        count_text = q.dataset("FIP count", count_path, [k], "int", 0) if count_path else str(count)
        mark = "← observed" if observed is not None and int(count) == observed else ""
        rows.append([count_text, q.percent(f"P(FIP count = {count})", "/summary/fip_count_distribution", [0, k], replicates), mark])
    r.observation.append(table(["FIP count", "simulated probability", ""], rows, caption))
    if observed is None:
        r.observation.insert(0, paragraph("The file has no observed data (the scenario names no observed-data file)."))
        return
    observed_data = lr.observed_data(f)
    source = observed_data.get("source")
    intro = [f"Observed data: {from_file(observed_data.get('title') or 'the observed-data file')}."]
    if source:
        intro.append(f"Source: {from_file(source)}.")
    r.observation.insert(0, paragraph(*intro))
    if outcomes:
        p_fip = f["/summary/p_fip"][0]
        groups = {}
        for i, name in enumerate(names):
            groups.setdefault(outcomes.get(name), []).append(i)
        sentences = []
        for outcome in ("FIP", "PIP"):
            members = groups.get(outcome, [])
            if not members:
                continue
            low = min(members, key=lambda i: p_fip[i])
            high = max(members, key=lambda i: p_fip[i])
            sentences.append(
                f"the practices observed as {outcome}s ({from_file(', '.join(names[i] for i in members))}) had "
                f"simulated chances of full integration from "
                f"{q.percent(f'P(FIP) {names[low]}', '/summary/p_fip', [0, low], replicates)} to "
                f"{q.percent(f'P(FIP) {names[high]}', '/summary/p_fip', [0, high], replicates)}")
        text = "Practice by practice, " + join_words(sentences) + "."
        fips, pips = groups.get("FIP", []), groups.get("PIP", [])
        if fips and pips:
            if min(p_fip[i] for i in fips) > max(p_fip[i] for i in pips):
                text += (" Every observed FIP had a higher simulated chance than every observed PIP: the "
                         "scenario's practice characteristics point the same way as the evaluation.")
            else:
                text += (" The ranges overlap: the scenario does not single out the practices that "
                         "integrated; in it their outcomes differ mostly through chance and the context "
                         "drawn for each replicate.")
        r.observation.append(paragraph(text))


def run_tables(r, names):
    f = r.f
    if len(names) <= PRACTICE_TABLE_MAX:
        practice_table(r, names)
    elif "/locality/p_fip" in f:
        locality_table(r)
    run_other_tables(r)


def practice_table(r, names):
    f, q = r.f, r.q
    outcomes = lr.observed_outcomes(f)
    rows = []
    for i, name in enumerate(names):
        row = [from_file(name), q.dataset(f"list size {name}", "/practices/list_size", [i], "fixed", 0),
               esc(outcomes.get(name, "—")),
               q.percent(f"P(FIP) {name}", "/summary/p_fip", [0, i], lr.int_attr(f, "replicates"))]
        if "/summary/clp_departures" in f:
            row.append(q.dataset(f"CLP departures {name}", "/summary/clp_departures", [0, i], "fixed", 2))
        if "/summary/vacancy_weeks" in f:
            row.append(q.dataset(f"vacancy weeks {name}", "/summary/vacancy_weeks", [0, i], "fixed", 1))
        rows.append(row)
    headers = ["practice", "list size", "observed", "simulated P(FIP)"]
    if "/summary/clp_departures" in f:
        headers.append("mean CLP departures")
    if "/summary/vacancy_weeks" in f:
        headers.append("mean weeks without a CLP")
    r.tables.append(("Practices", table(headers, rows)))


LOCALITY_COLUMNS = [  # (dataset, column heading, style, digits)
    ("/locality/p_fip", "P(FIP)", "percent", None),
    ("/locality/fip_count", "mean FIPs", "fixed", 2),
    ("/locality/linked_share", "referred patients linked", "percent", 0),
    ("/locality/refused_share", "requests refused", "percent", 1),
    ("/locality/saturation", "saturated organisation-weeks", "percent", 1),
    ("/locality/vacancy_clp_weeks", "vacant CLP-weeks", "fixed", 1),
]


def locality_table(r):
    """One row per locality (at most LOCALITY_TABLE_MAX; beyond, the localities with the highest and
    the lowest P(FIP))."""
    f, q = r.f, r.q
    dataset = f["/locality/p_fip"]
    localities = lr.scale_values(dataset, 1)
    p = dataset[0]
    if len(localities) <= LOCALITY_TABLE_MAX:
        shown = list(range(len(localities)))
        heading = "Localities"
        caption = None
    else:
        order = [int(k) for k in np.argsort(-np.nan_to_num(p, nan=-1.0), kind="stable")]
        shown = order[:LOCALITY_EXTREMES] + order[-LOCALITY_EXTREMES:]
        heading = "Localities with the highest and the lowest P(FIP)"
        caption = (f"The {LOCALITY_EXTREMES} localities with the highest P(FIP), then the {LOCALITY_EXTREMES} "
                   f"with the lowest, of {q.shape('number of localities', dataset.name, 1)}")
    columns = [c for c in LOCALITY_COLUMNS if c[0] in f]
    rows = []
    for k in shown:
        name = localities[k]
        row = [from_file(name)]
        for path, heading_text, style, digits in columns:
            label = f"{heading_text} of locality {name}"
            if style == "percent" and digits is None:
                row.append(q.percent(label, path, [0, k]))
            else:
                row.append(q.dataset(label, path, [0, k], style, digits))
        rows.append(row)
        if caption and len(rows) == LOCALITY_EXTREMES:
            rows.append(["…"] + [""] * len(columns))
    headers = ["locality"] + [esc(c[1]) for c in columns]
    r.tables.append((heading, table(headers, rows, caption)))


def run_other_tables(r):
    f, q = r.f, r.q
    if "/summary/phase_scores_by_outcome" in f:
        dataset = f["/summary/phase_scores_by_outcome"]
        outcomes_axis = lr.scale_values(dataset, 1)
        phases = lr.scale_values(dataset, 2)
        constructs = lr.scale_values(dataset, 3)
        rows = []
        for k, construct in enumerate(constructs):
            cells = [esc(plots.CONSTRUCT_LABELS.get(construct, construct))]
            for p, phase in enumerate(phases):
                cells.append(" / ".join(
                    q.dataset(f"{construct} {outcome} {phase}", dataset.name, [0, o, p, k], "fixed", 2)
                    for o, outcome in enumerate(outcomes_axis)))
            rows.append(cells)
        r.tables.append(("Construct scores in each evaluation phase",
                         table(["construct"] + [from_file(p) for p in phases], rows,
                               "Mean score of simulated " + " / ".join(esc(o) + "s" for o in outcomes_axis))))

    if "/survey/mean_score_by_outcome" in f:
        dataset = f["/survey/mean_score_by_outcome"]
        surveys = lr.scale_values(dataset, 1)
        outcomes_axis = lr.scale_values(dataset, 2)
        constructs = lr.scale_values(dataset, 3)
        rows = []
        for s, survey in enumerate(surveys):
            cells = [from_file(survey)]
            for path in ("/evaluation/survey_sent", "/evaluation/survey_replied"):
                cells.append(q.dataset(f"{path.rsplit('/', 1)[1]} {survey}", path, [s], "int", 0) if path in f else "")
            for k, construct in enumerate(constructs):
                cells.append(" / ".join(
                    q.dataset(f"survey {survey} {construct} {outcome}", dataset.name, [0, s, o, k], "fixed", 2)
                    for o, outcome in enumerate(outcomes_axis)))
            rows.append(cells)
        headers = ["survey", "sent", "replied"] + [esc(plots.CONSTRUCT_LABELS.get(c, c).split(" ", 1)[0]) for c in constructs]
        r.tables.append(("Simulated staff survey",
                         table(headers, rows, "Mean item score (one to five) of respondents in "
                               + " / ".join(esc(o) + "s" for o in outcomes_axis))))

    delivery = [("/summary/referrals_per_clp_year", "referrals per CLP-year in post", "fixed", 1),
                ("/summary/linked_share", "share of referred patients linked to a community organisation", "percent", 0),
                ("/summary/clp_years", "CLP-years in post, summed over practices", "fixed", 1),
                ("/summary/referrals", "referrals, summed over practices", "fixed", 0)]
    rows = [[esc(label), q.dataset(label, path, [0], style, digits)]
            for path, label, style, digits in delivery if path in f]
    if "/summary/clp_posts" in f:
        for j, period in enumerate(lr.scale_values(f["/summary/clp_posts"], 1)):
            label = "CLP posts " + str(period).replace("_", " ")
            rows.append([esc(label), q.dataset(label, "/summary/clp_posts", [0, j], "fixed", 0)])
    for path, label, digits in (("/summary/vacancy_clp_weeks", "vacant CLP-weeks, summed over posts", 1),
                                ("/summary/cost", "programme cost (GBP)", 0),
                                ("/summary/cost_per_fip", "cost per fully integrated practice (GBP)", 0)):
        if path in f:
            rows.append([esc(label), q.dataset(label, path, [0], "fixed", digits)])
    if rows:
        r.tables.append(("Programme delivery and cost (mean over replicates)", table(["measure", "value"], rows)))


# ---- sweep ----------------------------------------------------------------------------------

def point_values(r, parameters, point):
    """'name = value, ...' for one design point, every value quoted from /design."""
    return ", ".join(f"{esc(name)} = {r.q.dataset(f'{name} at point {point}', f'/design/{name}', [point], 'sig', 4)}"
                     for name in parameters)


DESIGN_WORDS = {"grid": "grid", "lhs": "Latin hypercube", "sobol": "Sobol-sequence", "random": "random",
                "csv": "listed (CSV)"}


def build_sweep(r):
    f, q = r.f, r.q
    parameters = lr.design_parameters(f)
    done = lr.completed_points(f)
    points = len(done)
    completed = np.flatnonzero(done)
    design_kind = lr.text_attr(f, "design_kind") or "unknown"
    question = lr.text_attr(f, "question")
    observed = lr.observed_count(f)
    has_observed = "/summary/p_observed" in f and observed is not None
    replicates = lr.int_attr(f, "replicates")

    answer_paragraph(r, completed)

    grid_text = ""
    if design_kind == "grid":
        grid_text = " × ".join(q.reduced(f"levels of {p}", f"/design/{p}", "unique_count") for p in parameters)
        grid_text = f" ({grid_text} grid)"
    r.summary.append(paragraph(
        f"The sweep {quoted_title(f)}"
        + asked(question),
        f"It ran {q.shape('design points', '/status/completed')} design points of a "
        f"{esc(DESIGN_WORDS.get(design_kind, design_kind))} design{grid_text} over "
        f"{join_words(esc(p) for p in parameters)}, "
        f"{q.attribute('replicates', 'replicates', 'fixed', 0)} replicates each, for the "
        f"{q.shape('number of practices', '/practices/name')} practices of its base scenario.",
        "Every point uses the same random streams (common random numbers), so differences between "
        "points reflect the parameters rather than noise."))
    if len(completed) < points:
        r.notes.append(paragraph(
            f"Only {q.reduced('completed points', '/status/completed', 'sum')} of "
            f"{q.shape('design points', '/status/completed')} points are complete (the sweep was interrupted "
            "or is still running); the figures and tables use the completed points only."))
    if len(completed) == 0:
        r.summary.append(paragraph("No point is complete yet."))
        return

    mean = f["/summary/mean_fip_count"][()]
    lo = int(completed[np.argmin(mean[completed])])
    hi = int(completed[np.argmax(mean[completed])])
    r.summary.append(paragraph(
        f"The mean number of fully integrated practices ranged from "
        f"{q.dataset(f'mean FIP count at point {lo}', '/summary/mean_fip_count', [lo], 'fixed', 2)} "
        f"(at {point_values(r, parameters, lo)}) to "
        f"{q.dataset(f'mean FIP count at point {hi}', '/summary/mean_fip_count', [hi], 'fixed', 2)} "
        f"(at {point_values(r, parameters, hi)})."))
    if has_observed:
        p_obs = f["/summary/p_observed"][()]
        best = int(completed[np.argmax(p_obs[completed])])
        worst = int(completed[np.argmin(p_obs[completed])])
        obs_text = q.setting("observed FIP count", "observed", "fip") if has_setting(f, "observed", "fip") else str(observed)
        r.summary.append(paragraph(
            f"The observed count of {obs_text} fully integrated practices was most likely at "
            f"{point_values(r, parameters, best)} "
            f"({q.percent(f'P(FIP count = observed) at point {best}', '/summary/p_observed', [best], replicates)} of runs) "
            f"and least likely at {point_values(r, parameters, worst)} "
            f"({q.percent(f'P(FIP count = observed) at point {worst}', '/summary/p_observed', [worst], replicates)})."))
        r.observation.append(paragraph(
            "The heat map or partial-dependence figure of P(FIP count = observed) shows which parameter "
            "values make the observed outcome likely; an ABC calibration (lwsim calibrate) turns this "
            "into a posterior distribution."))
    else:
        r.observation.append(paragraph("The file has no observed data to compare with."))

    # Points table: all completed points when few, else the most consistent with observation.
    metric = f["/summary/p_observed"][()] if has_observed else mean
    shown = completed if len(completed) <= 30 else completed[np.argsort(-metric[completed], kind="stable")][:15]
    rows = []
    for point in shown:
        row = [q.dataset("point", "/dims/point", [point], "int", 0) if "/dims/point" in f else str(point)]
        row += [q.dataset(f"{p} at point {point}", f"/design/{p}", [point], "sig", 4) for p in parameters]
        row.append(q.dataset(f"mean FIP count at point {point}", "/summary/mean_fip_count", [point], "fixed", 2))
        if has_observed:
            row.append(q.percent(f"P(FIP count = observed) at point {point}", "/summary/p_observed", [point], replicates)
                       + " ± " + q.error(f"standard error at point {point}", "/summary/p_observed_se", [point]))
        rows.append(row)
    headers = ["point"] + [esc(p) for p in parameters] + ["mean FIP count"]
    if has_observed:
        headers.append("P(FIP count = observed) ± s.e.")
    heading = ("Design points" if len(shown) == len(completed) else
               "The design points most consistent with the observed count" if has_observed else
               "The design points with the highest mean FIP count")
    r.tables.append((heading, table(headers, rows)))
    side_by_side(r, parameters, completed)


def answer_paragraph(r, completed):
    """A compare's answer, first in the report: every point against the sweep's reference point,
    replicate by replicate (common random numbers), with the interval holding 90% of the
    replicates' differences; the same numbers as `lwsim report` (docs/scenarios.md, *Compares*)."""
    f, q = r.f, r.q
    reference = lr.int_attr(f, "design_reference")
    if reference is None or reference not in completed or "/results/fip_count" not in f:
        return
    labels = lr.design_labels(f)
    name = lambda p: f"“{from_file(labels[p])}”" if labels else f"point {p}"
    sentences = []
    for point in completed:
        if point == reference:
            continue
        fip = "/results/fip_count"
        d = lr.paired_statistic(f[fip][()], point, reference, "mean")
        more = "more" if d >= 0 else "fewer"
        sign = 1 if d >= 0 else -1
        low, high = ("p05", "p95") if d >= 0 else ("p95", "p05")
        text = (f"Against {name(reference)}, {name(point)} gives "
                f"{q.dataset(f'mean FIP count at point {point}', '/summary/mean_fip_count', [point], 'fixed', 1)} "
                f"fully integrated practices instead of "
                f"{q.dataset(f'mean FIP count at point {reference}', '/summary/mean_fip_count', [reference], 'fixed', 1)}: "
                f"{magnitude(q, f'FIP difference at point {point}', fip, point, reference, 'mean', sign)} {more} "
                f"(in 90% of the simulated worlds between "
                f"{magnitude(q, f'5th percentile of the FIP difference at point {point}', fip, point, reference, low, sign)} and "
                f"{magnitude(q, f'95th percentile of the FIP difference at point {point}', fip, point, reference, high, sign)} {more})")
        if "/results/cost" in f:
            c = lr.paired_statistic(f["/results/cost"][()], point, reference, "mean")
            text += (f", at a cost {'higher' if c >= 0 else 'lower'} by "
                     f"{magnitude(q, f'cost difference at point {point}', '/results/cost', point, reference, 'mean', 1 if c >= 0 else -1, 'money')}")
            if d > 0 and c > 0:
                text += (f" ({q.incremental_ratio(f'cost per additional FIP at point {point}', '/results/cost', fip, point, reference)} "
                         "per additional fully integrated practice)")
            elif d < 0 and c < 0:
                text += (f" ({q.incremental_ratio(f'saving per FIP lost at point {point}', '/results/cost', fip, point, reference)} "
                         "saved per fully integrated practice lost)")
            elif d > 0 and c < 0:
                text += " (more fully integrated practices at a lower cost)"
            elif d < 0 and c > 0:
                text += " (fewer fully integrated practices at a higher cost)"
        sentences.append(text + ".")
    sentences.append("Each simulated world (replicate) is the same at every point: common random numbers make "
                     "these paired differences the policy's effect, not noise.")
    r.summary.append(paragraph(*sentences))


def magnitude(q, label, path, point, reference, statistic, sign, style="fixed"):
    """A paired statistic quoted without its sign (`sign` -1 for a decrease, said in words)."""
    digits = 1 if style == "fixed" else 0
    if sign >= 0:
        return q.paired(label, path, point, reference, statistic, style, digits)
    return q.paired(label, path, reference, point, {"mean": "mean", "p05": "p95", "p95": "p05"}[statistic], style, digits)


def side_by_side(r, parameters, completed):
    """A sweep of a few points compares scenarios (e.g. scenarios/scale_up/*_compare.toml): every
    scalar summary of its points side by side, one column per point."""
    f, q = r.f, r.q
    points = f["/status/completed"].shape[0]
    if not 2 <= len(completed) <= 8:
        return
    names = []
    for name, obj in f["/summary"].items():
        if hasattr(obj, "shape") and obj.shape == (points,) and obj.dtype.kind == "f":
            names.append("/summary/" + name)
    rows = []
    for path in names:
        ds = f[path]
        label = lr.text_attr(ds, "description") or path
        units = lr.text_attr(ds, "units")
        cells = [f"{esc(label)}" + (f" ({esc(units)})" if units else "")]
        cells += [q.dataset(f"{path} at point {point}", path, [point], "sig", 4) for point in completed]
        rows.append(cells)
    labels = lr.design_labels(r.f)
    headers = ["summary (mean over replicates)"] + [
        from_file(labels[point]) if labels else point_values(r, parameters, point) for point in completed]
    r.tables.append(("The points side by side", table(headers, rows)))


# ---- calibration ----------------------------------------------------------------------------

def constraint_word(prior, q05, q95):
    """How much the observed data narrowed a parameter: the posterior 90% interval's width as a
    share of the prior's range (in log space for a log-uniform prior), in words."""
    if not (math.isfinite(prior.low) and math.isfinite(prior.high)) or prior.high <= prior.low:
        return None
    if prior.kind == "log-uniform" and prior.low > 0 and q05 > 0:
        share = (math.log(q95) - math.log(q05)) / (math.log(prior.high) - math.log(prior.low))
    else:
        share = (q95 - q05) / (prior.high - prior.low)
    if prior.kind in ("beta", "normal"):
        return None      # an informative prior: its range says little about its spread
    if share < 0.5:
        return "clearly narrowed"
    if share < 0.8:
        return "somewhat narrowed"
    return "hardly narrowed"


def build_calibration(r):
    f, q = r.f, r.q
    status = lr.text_attr(f, "status")
    stop = lr.text_attr(f, "stop_reason")
    question = lr.text_attr(f, "question")
    generations = f["/abc/tolerance"].shape[0] if "/abc/tolerance" in f else 0
    names, priors = plots.calibration_priors(f)
    observed = lr.observed_count(f, "/posterior_predictive/p_observed")
    obs_text = (q.setting("observed FIP count", "observed", "fip") if has_setting(f, "observed", "fip")
                else esc(observed) if observed is not None else "the observed")

    r.summary.append(paragraph(
        f"The calibration {quoted_title(f)}"
        + asked(question),
        f"Approximate Bayesian computation (ABC-SMC) searched for values of "
        f"{q.shape('calibrated parameters', '/abc/prior')} uncertain parameters that reproduce the "
        f"observed {obs_text} fully integrated practices, with "
        + (f"{q.setting('particles', 'calibration', 'abc.particles')} particles and "
           f"{q.setting('replicates per proposal', 'calibration', 'abc.replicates')} simulated evaluation(s) "
           "per proposed parameter set." if has_setting(f, "calibration", "abc.particles") else "a population of particles.")))
    # A distance of several terms, or one divided by its spread (adaptive_distance), is not a
    # difference of counts.
    several_terms = "/abc/scales" in f and (f["/abc/scales"].shape[1] > 1 or (f["/abc/scales"][()] != 1.0).any())
    if generations:
        last = generations - 1
        tolerance = float(f["/abc/tolerance"][last])
        r.summary.append(paragraph(
            f"It ran {q.shape('generations', '/abc/tolerance')} generations and "
            f"{q.reduced('proposals', '/abc/proposals', 'sum', 'fixed', 0)} proposals (status {from_file(status)}"
            + (f"; it stopped: {from_file(stop)}" if stop else "") + ").",
            ((f"The final generation accepted only parameter sets whose simulated count was within "
              f"{q.dataset('final tolerance', '/abc/tolerance', [last], 'sig', 4)} of the observed count"
              if not several_terms else
              f"The final generation accepted only parameter sets whose distance to the observations "
              + (f"(the {q.shape('distance terms', '/abc/scales', 1)} terms of the distance, each divided by "
                 f"its spread)" if f["/abc/scales"].shape[1] > 1 else "(divided by its spread)")
              + f" was at most {q.dataset('final tolerance', '/abc/tolerance', [last], 'sig', 4)}")
             if math.isfinite(tolerance) else
             "The final generation is still the prior sample (no tolerance)")
            + f"; its effective sample size was "
              f"{q.dataset('final effective sample size', '/abc/effective_sample_size', [last], 'fixed', 0)} "
              f"of {q.shape('particles', '/abc/particles', 1)} particles."))
    if status != "complete":
        r.notes.append(paragraph(
            f"This calibration is not complete (status {from_file(status)}): the posterior is that of the "
            "last finished generation and there is no posterior predictive check yet. Resume it with "
            "<code>lwsim calibrate … --resume</code>."))

    if "/posterior/summary" in f:
        summary = f["/posterior/summary"][()]
        parts, narrowed = [], {}
        for k, name in enumerate(names):
            m = q.dataset(f"posterior median {name}", "/posterior/summary", [k, 0], "sig", 3)
            a = q.dataset(f"posterior 5% quantile {name}", "/posterior/summary", [k, 1], "sig", 3)
            b = q.dataset(f"posterior 95% quantile {name}", "/posterior/summary", [k, 2], "sig", 3)
            parts.append(f"{esc(name)} {m} ({a} to {b})")
            word = constraint_word(priors[k], summary[k, 1], summary[k, 2])
            if word:
                narrowed.setdefault(word, []).append(esc(name))
        r.summary.append(paragraph(f"Posterior medians, with 90% intervals: {join_words(parts)}."))
        if narrowed:
            r.summary.append(paragraph(
                "Compared with the prior ranges, the observed count "
                + join_words(f"{word} {join_words(items)}" for word, items in narrowed.items())
                + " (parameters with informative priors are not judged)."))

    if "/posterior_predictive/p_observed" in f:
        r.summary.append(paragraph(
            f"Posterior predictive check: with parameters drawn from the posterior, exactly {obs_text} "
            f"practices were fully integrated in "
            f"{q.percent('posterior predictive P(FIP count = observed)', '/posterior_predictive/p_observed')} "
            f"of simulated evaluations (standard error "
            f"{q.error('standard error of the posterior predictive P(FIP count = observed)', '/posterior_predictive/p_observed_se', (), 'points')})."))
        predictive = plots.predictive_dataset(f)
        if predictive is not None:
            count_path = scale_path(predictive, 0)
            rows = []
            for k in range(predictive.shape[0]):
                count = int(lr.scale_values(predictive, 0)[k])
                rows.append([q.dataset("FIP count", count_path, [k], "int", 0) if count_path else str(count),
                             q.percent(f"posterior predictive P(FIP count = {count})", predictive.name, [k]),
                             "← observed" if observed is not None and count == observed else ""])
            r.observation.append(paragraph(
                "The posterior predictive distribution is what the calibrated model expects to see in a "
                "new evaluation of the same practices; the observed count should be among its likely values."))
            r.observation.append(table(["FIP count", "posterior predictive probability", ""], rows))
    else:
        r.observation.append(paragraph("No posterior predictive check is stored in this file."))
    if "/posterior_predictive/pattern_p" in f:
        names_p = lr.string_values(f["/dims/pattern"])
        observed_p = lr.string_values(f["/posterior_predictive/pattern_observed"])
        verdicts = lr.string_values(f["/posterior_predictive/pattern_verdict"])
        rows = []
        for k, name in enumerate(names_p):
            rows.append([esc(name), from_file(observed_p[k]),
                         q.dataset(f"posterior predictive mean {name}", "/posterior_predictive/pattern_mean", [k], "fixed", 3),
                         q.dataset(f"posterior predictive p {name}", "/posterior_predictive/pattern_p", [k], "fixed", 3),
                         from_file(verdicts[k])])
        outside = [esc(n) for n, v in zip(names_p, verdicts) if v != "consistent"]
        r.observation.append(paragraph(
            "Posterior predictive checks of the observed patterns (how the fully and partially integrated "
            "practices differed): p is the share of simulated evaluations in which a sign or interval "
            "holds, or the two-sided tail probability of an observed value; a verdict is consistent for "
            "p of 0.1 or more, in the tail from 0.01, outside below. "
            + (f"Not consistent: {join_words(outside)}." if outside else "Every pattern is consistent.")))
        r.observation.append(table(["pattern", "observed", "predictive mean", "p", "verdict"], rows))

    if "/posterior/summary" in f:
        rows = []
        prior_texts = lr.string_values(f["/abc/prior"])
        for k, name in enumerate(names):
            rows.append([esc(name), from_file(prior_texts[k])]
                        + [q.dataset(f"posterior {stat} {name}", "/posterior/summary", [k, s], "sig", 4)
                           for s, stat in enumerate(("median", "5% quantile", "95% quantile"))])
        r.tables.append(("Posterior", table(["parameter", "prior", "median", "5%", "95%"], rows)))
    if generations:
        rows = []
        for g in range(generations):
            tolerance = float(f["/abc/tolerance"][g])
            rows.append([q.dataset("generation", "/dims/generation", [g], "int", 0) if "/dims/generation" in f else str(g),
                         q.dataset(f"tolerance generation {g}", "/abc/tolerance", [g], "sig", 4)
                         if math.isfinite(tolerance) else "none (prior sample)",
                         q.dataset(f"proposals generation {g}", "/abc/proposals", [g], "fixed", 0),
                         q.percent(f"acceptance rate generation {g}", "/abc/acceptance_rate", [g]),
                         q.dataset(f"effective sample size generation {g}", "/abc/effective_sample_size", [g], "fixed", 1)])
        r.tables.append(("Generations", table(["generation", "tolerance", "proposals", "acceptance", "effective sample size"], rows)))


# ---- sensitivity ----------------------------------------------------------------------------

def build_sensitivity(r):
    f, q = r.f, r.q
    method = lr.text_attr(f, "method") or ("morris" if "/sensitivity/mu_star" in f else "sobol")
    question = lr.text_attr(f, "question")
    outputs = lr.scale_values(f["/sensitivity/outputs"], 0)
    main = "/sensitivity/total_order" if method == "sobol" else "/sensitivity/mu_star"
    parameters = lr.scale_values(f[main], 1)
    confidence = (q.setting("confidence level", "sensitivity", "sensitivity.confidence", "percent", 0)
                  if has_setting(f, "sensitivity", "sensitivity.confidence") else "")
    interval_name = f"{confidence} interval" if confidence else "interval"

    r.summary.append(paragraph(
        f"The sensitivity analysis {quoted_title(f)}"
        + asked(question),
        f"It used the {'Sobol variance-based' if method == 'sobol' else 'Morris elementary-effects'} method "
        f"on {q.shape('parameters', main, 1)} parameters and {q.shape('outputs', '/sensitivity/outputs', 0)} "
        f"outputs: {q.shape('design points', '/sensitivity/outputs', 1)} design points with "
        f"{q.attribute('replicates', 'replicates', 'fixed', 0)} replicates each (the same random streams at every point)."))

    if method == "sobol":
        first = f["/sensitivity/first_order"][()]
        total = f["/sensitivity/total_order"][()]
        first_ci = f["/sensitivity/first_order_ci"][()]
        for o, output in enumerate(outputs):
            order = [int(k) for k in np.argsort(-np.nan_to_num(total[o], nan=-1), kind="stable")]
            ranked = [f"{esc(parameters[k])} ({q.dataset(f'total-order {output} {parameters[k]}', '/sensitivity/total_order', [o, k], 'fixed', 2)}, "
                      f"{interval_name} {q.dataset(f'total-order lower {output} {parameters[k]}', '/sensitivity/total_order_ci', [o, k, 0], 'fixed', 2)} to "
                      f"{q.dataset(f'total-order upper {output} {parameters[k]}', '/sensitivity/total_order_ci', [o, k, 1], 'fixed', 2)})"
                      for k in order[:3]]
            r.summary.append(paragraph(
                f"For {from_file(output)}, the parameters that matter most, with their interactions "
                f"(total-order index), are {join_words(ranked)}."))
            wide = [k for k in range(len(parameters)) if first_ci[o, k, 0] < 0 < first_ci[o, k, 1]
                    and first_ci[o, k, 1] - first_ci[o, k, 0] > 0.5]
            above = [k for k in range(len(parameters)) if first[o, k] > total[o, k] + 0.05]
            if wide or above:
                r.notes.append(paragraph(
                    f"For {from_file(output)}, the estimates are still noisy:",
                    (f"the first-order intervals of {join_words(esc(parameters[k]) for k in wide)} are wide "
                     "and include zero" if wide else "")
                    + ("; " if wide and above else "")
                    + (f"the first-order index of {join_words(esc(parameters[k]) for k in above)} exceeds "
                       "its total-order index, which cannot hold for the true indices" if above else "")
                    + ". Use more samples before relying on the ranking."))
        sensitivity_tables(r, outputs, parameters, [
            ("first order", "/sensitivity/first_order", "/sensitivity/first_order_ci"),
            ("total order", "/sensitivity/total_order", "/sensitivity/total_order_ci")], interval_name)
    else:
        mu_star = f["/sensitivity/mu_star"][()]
        sigma = f["/sensitivity/sigma"][()]
        for o, output in enumerate(outputs):
            order = [int(k) for k in np.argsort(-np.nan_to_num(mu_star[o], nan=-1), kind="stable")]
            ranked = [f"{esc(parameters[k])} ({q.dataset(f'mu* {output} {parameters[k]}', '/sensitivity/mu_star', [o, k], 'sig', 3)}, "
                      f"{interval_name} {q.dataset(f'mu* lower {output} {parameters[k]}', '/sensitivity/mu_star_ci', [o, k, 0], 'sig', 3)} to "
                      f"{q.dataset(f'mu* upper {output} {parameters[k]}', '/sensitivity/mu_star_ci', [o, k, 1], 'sig', 3)})"
                      for k in order[:3]]
            nonlinear = [esc(parameters[k]) for k in order if mu_star[o, k] > 0 and sigma[o, k] >= 0.5 * mu_star[o, k]]
            r.summary.append(paragraph(
                f"For {from_file(output)}, the largest mean absolute effects (μ*, per unit of each "
                f"parameter's range) are those of {join_words(ranked)}.",
                ("The effects of " + ("every parameter" if len(nonlinear) == len(parameters) else join_words(nonlinear))
                 + " vary a lot from one part of the parameter space to another (σ at least half of μ*): "
                   "they act non-linearly or through interactions, or the outputs are noisy (few "
                   "replicates per point also spread the effects).")
                if nonlinear else ""))
        sensitivity_tables(r, outputs, parameters, [
            ("μ*", "/sensitivity/mu_star", "/sensitivity/mu_star_ci"),
            ("μ", "/sensitivity/mu", None),
            ("σ", "/sensitivity/sigma", None)], interval_name, style="sig", digits=3)

    main_values = f[main][()]
    for o in range(1, len(outputs)):
        for p in range(o):
            if np.allclose(main_values[o], main_values[p], rtol=1e-9, atol=1e-12) and method == "sobol":
                r.notes.append(paragraph(
                    f"{from_file(outputs[o])} and {from_file(outputs[p])} have the same indices: one output is "
                    "a fixed multiple of the other (as the mean FIP count is of the mean P(FIP)), so they "
                    "carry the same information."))
    r.observation.append(paragraph(
        "A sensitivity analysis explores the model, not the observation: to see which parameter values "
        "reproduce the observed outcome, run a calibration (lwsim calibrate) or a sweep with observed data."))


def sensitivity_tables(r, outputs, parameters, columns, interval_name, style="fixed", digits=2):
    q = r.q
    for o, output in enumerate(outputs):
        rows = []
        for k, name in enumerate(parameters):
            row = [esc(name)]
            for label, path, ci in columns:
                cell = q.dataset(f"{label} {output} {name}", path, [o, k], style, digits)
                if ci:
                    cell += (" [" + q.dataset(f"{label} lower {output} {name}", ci, [o, k, 0], style, digits) + ", "
                             + q.dataset(f"{label} upper {output} {name}", ci, [o, k, 1], style, digits) + "]")
                row.append(cell)
            rows.append(row)
        headers = ["parameter"] + [f"{esc(label)}" + (f" [{interval_name}]" if ci else "") for label, _, ci in columns]
        r.tables.append((f"Indices for {from_file(output)}", table(headers, rows)))


# ---- provenance and page --------------------------------------------------------------------

def build_provenance(r):
    f, q = r.f, r.q
    rows = [("file", esc(os.path.basename(r.path))), ("kind", from_file(r.kind))]
    for name, label in (("title", "title"), ("lwsim_version", "lwsim version"), ("git_commit", "git commit"),
                        ("created_utc", "created (UTC)"), ("command_line", "command line"),
                        ("model", "model"), ("results_version", "model results version"),
                        ("scenario_file", "scenario file"), ("sweep_file", "sweep file"),
                        ("calibration_file", "calibration file"), ("sensitivity_file", "sensitivity file"),
                        ("design_kind", "design"), ("shard", "shard"), ("storage", "storage"),
                        ("status", "status"), ("inputs_fingerprint", "inputs fingerprint")):
        if name in f.attrs:
            value = lr.text_attr(f, name)
            rows.append((label, f"<code>{esc(value)}</code>" if name in ("command_line", "git_commit") else from_file(value)))
    if "seed" in f.attrs:
        rows.append(("seed" if r.kind != "calibration" else "scenario seed", q.attribute("seed", "seed")))
    if r.kind == "calibration":
        for key, label in (("abc.seed", "ABC seed"), ("abc.replicates", "replicates per proposal"),
                           ("abc.predictive_replicates", "posterior predictive replicates per particle")):
            if has_setting(f, "calibration", key):
                rows.append((label, q.setting(label, "calibration", key)))
        if "replicates" in f.attrs:
            rows.append(("replicates in the base scenario (not used by the calibration)",
                         q.attribute("base scenario replicates", "replicates", "fixed", 0)))
    elif "replicates" in f.attrs:
        rows.append(("replicates" + (" per point" if r.kind in ("sweep", "sensitivity") else ""),
                     q.attribute("replicates", "replicates", "fixed", 0)))
    if r.kind == "sensitivity":
        for key, label in (("sensitivity.samples", "samples"), ("sensitivity.bootstrap", "bootstrap resamples")):
            if has_setting(f, "sensitivity", key):
                rows.append((label, q.setting(label, "sensitivity", key)))
    for name in ("threads", "ranks"):
        if name in f.attrs:
            rows.append((f"{name} (results do not depend on them)", q.attribute(name, name)))
    r.provenance = rows
    for name, label in (("scenario", "Resolved scenario (TOML): running lwsim on it reproduces the results"),
                        ("sweep", "Resolved sweep"), ("calibration", "Resolved calibration"),
                        ("sensitivity", "Resolved sensitivity analysis"), ("observed", "Observed data")):
        text = lr.text_attr(f, name)
        if text.strip():
            r.details.append((label, text))


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 62rem; margin: 2rem auto; padding: 0 1.2rem; color: #1d1d1f; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.subtitle { color: #555; margin-top: 0; }
#summary { background: #f4f7fb; border-left: 4px solid #4575b4; padding: 0.6rem 1.2rem; }
.note { background: #fff6e5; border-left: 4px solid #d95f02; padding: 0.4rem 1rem; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; font-weight: 600; }
.table-box { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.92rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td .num { font-weight: normal; }
caption { caption-side: top; text-align: left; color: #555; padding-bottom: 0.3rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #333; font-size: 0.92rem; }
details { margin: 0.6rem 0; } pre { background: #f7f7f7; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; }
code { font-size: 0.88rem; }
"""

KIND_NAMES = {"run": "scenario run", "sweep": "parameter sweep", "calibration": "ABC calibration",
              "sensitivity": "sensitivity analysis"}
BUILDERS = {"run": build_run, "sweep": build_sweep, "calibration": build_calibration,
            "sensitivity": build_sensitivity}


def render(r):
    f = r.f
    title = lr.text_attr(f, "title") or os.path.basename(r.path)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>lwsim {esc(KIND_NAMES[r.kind])}: {esc(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{from_file(title)}</h1>",
        f'<p class="subtitle">lwsim {esc(KIND_NAMES[r.kind])} report of <code>{esc(os.path.basename(r.path))}</code>, '
        "written by analysis/report.py from the file alone: every number below is read from it.</p></header>",
        '<section id="summary"><h2>Summary</h2>', *r.summary, "</section>",
    ]
    if r.notes:
        parts += ['<section id="cautions"><h2>Cautions</h2><div class="note">', *r.notes, "</div></section>"]
    parts += ['<section id="observation"><h2>Comparison with observation</h2>', *r.observation, "</section>"]
    if r.figures:
        parts.append('<section id="figures"><h2>Figures</h2>')
        parts += [figure_html(n, fig) for n, fig in enumerate(r.figures, start=1)]
        parts.append("</section>")
    if r.tables:
        parts.append('<section id="tables"><h2>Tables</h2>')
        for heading, body in r.tables:
            parts += [f"<h3>{heading}</h3>", body]
        parts.append("</section>")
    parts.append('<section id="provenance"><h2>Provenance</h2>')
    parts.append(table(["", ""], [[esc(label), value] for label, value in r.provenance], classes="provenance"))
    for label, text in r.details:
        parts.append(f"<details><summary>{esc(label)}</summary><pre>{esc(text)}</pre></details>")
    parts.append("</section>")
    parts.append(f'<script type="application/json" id="lwsim-numbers">{r.q.json()}</script>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def build_report(path):
    """The HTML report of the lwsim file at `path`, as a string."""
    f, kind = lr.open_output(path)
    with f:
        r = Report(f, kind, path)
        BUILDERS[kind](r)
        build_provenance(r)
        return render(r)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="report.py",
        description="Write a self-contained HTML report of an lwsim output file (run, sweep, calibration or sensitivity).")
    parser.add_argument("file", help="an lwsim output file (HDF5)")
    parser.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="the HTML file to write")
    args = parser.parse_args(argv)
    try:
        text = build_report(args.file)
    except lr.NotAnOutputFile as e:
        sys.stderr.write(f"report.py: {e}\n")
        return EXIT_BAD_INPUT
    temporary = args.output + ".part"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, args.output)
    except OSError as e:
        sys.stderr.write(f"report.py: cannot write {args.output}: {e.strerror or e}\n")
        return EXIT_FAILURE
    print(args.output)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
