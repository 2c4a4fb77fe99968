#include "claims/date_extractor.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "claims/number_parser.h"

namespace crosscheck::claims {
namespace {

using absl::CivilDay;

int WeekdayNumber(absl::string_view w) {
  // Monday = 0.
  static const auto* map = new WordMap<int>{
      {"monday", 0}, {"tuesday", 1},  {"wednesday", 2}, {"thursday", 3},
      {"friday", 4}, {"saturday", 5}, {"sunday", 6},    {"mon", 0},
      {"tue", 1},    {"tues", 1},     {"wed", 2},       {"thu", 3},
      {"thur", 3},   {"thurs", 3},    {"fri", 4},       {"sat", 5},
      {"sun", 6}};
  auto it = map->find(w);
  return it == map->end() ? -1 : it->second;
}

int WeekdayOf(CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

CivilDay MonthEnd(int year, int month) {
  return CivilDay(absl::CivilMonth(year, month) + 1) - 1;
}

const WordSet& FutureMarkers() {
  static const auto* set = new WordSet{
      "will",     "would",    "'ll",         "shall",    "plan",     "plans",
      "planned",  "planning", "scheduled",   "expected", "due",      "next",
      "upcoming", "coming",   "want",        "wants",    "hope",     "hopes",
      "intend",   "intends",  "aims",        "going",    "tomorrow", "until",
      "till",     "proposed", "forthcoming", "set"};
  return *set;
}

const WordSet& PastMarkers() {
  static const auto* set = new WordSet{
      "last",   "ago",    "earlier",   "was",      "were",    "had",
      "did",    "met",    "said",      "told",     "began",   "flew",
      "saw",    "took",   "made",      "gave",     "came",    "went",
      "held",   "left",   "fled",      "since",    "wrote",   "spoke",
      "won",    "lost",   "fell",      "rose",     "struck",  "hit",
      "killed", "died",   "yesterday", "previous", "former",  "sent",
      "shot",   "led",    "got",       "found",    "thought", "brought",
      "caught", "fought", "sold",      "paid",     "built",   "kept"};
  return *set;
}

bool LooksPastTense(const Token& t) {
  if (t.kind != TokenKind::kWord || t.lower.size() < 4) return false;
  if (!absl::EndsWith(t.lower, "ed")) return false;
  if (t.Capitalized()) return false;
  static const auto* not_verbs =
      new WordSet{"need",   "seed", "speed", "feed",  "bed",  "red",  "hundred",
                  "indeed", "shed", "bleed", "breed", "deed", "weed", "greed"};
  return !not_verbs->contains(t);
}

bool IsDeterminer(const Token& t) {
  return t.Is("a") || t.Is("an") || t.Is("the") || t.Is("its") ||
         t.Is("their") || t.Is("his") || t.Is("her") || t.Is("this");
}

bool IsClauseBreak(const Token& t) {
  return t.kind == TokenKind::kPunct &&
         (t.text == ";" || t.text == ":" || t.text == "\u2013" ||
          t.text == "\u2014" || t.text == "(" || t.text == ")");
}

// +1 future, -1 past, 0 none.
int MarkerOf(const Token& t) {
  if (t.kind != TokenKind::kWord) return 0;
  if (FutureMarkers().contains(t)) return 1;
  if (PastMarkers().contains(t) || LooksPastTense(t)) return -1;
  return 0;
}

}  // namespace

int MonthNumber(absl::string_view w, bool allow_may) {
  static const auto* map = new WordMap<int>{
      {"january", 1},  {"february", 2},  {"march", 3},     {"april", 4},
      {"june", 6},     {"july", 7},      {"august", 8},    {"september", 9},
      {"october", 10}, {"november", 11}, {"december", 12}, {"jan", 1},
      {"feb", 2},      {"mar", 3},       {"apr", 4},       {"jun", 6},
      {"jul", 7},      {"aug", 8},       {"sep", 9},       {"sept", 9},
      {"oct", 10},     {"nov", 11},      {"dec", 12}};
  if (w == "may") return allow_may ? 5 : 0;
  auto it = map->find(w);
  return it == map->end() ? 0 : it->second;
}

Direction TenseAround(const std::vector<Token>& t, const Sentence& s,
                      uint32_t first, uint32_t last) {
  // Inside a noun phrase ("a February cease-fire", "a planned January 1
  // ceasefire"), only the phrase's own words count.
  for (uint32_t k = first, steps = 0; k > s.first && steps < 3; ++steps) {
    --k;
    if (IsDeterminer(t[k])) {
      for (uint32_t m = k + 1; m < first; ++m) {
        int marker = MarkerOf(t[m]);
        if (marker > 0) return Direction::kFuture;
        if (marker < 0 && !LooksPastTense(t[m])) return Direction::kPast;
        if (marker < 0 && t[m].Is("planned")) return Direction::kFuture;
      }
      if (last < s.last && t[last].kind == TokenKind::kWord &&
          !t[last].Is("and") && !t[last].Is("in") && !t[last].Is("at")) {
        return Direction::kPast;
      }
      break;
    }
    if (t[k].kind != TokenKind::kWord || MarkerOf(t[k]) != 0) break;
  }
  // The nearest marker on either side, not across clause breaks.
  constexpr uint32_t kBack = 16;
  constexpr uint32_t kAhead = 8;
  for (uint32_t d = 1; d <= kBack; ++d) {
    if (first >= s.first + d) {
      const Token& b = t[first - d];
      if (IsClauseBreak(b)) break;
      if (int m = MarkerOf(b))
        return m > 0 ? Direction::kFuture : Direction::kPast;
    }
    if (d <= kAhead && last + d - 1 < s.last) {
      const Token& a = t[last + d - 1];
      if (!IsClauseBreak(a)) {
        if (int m = MarkerOf(a)) {
          return m > 0 ? Direction::kFuture : Direction::kPast;
        }
      }
    }
  }
  return Direction::kPast;
}

namespace {

// Words a date can start with; every other word is skipped at once.
const std::vector<absl::string_view>& DateStartWords() {
  static const auto* words = new std::vector<absl::string_view>{
      "today", "tonight", "yesterday", "tomorrow", "last", "this", "next",
      "early", "beginning", "mid", "middle", "late", "end", "in", "since",
      "during", "until", "by", "monday", "tuesday", "wednesday", "thursday",
      "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu",
      "thur", "thurs", "fri", "sat", "sun", "january", "february", "march",
      "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
      "sep", "sept", "oct", "nov", "dec", "tmrw", "coming", "previous", "first",
      "second", "third", "fourth", "fifth", "the", "christmas", "halloween",
      "thanksgiving", "easter", "independence", "new", "valentine",
      "valentine's", "saint", "st", "earth", "labor", "labour", "memorial",
      "mother's", "father's", "mothers", "fathers", "black", "cyber",
      "presidents", "presidents'", "martin", "mlk", "workers", "workers'",
      "boxing", "good", "ramadan", "ramazan", "ramzan", "ramadhan", "ramathan",
      "eid", "festival", "islamic", "hijri", "arabic",
      // Durations, days in words, bare days and nth weekdays.
      "within", "a", "an", "one", "two", "three", "four", "five", "six",
      "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
      "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
      "ninety", "few", "several", "day", "on", "for", "sixth", "seventh",
      "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
      "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
      "nineteenth", "twentieth", "thirtieth", "international", "thanks",
      "valentines", "new", "st", "father", "mother", "good"};
  return *words;
}

const WordSet& DateStarts() {
  static const auto* starts = [] {
    auto* set = new WordSet{};
    for (absl::string_view w : DateStartWords()) set->Insert(w);
    return set;
  }();
  return *starts;
}

bool CanStartDate(const Token& tok) {
  // The tokenizer looked the word up: this runs on every token.
  if (tok.Has(kDateStart)) return true;
  // "mid-September", "twenty-first", "forty-five days".
  const absl::string_view w = tok.lower;
  return tok.dash >= 3 && (DateStarts().Contains(w.substr(0, tok.dash)) ||
                           absl::StartsWith(w, "mid-"));
}

// Common words that start a date only with a date word close behind them:
// "the", "in", "last" and the like.
const WordSet& DateLeadWords() {
  static const auto* lead = new WordSet{
      "the",       "a",      "an",     "in",       "on",           "for",
      "by",        "this",   "last",   "next",     "since",        "during",
      "until",     "within", "early",  "mid",      "middle",       "late",
      "beginning", "end",    "coming", "previous", "few",          "several",
      "first",     "second", "third",  "fourth",   "fifth",        "new",
      "good",      "black",  "saint",  "st",       "international"};
  return *lead;
}

// Words that make a date of the lead words before them: numbers, months,
// weekdays, holidays, units of time.
const WordSet& DateWords() {
  static const auto* words = [] {
    auto* set = new WordSet{
        "day",     "days",      "week",  "weeks",   "weekend",   "weekends",
        "month",   "months",    "year",  "years",   "decade",    "decades",
        "century", "fortnight", "night", "morning", "afternoon", "evening",
        "hour",    "hours",     "eve",   "ago",     "year's",    "years'"};
    for (absl::string_view w : DateStartWords()) {
      if (!DateLeadWords().Contains(w)) set->Insert(w);
    }
    return set;
  }();
  return *words;
}

bool IsDateWord(const Token& tok) {
  if (tok.kind == TokenKind::kNumber) return true;
  if (tok.kind != TokenKind::kWord) return false;
  if (tok.Has(kDateWord)) return true;
  // "mid-September", "twenty-first".
  return tok.dash != 0 && CanStartDate(tok);
}

// A holiday: its words, and the rule that gives its day in a year.
struct Holiday {
  absl::string_view words[6];  // Unused slots are empty.
  bool day_optional;           // "Christmas" as well as "Christmas Day".
  enum Rule { kFixed, kNthWeekday, kEaster, kThanksgivingOffset, kHijri } rule;
  int month;   // kHijri: the month of the Islamic calendar.
  int day;     // kFixed, kHijri: day of month. kNthWeekday: Monday = 0.
  int nth;     // kNthWeekday: 1-5, or -1 for the last.
  int offset;  // kEaster and kThanksgivingOffset: days after.
};

const std::vector<Holiday>& Holidays() {
  using H = Holiday;
  static const auto* list = new std::vector<Holiday>{
      {{"christmas", "eve"}, false, H::kFixed, 12, 24, 0, 0},
      {{"christmas"}, true, H::kFixed, 12, 25, 0, 0},
      {{"boxing"}, true, H::kFixed, 12, 26, 0, 0},
      {{"new", "year", "eve"}, true, H::kFixed, 12, 31, 0, 0},
      {{"new", "years", "eve"}, true, H::kFixed, 12, 31, 0, 0},
      {{"new", "year"}, true, H::kFixed, 1, 1, 0, 0},
      {{"new", "years"}, true, H::kFixed, 1, 1, 0, 0},
      {{"independence"}, false, H::kFixed, 7, 4, 0, 0},
      {{"halloween"}, true, H::kFixed, 10, 31, 0, 0},
      {{"valentine"}, true, H::kFixed, 2, 14, 0, 0},
      {{"valentines"}, true, H::kFixed, 2, 14, 0, 0},
      {{"saint", "patrick"}, true, H::kFixed, 3, 17, 0, 0},
      {{"st", "patrick"}, true, H::kFixed, 3, 17, 0, 0},
      {{"earth"}, false, H::kFixed, 4, 22, 0, 0},
      {{"workers"}, false, H::kFixed, 5, 1, 0, 0},
      {{"international", "workers"}, false, H::kFixed, 5, 1, 0, 0},
      {{"thanksgiving"}, true, H::kNthWeekday, 11, 3, 4, 0},
      {{"thanks", "giving"}, true, H::kNthWeekday, 11, 3, 4, 0},
      {{"black", "friday"}, true, H::kThanksgivingOffset, 11, 0, 0, 1},
      {{"cyber", "monday"}, true, H::kThanksgivingOffset, 11, 0, 0, 4},
      {{"mother"}, false, H::kNthWeekday, 5, 6, 2, 0},
      {{"mothers"}, false, H::kNthWeekday, 5, 6, 2, 0},
      {{"father"}, false, H::kNthWeekday, 6, 6, 3, 0},
      {{"fathers"}, false, H::kNthWeekday, 6, 6, 3, 0},
      {{"memorial"}, false, H::kNthWeekday, 5, 0, -1, 0},
      {{"labor"}, false, H::kNthWeekday, 9, 0, 1, 0},
      {{"martin", "luther", "king"}, false, H::kNthWeekday, 1, 0, 3, 0},
      {{"mlk"}, false, H::kNthWeekday, 1, 0, 3, 0},
      {{"presidents"}, false, H::kNthWeekday, 2, 0, 3, 0},
      {{"good", "friday"}, true, H::kEaster, 0, 0, 0, -2},
      {{"easter", "monday"}, true, H::kEaster, 0, 0, 0, 1},
      {{"easter"}, true, H::kEaster, 0, 0, 0, 0},
      // Islamic holidays, by the tabular Islamic calendar; local
      // observance may differ by a day or two with the sighting of the moon.
      {{"ramadan"}, true, H::kHijri, 9, 1, 0, 0},
      {{"ramazan"}, true, H::kHijri, 9, 1, 0, 0},
      {{"ramzan"}, true, H::kHijri, 9, 1, 0, 0},
      {{"ramadhan"}, true, H::kHijri, 9, 1, 0, 0},
      {{"ramathan"}, true, H::kHijri, 9, 1, 0, 0},
      {{"eid", "al-fitr"}, true, H::kHijri, 10, 1, 0, 0},
      {{"eid", "al", "fitr"}, true, H::kHijri, 10, 1, 0, 0},
      {{"eid", "ul-fitr"}, true, H::kHijri, 10, 1, 0, 0},
      {{"festival", "of", "breaking", "the", "fast"},
       true,
       H::kHijri,
       10,
       1,
       0,
       0},
      {{"eid", "al-adha"}, true, H::kHijri, 12, 10, 0, 0},
      {{"eid", "al", "adha"}, true, H::kHijri, 12, 10, 0, 0},
      {{"eid", "ul-adha"}, true, H::kHijri, 12, 10, 0, 0},
      {{"islamic", "new", "year"}, true, H::kHijri, 1, 1, 0, 0},
      {{"hijri", "new", "year"}, true, H::kHijri, 1, 1, 0, 0},
      {{"arabic", "new", "year"}, true, H::kHijri, 1, 1, 0, 0},
  };
  return *list;
}

// Easter Sunday of a year (the Gregorian computus).
CivilDay EasterSunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4,
            f = (b + 8) / 25, g = (b - f + 1) / 3,
            h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4,
            l = (32 + 2 * e + 2 * i - h - k) % 7,
            m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31,
            day = (h + l - 7 * m + 114) % 31 + 1;
  return CivilDay(year, month, day);
}

CivilDay NthWeekday(int year, int month, int weekday, int nth) {
  if (nth > 0) {
    CivilDay first(year, month, 1);
    return first + (weekday - WeekdayOf(first) + 7) % 7 + 7 * (nth - 1);
  }
  CivilDay last = MonthEnd(year, month);
  return last - (WeekdayOf(last) - weekday + 7) % 7;
}

// A day of the tabular Islamic calendar (30-year cycle, the astronomical
// epoch of 15 July 622 Julian) as a civil day.
CivilDay HijriToCivil(int year, int month, int day) {
  const int64_t days = day + (59 * (month - 1) + 1) / 2 +
                       int64_t{year - 1} * 354 + (3 + 11 * int64_t{year}) / 30;
  // Tabular day 510412 is 2020-01-01.
  return CivilDay(2020, 1, 1) + (days - 510412);
}

// The day of a Hijri holiday nearest `pub` in the direction given: the
// last one on or before it (step < 0) or the first one on or after it.
CivilDay HijriNear(const Holiday& h, CivilDay pub, int step) {
  const int64_t since_epoch = pub - CivilDay(622, 7, 19);
  const int approx = static_cast<int>(since_epoch * 30 / 10631) + 1;
  CivilDay best;
  bool found = false;
  for (int y = approx - 2; y <= approx + 2; ++y) {
    const CivilDay d = HijriToCivil(y, h.month, h.day);
    if (step < 0 ? d > pub : d < pub) continue;
    if (!found || (step < 0 ? d > best : d < best)) best = d;
    found = true;
  }
  return best;
}

CivilDay HolidayIn(const Holiday& h, int year) {
  switch (h.rule) {
    case Holiday::kFixed:
      return CivilDay(year, h.month, h.day);
    case Holiday::kNthWeekday:
      return NthWeekday(year, h.month, h.day, h.nth);
    case Holiday::kEaster:
      return EasterSunday(year) + h.offset;
    case Holiday::kThanksgivingOffset:
      return NthWeekday(year, 11, 3, 4) + h.offset;
    case Holiday::kHijri:
      // The first one in the civil year.
      return HijriNear(h, CivilDay(year, 1, 1), 1);
  }
  return CivilDay(year, 1, 1);
}

// "million", "percent", "km": a word that makes "4.22" before it a figure.
bool IsScaleOrUnit(const Token& tok) {
  static const auto* words = new WordSet{
      "million", "billion", "trillion", "thousand", "hundred", "m",
      "bn",      "mln",     "k",        "percent",  "per",     "pct",
      "points",  "point",   "km",       "kg",       "miles",   "mi",
      "m",       "meters",  "metres",   "feet",     "ft",      "tons",
      "tonnes",  "degrees", "times",    "hours",    "years",   "days",
      "dollars", "euros"};
  return tok.kind == TokenKind::kWord && words->Contains(tok);
}

// The words a day in words starts with: ordinals, and number words
// through "thirty" ("twenty first").
const WordSet& DayWords() {
  static const auto* words = new WordSet{
      "first",     "second",      "third",      "fourth",     "fifth",
      "sixth",     "seventh",     "eighth",     "ninth",      "tenth",
      "eleventh",  "twelfth",     "thirteenth", "fourteenth", "fifteenth",
      "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
      "thirtieth", "one",         "two",        "three",      "four",
      "five",      "six",         "seven",      "eight",      "nine",
      "ten",       "eleven",      "twelve",     "thirteen",   "fourteen",
      "fifteen",   "sixteen",     "seventeen",  "eighteen",   "nineteen",
      "twenty",    "thirty",      "dozen",      "score"};
  return *words;
}

// Most words name no holiday: one lookup gives the holidays a word
// starts, in the table's order, and only those are compared.
const WordMap<std::vector<const Holiday*>>& HolidaysByFirstWord() {
  static const auto* map =
      new WordMap<std::vector<const Holiday*>>(GroupByWord<Holiday>(
          Holidays(), [](const Holiday& h) { return h.words[0]; }));
  return *map;
}

struct Finder {
  const std::vector<Token>& t;
  const Sentence& s;
  CivilDay pub;
  std::vector<DateMention> out;
  uint32_t scratch_ = 0;
  // The first date word at or after dw_from_ (s.last when there is none):
  // kept from one question of DateWordSoonAfter to the next, which ask of
  // tokens in text order, so each token is tested once a sentence.
  uint32_t dw_from_ = 0;
  uint32_t dw_at_ = 0;

