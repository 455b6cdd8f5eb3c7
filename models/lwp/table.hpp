#pragma once
// Running through a constant table of functions (the weekly schedule, the weekly series) as fast
// as if each row's call had been written out by hand.

#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>

namespace lwp {

/// Calls f(std::integral_constant<std::size_t, i>) for every row i of `table`, written out one
/// call after another, so that a row's function pointer is a constant at its call: the calls
/// are direct (and inlined) as if the table had been written as code.
template <const auto& table, class F>
constexpr void for_each_row(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(std::integral_constant<std::size_t, I>{}), ...);
  }
  (std::make_index_sequence<std::size(table)>{});
}

}  // namespace lwp
