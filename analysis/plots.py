#!/usr/bin/python3
"""Figures of an lwsim output file, as PNG files.

    /usr/bin/python3 analysis/plots.py OUT.h5 -o DIR

What is drawn depends on the file's root attribute `kind`:

  run          P(normalised by week t) per practice with 95% binomial bands and the evaluation
               phases P1-P4 shaded; the FIP-count distribution against the observed count; the
               construct trajectories C, CP, CA, RM (mean over practices); construct scores of
               FIPs and PIPs in each phase; P(FIP) per practice with Monte Carlo error bars,
               coloured by the observed outcome; the simulated staff survey when the file has one.
               A run of more than 20 practices, or without the per-practice weekly series
               (/timeseries, not written above 1,000 practices), gets instead of the per-practice
               curves the national share of practices normalised by week t with the localities'
               curves (their median and 10-90% band beyond 10 localities), P(FIP) per locality
               (a histogram beyond 30 localities) and a programme figure (CLP posts before and
               after a cut, cost per practice and per FIP, vacant CLP-weeks, refused requests
               against saturation per locality); P(FIP) per practice only up to 40 practices,
               the constructs only with /timeseries.
  sweep        mean P(FIP) (and P(count = observed) with observed data) over the design: a
               heatmap over the first two swept parameters of a grid, partial-dependence plots
               (binned means against each parameter) otherwise; a sweep of 2-8 points (comparing
               scenarios) also gets the national share normalised by week t at each point.
  calibration  posterior marginals against the prior; pairwise scatter of the final population
               (point size = weight); tolerance, acceptance and ESS per generation; the posterior
               predictive FIP-count distribution against the observed count.
  sensitivity  per output, Sobol first- and total-order indices with their intervals, or Morris
               mu* with its interval and the mu*-sigma plane.

The files are DIR/<stem>-<figure>.png (stem = the input file's name without .h5); their paths are
printed one per line. Exit codes: 0 success, 2 bad input (missing file, not an lwsim HDF5 file),
1 anything else. Uses only Debian's python3-h5py, python3-numpy and python3-matplotlib (run with
/usr/bin/python3); analysis/report.py embeds the same figures in an HTML report.
"""

import argparse
import collections
import math
import os
import re
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lwsim_results as lr  # noqa: E402  (sets HDF5_USE_FILE_LOCKING before h5py loads)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import numpy as np  # noqa: E402

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

# One figure: a short file-name stem, the matplotlib figure, a title and a caption (plain text,
# without numbers read from the file: report.py quotes numbers through its checked helper).
Figure = collections.namedtuple("Figure", "name figure title caption")


def finished(fig, name, title, caption):
    """The figure with its title set and its layout tightened, as a Figure."""
    fig.suptitle(title)
    fig.tight_layout()
    return Figure(name, fig, title, caption)


CONSTRUCTS = [  # (dataset under /timeseries, short label, long label)
    ("coherence", "C", "coherence"),
    ("cognitive_participation", "CP", "cognitive participation"),
    ("collective_action", "CA", "collective action"),
    ("reflexive_monitoring", "RM", "reflexive monitoring"),
]
CONSTRUCT_LABELS = {name: f"{short} {long}" for name, short, long in CONSTRUCTS}
OUTCOME_COLOURS = {"FIP": "#1b7837", "PIP": "#c2a5cf"}
OBSERVED_COLOUR = "#d95f02"
SIMULATED_COLOUR = "#4575b4"
Z95 = 1.959963984540054
COUNT_TICKS_MAX = 30     # beyond, a count axis gets automatic ticks over the counts that occur

plt.rcParams.update({
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "0.9",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
})


# ---- shared drawing helpers -----------------------------------------------------------------

def shade_phases(ax, f):
    """Shades the evaluation phases (P1-P4) on a week axis and labels them along the top."""
    if "/evaluation/phase_first_week" not in f:
        return
    first = f["/evaluation/phase_first_week"][()]
    last = f["/evaluation/phase_last_week"][()]
    labels = lr.scale_values(f["/evaluation/phase_first_week"], 0)
    top = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for label, a, b in zip(labels, first, last):
        ax.axvspan(a - 0.5, b + 0.5, color="0.92", zorder=0, lw=0)
        ax.text((a + b) / 2, 1.0, str(label), transform=top, ha="center", va="bottom", fontsize=9,
                color="0.35")


def count_bars(ax, counts, probabilities, observed, se=None, label="simulated"):
    """Bars of a count distribution with the observed count's bar highlighted and annotated."""
    counts = np.asarray(counts)
    probabilities = np.asarray(probabilities)
    se = None if se is None else np.asarray(se)
    many = len(counts) > COUNT_TICKS_MAX
    if many:   # only the counts that occur (and the observed one), with a margin
        shown = np.flatnonzero(np.nan_to_num(probabilities) > 0)
        if observed is not None:
            shown = np.union1d(shown, np.flatnonzero(counts == observed))
        if len(shown):
            first, last = int(shown.min()), int(shown.max())
            margin = max(1, (last - first) // 20)
            keep = slice(max(0, first - margin), min(len(counts), last + margin + 1))
            counts, probabilities = counts[keep], probabilities[keep]
            se = None if se is None else se[keep]
        many = len(counts) > COUNT_TICKS_MAX
    colours = [OBSERVED_COLOUR if observed is not None and c == observed else SIMULATED_COLOUR
               for c in counts]
    yerr = None if se is None else Z95 * se
    ax.bar(counts, probabilities, color=colours, width=0.8, yerr=yerr, capsize=0 if many else 3,
           error_kw={"elinewidth": 0.8, "ecolor": "0.3"}, label=label)
    if many:
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=12, integer=True))
    else:
        ax.set_xticks(counts)
    ax.set_xlabel("number of fully integrated practices (FIP count)")
    ax.set_ylabel("probability")
    ax.set_ylim(0, max(0.05, float(np.nanmax(probabilities)) * 1.25 if len(probabilities) else 1))
    if observed is not None and observed in set(counts.tolist()):
        p = float(np.asarray(probabilities)[list(counts).index(observed)])
        ax.annotate("observed", (observed, p), xytext=(0, 14), textcoords="offset points",
                    ha="center", color=OBSERVED_COLOUR, fontweight="bold",
                    arrowprops={"arrowstyle": "-|>", "color": OBSERVED_COLOUR})