  // Inlined so that each literal's length is a constant and most tests
  // end at the length comparison.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Word(uint32_t i,
                                         absl::string_view w) const {
    return i < s.last && t[i].kind == TokenKind::kWord && t[i].lower == w;
  }
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Punct(uint32_t i,
                                          absl::string_view p) const {
    return i < s.last && t[i].IsPunct(p);
  }
  // Day of month at i ("15", "1st", "13th"), or 0.
  int DayAt(uint32_t i, uint32_t* next) const {
    if (i >= s.last || t[i].kind != TokenKind::kNumber) return 0;
    int v = 0;
    if (t[i].text.size() > 2 || !absl::SimpleAtoi(t[i].text, &v)) return 0;
    if (v < 1 || v > 31) return 0;
    uint32_t j = i + 1;
    if (j < s.last && !t[j].space_before &&
        (Word(j, "st") || Word(j, "nd") || Word(j, "rd") || Word(j, "th"))) {
      ++j;
    }
    *next = j;
    return v;
  }
  int YearAt(uint32_t i, int min_year = 1800) const {
    if (i >= s.last || t[i].kind != TokenKind::kNumber ||
        t[i].text.size() != 4) {
      return 0;
    }
    int v = 0;
    if (!absl::SimpleAtoi(t[i].text, &v) || v < min_year || v > 2999) {
      return 0;
    }
    return v;
  }

