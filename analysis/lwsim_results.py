#!/usr/bin/python3
"""Read lwsim output files (HDF5) without lwsim.

Run with Debian's Python (/usr/bin/python3), where python3-h5py and python3-numpy live.

    /usr/bin/python3 analysis/lwsim_results.py describe OUT.h5   # every dataset: shape, dims, units, meaning
    /usr/bin/python3 analysis/lwsim_results.py summary OUT.h5    # P(FIP) per practice and the FIP count

As a module:

    from lwsim_results import Results
    with Results("out.h5") as r:
        print(r.practices, r.p_fip(point=0), r.fip_count_distribution(point=0))
"""

import argparse
import math
import os
import re
import sys
import tomllib

# Files being written by lwsim hold HDF5's lock; reading them must not wait for it (docs/output.md).
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")

import h5py  # noqa: E402
import numpy as np  # noqa: E402


class Results:
    """An lwsim output file, read-only."""

    def __init__(self, path):
        self.path = path
        self.file = h5py.File(path, "r")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()

    # Provenance -----------------------------------------------------------------------------
    @property
    def attributes(self):
        """The root attributes, text as str."""
        return {name: _label(value) if isinstance(value, bytes) else value for name, value in self.file.attrs.items()}

    @property
    def scenario_toml(self):
        return text_attr(self.file, "scenario")

    # Structure ------------------------------------------------------------------------------
    @property
    def practices(self):
        return list(self.file["/practices/name"].asstr()[()])

    @property
    def points(self):
        return self.file["/status/completed"].shape[0]

    @property
    def completed(self):
        return self.file["/status/completed"][()].astype(bool)

    @property
    def is_complete(self):
        return bool(self.completed.all())

    @property
    def design(self):
        """Swept parameters: {name: values per point} (empty for a single run)."""
        if "design" not in self.file:
            return {}
        return {name: ds[()] for name, ds in self.file["design"].items()}

    def datasets(self):
        """Every dataset: (path, dataset), in file order, dimension scales excluded."""
        found = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("dims/"):
                found.append(("/" + name, obj))

        self.file.visititems(visit)
        return found

    # Summaries of one point -------------------------------------------------------------------
    def p_fip(self, point=0):
        return dict(zip(self.practices, self.file["/summary/p_fip"][point]))

    def fip_count_distribution(self, point=0):
        return self.file["/summary/fip_count_distribution"][point]

    def p_observed(self, point=0):
        """(P(count = observed), its Monte Carlo standard error), or None without observed data."""
        if "/summary/p_observed" not in self.file:
            return None
        return (float(self.file["/summary/p_observed"][point]),
                float(self.file["/summary/p_observed_se"][point]))

    def timeseries(self, name, point=0):
        """A weekly series [week, practice] (mean over replicates)."""
        return self.file["/timeseries/" + name][point]


# Any lwsim file (run, sweep, calibration, sensitivity) ------------------------------------------
# Used by analysis/plots.py and analysis/report.py, which decide what to show by the root
# attribute `kind`.

KINDS = ("run", "sweep", "calibration", "sensitivity")


class NotAnOutputFile(Exception):
    """The path does not exist, is not an HDF5 file, or is an HDF5 file that lwsim did not write."""


def open_output(path):
    """Opens an lwsim output file read-only: returns (h5py.File, kind), kind one of KINDS.

    Raises NotAnOutputFile, with a one-line message naming the path, for a missing file, a file
    that is not HDF5, and an HDF5 file without lwsim's root attributes (`lwsim_version`, `kind`).
    """
    if not os.path.exists(path):
        raise NotAnOutputFile(f"{path}: no such file")
    if os.path.isdir(path):
        raise NotAnOutputFile(f"{path}: is a directory, not an lwsim output file")
    if not h5py.is_hdf5(path):
        raise NotAnOutputFile(f"{path}: not an HDF5 file (lwsim writes HDF5 output files)")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotAnOutputFile(f"{path}: cannot be opened as HDF5: {str(e).splitlines()[0]}") from e
    kind = text_attr(f, "kind")
    if "lwsim_version" not in f.attrs or kind not in KINDS:
        f.close()
        what = f"its root attribute kind is {kind!r}" if kind else "it has no lwsim root attributes"
        raise NotAnOutputFile(f"{path}: not an lwsim output file ({what})")
    return f, kind


def text_attr(obj, name, default=""):
    """An attribute as str (h5py may return bytes for fixed-length strings), or `default`."""
    if name not in obj.attrs:
        return default
    value = obj.attrs[name]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def int_attr(obj, name, default=None):
    """An integer attribute as int, or `default`."""
    if name not in obj.attrs:
        return default
    return int(obj.attrs[name])


def dim_labels(dataset):
    """The names of a dataset's dimensions (its HDF5 dimension scales), e.g. ['point', 'week']."""
    return [d.label for d in dataset.dims]


def scale_values(dataset, axis):
    """The values of the dimension scale on `axis`: a list of str for categorical dimensions
    (practice, phase, parameter, ...), a numpy array for numbered ones, range() without a scale."""
    dim = dataset.dims[axis]
    if len(dim) == 0:
        return np.arange(dataset.shape[axis])
    scale = dim[0]
    if h5py.check_string_dtype(scale.dtype) is not None:
        return list(scale.asstr()[()])
    return scale[()]


def string_values(path_or_dataset, f=None):
    """A string dataset as a list of str."""
    dataset = f[path_or_dataset] if f is not None else path_or_dataset
    return list(dataset.asstr()[()])


def parse_toml(text):
    """A TOML text as a dict, or {} when it is empty or not valid TOML."""
    try:
        return tomllib.loads(text or "")
    except tomllib.TOMLDecodeError:
        return {}


