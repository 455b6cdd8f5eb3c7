#include "sim/cli/paired_differences.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

namespace sim::cli {

namespace {

double mean_of(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

/// Sample covariance (n - 1 in the denominator); 0 for fewer than 2 values.
double covariance(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size();
  if (n < 2) return 0.0;
  const double ma = mean_of(a);
  const double mb = mean_of(b);
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += (a[i] - ma) * (b[i] - mb);
  return sum / static_cast<double>(n - 1);
}

std::vector<double> minus(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

/// The values of a [point, replicate] dataset at one point.
std::vector<double> at_point(const std::vector<double>& all, std::size_t point, std::size_t replicates) {
  const auto first = all.begin() + static_cast<std::ptrdiff_t>(point * replicates);
  return {first, first + static_cast<std::ptrdiff_t>(replicates)};
}

}  // namespace

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double h = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (h - static_cast<double>(below)) * (values[above] - values[below]);
}

PairedDifference paired_difference(const std::vector<double>& point, const std::vector<double>& reference) {
  const std::vector<double> d = minus(point, reference);
  PairedDifference out;
  out.reference_mean = mean_of(reference);
  out.point_mean = mean_of(point);
  out.mean = mean_of(d);
  out.standard_error = d.empty() ? 0.0 : std::sqrt(covariance(d, d) / static_cast<double>(d.size()));
  out.low = percentile(d, 0.05);
  out.high = percentile(d, 0.95);
  return out;
}

PairedRatio paired_ratio(const std::vector<double>& numerator, const std::vector<double>& denominator,
                         const std::vector<double>& reference_numerator,
                         const std::vector<double>& reference_denominator) {
  PairedRatio out;
  const auto ratio = [](double a, double b) { return b != 0.0 ? a / b : std::nan(""); };
  out.point_ratio = ratio(mean_of(numerator), mean_of(denominator));
  out.reference_ratio = ratio(mean_of(reference_numerator), mean_of(reference_denominator));
  const std::vector<double> dn = minus(numerator, reference_numerator);
  const std::vector<double> dd = minus(denominator, reference_denominator);
  const double x = mean_of(dn);
  const double y = mean_of(dd);
  out.numerator_difference = x;
  out.denominator_difference = y;
  if (y == 0.0) return out;
  out.incremental_defined = true;
  out.incremental = x / y;
  // Delta method: Var(x / y) = (Var x - 2 r Cov(x, y) + r^2 Var y) / y^2 with r = x / y, the
  // variances and covariance of the means (sample moments / n).
  const auto n = static_cast<double>(dn.size());
  const double var_x = covariance(dn, dn) / n;
  const double var_y = covariance(dd, dd) / n;
  const double cov = covariance(dn, dd) / n;
  if (std::fabs(y) <= kZ90 * std::sqrt(var_y)) return out;  // y's interval includes 0
  const double r = out.incremental;
  const double se = std::sqrt(std::max(0.0, var_x - 2.0 * r * cov + r * r * var_y)) / std::fabs(y);
  out.interval_defined = true;
  out.low = r - kZ90 * se;
  out.high = r + kZ90 * se;
  return out;
}

std::string point_label(const output::DesignInfo& design, std::size_t point) {
  return point < design.labels.size() ? design.labels[point] : fmt::format("point {}", point);
}

std::optional<Comparison> compare_with_reference(const output::ResultFile& file,
                                                 const StoredResults& stored) {
  const output::DesignInfo& design = stored.design;
  if (design.reference < 0) return std::nullopt;
  const auto reference = static_cast<std::size_t>(design.reference);
  if (reference >= stored.status.size() || stored.status[reference] == 0) return std::nullopt;
  const std::size_t points = stored.status.size();
  const std::size_t replicates = stored.scenario.replicates;

  Comparison comparison;
  comparison.reference = reference;
  comparison.reference_label = point_label(design, reference);
  comparison.replicates = replicates;
  std::map<std::string, std::vector<double>> values;  // [point, replicate] of each scalar field
  const auto read = [&](const std::string& path) -> const std::vector<double>& {
    auto it = values.find(path);
    if (it == values.end()) it = values.emplace(path, file.read_doubles(path, points * replicates)).first;
    return it->second;
  };
  for (std::size_t p = 0; p < points; ++p) {
    if (p == reference || stored.status[p] == 0) continue;
    PointComparison pc;
    pc.point = p;
    pc.label = point_label(design, p);
    for (const FieldSpec& field : stored.schema.fields) {
      if (!field.dims.empty() || !stored.layout.contains(field.path)) continue;
      // The posterior particle a replicate drew is the same at every point: no outcome.
      if (stored.posterior &&
          field.path == stored.schema.fields[stored.posterior->particle_field.index()].path)
        continue;
      const std::vector<double>& all = read(field.path);
      PairedDifference d =
          paired_difference(at_point(all, p, replicates), at_point(all, reference, replicates));
      d.quantity = field.description;
      d.path = field.path;
      d.units = field.units;
      pc.differences.push_back(std::move(d));
    }
    for (const RatioSpec& spec : stored.schema.ratios) {
      if (!stored.layout.contains(spec.numerator) || !stored.layout.contains(spec.denominator)) continue;
      const std::vector<double>& num = read(spec.numerator);
      const std::vector<double>& den = read(spec.denominator);
      PairedRatio r =
          paired_ratio(at_point(num, p, replicates), at_point(den, p, replicates),
                       at_point(num, reference, replicates), at_point(den, reference, replicates));
      r.name = spec.name;
      r.incremental_name = spec.incremental_name;
      r.units = spec.units;
      pc.ratios.push_back(std::move(r));
    }
    comparison.points.push_back(std::move(pc));
  }
  return comparison;
}

std::string format_quantity(double value, const std::string& units, int decimals) {
  if (std::isnan(value)) return "n/a";
  if (units.rfind("GBP", 0) == 0) {
    const double magnitude = std::fabs(value);
    const std::string sign = value < 0.0 ? "-" : "";
    if (magnitude >= 1e6) return fmt::format("{}£{:.1f}m", sign, magnitude / 1e6);
    if (magnitude >= 1e4) return fmt::format("{}£{:.0f}k", sign, magnitude / 1e3);
    return fmt::format("{}£{:.0f}", sign, magnitude);
  }
  return fmt::format("{:.{}f} {}", value, decimals, units);
}

}  // namespace sim::cli