def is_log_scaled(values):
    """Whether positive design values spread over enough orders of magnitude for a log axis."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return len(values) > 1 and values.min() > 0 and values.max() / values.min() >= 20


def tick_text(value):
    return f"{value:.4g}"


def short_name(parameter):
    """'context.gp_buy_in_mean' -> 'gp_buy_in_mean' (for crowded axes)."""
    return parameter.rsplit(".", 1)[-1]


def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "output"


def panel_grid(count, columns=3, width=3.6, height=3.0):
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows + 0.6), squeeze=False)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:count])


# ---- run ------------------------------------------------------------------------------------

# Beyond these sizes the per-practice figures are unreadable: a run of more practices gets the
# national and per-locality figures instead (scale-up scenarios, docs/model.md section 7.9).
PRACTICE_CURVES_MAX = 20       # P(normalised by week t), one curve per practice
PRACTICE_BARS_MAX = 40         # P(FIP), one bar per practice
LOCALITY_CURVES_MAX = 10       # one curve per locality, else their median and 10-90% band
LOCALITY_BARS_MAX = 30         # one bar per locality, else a histogram over localities


def practice_count(f):
    return f["/practices/name"].shape[0] if "/practices/name" in f else 0


def is_large_run(f):
    """A run drawn at the national and locality level: many practices, or no per-practice weekly
    series (not written above 1,000 practices, docs/output.md)."""
    return "/timeseries/normalised_by" not in f or practice_count(f) > PRACTICE_CURVES_MAX


def run_figures(f):
    large = is_large_run(f)
    figures = []
    if not large:
        figures.append(normalised_by_figure(f))
    elif "/national/normalised_by" in f:
        figures.append(national_normalised_by_figure(f))
    if "/summary/fip_count_distribution" in f:
        figures.append(fip_count_figure(f))
    if any(f"/timeseries/{name}" in f for name, _, _ in CONSTRUCTS):
        figures.append(constructs_figure(f))
    if "/summary/p_fip" in f and practice_count(f) <= PRACTICE_BARS_MAX:
        figures.append(p_fip_figure(f))
    if large and "/locality/p_fip" in f:
        figures.append(locality_p_fip_figure(f))
    if large and programme_panels(f):
        figures.append(programme_figure(f))
    if "/summary/phase_scores_by_outcome" in f:
        figures.append(phase_scores_figure(f))
    if "/survey/mean_score_by_outcome" in f:
        figures.append(survey_figure(f))
    return figures


def normalised_by_figure(f):
    series = f["/timeseries/normalised_by"]
    values = series[0]                                   # [week, practice]
    weeks = np.asarray(lr.scale_values(series, 1), dtype=float)
    practices = lr.scale_values(series, 2)
    replicates = lr.int_attr(f, "replicates")
    lower, upper = lr.wilson_interval(values, replicates)
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    shade_phases(ax, f)
    colours = plt.get_cmap("tab10")
    for j, name in enumerate(practices):
        ax.fill_between(weeks, lower[:, j], upper[:, j], color=colours(j % 10), alpha=0.15, lw=0)
        ax.plot(weeks, values[:, j], color=colours(j % 10), lw=1.6, label=str(name))
    ax.set_xlim(weeks.min(), weeks.max())
    ax.set_ylim(0, 1)
    ax.set_xlabel("week (0 = start of the evaluation's first phase)")
    ax.set_ylabel("P(normalised by week t)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="practice")
    title = "Probability that each practice has been normalised by each week"
    fig.suptitle(title, y=0.995)
    fig.tight_layout()
    caption = ("Share of simulated evaluations in which each practice had been normalised (C, CP and "
               "CA above their thresholds for the required run of weeks) by week t. Bands: 95% "
               "Wilson binomial intervals from the number of replicates. Shaded: the evaluation "
               "phases.")
    return Figure("normalised_by", fig, title, caption)


def week_axis(ax, weeks):
    ax.set_xlim(weeks.min(), weeks.max())
    ax.set_ylim(0, 1)
    ax.set_xlabel("week (0 = start of the evaluation's first phase)")


def national_normalised_by_figure(f):
    series = f["/national/normalised_by"]
    national = series[0]                                 # [week]
    weeks = np.asarray(lr.scale_values(series, 1), dtype=float)
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    shade_phases(ax, f)
    localities = []
    if "/locality/normalised_by" in f:
        dataset = f["/locality/normalised_by"]
        per_locality = dataset[0]                        # [week, locality]
        localities = lr.scale_values(dataset, 2)
    many = len(localities) > LOCALITY_CURVES_MAX
    if len(localities) and not many:
        colours = plt.get_cmap("tab10")
        for j, name in enumerate(localities):
            ax.plot(weeks, per_locality[:, j], color=colours(j % 10), lw=1.3, alpha=0.9, label=str(name))
    elif many:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a week where every locality is NaN
            low, median, high = np.nanpercentile(per_locality, [10, 50, 90], axis=1)
        ax.fill_between(weeks, low, high, color=SIMULATED_COLOUR, alpha=0.22, lw=0,
                        label="10-90% of localities")
        ax.plot(weeks, median, color=SIMULATED_COLOUR, lw=1.6, ls="--", label="median locality")
    ax.plot(weeks, national, color="black", lw=2.4, label="all practices")
    week_axis(ax, weeks)
    ax.set_ylabel("share of practices normalised by week t")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1),
              title="locality" if len(localities) and not many else None)
    title = "Share of practices normalised by each week, nationally and by locality"
    fig.suptitle(title, y=0.995)
    fig.tight_layout()
    if many:
        detail = ("the dashed line is the median locality and the band holds the middle 80% of "
                  "localities (10th to 90th percentile)")
    elif len(localities):
        detail = "the thin lines are the localities"
    else:
        detail = "the file has no per-locality series"
    caption = ("Share of all practices (thick black line, mean over replicates) that had been normalised "
               "(C, CP and CA above their thresholds for the required run of weeks) by week t; "
               + detail + ". Shaded: the evaluation phases.")
    return Figure("national_normalised_by", fig, title, caption)


def locality_p_fip_figure(f):
    dataset = f["/locality/p_fip"]
    p = dataset[0]
    localities = lr.scale_values(dataset, 1)
    national = None
    if "/summary/mean_fip_count" in f and practice_count(f):
        national = float(f["/summary/mean_fip_count"][0]) / practice_count(f)
    if len(localities) <= LOCALITY_BARS_MAX:
        fig, ax = plt.subplots(figsize=(max(6.5, 0.32 * len(localities) + 3.5), 4.2))
        x = np.arange(len(localities))
        ax.bar(x, np.nan_to_num(p, nan=0.0), color=SIMULATED_COLOUR, width=0.7)
        ax.set_xticks(x)
        labels = [str(n) for n in localities]
        long_labels = len(x) > 6 or max((len(n) for n in labels), default=0) > 12
        ax.set_xticklabels(labels, rotation=40 if long_labels else 0, ha="right" if long_labels else "center",
                           fontsize=8 if long_labels else None)
        ax.set_ylabel("P(FIP) of the locality's practices")
        ax.set_ylim(0, min(1.0, max(0.1, float(np.nanmax(p)) * 1.2 if np.isfinite(p).any() else 1.0)))
        what = "bars: localities"
    else:
        fig, ax = plt.subplots(figsize=(7.5, 4.2))
        values = p[np.isfinite(p)]
        ax.hist(values, bins=min(40, max(8, int(math.sqrt(len(values))))), color=SIMULATED_COLOUR,
                edgecolor="white", lw=0.5)
        ax.set_xlabel("P(FIP) of the locality's practices")
        ax.set_ylabel("number of localities")
        what = "histogram over the localities"
    if national is not None and math.isfinite(national):
        if len(localities) <= LOCALITY_BARS_MAX:
            ax.axhline(national, color=OBSERVED_COLOUR, lw=1.5, ls="--", label="all practices")
        else:
            ax.axvline(national, color=OBSERVED_COLOUR, lw=1.5, ls="--", label="all practices")
        ax.legend(loc="upper right")
    title = "Probability that a practice fully integrates, by locality"
    ax.set_title(title)
    fig.tight_layout()
    caption = ("Mean share of each locality's practices that were fully integrated (FIP) at the end, over "
               f"the simulated evaluations ({what}); the dashed line is the share over all practices.")
    return Figure("locality_p_fip", fig, title, caption)


def programme_panels(f):
    """The panels of the programme figure the file has data for."""
    panels = []
    if "/summary/clp_posts" in f:
        panels.append("posts")
    if "/summary/cost" in f or "/summary/cost_per_fip" in f:
        panels.append("cost")
    if "/locality/vacancy_clp_weeks" in f or "/summary/vacancy_clp_weeks" in f:
        panels.append("vacancy")
    if "/locality/refused_share" in f and "/locality/saturation" in f:
        panels.append("community")
    return panels


def annotate_bars(ax, x, values, text):
    top = max([v for v in values if math.isfinite(v)] + [0.0])
    for xi, v in zip(x, values):
        ax.text(xi, (v if math.isfinite(v) else 0) + 0.02 * (top or 1), text(v), ha="center", va="bottom",
                fontsize=8.5)
    ax.set_ylim(0, (top or 1) * 1.2)


def money(value):
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1e6:
        return f"£{value / 1e6:,.1f}m"
    if abs(value) >= 1e3:
        return f"£{value / 1e3:,.0f}k"
    return f"£{value:,.0f}"


def programme_figure(f):
    panels = programme_panels(f)
    fig, axes = panel_grid(len(panels), columns=2, width=4.6, height=3.3)
    n = practice_count(f)
    for ax, panel in zip(axes, panels):
        if panel == "posts":
            dataset = f["/summary/clp_posts"]
            posts = dataset[0]
            periods = [str(p).replace("_", " ") for p in lr.scale_values(dataset, 1)]
            x = np.arange(len(posts))
            ax.bar(x, posts, color=[SIMULATED_COLOUR, OBSERVED_COLOUR][: len(posts)] or SIMULATED_COLOUR, width=0.6)
            annotate_bars(ax, x, [float(v) for v in posts], lambda v: f"{v:,.0f}")
            ax.set_xticks(x)
            ax.set_xticklabels(periods)
            ax.set_ylabel("CLP posts")
            ax.set_title("CLP posts before and after a cut" if len(posts) > 1 and posts[0] != posts[1]
                         else "CLP posts (no cut of posts)")
        elif panel == "cost":
            labels, values = [], []
            if "/summary/cost" in f and n:
                labels.append("per practice")
                values.append(float(f["/summary/cost"][0]) / n)
            if "/summary/cost_per_fip" in f:
                labels.append("per fully integrated\npractice (FIP)")
                values.append(float(f["/summary/cost_per_fip"][0]))
            x = np.arange(len(values))
            ax.bar(x, np.nan_to_num(values, nan=0.0), color=["0.55", SIMULATED_COLOUR][: len(values)], width=0.6)
            annotate_bars(ax, x, values, money)
            ax.set_xticks(x)
            ax.set_xticklabels(labels)
            ax.set_ylabel("GBP over the horizon")
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: money(v)))
            ax.set_title("Programme cost (mean over replicates)")
        elif panel == "vacancy":
            title = "Weeks CLP posts were vacant"
            if "/summary/vacancy_clp_weeks" in f:
                total = float(f["/summary/vacancy_clp_weeks"][0])
                if math.isfinite(total):
                    title += f"\n(all posts: {total:,.0f} CLP-weeks)"
            if "/locality/vacancy_clp_weeks" in f:
                dataset = f["/locality/vacancy_clp_weeks"]
                values = dataset[0]
                localities = lr.scale_values(dataset, 1)
                if len(localities) <= LOCALITY_CURVES_MAX:
                    x = np.arange(len(localities))
                    ax.bar(x, np.nan_to_num(values, nan=0.0), color=SIMULATED_COLOUR, width=0.6)
                    ax.set_xticks(x)
                    ax.set_xticklabels([str(n) for n in localities], rotation=30 if len(x) > 3 else 0,
                                       ha="right" if len(x) > 3 else "center", fontsize=8)
                    ax.set_ylabel("vacant CLP-weeks")
                else:
                    values = values[np.isfinite(values)]
                    ax.hist(values, bins=min(30, max(5, int(math.sqrt(len(values))))), color=SIMULATED_COLOUR,
                            edgecolor="white", lw=0.5)
                    ax.set_xlabel("vacant CLP-weeks in the locality")
                    ax.set_ylabel("number of localities")
            else:
                ax.set_axis_off()
            ax.set_title(title, fontsize=10)
        elif panel == "community":
            dataset = f["/locality/refused_share"]
            refused = dataset[0]
            saturation = f["/locality/saturation"][0]
            localities = lr.scale_values(dataset, 1)
            ax.scatter(saturation, refused, s=18 if len(localities) <= 200 else 8, alpha=0.6,
                       color=SIMULATED_COLOUR, lw=0)
            if len(localities) <= LOCALITY_CURVES_MAX:
                for name, xs, ys in zip(localities, saturation, refused):
                    if math.isfinite(xs) and math.isfinite(ys):
                        ax.annotate(str(name), (xs, ys), xytext=(3, 3), textcoords="offset points", fontsize=7)
            top_x = float(np.nanmax(saturation)) if np.isfinite(saturation).any() else 0.0
            top_y = float(np.nanmax(refused)) if np.isfinite(refused).any() else 0.0
            ax.set_xlim(-0.005, max(0.05, top_x * 1.15))
            ax.set_ylim(-0.005, max(0.05, top_y * 1.15))
            ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
            ax.set_xlabel("saturation (share of organisation-weeks full)")
            ax.set_ylabel("share of requests refused")
            ax.set_title("Community capacity, one point per locality")
    title = "The programme: posts, cost, vacancies and community capacity"
    caption = ("CLP posts before and after a cut of posts (equal without a cut); mean programme cost over "
               "the horizon per practice and per fully integrated practice (mean cost / mean FIP count); "
               "the weeks the localities' CLP posts were vacant; and, for each locality, the share of "
               "requests for a place refused by a full community organisation against the share of "
               "organisation-weeks in which requests exceeded the free places. Means over replicates; "
               "the costs rest on assumed amounts (docs/model.md, section 7.9).")
    return finished(fig, "programme", title, caption)


def fip_count_figure(f):
    dataset = f["/summary/fip_count_distribution"]
    distribution = dataset[0]
    counts = np.asarray(lr.scale_values(dataset, 1))
    replicates = lr.int_attr(f, "replicates")
    se = np.sqrt(distribution * (1 - distribution) / replicates) if replicates else None
    observed = lr.observed_count(f)
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    count_bars(ax, counts, distribution, observed, se)
    title = "How many practices fully integrate the programme?"
    ax.set_title(title)
    fig.tight_layout()
    caption = ("Simulated distribution of the number of fully integrated practices (FIPs) at the end "
               "of the evaluation, with 95% Monte Carlo error bars"
               + ("; the observed count is highlighted." if observed is not None else "."))
    return Figure("fip_count", fig, title, caption)


def constructs_figure(f):
    fig, ax = plt.subplots(figsize=(8.5, 4.4))
    shade_phases(ax, f)
    weeks = None
    colours = plt.get_cmap("Dark2")
    for k, (name, short, long) in enumerate(CONSTRUCTS):
        path = f"/timeseries/{name}"
        if path not in f:
            continue
        series = f[path]
        weeks = np.asarray(lr.scale_values(series, 1), dtype=float)
        ax.plot(weeks, series[0].mean(axis=1), lw=2, color=colours(k), label=f"{short}  {long}")
    if weeks is not None:
        ax.set_xlim(weeks.min(), weeks.max())
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("week (0 = start of the evaluation's first phase)")
    ax.set_ylabel("score (mean over replicates and practices)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="NPT construct")
    title = "Normalisation process theory constructs over time"
    fig.suptitle(title, y=0.995)
    fig.tight_layout()
    caption = ("Weekly construct scores averaged over replicates and practices: coherence (C), "
               "cognitive participation (CP), collective action (CA) and reflexive monitoring (RM). "
               "Shaded: the evaluation phases.")
    return Figure("constructs", fig, title, caption)


def p_fip_figure(f):
    dataset = f["/summary/p_fip"]
    p = dataset[0]
    practices = lr.scale_values(dataset, 1)
    replicates = lr.int_attr(f, "replicates")
    lower, upper = lr.wilson_interval(p, replicates)
    outcomes = lr.observed_outcomes(f)
    colours = [OUTCOME_COLOURS.get(outcomes.get(str(name)), SIMULATED_COLOUR) for name in practices]
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    x = np.arange(len(practices))
    ax.bar(x, p, color=colours, width=0.7)
    ax.errorbar(x, p, yerr=[p - lower, upper - p], fmt="none", ecolor="0.2", capsize=4, lw=1)
    ax.set_xticks(x)
    ax.set_xticklabels([str(n) for n in practices], rotation=30 if len(x) > 8 else 0, ha="center")
    ax.set_ylim(0, min(1.0, max(0.1, float(np.nanmax(upper)) * 1.2)))
    ax.set_ylabel("P(FIP)")
    if outcomes:
        handles = [matplotlib.patches.Patch(color=c, label=f"observed {o}") for o, c in OUTCOME_COLOURS.items()]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))
    title = "Probability that each practice fully integrates the programme"
    ax.set_title(title)
    fig.tight_layout()
    caption = ("P(FIP) per practice over the simulated evaluations, with 95% Monte Carlo (Wilson) "
               "intervals" + ("; bars are coloured by the outcome the evaluation observed." if outcomes else "."))
    return Figure("p_fip", fig, title, caption)


def phase_scores_figure(f):
    dataset = f["/summary/phase_scores_by_outcome"]          # [point, outcome, phase, construct]
    scores = dataset[0]
    outcomes = lr.scale_values(dataset, 1)
    phases = lr.scale_values(dataset, 2)
    constructs = lr.scale_values(dataset, 3)
    fig, axes = panel_grid(len(constructs), columns=4, width=2.7, height=2.9)
    x = np.arange(len(phases))
    for k, (ax, construct) in enumerate(zip(axes, constructs)):
        for o, outcome in enumerate(outcomes):
            ax.plot(x, scores[o, :, k], marker="o", lw=1.8, label=str(outcome),
                    color=OUTCOME_COLOURS.get(str(outcome), None))
        ax.set_xticks(x)
        ax.set_xticklabels([str(p) for p in phases])
        ax.set_ylim(0, 1.02)
        ax.set_title(CONSTRUCT_LABELS.get(str(construct), str(construct)), fontsize=9.5)
    axes[0].set_ylabel("mean score")
    axes[0].legend(loc="upper left", title="simulated")
    title = "Construct scores of simulated FIPs and PIPs in each evaluation phase"
    caption = ("Mean construct score in each evaluation phase over the practices that ended fully "
               "integrated (FIP) and those that ended partially integrated (PIP). Chng et al. (2021) "
               "found FIPs ahead in C, CP and CA, and RM underdeveloped in both.")
    return finished(fig, "phase_scores", title, caption)


def survey_figure(f):
    dataset = f["/survey/mean_score_by_outcome"]             # [point, survey, outcome, construct]
    scores = dataset[0]
    surveys = lr.scale_values(dataset, 1)
    outcomes = lr.scale_values(dataset, 2)
    constructs = lr.scale_values(dataset, 3)
    fig, axes = panel_grid(len(surveys), columns=len(surveys), width=4.2, height=3.4)
    x = np.arange(len(constructs))
    width = 0.8 / max(1, len(outcomes))
    for s, (ax, survey) in enumerate(zip(axes, surveys)):
        for o, outcome in enumerate(outcomes):
            values = scores[s, o, :]
            ax.bar(x + (o - (len(outcomes) - 1) / 2) * width, np.nan_to_num(values, nan=0.0), width,
                   color=OUTCOME_COLOURS.get(str(outcome), None), label=f"{outcome} respondents")
            for xi, v in zip(x, values):
                if not np.isfinite(v):
                    ax.text(xi + (o - (len(outcomes) - 1) / 2) * width, 1.05, "none", rotation=90,
                            ha="center", va="bottom", fontsize=7, color="0.4")
        ax.set_xticks(x)
        ax.set_xticklabels([next((s_ for n, s_, _ in CONSTRUCTS if n == c), str(c)) for c in constructs])
        ax.set_ylim(1, 5)
        ax.set_title(f"survey at {survey}")
    axes[0].set_ylabel("mean item score (1-5)")
    axes[-1].legend(loc="upper right")
    title = "Simulated staff survey (NoMAD-style items)"
    caption = ("Mean item score of the simulated survey respondents in practices that ended as FIPs "
               "and as PIPs, by construct, at each surveyed phase ('none': no respondents).")
    return finished(fig, "survey", title, caption)


# ---- sweep ----------------------------------------------------------------------------------

def sweep_metrics(f):
    """[(file-name stem, label, values per point, dataset path)] for the sweep plots."""
    practices = f["/practices/name"].shape[0]
    metrics = [("mean_p_fip", "mean P(FIP)", f["/summary/mean_fip_count"][()] / practices,
                "/summary/mean_fip_count")]
    if "/summary/p_observed" in f:
        observed = lr.observed_count(f)
        label = f"P(FIP count = {observed})" if observed is not None else "P(count = observed)"
        metrics.append(("p_observed", label, f["/summary/p_observed"][()], "/summary/p_observed"))
    return metrics


def sweep_figures(f):
    parameters = lr.design_parameters(f)
    done = lr.completed_points(f)
    design = {name: f[f"/design/{name}"][()] for name in parameters}
    grid = lr.text_attr(f, "design_kind") == "grid" and len(parameters) >= 2
    figures = []
    for stem, label, values, _ in sweep_metrics(f):
        values = np.where(done, values, np.nan) if done is not None else values
        if grid:
            figures.append(heatmap_figure(stem, label, values, design, parameters))
        elif len(values) >= PARTIAL_DEPENDENCE_MIN_POINTS:
            # Below that, a binned mean per parameter is a line through a handful of points: a
            # compare is read from its paired differences and the compared figure instead.
            figures.append(partial_dependence_figure(stem, label, values, design, parameters))
    points = f["/status/completed"].shape[0] if "/status/completed" in f else 0
    if "/national/normalised_by" in f and 2 <= points <= COMPARED_POINTS_MAX and (done is None or done.any()):
        figures.append(compared_normalised_by_figure(f, parameters, done))
    return figures


COMPARED_POINTS_MAX = 8   # a sweep of this few points compares scenarios (scenarios/scale_up/*_compare.toml)
PARTIAL_DEPENDENCE_MIN_POINTS = 9   # fewer points draw no partial dependence (issue 16)


def compared_normalised_by_figure(f, parameters, done):
    """The national share of practices normalised by week t at each point of a few-point sweep."""
    series = f["/national/normalised_by"]                # [point, week]
    weeks = np.asarray(lr.scale_values(series, 1), dtype=float)
    values = series[()]
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    shade_phases(ax, f)
    colours = plt.get_cmap("tab10")
    for point in range(values.shape[0]):
        if done is not None and not done[point]:
            continue
        label = ", ".join(f"{short_name(p)} = {tick_text(float(f[f'/design/{p}'][point]))}" for p in parameters
                          if f"/design/{p}" in f) or f"point {point}"
        ax.plot(weeks, values[point], color=colours(point % 10), lw=2, label=label)
    week_axis(ax, weeks)
    ax.set_ylabel("share of practices normalised by week t")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="design point")
    title = "Share of all practices normalised by each week, at each design point"
    fig.suptitle(title, y=0.995)
    fig.tight_layout()
    caption = ("Share of all the scenario's practices (mean over replicates) that had been normalised by "
               "week t, one line per completed design point; the points share their random streams "
               "(common random numbers), so the lines differ by the parameters only. Shaded: the "
               "evaluation phases.")
    return Figure("national_normalised_by", fig, title, caption)


def grid_means(values, x, y):
    """Means of `values` over the cells of the grid of unique x and y values (other swept
    parameters averaged over; NaN where no completed point)."""
    xs, ys = np.unique(x), np.unique(y)
    table = np.full((len(ys), len(xs)), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            cell = values[(x == xv) & (y == yv)]
            cell = cell[np.isfinite(cell)]
            if len(cell):
                table[i, j] = cell.mean()
    return xs, ys, table


def heatmap_figure(stem, label, values, design, parameters):
    px, py = parameters[0], parameters[1]
    xs, ys, table = grid_means(values, design[px], design[py])
    fig, ax = plt.subplots(figsize=(max(5.5, 0.75 * len(xs) + 3), max(4.0, 0.5 * len(ys) + 2)))
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    image = ax.imshow(np.ma.masked_invalid(table), origin="lower", aspect="auto", cmap=cmap,
                      vmin=0, vmax=max(1e-9, float(np.nanmax(table))) if np.isfinite(table).any() else 1)
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels([tick_text(v) for v in xs])
    ax.set_yticks(range(len(ys)))
    ax.set_yticklabels([tick_text(v) for v in ys])
    ax.set_xlabel(px)
    ax.set_ylabel(py)
    ax.grid(False)
    if table.size <= 225:
        for i in range(len(ys)):
            for j in range(len(xs)):
                if np.isfinite(table[i, j]):
                    bright = image.norm(table[i, j]) > 0.6
                    ax.text(j, i, f"{table[i, j]:.2f}", ha="center", va="center", fontsize=8,
                            color="black" if bright else "white")
    fig.colorbar(image, ax=ax, label=label)
    title = f"{label} over the design grid"
    ax.set_title(title)
    fig.tight_layout()
    others = [p for p in parameters[2:]]
    caption = (f"{label} at each point of the grid over {px} and {py}"
               + (f", averaged over {', '.join(others)}" if others else "")
               + ". Grey cells: no completed point.")
    return Figure(f"heatmap_{stem}", fig, title, caption)


def binned_means(x, y, bins):
    """(bin centres, means) of y in `bins` bins of x holding equal numbers of points."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    centres, means = [], []
    for chunk in np.array_split(np.arange(len(x)), bins):
        if len(chunk):
            centres.append(x[chunk].mean())
            means.append(y[chunk].mean())
    return np.array(centres), np.array(means)