  // A year after a day and month, in digits (any four-digit year: the
  // context makes it one) or in words ("nineteen seventy eight", "two
  // thousand", "seventeen hundred thirty three"). Sets *next past it.
  int FullYearAt(uint32_t i, uint32_t* next) const {
    if (int y = YearAt(i, 1000)) {
      *next = i + 1;
      return y;
    }
    if (i >= s.last || t[i].kind != TokenKind::kWord) return 0;
    // "nineteen seventy eight": two groups, centuries then years.
    auto small = [&](uint32_t k, uint32_t* after) -> int {
      if (k >= s.last) return 0;
      auto v = NumberWordValue(t[k].lower);
      if (!v || *v < 10 || *v > 99 || *v != static_cast<int>(*v)) return 0;
      int value = static_cast<int>(*v);
      *after = k + 1;
      // "seventy eight".
      if (value % 10 == 0 && value >= 20 && k + 1 < s.last) {
        auto ones = NumberWordValue(t[k + 1].lower);
        if (ones && *ones >= 1 && *ones <= 9) {
          value += static_cast<int>(*ones);
          *after = k + 2;
        }
      }
      return value;
    };
    uint32_t after = 0;
    const int century = small(i, &after);
    if (century >= 10 && century <= 29 && !Word(after, "hundred") &&
        !Word(after, "thousand")) {
      // "nineteen zero one".
      if (Word(after, "zero") || Word(after, "oh") || Word(after, "o")) {
        auto ones = after + 1 < s.last ? NumberWordValue(t[after + 1].lower)
                                       : std::nullopt;
        if (ones && *ones >= 1 && *ones <= 9) {
          *next = after + 2;
          return century * 100 + static_cast<int>(*ones);
        }
        return 0;
      }
      uint32_t end = 0;
      const int rest = small(after, &end);
      if (rest) {
        *next = end;
        return century * 100 + rest;
      }
      return 0;
    }
    // "two thousand", "seventeen hundred thirty three".
    auto parsed = ParseNumberAt(t, i, s.last);
    if (parsed && !parsed->digits && parsed->value >= 1000 &&
        parsed->value <= 2999 && parsed->qualifier == v1::QUALIFIER_EXACT) {
      *next = parsed->last;
      return static_cast<int>(parsed->value);
    }
    return 0;
  }
  // Month at i, skipping an abbreviation's dot. Sets *next past it.
  int MonthAt(uint32_t i, uint32_t* next, bool allow_may) const {
    if (i >= s.last || t[i].kind != TokenKind::kWord) return 0;
    int m = MonthNumber(t[i].lower, allow_may);
    if (m == 0) return 0;
    uint32_t j = i + 1;
    if (t[i].lower.size() <= 4 && Punct(j, ".") && !t[j].space_before) ++j;
    if (!t[i].Capitalized()) {
      // Lower case: a full name that is no common word ("may", "march"),
      // or any month name followed by a day ("jan twenty two").
      uint32_t unused;
      const bool day_follows = DayAt(j, &unused) || DayWordAt(j, &unused);
      const bool plain =
          t[i].lower.size() > 3 && !t[i].Is("may") && !t[i].Is("march");
      if (!plain && !day_follows) return 0;
    }
    *next = j;
    return m;
  }

