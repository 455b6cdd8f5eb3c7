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
import sys

import h5py
import numpy as np


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
        return dict(self.file.attrs)

    @property
    def scenario_toml(self):
        return self.file.attrs["scenario"]

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