def partial_dependence_figure(stem, label, values, design, parameters):
    fig, axes = panel_grid(len(parameters), columns=3, width=3.6, height=3.0)
    for ax, name in zip(axes, parameters):
        x = np.asarray(design[name], dtype=float)
        ok = np.isfinite(values) & np.isfinite(x)
        x, y = x[ok], values[ok]
        ax.scatter(x, y, s=12, alpha=0.5, color="0.5", lw=0, label="design points")
        log = is_log_scaled(x)
        if len(x):
            unique = np.unique(x)
            if len(unique) <= 12:
                centres = unique
                means = np.array([y[x == u].mean() for u in unique])
            else:
                bins = int(min(12, max(3, round(math.sqrt(len(x))))))
                centres, means = binned_means(np.log10(x) if log else x, y, bins)
                centres = 10 ** centres if log else centres
            ax.plot(centres, means, color=SIMULATED_COLOUR, marker="o", lw=2, label="binned mean")
        if log:
            ax.set_xscale("log")
        ax.set_xlabel(name, fontsize=8.5)
        ax.set_ylim(0, max(0.05, float(np.nanmax(y)) * 1.1) if len(y) else 1)
    axes[0].set_ylabel(label)
    axes[0].legend(loc="best", fontsize=8)
    title = f"{label} against each swept parameter"
    fig.suptitle(title)
    fig.tight_layout()
    caption = (f"Partial dependence of {label} on each swept parameter: grey points are the design "
               "points, the line joins the means of bins holding equal numbers of points (the "
               "other parameters vary across each bin).")
    return Figure(f"partial_dependence_{stem}", fig, title, caption)