  // A day written in words: "first", "twenty second", "twenty-first",
  // "twenty nine", "thirty first".
  int DayWordAt(uint32_t i, uint32_t* next) const {
    if (i >= s.last || t[i].kind != TokenKind::kWord) return 0;
    if (t[i].dash == 0 && !DayWords().Contains(t[i])) return 0;
    static const auto* ordinals = new WordMap<int>{
        {"first", 1},       {"second", 2},       {"third", 3},
        {"fourth", 4},      {"fifth", 5},        {"sixth", 6},
        {"seventh", 7},     {"eighth", 8},       {"ninth", 9},
        {"tenth", 10},      {"eleventh", 11},    {"twelfth", 12},
        {"thirteenth", 13}, {"fourteenth", 14},  {"fifteenth", 15},
        {"sixteenth", 16},  {"seventeenth", 17}, {"eighteenth", 18},
        {"nineteenth", 19}, {"twentieth", 20},   {"thirtieth", 30}};
    auto unit = [&](absl::string_view w) -> int {
      auto it = ordinals->find(w);
      if (it != ordinals->end()) return it->second;
      auto v = NumberWordValue(w);
      return v && *v >= 1 && *v <= 31 && *v == static_cast<int>(*v)
                 ? static_cast<int>(*v)
                 : 0;
    };
    absl::string_view w = t[i].lower;
    // "twenty-first".
    size_t dash = w.find('-');
    if (dash != std::string::npos) {
      int tens = w.substr(0, dash) == "twenty"   ? 20
                 : w.substr(0, dash) == "thirty" ? 30
                                                 : 0;
      int ones = unit(w.substr(dash + 1));
      if (tens && ones >= 1 && ones <= 9 && tens + ones <= 31) {
        *next = i + 1;
        return tens + ones;
      }
      return 0;
    }
    if ((w == "twenty" || w == "thirty") && i + 1 < s.last) {
      int ones = unit(t[i + 1].lower);
      int tens = w == "twenty" ? 20 : 30;
      if (ones >= 1 && ones <= 9 && tens + ones <= 31) {
        *next = i + 2;
        return tens + ones;
      }
    }
    int v = unit(w);
    if (v) *next = i + 1;
    return v;
  }

  void Add(uint32_t first, uint32_t last, CivilDay a, CivilDay b,
           v1::Granularity g, bool relative) {
    out.push_back(DateMention{first, last, a, b, g, relative});
  }

  // Resolves a month and day without a year by tense: the latest such day
  // not after publication, or the first not before it. February 29 looks
  // for a leap year.
  CivilDay ResolveMonthDay(int month, int day, uint32_t first, uint32_t last) {
    const Direction dir = TenseAround(t, s, first, last);
    const int step = dir == Direction::kPast ? -1 : 1;
    int year = pub.year();
    for (int n = 0; n < 8; ++n, year += step) {
      if (day > MonthEnd(year, month).day()) continue;
      CivilDay d(year, month, day);
      if (dir == Direction::kPast && d > pub) continue;
      if (dir == Direction::kFuture && d < pub) continue;
      return d;
    }
    return CivilDay(pub.year(), month, 1) - 1;  // No such day: caller drops.
  }
  int ResolveMonthYear(int month, uint32_t first, uint32_t last) {
    const Direction dir = TenseAround(t, s, first, last);
    if (dir == Direction::kPast && month > pub.month()) return pub.year() - 1;
    if (dir == Direction::kFuture && month < pub.month()) return pub.year() + 1;
    return pub.year();
  }

  // Tries the patterns at each of `starts`, the tokens a date may start
  // at, in order; a match takes the tokens up to its end.
  void Run(absl::Span<const uint32_t> starts) {
    uint32_t from = s.first;
    for (const uint32_t i : starts) {
      if (i < from) continue;
      // Lead words ("the", "in") start a date only with date words close
      // behind them, which Match would ask at the cost of a call.
      const Token& tok = t[i];
      if (tok.kind == TokenKind::kWord && tok.Has(kDateLead) &&
          (!LeadMayStartDate(i) || !DateWordSoonAfter(i, 6))) {
        continue;
      }
      const uint32_t next = Match(i);
      from = next > i ? next : i + 1;
    }
  }

  // Whether the words after the lead word at i can make a date with it,
  // for the commonest lead words; true for the others. Every pattern "the"
  // starts needs, right after it, a number, "day", a word that starts a
  // date ("next", "last", "first"), a holiday's first word ("Easter") or a
  // day in words ("twenty-first", "dozen"); "on" and "for" start only a
  // bare day ("on 21st", "for the second"). Most of these words, near the
  // end of a sentence (which counts as a date word below), are followed by
  // none.
  bool LeadMayStartDate(uint32_t i) const {
    const Token& tok = t[i];
    const bool the = tok.Is("the");
    if (!the && !tok.Is("on") && !tok.Is("for")) return true;
    auto day_word = [&](uint32_t k) {
      if (k >= s.last) return false;
      const Token& u = t[k];
      return u.kind == TokenKind::kNumber ||
             (u.kind == TokenKind::kWord &&
              (u.Has(kDateStart) || u.Has(kDayOrHoliday) || u.dash != 0 ||
               (the && u.Has(kDateWord))));
    };
    if (the) return day_word(i + 1);
    // MatchBareDay: digits right after, or "the" and a day.
    if (i + 1 >= s.last) return false;
    if (t[i + 1].kind == TokenKind::kNumber) return true;
    return t[i + 1].Is("the") && day_word(i + 2);
  }

  // Whether a date word follows token i within `window` tokens. The end
  // of the sentence counts as one: a lead word close to it is tried too.
  // Asked of lead words only, which are common ("the", "in"): the next
  // date word found is kept for the questions after.
  bool DateWordSoonAfter(uint32_t i, uint32_t window) {
    if (i + 1 >= s.last) return false;
    const uint32_t from = i + 1;
    if (from < dw_from_ || from > dw_at_) {
      // Not known: look from here to the next date word.
      uint32_t k = from;
      while (k < s.last && !IsDateWord(t[k])) ++k;
      dw_from_ = from;
      dw_at_ = k;
    }
    return dw_at_ <= i + window;
  }

