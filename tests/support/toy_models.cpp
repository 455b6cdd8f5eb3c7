#include "tests/support/toy_models.hpp"

#include <cmath>
#include <numbers>
#include <ostream>

#include "models/lwp/model.hpp"
#include "sim/error.hpp"
#include "sim/random.hpp"

namespace lwsim_test {
namespace {

class Counter final : public sim::Workspace {
 public:
  std::uint64_t calls = 0;
  [[nodiscard]] std::uint64_t philox_calls() const noexcept override { return calls; }
};

class ToySetup final : public sim::ModelSetup {
 public:
  std::int64_t trials = 20;
};

struct BinomialOutputs {
  sim::OutputSchema schema;
  sim::FieldId<std::int32_t> k;
  sim::AccumulatorId mean_k;
};

BinomialOutputs binomial_outputs(std::int64_t trials) {
  BinomialOutputs b;
  b.k = sim::SchemaGroup(b.schema, "/results").field<std::int32_t>("k", {}, "successes", "1");
  b.mean_k =
      sim::SchemaGroup(b.schema, "/summary").accumulator("mean_k", {}, "mean successes", "1", sim::counts());
  (void)b.schema.add_observable("k", b.k, 0, trials, "successes", "mean k / n", true);
  b.schema.check();
  return b;
}

/// k ~ Binomial(trials, p), from `trials` Bernoulli draws of the replicate's stream.
class BinomialSimulation final : public sim::Simulation {
 public:
  BinomialSimulation(double p, std::int64_t trials)
      : p_(p), trials_(trials), outputs_(binomial_outputs(trials)) {}
  [[nodiscard]] std::unique_ptr<sim::Workspace> make_workspace() const override {
    return std::make_unique<Counter>();
  }
  void run_replicate(sim::StreamKey key, const sim::ReplicateOutput& out, sim::Workspace& ws) const override {
    sim::Stream s(key, {0, 0, 1}, &static_cast<Counter&>(ws).calls);
    std::int32_t k = 0;
    for (std::int64_t i = 0; i < trials_; ++i) k += sim::random::bernoulli(s, p_) ? 1 : 0;
    out.field(outputs_.k)[0] = k;
    out.accumulator(outputs_.mean_k).add_count(0, k);
  }

 private:
  double p_;
  std::int64_t trials_;
  BinomialOutputs outputs_;
};

class BinomialModel final : public sim::Model {
 public:
  BinomialModel()
      : table_({{"binomial.p", sim::ParamKind::real, 0.5, 0.0, 1.0, "probability", "success probability",
                 "assumption"},
                {"binomial.scale", sim::ParamKind::real, 1.0, 0.0, 1.0, "1",
                 "a switch for model choice: the success probability is scale x p", "assumption"}},
               {}) {}
  [[nodiscard]] std::string_view name() const override { return "binomial"; }
  [[nodiscard]] std::string_view description() const override { return "k successes in n trials"; }
  [[nodiscard]] std::string_view results_version() const override { return "binomial-1"; }
  [[nodiscard]] const sim::ParamTable& parameters() const override { return table_; }
  [[nodiscard]] std::vector<std::string> scenario_sections() const override { return {"binomial"}; }
  [[nodiscard]] std::shared_ptr<const sim::ModelSetup> configure(
      const sim::config::Value& root) const override {
    auto setup = std::make_shared<ToySetup>();
    if (const auto* b = root.find("binomial")) {
      b->expect_keys({"trials"});
      setup->trials = b->at("trials").as_integer();
      if (setup->trials < 1 || setup->trials > 1000) b->at("trials").fail("trials must be 1 to 1000");
    }
    return setup;
  }
  [[nodiscard]] sim::OutputSchema schema(const sim::ModelSetup& s) const override {
    return binomial_outputs(static_cast<const ToySetup&>(s).trials).schema;
  }
  [[nodiscard]] std::unique_ptr<const sim::Simulation> prepare(
      const std::shared_ptr<const sim::ModelSetup>& s, const sim::ParamValues& v) const override {
    return std::make_unique<BinomialSimulation>(v[0] * v[1], static_cast<const ToySetup&>(*s).trials);
  }
  [[nodiscard]] sim::Observation read_observation(const sim::config::Value& doc,
                                                  const sim::ModelSetup& s) const override {
    doc.expect_keys({"source", "k"});
    sim::Observation obs;
    obs.source = doc.at("source").as_string();
    const std::int64_t k = doc.at("k").as_integer();
    if (k < 0 || k > static_cast<const ToySetup&>(s).trials)
      doc.at("k").fail("k must be between 0 and the trials");
    obs.values.emplace_back("k", k);
    return obs;
  }
  void describe(const sim::ModelSetup&, const sim::PointSummary& summary, const sim::Observation*,
                std::ostream& out) const override {
    out << "mean k " << summary.at("/summary/mean_k")[0] << "\n";
  }

