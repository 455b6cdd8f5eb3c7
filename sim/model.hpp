#pragma once
// The contract between the engine and a model. A model is registered by name and
// supplies its parameter table, how to read its parts of a scenario, what it writes, and how to
// simulate one replicate of one design point. The engine supplies everything else: scenario
// files, designs, parallel execution, random streams, output, resume, merge and distribution.
// Nothing in sim/ knows what a practice or a link worker is.

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/block.hpp"
#include "sim/config/value.hpp"
#include "sim/params.hpp"
#include "sim/rng.hpp"
#include "sim/schema.hpp"

namespace sim {

/// The model-specific, immutable part of a scenario (for lwp: the practices and the evaluation
/// windows). Shared read-only by every thread.
class ModelSetup {
 public:
  virtual ~ModelSetup() = default;
};

/// Scratch state one thread reuses from replicate to replicate, so that the weekly step does not
/// allocate.
class Workspace {
 public:
  virtual ~Workspace() = default;
  /// Set by the engine for `--check` runs: the model verifies its state invariants as it steps
  /// and throws InvariantError at the first that does not hold. Checking must not change results.
  bool check_invariants = false;
  /// Philox calls made since the workspace was created (for `lwsim bench`).
  [[nodiscard]] virtual std::uint64_t philox_calls() const noexcept = 0;
};

/// One design point ready to run: resolved parameters turned into the model's own types.
/// Immutable and shared by all threads; run_replicate must depend only on its arguments.
class Simulation {
 public:
  virtual ~Simulation() = default;
  [[nodiscard]] virtual std::unique_ptr<Workspace> make_workspace() const = 0;
  virtual void run_replicate(StreamKey key, const ReplicateOutput& out, Workspace& ws) const = 0;
};

/// How a pattern was observed (docs/scenarios.md, *Patterns*): a count or a proportion with a
/// value, the sign of a difference, or an interval the statistic lies in.
enum class PatternKind : std::uint8_t { count, proportion, sign, interval };

/// What an evaluation observed of one of the model's patterns (OutputSchema::patterns), read from
/// an observed-data file's [[pattern]] table.
struct ObservedPattern {
  std::string name;  // the model's pattern
  PatternKind kind = PatternKind::count;
  double observed = 0.0;   // count, proportion: the observed value
  double low = 0.0;        // sign, interval: the statistic lies in [low, high]
  double high = 0.0;       //   (a positive sign is [0, inf], a negative one [-inf, 0])
  double tolerance = 0.0;  // count, proportion: a difference up to this is no distance
  double weight = 1.0;     // its weight in a calibration's distance
  std::string source;      // the sentence of the source it encodes
  std::string file;        // where it is written
  int line = 0;

  /// How far a simulated value is from the observation: 0 where it agrees, +inf for NaN (a
  /// statistic that is undefined at the point).
  [[nodiscard]] double distance(double simulated) const;
  /// What was observed, in words: "> 0", "< 0", "in [0, 0.5]", "= 3", "= 0.25 ± 0.05".
  [[nodiscard]] std::string expectation() const;
  [[nodiscard]] std::string_view kind_name() const;
};

/// An observed value of an observable (docs/scenarios.md, *Observed data*), e.g. fip_count = 3.
struct Observation {
  std::string file;    // where it was read from
  std::string source;  // the citation
  std::string text;    // the file's text, kept as provenance
  std::vector<std::pair<std::string, std::int64_t>> values;
  /// Observed categories of named entities, e.g. ("Magenta", "FIP").
  std::vector<std::pair<std::string, std::string>> labels;
  /// Observed patterns, in file order.
  std::vector<ObservedPattern> patterns;

  [[nodiscard]] const std::int64_t* find(std::string_view observable) const;
};

/// The summaries of one design point, by output path, as the engine writes them.
struct PointSummary {
  std::uint64_t replicates = 0;
  std::map<std::string, std::vector<double>> arrays;

  [[nodiscard]] const std::vector<double>& at(const std::string& path) const;
  /// The summary of one of the schema's accumulators (mean over replicates, or ratio of sums).
  [[nodiscard]] const std::vector<double>& at(const OutputSchema& schema, AccumulatorId accumulator) const;
  [[nodiscard]] bool contains(const OutputSchema& schema, AccumulatorId accumulator) const;
  /// P(value = v), v = 0..max_value, of a summarised observable of the schema.
  [[nodiscard]] const std::vector<double>& distribution(const OutputSchema& schema,
                                                        ObservableId observable) const;
};

/// A parameter whose value the model's setup replaces with one of its own for part of the
/// population (lwp: a [[locality]] with its own team_quality_mean). There the parameter is not
/// used, so a study that varies it would change nothing there.
struct ParamOverride {
  std::size_t parameter = 0;  // index in the model's parameter table
  std::string scope;          // whom it applies to, e.g. "locality 'North'"
  std::string file;           // where the override is written
  int line = 0;
  std::string key;
};

class Model {
 public:
  virtual ~Model() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::string_view description() const = 0;
  /// Changes whenever the model's results for the same inputs change; a file written by another
  /// results version cannot be resumed or merged.
  [[nodiscard]] virtual std::string_view results_version() const = 0;
  [[nodiscard]] virtual const ParamTable& parameters() const = 0;
  /// Top-level scenario keys the model reads besides the engine's own.
  [[nodiscard]] virtual std::vector<std::string> scenario_sections() const = 0;

  /// Reads and validates the model's sections of a scenario document.
  [[nodiscard]] virtual std::shared_ptr<const ModelSetup> configure(const config::Value& scenario) const = 0;
  /// Constraints between parameters that single ranges cannot express (InputError otherwise).
  virtual void check(const ModelSetup& setup, const ParamValues& values) const;
  /// The parameters the setup overrides for part of the population (none by default).
  [[nodiscard]] virtual std::vector<ParamOverride> overrides(const ModelSetup& setup) const;
  [[nodiscard]] virtual OutputSchema schema(const ModelSetup& setup) const = 0;
  [[nodiscard]] virtual std::unique_ptr<const Simulation> prepare(
      const std::shared_ptr<const ModelSetup>& setup, const ParamValues& values) const = 0;

  /// Reads an observed-data file and checks it against the setup.
  [[nodiscard]] virtual Observation read_observation(const config::Value& document,
                                                     const ModelSetup& setup) const = 0;
  /// The plain-text summary of one point printed by `lwsim run` and `lwsim report`.
  virtual void describe(const ModelSetup& setup, const PointSummary& summary, const Observation* observed,
                        std::ostream& out) const = 0;
};

/// Reads observed data: the model's read_observation, then the [[pattern]] tables (which the
/// model's reader lets through), each checked against the model's patterns.
Observation read_observed(const Model& model, const config::Value& document, const ModelSetup& setup);

/// A sweep, sensitivity analysis or calibration varies parameter `index`, written at `where`: an
/// InputError there when the setup overrides the parameter somewhere, naming whom and where,
/// since varying it would silently change nothing for them.
void refuse_overridden(const Model& model, const ModelSetup& setup, std::size_t index,
                       const std::string& file, int line, const std::string& key);
void refuse_overridden(const Model& model, const ModelSetup& setup, std::size_t index,
                       const config::Value& where);

}  // namespace sim