  // Tries every pattern at i; returns the token after a match, or i.
  uint32_t Match(uint32_t i) {
    const Token& tok = t[i];
    if (tok.kind == TokenKind::kNumber) {
      if (uint32_t after = MatchNumeric(i); after > i) return after;
      if (uint32_t after = MatchDuration(i); after > i) return after;
      // "$12 December 27": an amount, not a day.
      if (i > s.first && !tok.space_before &&
          (t[i - 1].IsPunct("$") || t[i - 1].IsPunct("\u20AC") ||
           t[i - 1].IsPunct("\u00A3"))) {
        return i + 1;
      }
      return MatchDayFirst(i);
    }
    if (tok.kind != TokenKind::kWord || !CanStartDate(tok)) return i;
    // Most "the", "in" and "last" start no date: skip them unless a date
    // word follows closely ("in late September", "the next Easter").
    if (tok.Has(kDateLead) && !DateWordSoonAfter(i, 6)) return i;
    // The commonest lead words can start only a few of the patterns
    // below; trying just those, in the same order, gives the same answer
    // for less work. A pattern added below that can start with one of
    // these words must be added here too.
    if (tok.Has(kDateLead)) {
      if (tok.Is("the")) {  // "the day after tomorrow", "the next Easter",
                            // "the first Friday of", "the 20th of".
        if (!LeadMayStartDate(i)) return i;
        if (uint32_t after = MatchDayAfter(i); after > i) return after;
        if (uint32_t after = MatchHoliday(i); after > i) return after;
        if (uint32_t after = MatchNthWeekday(i); after > i) return after;
        return MatchDayOfRelativeMonth(i);
      }
      if (tok.Is("on") || tok.Is("for")) {
        return LeadMayStartDate(i) ? MatchBareDay(i) : i;
      }
      if (tok.Is("a") || tok.Is("an")) return MatchDuration(i);  // "a week ago"
      if (tok.Is("in")) {  // "in 3 years", "in 2014".
        if (uint32_t after = MatchDuration(i); after > i) return after;
        return MatchYearAfter(i);
      }
    }
    if (uint32_t after = MatchDuration(i); after > i) return after;
    if (uint32_t after = MatchDayAfter(i); after > i) return after;
    if (uint32_t after = MatchBareDay(i); after > i) return after;
    if (uint32_t after = MatchHoliday(i); after > i) return after;
    if (uint32_t after = MatchNthWeekday(i); after > i) return after;
    if (uint32_t after = MatchDayOfRelativeMonth(i); after > i) return after;
    // "fourth of July", "twenty second of June".
    if (DayWordAt(i, &scratch_)) {
      if (uint32_t after = MatchDayFirst(i); after > i) return after;
    }
    absl::string_view w = tok.lower;
    // Weekday, possibly followed by an absolute date ("Tuesday, Dec. 15").
    if (int wd = WeekdayNumber(w);
        wd >= 0 && (tok.Capitalized() || w.size() >= 6) &&
        (w.size() > 3 || Punct(i + 1, ".") ||
         (i + 1 < s.last && t[i + 1].kind == TokenKind::kNumber))) {
      uint32_t j = i + 1;
      if (Punct(j, ",")) ++j;
      uint32_t after = MatchMonthFirst(j, /*emit=*/true, i);
      if (after > j) return after;
      after = MatchDayFirst(j, i);
      if (after > j) return after;
      return MatchWeekday(i, wd);
    }
    // "USA TODAY" is a newspaper, not a day.
    if ((w == "today" || w == "tonight") && tok.text != "TODAY") {
      Add(i, i + 1, pub, pub, v1::GRANULARITY_DAY, true);
      return i + 1;
    }
    if (w == "yesterday") {
      Add(i, i + 1, pub - 1, pub - 1, v1::GRANULARITY_DAY, true);
      return i + 1;
    }
    if (w == "tomorrow" || w == "tmrw") {
      Add(i, i + 1, pub + 1, pub + 1, v1::GRANULARITY_DAY, true);
      return i + 1;
    }
    // "this day" is the publication day; "to this day" means "until now".
    if (w == "this" && Word(i + 1, "day") &&
        !(i > s.first && (t[i - 1].Is("to") || t[i - 1].Is("until")))) {
      Add(i, i + 2, pub, pub, v1::GRANULARITY_DAY, true);
      return i + 2;
    }
    // "this Friday" (this week's), "coming Friday", "previous Friday".
    if ((w == "this" || w == "coming" || w == "previous") && i + 1 < s.last) {
      int wd = WeekdayNumber(t[i + 1].lower);
      if (wd >= 0 && t[i + 1].lower.size() > 3) {
        const int today = WeekdayOf(pub);
        CivilDay d = pub;
        if (w == "this") {
          d = pub - today + wd;
        } else if (w == "coming") {
          int ahead = (wd - today + 7) % 7;
          d = pub + (ahead == 0 ? 7 : ahead);
        } else {
          int back = (today - wd + 7) % 7;
          d = pub - (back == 0 ? 7 : back);
        }
        Add(i, i + 2, d, d, v1::GRANULARITY_DAY, true);
        return i + 2;
      }
    }
    if ((w == "last" || w == "this" || w == "next") && i + 1 < s.last) {
      absl::string_view unit = t[i + 1].lower;
      const int step = w == "last" ? -1 : (w == "next" ? 1 : 0);
      if (unit == "night" && w == "last") {
        Add(i, i + 2, pub - 1, pub - 1, v1::GRANULARITY_DAY, true);
        return i + 2;
      }
      if (unit == "week") {
        CivilDay monday = pub - WeekdayOf(pub) + 7 * step;
        // "next week on Tuesday", "next week Wednesday": a day of it.
        uint32_t k = i + 2;
        if (Word(k, "on")) ++k;
        if (k < s.last) {
          int wd = WeekdayNumber(t[k].lower);
          if (wd >= 0 && t[k].lower.size() > 3) {
            Add(i, k + 1, monday + wd, monday + wd, v1::GRANULARITY_DAY, true);
            return k + 1;
          }
        }
        Add(i, i + 2, monday, monday + 6, v1::GRANULARITY_WEEK, true);
        return i + 2;
      }
      if (unit == "month") {
        absl::CivilMonth m = absl::CivilMonth(pub) + step;
        Add(i, i + 2, CivilDay(m), CivilDay(m + 1) - 1, v1::GRANULARITY_MONTH,
            true);
        return i + 2;
      }
      if (unit == "year") {
        int y = pub.year() + step;
        Add(i, i + 2, CivilDay(y, 1, 1), CivilDay(y, 12, 31),
            v1::GRANULARITY_YEAR, true);
        return i + 2;
      }
      if (int wd = WeekdayNumber(unit);
          wd >= 0 && t[i + 1].Capitalized() && step != 0) {
        int back = (WeekdayOf(pub) - wd + 7) % 7;
        if (back == 0) back = 7;
        int ahead = (wd - WeekdayOf(pub) + 7) % 7;
        if (ahead == 0) ahead = 7;
        CivilDay d = step < 0 ? pub - back : pub + ahead;
        Add(i, i + 2, d, d, v1::GRANULARITY_DAY, true);
        return i + 2;
      }
      uint32_t mnext = 0;
      if (int m = MonthAt(i + 1, &mnext, true); m && step != 0) {
        int y = step < 0 ? (m < pub.month() ? pub.year() : pub.year() - 1)
                         : (m > pub.month() ? pub.year() : pub.year() + 1);
        Add(i, mnext, CivilDay(y, m, 1), MonthEnd(y, m), v1::GRANULARITY_MONTH,
            true);
        return mnext;
      }
    }
    // "early/mid/late September [2014]", "mid-September".
    int part = -1;
    uint32_t mstart = i + 1;
    if (w == "early" || w == "beginning") part = 0;
    if (w == "mid" || w == "middle") part = 1;
    if (w == "late" || w == "end") part = 2;
    if (absl::StartsWith(w, "mid-") && MonthNumber(w.substr(4), true)) {
      part = 1;
      mstart = i;
    }
    if (part >= 0) {
      uint32_t j = mstart;
      if (mstart > i && (Word(j, "of"))) ++j;
      int m = 0;
      uint32_t mnext = j + 1;
      if (mstart == i) {
        m = MonthNumber(w.substr(4), true);
      } else {
        m = MonthAt(j, &mnext, true);
      }
      if (m) {
        int y = YearAt(mnext);
        uint32_t endtok = y ? mnext + 1 : mnext;
        bool relative = false;
        if (!y) {
          y = ResolveMonthYear(m, i, endtok);
          relative = true;
        }
        int lo = part == 0 ? 1 : (part == 1 ? 11 : 21);
        CivilDay hi_day =
            part == 2 ? MonthEnd(y, m) : CivilDay(y, m, part == 0 ? 10 : 20);
        Add(i, endtok, CivilDay(y, m, lo), hi_day,
            v1::GRANULARITY_PART_OF_MONTH, relative);
        return endtok;
      }
    }
    if (uint32_t after = MatchMonthFirst(i, true, i); after > i) return after;
    return MatchYearAfter(i);
  }

  // "in 2014", "since 2014": a year.
  uint32_t MatchYearAfter(uint32_t i) {
    const Token& tok = t[i];
    if ((tok.Is("in") || tok.Is("since") || tok.Is("during") ||
         tok.Is("until") || tok.Is("by")) &&
        YearAt(i + 1) &&
        !(i + 2 < s.last && t[i + 2].kind == TokenKind::kWord &&
          !t[i + 2].Capitalized() && !t[i + 2].Is("and"))) {
      int y = YearAt(i + 1);
      Add(i + 1, i + 2, CivilDay(y, 1, 1), CivilDay(y, 12, 31),
          v1::GRANULARITY_YEAR, false);
      return i + 2;
    }
    return i;
  }