# ---- calibration ----------------------------------------------------------------------------

Prior = collections.namedtuple("Prior", "kind a b low high text")

_PRIOR_PATTERNS = [
    (re.compile(r"^log-uniform on \[([^,]+), ([^\]]+)\]"), "log-uniform"),
    (re.compile(r"^uniform on \[([^,]+), ([^\]]+)\]"), "uniform"),
    (re.compile(r"^beta\(([^,]+), ([^)]+)\) on \[([^,]+), ([^\]]+)\]"), "beta"),
    (re.compile(r"^normal\(([^,]+), ([^)]+)\) (?:restricted|truncated) to \[([^,]+), ([^\]]+)\]"), "normal"),
]


def parse_prior(text):
    """A prior as written in /abc/prior ('uniform on [0.2, 0.9]', 'beta(2, 10) on [0, 0.5]', ...),
    or a Prior of kind 'unknown' with no range."""
    for pattern, kind in _PRIOR_PATTERNS:
        m = pattern.match(text.strip())
        if m:
            numbers = [float(g) for g in m.groups()]
            if kind in ("uniform", "log-uniform"):
                return Prior(kind, math.nan, math.nan, numbers[0], numbers[1], text)
            return Prior(kind, numbers[0], numbers[1], numbers[2], numbers[3], text)
    return Prior("unknown", math.nan, math.nan, math.nan, math.nan, text)