def resolved_settings(f, attribute):
    """The settings of a sweep, calibration or sensitivity analysis from its resolved root
    attribute (`sweep`, `calibration`, `sensitivity`), as a dict.

    The attribute holds the analysis's own tables followed by '# resolved base scenario' and the
    base scenario; only the first part is parsed (the two together are not one TOML document).
    """
    text = text_attr(f, attribute)
    head = text.split("\n# resolved base scenario", 1)[0]
    return parse_toml(head)


def observed_data(f):
    """The observed-data file (root attribute `observed`) as a dict, {} without observed data."""
    return parse_toml(text_attr(f, "observed"))


_OBSERVED_IN_DESCRIPTION = re.compile(r"P\((\w+) = (-?\d+)\)")


def observed_count(f, path="/summary/p_observed"):
    """The observed FIP count, as an int, or None without observed data: read from the
    description of `path` ('P(fip_count = 3), the observed value ...'), else from `fip = N` in the
    observed-data text."""
    if path in f:
        match = _OBSERVED_IN_DESCRIPTION.search(text_attr(f[path], "description"))
        if match:
            return int(match.group(2))
    observed = observed_data(f)
    if isinstance(observed.get("fip"), int):
        return observed["fip"]
    match = re.search(r"^\s*fip\s*=\s*(\d+)", text_attr(f, "observed"), flags=re.M)
    return int(match.group(1)) if match else None


def observed_outcomes(f):
    """{practice name: "FIP" or "PIP"} from the observed-data file's [outcome] table, or {}."""
    outcome = observed_data(f).get("outcome", {})
    return {str(k): str(v) for k, v in outcome.items()} if isinstance(outcome, dict) else {}


def design_parameters(f):
    """The swept (or analysed) parameters, in the order of the design's axes."""
    names = [n for n in text_attr(f, "design_parameters").splitlines() if n.strip()]
    if not names and "design" in f:
        names = list(f["design"].keys())
    return names


def design_labels(f):
    """The design points' labels (a sweep file's `labels`), or [] without them."""
    return text_attr(f, "design_labels").split("\n") if "design_labels" in f.attrs else []


def paired_statistic(values, point, reference, statistic):
    """A statistic of the paired differences values[point, r] - values[reference, r] over
    replicates r of a [point, replicate] array: 'mean', or the 'p05' or 'p95' percentile (numpy's
    default linear interpolation, as `lwsim report`)."""
    d = np.asarray(values[point], dtype=float) - np.asarray(values[reference], dtype=float)
    if statistic == "mean":
        return float(d.mean())
    return float(np.percentile(d, {"p05": 5, "p95": 95}[statistic]))


def incremental_ratio(numerator, denominator, point, reference):
    """The mean paired difference of `numerator` over that of `denominator` (nan when the latter
    is 0), e.g. the cost per additional fully integrated practice."""
    dn = paired_statistic(numerator, point, reference, "mean")
    dd = paired_statistic(denominator, point, reference, "mean")
    return dn / dd if dd != 0 else float("nan")


def completed_points(f):
    """Boolean mask of the design points whose results are complete (all True without status)."""
    if "/status/completed" not in f:
        return None
    return f["/status/completed"][()].astype(bool)


def wilson_interval(p, n, z=1.959963984540054):
    """Wilson score interval (95% by default) of binomial proportions `p` observed in `n` trials:
    (lower, upper), arrays shaped like `p`."""
    p = np.asarray(p, dtype=float)
    if not n or n <= 0:
        return np.full_like(p, np.nan), np.full_like(p, np.nan)
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(np.clip(p * (1 - p), 0, None) / n + z * z / (4 * n * n)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def weighted_quantile(values, weights, q):
    """The q-quantile of `values` with importance `weights` (the lower weighted quantile)."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    if cumulative[-1] <= 0 or not math.isfinite(cumulative[-1]):
        return math.nan
    index = int(np.searchsorted(cumulative, q * cumulative[-1]))
    return float(values[order][min(index, len(values) - 1)])


def _label(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def describe(path, out=sys.stdout):
    with Results(path) as r:
        out.write(f"{path}: model {_label(r.file.attrs['model'])}, lwsim {_label(r.file.attrs['lwsim_version'])}, "
                  f"{int(r.completed.sum())}/{r.points} points complete\n")
        for name, ds in r.datasets():
            dims = ", ".join(d.label or "?" for d in ds.dims)
            units = _label(ds.attrs.get("units", ""))
            out.write(f"{name}  [{dims}] {ds.shape} {ds.dtype}  ({units}) {_label(ds.attrs.get('description', ''))}\n")


def summary(path, out=sys.stdout):
    with Results(path) as r:
        for point in np.flatnonzero(r.completed):
            if r.points > 1:
                out.write(f"point {point}: " + ", ".join(f"{k}={v:g}" for k, v in
                                                         ((k, v[point]) for k, v in r.design.items())) + "\n")
            for name, p in r.p_fip(point).items():
                out.write(f"  P(FIP) {name}: {p:.4f}\n")
            dist = r.fip_count_distribution(point)
            out.write("  FIP count distribution: " + " ".join(f"{k}:{p:.4f}" for k, p in enumerate(dist)) + "\n")
            observed = r.p_observed(point)
            if observed is not None:
                out.write(f"  P(count = observed) = {observed[0]:.4f} ± {observed[1]:.4f}\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["describe", "summary"])
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        {"describe": describe, "summary": summary}[args.command](args.file)
    except (OSError, KeyError) as e:
        sys.stderr.write(f"lwsim_results: {args.file}: {e}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