  // "December 18", "Dec. 15, 2015", "September 2014", "December".
  uint32_t MatchMonthFirst(uint32_t i, bool emit, uint32_t first) {
    uint32_t j = 0;
    const bool may_ok =
        i > s.first &&
        (t[i - 1].Is("in") || t[i - 1].Is("of") || t[i - 1].Is("since") ||
         t[i - 1].Is("early") || t[i - 1].Is("late"));
    int m = MonthAt(i, &j, may_ok);
    if (!m) {
      // "May 5": a day after it makes "May" a month.
      uint32_t dn = 0;
      if (i < s.last && t[i].Capitalized() && t[i].Is("may") &&
          (DayAt(i + 1, &dn) || DayWordAt(i + 1, &dn))) {
        m = 5;
        j = i + 1;
      } else {
        return i;
      }
    }
    uint32_t dnext = 0;
    // "Oct/2", "Jan-1", "Sep-23-2020".
    if (j + 1 < s.last && !t[j].space_before &&
        (t[j].IsPunct("/") || t[j].IsPunct("-")) && !t[j + 1].space_before &&
        DayAt(j + 1, &dnext)) {
      if (dnext + 1 < s.last && t[dnext].text == t[j].text &&
          !t[dnext].space_before && YearAt(dnext + 1)) {
        const int day = DayAt(j + 1, &dnext);
        const int year = YearAt(dnext + 1);
        return emit ? AddIfValid(first, dnext + 2, year, m, day) : dnext + 2;
      }
      ++j;
    }
    int day = DayAt(j, &dnext);
    // "September the twenty-first", "May twenty nine", "Jan first".
    if (!day) {
      uint32_t k = Word(j, "the") ? j + 1 : j;
      day = DayAt(k, &dnext);
      if (!day) day = DayWordAt(k, &dnext);
    }
    if (day) {
      uint32_t k = dnext;
      if (Word(k, "of") && YearAt(k + 1)) ++k;
      if (Punct(k, ",")) ++k;
      uint32_t ynext = 0;
      int y = FullYearAt(k, &ynext);
      if (y) {
        if (emit && day <= absl::CivilDay(MonthEnd(y, m)).day()) {
          Add(first, ynext, CivilDay(y, m, day), CivilDay(y, m, day),
              v1::GRANULARITY_DAY, false);
        }
        return ynext;
      }
      if (emit) {
        CivilDay d = ResolveMonthDay(m, day, first, dnext);
        if (d.day() == day) {
          Add(first, dnext, d, d, v1::GRANULARITY_DAY, true);
        }
      }
      return dnext;
    }
    int y = YearAt(j);
    if (Punct(j, ",") && YearAt(j + 1)) {
      y = YearAt(j + 1);
      ++j;
    }
    if (y) {
      if (emit) {
        Add(first, j + 1, CivilDay(y, m, 1), MonthEnd(y, m),
            v1::GRANULARITY_MONTH, false);
      }
      return j + 1;
    }
    // A bare month: only a capitalised full name, and "May" only after a
    // preposition.
    if (t[i].lower.size() < 3 || first != i) return i;
    if (t[i].Is("may") && !may_ok) return i;
    if (emit) {
      int yr = ResolveMonthYear(m, i, j);
      Add(i, j, CivilDay(yr, m, 1), MonthEnd(yr, m), v1::GRANULARITY_MONTH,
          true);
    }
    return j;
  }

  // "13 December", "13 December 2015", "15th of May".
  uint32_t MatchDayFirst(uint32_t i, uint32_t first = UINT32_MAX) {
    if (first == UINT32_MAX) first = i;
    uint32_t dnext = 0;
    int day = DayAt(i, &dnext);
    const bool in_words = day == 0;
    if (!day) day = DayWordAt(i, &dnext);
    if (!day) return i;
    uint32_t j = dnext;
    if (Word(j, "of")) {
      ++j;
    } else if (in_words) {
      return i;  // "second" alone is no date; "second of May" is.
    }
    uint32_t mnext = 0;
    int m = MonthAt(j, &mnext, true);
    // "14 nov": after a day, a lower-case abbreviation is a month too.
    if (!m && j < s.last && t[j].kind == TokenKind::kWord && !t[j].Is("may") &&
        !t[j].Is("mar") && !t[j].Is("sun")) {
      m = MonthNumber(t[j].lower, false);
      mnext = j + 1;
    }
    if (!m) return i;
    uint32_t ynext = 0;
    int y = FullYearAt(Punct(mnext, ",") ? mnext + 1 : mnext, &ynext);
    if (y) {
      if (day <= MonthEnd(y, m).day()) {
        Add(first, ynext, CivilDay(y, m, day), CivilDay(y, m, day),
            v1::GRANULARITY_DAY, false);
      }
      return ynext;
    }
    CivilDay d = ResolveMonthDay(m, day, first, mnext);
    if (d.day() == day) Add(first, mnext, d, d, v1::GRANULARITY_DAY, true);
    return mnext;
  }

  // Numeric dates: "02/22/2016", "21/04/16", "9-18-15", "2016-10-16",
  // "2019/sep/01", "05-Aug-2016", "4/22", "Oct/2" (the last two look back).
  uint32_t MatchNumeric(uint32_t i) {
    auto sep_at = [&](uint32_t k) {
      return k < s.last && !t[k].space_before &&
             (t[k].IsPunct("/") || t[k].IsPunct("-"));
    };
    auto num = [&](uint32_t k, int* v) {
      return k < s.last && t[k].kind == TokenKind::kNumber &&
             !t[k].space_before &&
             t[k].text.find_first_of(".,") == absl::string_view::npos &&
             absl::SimpleAtoi(t[k].text, v);
    };
    int a = 0, b = 0, c = 0;
    // "20161016": a compact ISO date, when its parts are a real day.
    if (t[i].text.size() == 8 && absl::SimpleAtoi(t[i].text, &a)) {
      const int year = a / 10000, month = a / 100 % 100, day = a % 100;
      if (year >= 1900 && year <= 2099) {
        return AddIfValid(i, i + 1, year, month, day);
      }
      return i;
    }
    // "on 4.22", "in 5.12": month.day after a preposition.
    const bool after_on =
        i > s.first && (Word(i - 1, "on") || Word(i - 1, "in"));
    if (after_on && t[i].text.size() >= 3 && t[i].text.size() <= 5 &&
        t[i].text.find('.') != absl::string_view::npos &&
        !(i + 1 < s.last &&
          (t[i + 1].IsPunct("%") || IsScaleOrUnit(t[i + 1])))) {
      const size_t dot = t[i].text.find('.');
      int month = 0, day = 0;
      if (dot >= 1 && dot <= 2 && t[i].text.size() - dot - 1 <= 2 &&
          t[i].text.size() - dot - 1 >= 1 &&
          absl::SimpleAtoi(t[i].text.substr(0, dot), &month) &&
          absl::SimpleAtoi(t[i].text.substr(dot + 1), &day) && month >= 1 &&
          month <= 12 && day >= 1 && day <= 31) {
        CivilDay d = ResolveMonthDay(month, day, i, i + 1);
        if (d.day() == day) {
          Add(i, i + 1, d, d, v1::GRANULARITY_DAY, true);
          return i + 1;
        }
      }
      return i;
    }
    if (!absl::SimpleAtoi(t[i].text, &a) ||
        t[i].text.find_first_of(".,") != absl::string_view::npos) {
      return i;
    }
    if (!sep_at(i + 1)) return i;
    const absl::string_view sep = t[i + 1].text;
    uint32_t mnext = 0;
    // "2019/sep/01", "05-Aug-2016".
    int m = i + 2 < s.last && t[i + 2].kind == TokenKind::kWord
                ? MonthNumber(t[i + 2].lower, true)
                : 0;
    mnext = i + 3;
    if (m && !t[i + 2].space_before && sep_at(mnext) && num(mnext + 1, &c) &&
        t[mnext].text == sep) {
      int year = t[i].text.size() == 4 ? a : c;
      int day = t[i].text.size() == 4 ? c : a;
      if (year < 100) {
        year += 2000;
        if (year > pub.year()) year -= 100;
      }
      return AddIfValid(i, mnext + 2, year, m, day);
    }
    if (!num(i + 2, &b)) return i;
    if (sep_at(i + 3) && t[i + 3].text == sep && num(i + 4, &c)) {
      int year, month, day;
      if (t[i].text.size() == 4) {  // ISO: 2016-10-16.
        year = a, month = b, day = c;
      } else {
        year = c;
        if (t[i + 4].text.size() == 2) {
          // Two-digit years read as the latest year not after publication.
          year = 2000 + c;
          if (year > pub.year()) year -= 100;
        }
        if (t[i + 4].text.size() != 2 && t[i + 4].text.size() != 4) return i;
        if (a > 12) {
          day = a, month = b;  // 21/04/16.
        } else {
          month = a, day = b;  // 02/22/2016, and US order when ambiguous.
        }
      }
      return AddIfValid(i, i + 5, year, month, day);
    }
    // "4/22", "22/04": only with a slash, which ranges and scores never
    // use, or a dash after "on" ("on 4-22"). Not a fraction: "-4/5",
    // "2 1/4", "a 1/4 mile", "1/3 of".
    if ((sep != "/" && !(after_on && sep == "-")) || t[i].text.size() > 2 ||
        t[i + 2].text.size() > 2) {
      return i;
    }
    if (i > s.first && (t[i - 1].kind == TokenKind::kNumber ||
                        (t[i - 1].IsPunct("-") && !t[i].space_before))) {
      return i;
    }
    if (i + 3 < s.last && t[i + 3].kind == TokenKind::kWord && a < b &&
        !MonthNumber(t[i + 3].lower, false)) {
      static const auto* fraction_words = new WordSet{
          "of",     "mile",   "miles",   "inch",     "inches",     "cup",
          "cups",   "pound",  "pounds",  "teaspoon", "tablespoon", "acre",
          "acres",  "mi",     "in",      "lb",       "oz",         "ounce",
          "ounces", "gallon", "gallons", "hour",     "hours",      "percent",
          "share",  "point",  "points",  "km",       "kilometer",  "kilometre",
          "meter",  "metre",  "foot",    "feet",     "ft",         "yard",
          "yards",  "ton",    "tons",    "tonne",    "tonnes",     "liter",
          "litre"};
      if (fraction_words->Contains(t[i + 3])) return i;
    }
    int month = a > 12 ? b : a;
    int day = a > 12 ? a : b;
    if (month < 1 || month > 12 || day < 1 || day > 31) return i;
    CivilDay d = ResolveMonthDay(month, day, i, i + 3);
    if (d.day() != day) return i;
    Add(i, i + 3, d, d, v1::GRANULARITY_DAY, true);
    return i + 3;
  }