def prior_density(prior, x):
    """The prior's density at x (per unit of x, or per unit of log10 x for a log-uniform prior)."""
    x = np.asarray(x, dtype=float)
    low, high = prior.low, prior.high
    inside = (x >= low) & (x <= high)
    if prior.kind == "uniform":
        return np.where(inside, 1.0 / (high - low), 0.0)
    if prior.kind == "log-uniform":
        return np.where(inside, 1.0 / (math.log10(high) - math.log10(low)), 0.0)
    if prior.kind == "beta":
        a, b = prior.a, prior.b
        u = np.clip((x - low) / (high - low), 1e-12, 1 - 1e-12)
        log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
        return np.where(inside, np.exp((a - 1) * np.log(u) + (b - 1) * np.log1p(-u) - log_beta) / (high - low), 0.0)
    if prior.kind == "normal":
        mean, sd = prior.a, prior.b
        cdf = [0.5 * (1 + math.erf((v - mean) / (sd * math.sqrt(2)))) for v in (low, high)]
        mass = max(cdf[1] - cdf[0], 1e-300)
        return np.where(inside, np.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi) * mass), 0.0)
    return np.full_like(x, np.nan)


def calibration_priors(f):
    names = lr.scale_values(f["/abc/prior"], 0)
    texts = lr.string_values(f["/abc/prior"])
    return names, [parse_prior(t) for t in texts]


