#pragma once
// Experimental designs over a model's parameters (docs/scenarios.md, *Sweep files*). A design is a
// list of points, each giving a value to every swept parameter. Designs are generated from a
// seed so the same sweep file always gives the same points; unit-cube designs (Latin
// hypercube, Sobol, random) are mapped to each parameter's range on a linear or log scale.

#include <cstdint>
#include <string>
#include <vector>

namespace sim::design {

enum class Scale { linear, log };

/// A swept parameter with its range (for lhs, sobol, random) or levels (for grid).
struct Axis {
  std::string name;
  std::vector<double> levels;  // grid
  double min = 0.0;            // ranges
  double max = 0.0;
  Scale scale = Scale::linear;
  bool integer = false;  // round mapped values to whole numbers
};

/// Values of every axis at every point: values[point][axis].
using Points = std::vector<std::vector<double>>;

/// Every combination of the axes' levels; the last axis varies fastest.
Points grid(const std::vector<Axis>& axes);

/// n points in [0,1)^d with exactly one point in each of the n strata of every dimension
/// (McKay, Beckman and Conover 1979): u = (π_j(i) + U_ij) / n with independent random
/// permutations π_j.
Points latin_hypercube_unit(std::size_t n, std::size_t d, std::uint32_t seed);

/// The first n points of Boost.Random's Sobol sequence in dimension d (1 ≤ d ≤ 3667). Boost's
/// sequence starts at (0.5, ..., 0.5): the all-zero point of index 0 is not produced, so no
/// point sits on the lower corner of the ranges. Each 64-bit coordinate is mapped to [0,1) with
/// its top 53 bits.
Points sobol_unit(std::size_t n, std::size_t d);
inline constexpr std::size_t kMaxSobolDimension = 3667;

/// n independent uniform points in [0,1)^d.
Points random_unit(std::size_t n, std::size_t d, std::uint32_t seed);

/// Maps unit-cube coordinates to each axis's range: min + u (max − min), or on a log scale
/// exp(log min + u (log max − log min)); integer axes are rounded.
Points map_to_ranges(const Points& unit, const std::vector<Axis>& axes);

double map_coordinate(double u, const Axis& axis);

}  // namespace sim::design