  uint32_t AddIfValid(uint32_t first, uint32_t last, int year, int month,
                      int day) {
    if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 2999) {
      return first;
    }
    if (day > MonthEnd(year, month).day()) return first;
    Add(first, last, CivilDay(year, month, day), CivilDay(year, month, day),
        v1::GRANULARITY_DAY, false);
    return last;
  }

  // One "N unit" of a duration at k: sets days/months and returns the
  // token after the unit, or k.
  uint32_t DurationPart(uint32_t k, int* days, int* months) const {
    // The unit first: it is one word, and most counts have none after them.
    if (k + 1 >= s.last) return k;
    static const auto* units =
        new WordSet{"day",   "days",       "week",   "weeks", "fortnight",
                    "month", "fortnights", "months", "year",  "years"};
    if (!units->Contains(t[k + 1])) return k;
    double count = 0;
    if (t[k].kind == TokenKind::kNumber) {
      if (!absl::SimpleAtod(t[k].text, &count)) return k;
    } else if (Word(k, "a") || Word(k, "an") || Word(k, "one")) {
      count = 1;
    } else if (Word(k, "few") || Word(k, "several")) {
      count = 3;
    } else if (k < s.last && t[k].kind == TokenKind::kWord) {
      auto v = NumberWordValue(t[k].lower);
      if (!v || *v < 1) return k;
      count = *v;
    } else {
      return k;
    }
    const uint32_t unit_at = k + 1;
    if (unit_at >= s.last) return k;
    absl::string_view unit = t[unit_at].lower;
    if (absl::EndsWith(unit, "s")) unit.remove_suffix(1);
    // Check the range before converting: a double beyond int is undefined.
    if (!(count >= 0 && count <= 10000)) return k;
    const int n = static_cast<int>(count);
    if (n != count) return k;
    if (unit == "day") {
      *days += n;
    } else if (unit == "week") {
      *days += 7 * n;
    } else if (unit == "fortnight") {
      *days += 14 * n;
    } else if (unit == "month") {
      *months += n;
    } else if (unit == "year") {
      *months += 12 * n;
    } else {
      return k;
    }
    return unit_at + 1;
  }

  static CivilDay Shift(CivilDay base, int direction, int days, int months) {
    CivilDay d = base;
    if (months) {
      absl::CivilMonth m = absl::CivilMonth(base) + direction * months;
      int day = std::min<int>(base.day(), MonthEnd(m.year(), m.month()).day());
      d = CivilDay(m.year(), m.month(), day);
    }
    return d + direction * days;
  }

  // "two days ago", "a month ago", "in 3 years", "two weeks from now",
  // "1 month and 21 days ago", "3 days after January 12th", "2 weeks
  // before May 13 1999".
  uint32_t MatchDuration(uint32_t i) {
    uint32_t k = i;
    bool in_form = false;
    if (Word(k, "in") || Word(k, "within")) {
      in_form = true;
      ++k;
    }
    int days = 0, months = 0;
    uint32_t end = DurationPart(k, &days, &months);
    if (end == k) return i;
    while (true) {
      uint32_t next = end;
      if (Word(next, "and") || Punct(next, ",")) ++next;
      uint32_t after = DurationPart(next, &days, &months);
      if (after == next) break;
      end = after;
    }
    if (in_form) {
      CivilDay d = Shift(pub, 1, days, months);
      Add(i, end, d, d, v1::GRANULARITY_DAY, true);
      return end;
    }
    int direction = 0;
    CivilDay base = pub;
    if (Word(end, "ago") || Word(end, "earlier")) {
      direction = -1;
      ++end;
    } else if (Word(end, "later") || Word(end, "hence")) {
      direction = 1;
      ++end;
    } else if (Word(end, "from") || Word(end, "after") || Word(end, "before")) {
      direction = Word(end, "before") ? -1 : 1;
      if (Word(end + 1, "now")) {
        end += 2;
      } else {
        // Anchored on another date: "from tomorrow", "after January 12th".
        const size_t found = out.size();
        uint32_t anchor_end = Match(end + 1);
        if (anchor_end <= end + 1 || out.size() != found + 1) {
          out.resize(found);
          return i;
        }
        base = out.back().start;
        out.pop_back();
        end = anchor_end;
      }
    } else {
      return i;
    }
    CivilDay d = Shift(base, direction, days, months);
    Add(i, end, d, d, v1::GRANULARITY_DAY, true);
    return end;
  }

  // "the first Friday of next month", "third Tuesday", "second Monday in
  // May": the nth weekday of a month (this month when none is named).
  uint32_t MatchNthWeekday(uint32_t i) {
    uint32_t k = Word(i, "the") ? i + 1 : i;
    static const auto* nth =
        new WordMap<int>{{"first", 1},  {"second", 2}, {"third", 3},
                         {"fourth", 4}, {"fifth", 5},  {"last", -1}};
    if (k >= s.last) return i;
    auto it = nth->find(t[k]);
    if (it == nth->end() || k + 1 >= s.last) return i;
    const int wd = WeekdayNumber(t[k + 1].lower);
    if (wd < 0 || t[k + 1].lower.size() <= 3) return i;
    uint32_t end = k + 2;
    absl::CivilMonth month(pub);
    bool named = false;
    if (Word(end, "of") || Word(end, "in")) {
      uint32_t m = end + 1;
      if ((Word(m, "this") || Word(m, "next") || Word(m, "last") ||
           Word(m, "previous")) &&
          Word(m + 1, "month")) {
        month += Word(m, "next") ? 1 : Word(m, "this") ? 0 : -1;
        end = m + 2;
        named = true;
      } else if (uint32_t mnext = 0; int mo = MonthAt(m, &mnext, true)) {
        int y = YearAt(mnext);
        month = absl::CivilMonth(y ? y : ResolveMonthYear(mo, i, mnext), mo);
        end = y ? mnext + 1 : mnext;
        named = true;
      }
    }
    // "last Friday" alone is the Friday before; only "last Friday of ..."
    // is the month's last.
    if (it->second < 0 && !named) return i;
    CivilDay d;
    if (it->second > 0) {
      CivilDay first_day(month);
      d = first_day + (wd - WeekdayOf(first_day) + 7) % 7 +
          7 * (it->second - 1);
      if (absl::CivilMonth(d) != month) return i;
    } else {
      CivilDay last_day = CivilDay(month + 1) - 1;
      d = last_day - (WeekdayOf(last_day) - wd + 7) % 7;
    }
    Add(i, end, d, d, v1::GRANULARITY_DAY, !named);
    return end;
  }

  // "the 20th of next month".
  uint32_t MatchDayOfRelativeMonth(uint32_t i) {
    uint32_t k = Word(i, "the") ? i + 1 : i;
    uint32_t dnext = 0;
    int day = DayAt(k, &dnext);
    if (!day) day = DayWordAt(k, &dnext);
    if (!day || !Word(dnext, "of")) return i;
    uint32_t m = dnext + 1;
    if (!((Word(m, "this") || Word(m, "next") || Word(m, "last") ||
           Word(m, "previous")) &&
          Word(m + 1, "month"))) {
      return i;
    }
    absl::CivilMonth month(pub);
    month += Word(m, "next") ? 1 : Word(m, "this") ? 0 : -1;
    if (day > MonthEnd(month.year(), month.month()).day()) return i;
    CivilDay d(month.year(), month.month(), day);
    Add(i, m + 2, d, d, v1::GRANULARITY_DAY, true);
    return m + 2;
  }