def calibration_figures(f):
    figures = []
    if "/posterior/particles" in f:
        figures += [posterior_marginals_figure(f), posterior_pairs_figure(f)]
    if "/abc/tolerance" in f and f["/abc/tolerance"].shape[0] > 0:
        figures.append(abc_progress_figure(f))
    predictive = predictive_dataset(f)
    if predictive is not None:
        figures.append(predictive_figure(f, predictive))
    return figures


def predictive_dataset(f):
    """The posterior predictive distribution dataset (/posterior_predictive/<observable>_distribution)."""
    if "posterior_predictive" not in f:
        return None
    for name, dataset in f["posterior_predictive"].items():
        if name.endswith("_distribution"):
            return dataset
    return None


def posterior_marginals_figure(f):
    names, priors = calibration_priors(f)
    particles = f["/posterior/particles"][()]
    weights = f["/posterior/weights"][()]
    summary = f["/posterior/summary"][()] if "/posterior/summary" in f else None
    fig, axes = panel_grid(len(names), columns=3, width=3.7, height=3.0)
    for k, (ax, name, prior) in enumerate(zip(axes, names, priors)):
        x = particles[:, k]
        low, high = prior.low, prior.high
        if not (np.isfinite(low) and np.isfinite(high)):
            low, high = float(np.min(x)), float(np.max(x))
            if low == high:
                low, high = low - 0.5, high + 0.5
        log = prior.kind == "log-uniform" and low > 0
        bins = 20
        if log:
            edges = np.linspace(math.log10(low), math.log10(high), bins + 1)
            density, edges = np.histogram(np.log10(x), bins=edges, weights=weights, density=True)
            ax.stairs(density, 10 ** edges, fill=True, color=SIMULATED_COLOUR, alpha=0.75, label="posterior")
            grid = np.geomspace(low, high, 200)
            ax.set_xscale("log")
            ax.set_ylabel("density per unit of log10", fontsize=8)
        else:
            density, edges = np.histogram(x, bins=np.linspace(low, high, bins + 1), weights=weights, density=True)
            ax.stairs(density, edges, fill=True, color=SIMULATED_COLOUR, alpha=0.75, label="posterior")
            grid = np.linspace(low, high, 200)
            ax.set_ylabel("density", fontsize=8)
        prior_values = prior_density(prior, grid)
        if np.isfinite(prior_values).any():
            ax.plot(grid, prior_values, color="0.2", lw=1.4, ls="--", label="prior")
        if summary is not None:
            median, q05, q95 = summary[k]
            ax.axvline(median, color=OBSERVED_COLOUR, lw=1.8, label="median")
            ax.axvline(q05, color=OBSERVED_COLOUR, lw=1.1, ls=":", label="90% interval")
            ax.axvline(q95, color=OBSERVED_COLOUR, lw=1.1, ls=":")
        ax.set_xlim(low, high)
        ax.set_xlabel(name, fontsize=8.5)
    axes[0].legend(loc="best", fontsize=7.5)
    title = "Posterior marginals against the priors"
    caption = ("Weighted histograms of the final ABC-SMC population for each calibrated parameter, "
               "over the prior's range, with the prior density (dashed), the weighted posterior "
               "median and its 90% interval. Log-uniform priors are drawn on a log axis.")
    return finished(fig, "posterior_marginals", title, caption)


