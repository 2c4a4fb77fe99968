#ifndef CROSSCHECK_CLAIMS_VALUE_INTERVAL_H_
#define CROSSCHECK_CLAIMS_VALUE_INTERVAL_H_

#include <limits>

#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// Sets NumberValue.low/upper, the interval a figure stands for: a round
// figure carries its rounding ("220,000" is 215,000..225,000), "about" is
// +-5 % (or the rounding, if wider), "over"/"at least" are open above, "up
// to"/"nearly" are bounded above, a range is its two ends. `digits` says
// whether the figure was written in digits.
void SetNumberInterval(v1::NumberValue* number, bool digits);

// A closed interval on the real line; infinite ends are open.
struct Interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool Overlaps(const Interval& o) const {
    return low <= o.high && o.low <= high;
  }
};

// The interval of a numeric claim, in the base unit of its dimension.
Interval NumberInterval(const v1::NumberValue& number);

// Days since 1970-01-01 of a YYYY-MM-DD date's start and end.
Interval DateInterval(const v1::DateValue& date);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_VALUE_INTERVAL_H_
