#ifndef CROSSCHECK_CLAIMS_PUBLICATION_DATE_H_
#define CROSSCHECK_CLAIMS_PUBLICATION_DATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace crosscheck::claims {

// Parses a publication time: a calendar date ("2015-12-15") or an RFC 3339
// time ("2015-12-15T09:30:00Z", "2015-12-15T09:30:00+03:00"; a local time
// without offset is taken as given). Relative dates
// in the text are resolved against the day as the outlet gave it, so a
// time's own offset decides the day, not UTC.
absl::StatusOr<absl::CivilDay> ParsePublicationDay(absl::string_view text);

// Formats a day as YYYY-MM-DD.
std::string FormatDay(absl::CivilDay day);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_PUBLICATION_DATE_H_