def posterior_pairs_figure(f):
    names, priors = calibration_priors(f)
    particles = f["/posterior/particles"][()]
    weights = f["/posterior/weights"][()]
    d = len(names)
    size = 2.3 if d > 2 else 3.5
    fig, axes = plt.subplots(max(1, d - 1), max(1, d - 1), figsize=(size * max(1, d - 1) + 0.8,
                                                                       size * max(1, d - 1) + 0.6), squeeze=False)
    relative = weights / weights.max() if len(weights) and weights.max() > 0 else np.ones_like(weights)
    for i in range(1, d):
        for j in range(d - 1):
            ax = axes[i - 1][j]
            if j >= i:
                ax.set_visible(False)
                continue
            ax.scatter(particles[:, j], particles[:, i], s=4 + 40 * relative, alpha=0.45,
                       color=SIMULATED_COLOUR, lw=0)
            for axis, prior, setter_scale, setter_lim in ((j, priors[j], ax.set_xscale, ax.set_xlim),
                                                          (i, priors[i], ax.set_yscale, ax.set_ylim)):
                if prior.kind == "log-uniform" and prior.low > 0:
                    setter_scale("log")
                if np.isfinite(prior.low) and np.isfinite(prior.high):
                    setter_lim(prior.low, prior.high)
            if i == d - 1:
                ax.set_xlabel(short_name(names[j]), fontsize=8)
            else:
                ax.tick_params(labelbottom=False)
            if j == 0:
                ax.set_ylabel(short_name(names[i]), fontsize=8)
            else:
                ax.tick_params(labelleft=False)
            ax.tick_params(labelsize=7)
    if d < 2:
        axes[0][0].text(0.5, 0.5, "one parameter: no pairs", ha="center", va="center")
    title = "Final population: pairs of parameters"
    caption = ("Each pair of calibrated parameters in the final ABC-SMC population; point size is "
               "proportional to the particle's weight, axes span the priors' ranges.")
    return finished(fig, "posterior_pairs", title, caption)


def abc_progress_figure(f):
    tolerance = f["/abc/tolerance"][()]
    ess = f["/abc/effective_sample_size"][()]
    acceptance = f["/abc/acceptance_rate"][()]
    generations = np.arange(len(tolerance))
    particles = f["/abc/particles"].shape[1]
    fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.3))
    finite = np.isfinite(tolerance)
    axes[0].plot(generations[finite], tolerance[finite], marker="o", color=SIMULATED_COLOUR)
    if (~finite).any():
        axes[0].text(0.98, 0.97, "infinite tolerance (prior sample):\ngeneration "
                     + ", ".join(str(g) for g in generations[~finite]), transform=axes[0].transAxes,
                     ha="right", va="top", fontsize=7.5, color="0.35")
    axes[0].set_title("tolerance")
    axes[0].set_ylim(bottom=0, top=max(1.0, float(np.max(tolerance[finite])) * 1.15) if finite.any() else 1.0)
    axes[1].plot(generations, acceptance, marker="o", color=SIMULATED_COLOUR)
    axes[1].set_yscale("log")
    axes[1].set_title("acceptance rate")
    axes[2].plot(generations, ess, marker="o", color=SIMULATED_COLOUR)
    axes[2].axhline(particles, color="0.5", ls=":", lw=1)
    axes[2].set_ylim(0, particles * 1.08)
    axes[2].set_title("effective sample size")
    for ax in axes:
        ax.set_xlabel("generation")
        ax.set_xticks(generations)
    title = "ABC-SMC progress by generation"
    caption = ("Tolerance (largest accepted distance), acceptance rate (log scale) and effective "
               "sample size of each generation; the dotted line is the number of particles.")
    return finished(fig, "abc_progress", title, caption)


def predictive_figure(f, dataset):
    distribution = dataset[()]
    counts = np.asarray(lr.scale_values(dataset, 0))
    observed = lr.observed_count(f, "/posterior_predictive/p_observed")
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    count_bars(ax, counts, distribution, observed, label="posterior predictive")
    title = "Posterior predictive check of the FIP count"
    ax.set_title(title)
    fig.tight_layout()
    caption = ("Distribution of the FIP count simulated with parameters drawn from the posterior "
               "(weighted final population)" + ("; the observed count is highlighted." if observed is not None else "."))
    return Figure("posterior_predictive", fig, title, caption)


# ---- sensitivity ----------------------------------------------------------------------------

def sensitivity_figures(f):
    method = lr.text_attr(f, "method")
    if method == "morris" or "/sensitivity/mu_star" in f:
        return morris_figures(f)
    return sobol_figures(f)


