#ifndef CROSSCHECK_CLAIMS_DATE_EXTRACTOR_H_
#define CROSSCHECK_CLAIMS_DATE_EXTRACTOR_H_

#include <cstdint>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "claims/tokenizer.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// A date or date range found in a sentence, resolved to days.
struct DateMention {
  uint32_t first = 0;  // Tokens [first, last).
  uint32_t last = 0;
  absl::CivilDay start;
  absl::CivilDay end;  // Inclusive.
  v1::Granularity granularity = v1::GRANULARITY_DAY;
  // Resolved against the publication date.
  bool relative = false;
};

// Whether an underspecified date ("Friday", "December 18", "early
// January") points back or forward from the publication date.
enum class Direction { kPast, kFuture };

// Reads the tense around tokens [first, last) of the sentence: the nearest
// marker wins ("planned", "will", "next" look forward; "last", "ago", past
// tense verbs look back); with none, news speaks of the past. A date inside
// a noun phrase ("a February cease-fire") only reads markers inside it.
Direction TenseAround(const std::vector<Token>& tokens, const Sentence& s,
                      uint32_t first, uint32_t last);

// Finds every date of the sentence: absolute ("Dec. 15, 2015", "13
// December", "September 2014"), relative ("on Tuesday", "last Friday",
// "Monday's comments", "last week", "tomorrow") and parts of months ("late
// September"), resolved against `published`. `starts` are the sentence's
// entries of TokenizedText::date_starts, the only tokens a date may start
// at.
std::vector<DateMention> FindDates(const std::vector<Token>& tokens,
                                   const Sentence& s,
                                   absl::Span<const uint32_t> starts,
                                   absl::CivilDay published);

// The words behind WordClass kDateStart, kDateLead and kDateWord.
const WordSet& DateStartWordSet();
const WordSet& DateLeadWordSet();
const WordSet& DateWordSet();
// The words behind WordClass kDayOrHoliday: those a day in words
// ("twenty first", "dozen") or a holiday's name ("Easter Sunday") starts
// with.
const WordSet& DayOrHolidayWordSet();

// Month number (1-12) of a month name or abbreviation, or 0. "may" counts
// only when `allow_may`.
int MonthNumber(absl::string_view lower, bool allow_may);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_DATE_EXTRACTOR_H_
