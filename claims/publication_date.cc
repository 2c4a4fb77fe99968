#include "claims/publication_date.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace crosscheck::claims {

absl::StatusOr<absl::CivilDay> ParsePublicationDay(absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        "publication time is empty; give YYYY-MM-DD or an RFC 3339 time");
  }
  if (text.size() == 10) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(text, &day) &&
        absl::FormatCivilTime(day) == text) {
      return day;
    }
  } else if (text.size() > 10) {
    absl::CivilDay day;
    absl::Time t;
    std::string err;
    if (absl::ParseCivilTime(text.substr(0, 10), &day) &&
        absl::FormatCivilTime(day) == text.substr(0, 10) &&
        (absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err) ||
         absl::ParseTime("%Y-%m-%dT%H:%M:%S", std::string(text), &t, &err))) {
      return day;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "publication time '", text.substr(0, 40),
      "' does not parse; give YYYY-MM-DD or an RFC 3339 time such as "
      "2015-12-15T09:30:00Z"));
}

std::string FormatDay(absl::CivilDay day) {
  // Called for every date claim: plain digits, no format parsing.
  const int64_t y = day.year();
  if (y < 0 || y > 9999) {
    return absl::StrFormat("%04d-%02d-%02d", y, day.month(), day.day());
  }
  char out[10] = {static_cast<char>('0' + y / 1000),
                  static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10),
                  static_cast<char>('0' + y % 10),
                  '-',
                  static_cast<char>('0' + day.month() / 10),
                  static_cast<char>('0' + day.month() % 10),
                  '-',
                  static_cast<char>('0' + day.day() / 10),
                  static_cast<char>('0' + day.day() % 10)};
  return std::string(out, sizeof out);
}

}  // namespace crosscheck::claims