 private:
  sim::ParamTable table_;
};

struct IshigamiOutputs {
  sim::OutputSchema schema;
  sim::FieldId<double> y;
  sim::AccumulatorId mean_y;
};

IshigamiOutputs ishigami_outputs() {
  IshigamiOutputs i;
  i.y = sim::SchemaGroup(i.schema, "/results").field<double>("y", {}, "Y", "1");
  i.mean_y = sim::SchemaGroup(i.schema, "/summary").accumulator("y", {}, "mean Y", "1");
  i.schema.check();
  return i;
}

/// Y = sin x1 + a sin² x2 + b x3⁴ sin x1, a = 7, b = 0.1 (Ishigami and Homma 1990).
class IshigamiSimulation final : public sim::Simulation {
 public:
  IshigamiSimulation(double x1, double x2, double x3) : x1_(x1), x2_(x2), x3_(x3) {}
  [[nodiscard]] std::unique_ptr<sim::Workspace> make_workspace() const override {
    return std::make_unique<Counter>();
  }
  void run_replicate(sim::StreamKey, const sim::ReplicateOutput& out, sim::Workspace&) const override {
    const double y =
        std::sin(x1_) + 7.0 * std::sin(x2_) * std::sin(x2_) + 0.1 * std::pow(x3_, 4) * std::sin(x1_);
    out.field(outputs_.y)[0] = y;
    out.accumulator(outputs_.mean_y).add(0, y);
  }

 private:
  double x1_, x2_, x3_;
  IshigamiOutputs outputs_ = ishigami_outputs();
};

class IshigamiModel final : public sim::Model {
 public:
  IshigamiModel()
      : table_({{"ishigami.x1", sim::ParamKind::real, 0.0, -std::numbers::pi, std::numbers::pi, "1",
                 "input 1", "assumption"},
                {"ishigami.x2", sim::ParamKind::real, 0.0, -std::numbers::pi, std::numbers::pi, "1",
                 "input 2", "assumption"},
                {"ishigami.x3", sim::ParamKind::real, 0.0, -std::numbers::pi, std::numbers::pi, "1",
                 "input 3", "assumption"}},
               {}) {}
  [[nodiscard]] std::string_view name() const override { return "ishigami"; }
  [[nodiscard]] std::string_view description() const override { return "the Ishigami function"; }
  [[nodiscard]] std::string_view results_version() const override { return "ishigami-1"; }
  [[nodiscard]] const sim::ParamTable& parameters() const override { return table_; }
  [[nodiscard]] std::vector<std::string> scenario_sections() const override { return {}; }
  [[nodiscard]] std::shared_ptr<const sim::ModelSetup> configure(const sim::config::Value&) const override {
    return std::make_shared<ToySetup>();
  }
  [[nodiscard]] sim::OutputSchema schema(const sim::ModelSetup&) const override {
    return ishigami_outputs().schema;
  }
  [[nodiscard]] std::unique_ptr<const sim::Simulation> prepare(const std::shared_ptr<const sim::ModelSetup>&,
                                                               const sim::ParamValues& v) const override {
    return std::make_unique<IshigamiSimulation>(v[0], v[1], v[2]);
  }
  [[nodiscard]] sim::Observation read_observation(const sim::config::Value& doc,
                                                  const sim::ModelSetup&) const override {
    doc.fail("the Ishigami model has no observations");
  }
  void describe(const sim::ModelSetup&, const sim::PointSummary& summary, const sim::Observation*,
                std::ostream& out) const override {
    out << "mean Y " << summary.at("/summary/y")[0] << "\n";
  }

 private:
  sim::ParamTable table_;
};

}  // namespace

const sim::ModelRegistry& toy_registry() {
  static const sim::ModelRegistry registry = [] {
    sim::ModelRegistry r;
    lwp::register_model(r);
    r.add(std::make_unique<BinomialModel>());
    r.add(std::make_unique<IshigamiModel>());
    return r;
  }();
  return registry;
}

}  // namespace lwsim_test
