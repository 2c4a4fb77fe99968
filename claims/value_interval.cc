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

namespace {

// Parses "YYYY-MM-DD", the form the extractor writes, without the general
// parser (this runs for every date claim each time a fact is compared);
// anything else goes to absl::ParseCivilTime.
bool ParseDay(const std::string& text, absl::CivilDay* day) {
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digit(0) &&
      digit(1) && digit(2) && digit(3) && digit(5) && digit(6) && digit(8) &&
      digit(9)) {
    auto number = [&](size_t i, size_t n) {
      int v = 0;
      for (size_t k = i; k < i + n; ++k) v = v * 10 + (text[k] - '0');
      return v;
    };
    const int year = number(0, 4), month = number(5, 2), dom = number(8, 2);
    const absl::CivilDay parsed(year, month, dom);
    // A day the calendar normalised ("2015-02-30") is not a valid date.
    if (parsed.year() == year && parsed.month() == month &&
        parsed.day() == dom) {
      *day = parsed;
      return true;
    }
    return false;
  }
  return absl::ParseCivilTime(text, day);
}

}  // namespace

Interval DateInterval(const v1::DateValue& date) {
  Interval out;
  absl::CivilDay start, end;
  const absl::CivilDay epoch(1970, 1, 1);
  if (ParseDay(date.start(), &start)) out.low = start - epoch;
  if (ParseDay(date.end(), &end)) out.high = end - epoch;
  return out;
}

}  // namespace crosscheck::claims