def interval_lines(ax, y, lower, upper, colour):
    """Horizontal interval lines with end caps (an interval need not contain its estimate)."""
    ax.hlines(y, lower, upper, color=colour, lw=1.2)
    ax.plot(lower, y, "|", color=colour, ms=7)
    ax.plot(upper, y, "|", color=colour, ms=7)


def sobol_figures(f):
    first = f["/sensitivity/first_order"]
    total = f["/sensitivity/total_order"][()]
    first_ci = f["/sensitivity/first_order_ci"][()]
    total_ci = f["/sensitivity/total_order_ci"][()]
    outputs = lr.scale_values(first, 0)
    parameters = lr.scale_values(first, 1)
    first = first[()]
    figures = []
    for o, output in enumerate(outputs):
        order = np.argsort(-np.nan_to_num(total[o], nan=-1))[::-1]   # largest at the top
        y = np.arange(len(parameters))
        fig, ax = plt.subplots(figsize=(8.0, 1.0 + 0.55 * len(parameters)))
        h = 0.36
        ax.barh(y + h / 2, first[o, order], h, color="#9ecae1", label="first order")
        ax.barh(y - h / 2, total[o, order], h, color="#08519c", label="total order")
        interval_lines(ax, y + h / 2, first_ci[o, order, 0], first_ci[o, order, 1], "0.35")
        interval_lines(ax, y - h / 2, total_ci[o, order, 0], total_ci[o, order, 1], "0.1")
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([parameters[i] for i in order], fontsize=8.5)
        lows = np.concatenate([first_ci[o, :, 0], total_ci[o, :, 0], first[o], total[o]])
        highs = np.concatenate([first_ci[o, :, 1], total_ci[o, :, 1], first[o], total[o]])
        ax.set_xlim(min(0.0, float(np.nanmin(lows)) - 0.05), max(1.0, float(np.nanmax(highs)) + 0.05))
        ax.set_xlabel("Sobol index")
        ax.legend(loc="lower right")
        ax.grid(axis="y", visible=False)
        title = f"Sobol indices of {output}"
        ax.set_title(title)
        fig.tight_layout()
        caption = (f"First-order (share of the variance of {output} explained by the parameter alone) "
                   "and total-order (including its interactions) Sobol indices, largest total order "
                   "at the top, with bootstrap confidence intervals.")
        figures.append(Figure(f"sobol_{slug(output)}", fig, title, caption))
    return figures


def morris_figures(f):
    mu_star = f["/sensitivity/mu_star"]
    outputs = lr.scale_values(mu_star, 0)
    parameters = lr.scale_values(mu_star, 1)
    mu_star = mu_star[()]
    ci = f["/sensitivity/mu_star_ci"][()]
    sigma = f["/sensitivity/sigma"][()]
    figures = []
    for o, output in enumerate(outputs):
        order = np.argsort(-np.nan_to_num(mu_star[o], nan=-1))[::-1]
        y = np.arange(len(parameters))
        fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 1.4 + 0.55 * len(parameters)),
                                          gridspec_kw={"width_ratios": [1.3, 1]})
        left.barh(y, mu_star[o, order], 0.6, color="#08519c")
        interval_lines(left, y, ci[o, order, 0], ci[o, order, 1], "0.2")
        left.set_yticks(y)
        left.set_yticklabels([parameters[i] for i in order], fontsize=8.5)
        left.set_xlabel("μ* (mean |elementary effect| per unit of the range)")
        left.set_xlim(left=0)
        left.grid(axis="y", visible=False)
        left.set_title("μ* with its bootstrap interval")
        right.scatter(mu_star[o], sigma[o], color="#08519c", zorder=3)
        for k, name in enumerate(parameters):
            right.annotate(short_name(name), (mu_star[o, k], sigma[o, k]), xytext=(4, 3),
                           textcoords="offset points", fontsize=7.5)
        top = float(np.nanmax(np.concatenate([mu_star[o], sigma[o]]))) * 1.15 or 1.0
        right.plot([0, top], [0, top], color="0.5", ls="--", lw=0.9, label="σ = μ*")
        right.set_xlim(0, top)
        right.set_ylim(0, top)
        right.set_xlabel("μ*")
        right.set_ylabel("σ (spread of the effects)")
        right.legend(loc="upper left")
        right.set_title("μ*–σ plane")
        title = f"Morris elementary effects on {output}"
        fig.suptitle(title)
        fig.tight_layout()
        caption = (f"Morris screening of {output}: μ* (mean absolute elementary effect, per unit of "
                   "each parameter's range) with bootstrap intervals, and μ* against σ: parameters "
                   "far from zero matter; those near or above the dashed line act non-linearly or "
                   "through interactions.")
        figures.append(Figure(f"morris_{slug(output)}", fig, title, caption))
    return figures


# ---- entry points ---------------------------------------------------------------------------

FIGURES_BY_KIND = {
    "run": run_figures,
    "sweep": sweep_figures,
    "calibration": calibration_figures,
    "sensitivity": sensitivity_figures,
}


def figures(f, kind):
    """Every figure suited to an open lwsim file of `kind`, as a list of Figure."""
    return FIGURES_BY_KIND[kind](f)


def file_stem(path):
    stem = os.path.basename(path)
    for extension in (".h5", ".hdf5", ".hdf"):
        if stem.endswith(extension):
            return stem[: -len(extension)]
    return stem


def write_figures(path, directory):
    """Writes the figures of the lwsim file `path` into `directory`; returns the PNG paths."""
    f, kind = lr.open_output(path)
    written = []
    with f:
        os.makedirs(directory, exist_ok=True)
        for figure in figures(f, kind):
            target = os.path.join(directory, f"{file_stem(path)}-{figure.name}.png")
            figure.figure.savefig(target)
            plt.close(figure.figure)
            written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="plots.py",
        description="Write PNG figures of an lwsim output file (run, sweep, calibration or sensitivity).")
    parser.add_argument("file", help="an lwsim output file (HDF5)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for the PNG files")
    args = parser.parse_args(argv)
    try:
        written = write_figures(args.file, args.output)
    except lr.NotAnOutputFile as e:
        sys.stderr.write(f"plots.py: {e}\n")
        return EXIT_BAD_INPUT
    except OSError as e:
        sys.stderr.write(f"plots.py: {e}\n")
        return EXIT_FAILURE
    for path in written:
        print(path)
    if not written:
        sys.stderr.write(f"plots.py: {args.file}: nothing to plot yet\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
