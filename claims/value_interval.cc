#include "claims/value_interval.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/time/civil_time.h"
#include "claims/figure_extractor.h"
#include "claims/number_parser.h"

namespace crosscheck::claims {

void SetNumberInterval(v1::NumberValue* number, bool digits) {
  const double v = number->value();
  const double rounding = RoundingHalfWidth(v, digits);
  number->clear_low();
  number->clear_upper();
  switch (number->qualifier()) {
    case v1::QUALIFIER_EXACT:
      number->set_low(v - rounding);
      number->set_upper(v + rounding);
      break;
    case v1::QUALIFIER_ABOUT: {
      const double width = std::max(std::fabs(v) * 0.05, rounding);
      number->set_low(v - width);
      number->set_upper(v + width);
      break;
    }
    case v1::QUALIFIER_AT_LEAST:
    case v1::QUALIFIER_MORE_THAN:
      number->set_low(v);
      break;
    case v1::QUALIFIER_AT_MOST:
    case v1::QUALIFIER_LESS_THAN:
      number->set_low(0);
      number->set_upper(v);
      break;
    case v1::QUALIFIER_RANGE:
      number->set_low(v);
      number->set_upper(number->high());
      break;
    default:
      break;
  }
}

Interval NumberInterval(const v1::NumberValue& number) {
  Interval out;
  double low = number.has_low() ? number.low() : out.low;
  double high = number.has_upper() ? number.upper() : out.high;
  std::string base;
  double scale = 1;
  ToBaseUnit(number.unit(), &scale, &base);
  if (std::isfinite(low)) low *= scale;
  if (std::isfinite(high)) high *= scale;
  out.low = low;
  out.high = high;
  return out;
}

Interval DateInterval(const v1::DateValue& date) {
  Interval out;
  absl::CivilDay start, end;
  const absl::CivilDay epoch(1970, 1, 1);
  if (absl::ParseCivilTime(date.start(), &start)) out.low = start - epoch;
  if (absl::ParseCivilTime(date.end(), &end)) out.high = end - epoch;
  return out;
}

}  // namespace crosscheck::claims
