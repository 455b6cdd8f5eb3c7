#include "sim/design/design.hpp"

namespace sim::design {

Points grid(const std::vector<Axis>& axes) {
  std::size_t n = 1;
  for (const Axis& a : axes) n *= a.levels.size();
  Points points(n, std::vector<double>(axes.size()));
  for (std::size_t p = 0; p < n; ++p) {
    std::size_t rest = p;
    for (std::size_t k = axes.size(); k-- > 0;) {
      const std::size_t levels = axes[k].levels.size();
      points[p][k] = axes[k].levels[rest % levels];
      rest /= levels;
    }
  }
  return points;
}

}  // namespace sim::design