  // Holidays with a fixed date or rule: "Christmas Day", "Easter",
  // "Thanksgiving", "Father's Day of 2015", "the next Easter".
  uint32_t MatchHoliday(uint32_t i) {
    int step_override = 0;
    uint32_t k = i;
    if (Word(k, "the")) ++k;
    if (Word(k, "next") || Word(k, "coming")) {
      step_override = 1;
      ++k;
    } else if (Word(k, "previous") || Word(k, "last")) {
      step_override = -1;
      ++k;
    }
    if (k >= s.last) return i;
    const auto* starting = HolidaysByFirstWord().find(t[k]);
    if (starting == HolidaysByFirstWord().end()) return i;
    const Holiday* holiday = nullptr;
    uint32_t end = k;
    for (const Holiday* candidate : starting->second) {
      const Holiday& h = *candidate;
      uint32_t j = k;
      bool ok = true;
      for (int n = 0; n < 6 && !h.words[n].empty(); ++n) {
        // Possessives and apostrophes between words: "father's day",
        // "presidents' day".
        while (j < s.last &&
               (t[j].Is("'s") || t[j].IsPunct("'") || t[j].IsPunct("’"))) {
          ++j;
        }
        if (!Word(j, h.words[n])) {
          ok = false;
          break;
        }
        ++j;
      }
      if (!ok) continue;
      while (j < s.last && (t[j].Is("'s") || t[j].IsPunct("'"))) ++j;
      if (Word(j, "day")) {
        ++j;
      } else if (!h.day_optional) {
        continue;  // "earth" alone is no holiday; "Earth Day" is.
      }
      holiday = &h;
      end = j;
      break;
    }
    if (holiday == nullptr) return i;
    int year = 0;
    uint32_t y_at = Word(end, "of") ? end + 1 : end;
    if (int y = YearAt(y_at)) {
      year = y;
      end = y_at + 1;
    } else if (Word(end, "of") && Word(end + 1, "this") &&
               Word(end + 2, "year")) {
      year = pub.year();
      end += 3;
    }
    CivilDay d;
    if (year) {
      d = HolidayIn(*holiday, year);
    } else {
      Direction dir = TenseAround(t, s, i, end);
      int step =
          step_override ? step_override : (dir == Direction::kPast ? -1 : 1);
      d = HolidayIn(*holiday, pub.year());
      if (holiday->rule == Holiday::kHijri) {
        d = HijriNear(*holiday, step_override ? pub + step : pub, step);
      } else if (step < 0 && (d > pub || (step_override && d == pub))) {
        d = HolidayIn(*holiday, pub.year() - 1);
      }
      if (step > 0 && (d < pub || (step_override && d == pub))) {
        d = HolidayIn(*holiday, pub.year() + 1);
      }
    }
    Add(i, end, d, d, v1::GRANULARITY_DAY, year == 0);
    return end;
  }

  // "on the 21st", "on 29th", "for the 27": a day of the publication
  // month, or of the month before when that day has not come yet.
  uint32_t MatchBareDay(uint32_t i) {
    if (!(Word(i, "on") || Word(i, "for"))) return i;
    uint32_t k = i + 1;
    const bool the = Word(k, "the");
    if (the) ++k;
    uint32_t dnext = 0;
    int day = DayAt(k, &dnext);
    const bool suffixed = day && dnext == k + 2;
    if (!day && the) day = DayWordAt(k, &dnext);
    if (!day || (!suffixed && !the)) return i;
    // Not "the 21st century", not "on the 5th floor": the day ends the
    // phrase.
    if (dnext < s.last && t[dnext].kind == TokenKind::kWord &&
        !t[dnext].Is("and") && !t[dnext].Is("at")) {
      return i;
    }
    absl::CivilMonth m(pub);
    if (day > pub.day()) m -= 1;
    if (day > MonthEnd(m.year(), m.month()).day()) return i;
    CivilDay d(m.year(), m.month(), day);
    Add(k, dnext, d, d, v1::GRANULARITY_DAY, true);
    return dnext;
  }

  // "the day after tomorrow", "the day before yesterday".
  uint32_t MatchDayAfter(uint32_t i) {
    uint32_t k = Word(i, "the") ? i + 1 : i;
    if (!Word(k, "day")) return i;
    if (Word(k + 1, "after") &&
        (Word(k + 2, "tomorrow") || Word(k + 2, "tmrw"))) {
      Add(i, k + 3, pub + 2, pub + 2, v1::GRANULARITY_DAY, true);
      return k + 3;
    }
    if (Word(k + 1, "before") && Word(k + 2, "yesterday")) {
      Add(i, k + 3, pub - 2, pub - 2, v1::GRANULARITY_DAY, true);
      return k + 3;
    }
    return i;
  }

  uint32_t MatchWeekday(uint32_t i, int wd) {
    // "Tuesday next week", "Sunday of next week", "Friday of last week".
    {
      uint32_t k = i + 1;
      if (Word(k, "of")) ++k;
      if ((Word(k, "next") || Word(k, "last") || Word(k, "this")) &&
          Word(k + 1, "week")) {
        const int step = Word(k, "next") ? 1 : Word(k, "last") ? -1 : 0;
        CivilDay d = pub - WeekdayOf(pub) + 7 * step + wd;
        Add(i, k + 2, d, d, v1::GRANULARITY_DAY, true);
        return k + 2;
      }
      // "Friday the 15th", "Wed 13th": the nearest such date.
      k = i + 1;
      if (Punct(k, ".")) ++k;
      if (Word(k, "the")) ++k;
      uint32_t dnext = 0;
      int day = DayAt(k, &dnext);
      if (!day) day = DayWordAt(k, &dnext);
      if (day && !(dnext < s.last && MonthNumber(t[dnext].lower, true))) {
        if (Word(dnext, "of")) return i;
        // Months back from the publication date, until the day falls on
        // that weekday.
        absl::CivilMonth m(pub);
        for (int n = 0; n < 24; ++n, m -= 1) {
          if (day > MonthEnd(m.year(), m.month()).day()) continue;
          CivilDay d(m.year(), m.month(), day);
          if (d > pub) continue;
          if (WeekdayOf(d) == wd) {
            Add(i, dnext, d, d, v1::GRANULARITY_DAY, true);
            return dnext;
          }
        }
      }
    }
    uint32_t end = i + 1;
    if (end < s.last && !t[end].space_before && t[end].Is("'s")) {
      ++end;
    }
    const bool possessive = end > i + 1;
    if (Word(end, "morning") || Word(end, "afternoon") ||
        Word(end, "evening") || Word(end, "night")) {
      ++end;
    }
    const int today = WeekdayOf(pub);
    int back = (today - wd + 7) % 7;
    int ahead = (wd - today + 7) % 7;
    CivilDay d = pub;
    if (back != 0) {
      Direction dir = TenseAround(t, s, i, end);
      if (possessive && end < s.last) {
        // "Monday's comments": reports of something said or done.
        static const auto* past_nouns = new WordSet{
            "comments",     "remarks",  "statement", "attack",   "attacks",
            "announcement", "decision", "vote",      "election", "shooting",
            "bombing",      "speech",   "report",    "meeting",  "talks",
            "strike",       "strikes",  "explosion", "blast",    "killing",
            "killings"};
        if (past_nouns->contains(t[end])) dir = Direction::kPast;
      }
      d = dir == Direction::kPast ? pub - back : pub + ahead;
    }
    Add(i, end, d, d, v1::GRANULARITY_DAY, true);
    return end;
  }
};

}  // namespace

const WordSet& DateStartWordSet() { return DateStarts(); }
const WordSet& DateLeadWordSet() { return DateLeadWords(); }
const WordSet& DateWordSet() { return DateWords(); }
const WordSet& DayOrHolidayWordSet() {
  static const auto* set = [] {
    auto* words = new WordSet{};
    for (absl::string_view w : DayWords().Words()) words->Insert(w);
    for (const auto& [w, holidays] : HolidaysByFirstWord()) words->Insert(w);
    return words;
  }();
  return *set;
}

std::vector<DateMention> FindDates(const std::vector<Token>& tokens,
                                   const Sentence& s,
                                   absl::Span<const uint32_t> starts,
                                   CivilDay published) {
  Finder f{tokens, s, published, {}};
  f.Run(starts);
  return std::move(f.out);
}

}  // namespace crosscheck::claims
