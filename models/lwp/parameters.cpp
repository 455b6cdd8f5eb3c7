#include "models/lwp/parameters.hpp"

#include <stdexcept>

namespace lwp {

namespace {
constexpr sim::ParamKind REAL = sim::ParamKind::real;
constexpr sim::ParamKind INTEGER = sim::ParamKind::integer;

// Citations for the sources named in parameters.def. Numbers taken from publications are
// listed with their source in docs/sources.md (see also docs/parameters.md).
const std::vector<sim::Citation> kCitations = {
    {"chng2021",
     "Chng NR, Hawkins K, Fitzpatrick B, O'Donnell CA, Mackenzie M, Wyke S, Mercer SW. "
     "Implementing social prescribing in primary care in areas of high socioeconomic deprivation: "
     "process evaluation of the 'Deep End' community Links Worker Programme. Br J Gen Pract "
     "2021;71(713):e912-e920. doi:10.3399/BJGP.2020.1153"},
    {"mercer2017",
     "Mercer SW et al. The Glasgow 'Deep End' Links Worker Study Protocol. J Comorbidity "
     "2017;7(1):1-10. doi:10.15256/joc.2017.7.102"},
    {"mercer2019",
     "Mercer SW et al. Effectiveness of community-links practitioners in areas of high "
     "socioeconomic deprivation. Ann Fam Med 2019;17(6):518-525. doi:10.1370/afm.2429"},
    {"skivington2018",
     "Skivington K et al. Delivering a primary care-based social prescribing initiative: a "
     "qualitative study of the benefits and challenges. Br J Gen Pract 2018;68(672):e487-e494."},
    {"alliance2017",
     "Health and Social Care Alliance Scotland. National Links Worker Programme review of 2017 (news item, "
     "8 January 2018): staff in practices that had fully integrated the programme were less likely to report "
     "wanting to give up patient care within five years."},
    {"nalw2020",
     "National Association of Link Workers, survey of link workers 2020 (279 respondents): 29% "
     "considering leaving within a year, 61% without clinical supervision."},
};

std::vector<sim::ParamSpec> make_specs() {
  return {
#define LWP_PARAM(field, name, kind, def, lo, hi, unit, meaning, source) \
  sim::ParamSpec{name, kind, def, lo, hi, unit, meaning, source},
#include "models/lwp/parameters.def"
#undef LWP_PARAM
  };
}
}  // namespace

const sim::ParamTable& parameter_table() {
  static const sim::ParamTable table(make_specs(), kCitations);
  return table;
}

Parameters Parameters::from(const sim::ParamValues& values) {
  if (&values.table() != &parameter_table()) {
    throw std::logic_error("lwp::Parameters::from: values of another table");
  }
  Parameters p;
#define LWP_PARAM(field, name, kind, def, lo, hi, unit, meaning, source) \
  p.field = values[param_index(ParamId::field)];
#include "models/lwp/parameters.def"
#undef LWP_PARAM
  return p;
}

}  // namespace lwp
