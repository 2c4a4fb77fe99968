#include "claims/date_extractor.h"

#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace crosscheck::claims {
namespace {

using absl::CivilDay;

int WeekdayNumber(absl::string_view w) {
  // Monday = 0.
  static const auto* map = new absl::flat_hash_map<std::string, int>{
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

const absl::flat_hash_set<std::string>& FutureMarkers() {
  static const auto* set = new absl::flat_hash_set<std::string>{
      "will",     "would",    "'ll",         "shall",    "plan",     "plans",
      "planned",  "planning", "scheduled",   "expected", "due",      "next",
      "upcoming", "coming",   "want",        "wants",    "hope",     "hopes",
      "intend",   "intends",  "aims",        "going",    "tomorrow", "until",
      "till",     "proposed", "forthcoming", "set"};
  return *set;
}

const absl::flat_hash_set<std::string>& PastMarkers() {
  static const auto* set = new absl::flat_hash_set<std::string>{
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
  static const auto* not_verbs = new absl::flat_hash_set<std::string>{
      "need",   "seed", "speed", "feed",  "bed",  "red",  "hundred",
      "indeed", "shed", "bleed", "breed", "deed", "weed", "greed"};
  return !not_verbs->contains(t.lower);
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
  if (FutureMarkers().contains(t.lower)) return 1;
  if (PastMarkers().contains(t.lower) || LooksPastTense(t)) return -1;
  return 0;
}

}  // namespace

int MonthNumber(absl::string_view w, bool allow_may) {
  static const auto* map = new absl::flat_hash_map<std::string, int>{
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
bool CanStartDate(const Token& tok) {
  // One lookup per word: this runs on every token of every document.
  static const auto* starts = new WordSet{
      "today",    "tonight",   "yesterday", "tomorrow", "last",     "this",
      "next",     "early",     "beginning", "mid",      "middle",   "late",
      "end",      "in",        "since",     "during",   "until",    "by",
      "monday",   "tuesday",   "wednesday", "thursday", "friday",   "saturday",
      "sunday",   "mon",       "tue",       "tues",     "wed",      "thu",
      "thur",     "thurs",     "fri",       "sat",      "sun",      "january",
      "february", "march",     "april",     "may",      "june",     "july",
      "august",   "september", "october",   "november", "december", "jan",
      "feb",      "mar",       "apr",       "jun",      "jul",      "aug",
      "sep",      "sept",      "oct",       "nov",      "dec"};
  const std::string& w = tok.lower;
  return starts->Contains(w) ||
         (w.size() > 4 && w[3] == '-' && absl::StartsWith(w, "mid-"));
}

struct Finder {
  const std::vector<Token>& t;
  const Sentence& s;
  CivilDay pub;
  std::vector<DateMention> out;

  bool Word(uint32_t i, absl::string_view w) const {
    return i < s.last && t[i].kind == TokenKind::kWord && t[i].lower == w;
  }
  bool Punct(uint32_t i, absl::string_view p) const {
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
  int YearAt(uint32_t i) const {
    if (i >= s.last || t[i].kind != TokenKind::kNumber ||
        t[i].text.size() != 4) {
      return 0;
    }
    int v = 0;
    if (!absl::SimpleAtoi(t[i].text, &v) || v < 1800 || v > 2200) return 0;
    return v;
  }
  // Month at i, skipping an abbreviation's dot. Sets *next past it.
  int MonthAt(uint32_t i, uint32_t* next, bool allow_may) const {
    if (i >= s.last || t[i].kind != TokenKind::kWord || !t[i].Capitalized()) {
      return 0;
    }
    int m = MonthNumber(t[i].lower, allow_may);
    if (m == 0) return 0;
    uint32_t j = i + 1;
    if (t[i].lower.size() <= 4 && Punct(j, ".") && !t[j].space_before) ++j;
    *next = j;
    return m;
  }

  void Add(uint32_t first, uint32_t last, CivilDay a, CivilDay b,
           v1::Granularity g, bool relative) {
    out.push_back(DateMention{first, last, a, b, g, relative});
  }

  // Resolves a month and day without a year by tense.
  CivilDay ResolveMonthDay(int month, int day, uint32_t first, uint32_t last) {
    const Direction dir = TenseAround(t, s, first, last);
    CivilDay d(pub.year(), month, day);
    if (dir == Direction::kPast && d > pub)
      d = CivilDay(pub.year() - 1, month, day);
    if (dir == Direction::kFuture && d < pub)
      d = CivilDay(pub.year() + 1, month, day);
    return d;
  }
  int ResolveMonthYear(int month, uint32_t first, uint32_t last) {
    const Direction dir = TenseAround(t, s, first, last);
    if (dir == Direction::kPast && month > pub.month()) return pub.year() - 1;
    if (dir == Direction::kFuture && month < pub.month()) return pub.year() + 1;
    return pub.year();
  }

  void Run() {
    for (uint32_t i = s.first; i < s.last;) {
      uint32_t next = Match(i);
      i = next > i ? next : i + 1;
    }
  }

  // Tries every pattern at i; returns the token after a match, or i.
  uint32_t Match(uint32_t i) {
    const Token& tok = t[i];
    if (tok.kind == TokenKind::kNumber) return MatchDayFirst(i);
    if (tok.kind != TokenKind::kWord || !CanStartDate(tok)) return i;
    const std::string& w = tok.lower;
    // Weekday, possibly followed by an absolute date ("Tuesday, Dec. 15").
    if (int wd = WeekdayNumber(w);
        wd >= 0 && tok.Capitalized() && (w.size() > 3 || Punct(i + 1, "."))) {
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
    if (w == "tomorrow") {
      Add(i, i + 1, pub + 1, pub + 1, v1::GRANULARITY_DAY, true);
      return i + 1;
    }
    if ((w == "last" || w == "this" || w == "next") && i + 1 < s.last) {
      const std::string& unit = t[i + 1].lower;
      const int step = w == "last" ? -1 : (w == "next" ? 1 : 0);
      if (unit == "night" && w == "last") {
        Add(i, i + 2, pub - 1, pub - 1, v1::GRANULARITY_DAY, true);
        return i + 2;
      }
      if (unit == "week") {
        CivilDay monday = pub - WeekdayOf(pub) + 7 * step;
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
    // "in 2014", "since 2014": a year.
    if ((w == "in" || w == "since" || w == "during" || w == "until" ||
         w == "by") &&
        YearAt(i + 1) &&
        !(i + 2 < s.last && t[i + 2].kind == TokenKind::kWord &&
          !t[i + 2].Capitalized() && t[i + 2].lower != "and")) {
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
      if (i < s.last && t[i].Capitalized() && t[i].lower == "may" &&
          DayAt(i + 1, &dn)) {
        m = 5;
        j = i + 1;
      } else {
        return i;
      }
    }
    uint32_t dnext = 0;
    int day = DayAt(j, &dnext);
    if (day) {
      uint32_t k = dnext;
      if (Punct(k, ",")) ++k;
      int y = YearAt(k);
      if (y) {
        if (emit && day <= absl::CivilDay(MonthEnd(y, m)).day()) {
          Add(first, k + 1, CivilDay(y, m, day), CivilDay(y, m, day),
              v1::GRANULARITY_DAY, false);
        }
        return k + 1;
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
    if (t[i].lower == "may" && !may_ok) return i;
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
    if (!day) return i;
    uint32_t j = dnext;
    if (Word(j, "of")) ++j;
    uint32_t mnext = 0;
    int m = MonthAt(j, &mnext, true);
    if (!m) return i;
    int y = YearAt(mnext);
    if (Punct(mnext, ",") && YearAt(mnext + 1)) {
      y = YearAt(mnext + 1);
      ++mnext;
    }
    if (y) {
      if (day <= MonthEnd(y, m).day()) {
        Add(first, mnext + 1, CivilDay(y, m, day), CivilDay(y, m, day),
            v1::GRANULARITY_DAY, false);
      }
      return mnext + 1;
    }
    CivilDay d = ResolveMonthDay(m, day, first, mnext);
    if (d.day() == day) Add(first, mnext, d, d, v1::GRANULARITY_DAY, true);
    return mnext;
  }

  uint32_t MatchWeekday(uint32_t i, int wd) {
    uint32_t end = i + 1;
    if (end < s.last && !t[end].space_before && t[end].lower == "'s") {
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
        static const auto* past_nouns = new absl::flat_hash_set<std::string>{
            "comments",     "remarks",  "statement", "attack",   "attacks",
            "announcement", "decision", "vote",      "election", "shooting",
            "bombing",      "speech",   "report",    "meeting",  "talks",
            "strike",       "strikes",  "explosion", "blast",    "killing",
            "killings"};
        if (past_nouns->contains(t[end].lower)) dir = Direction::kPast;
      }
      d = dir == Direction::kPast ? pub - back : pub + ahead;
    }
    Add(i, end, d, d, v1::GRANULARITY_DAY, true);
    return end;
  }
};

}  // namespace

std::vector<DateMention> FindDates(const std::vector<Token>& tokens,
                                   const Sentence& s, CivilDay published) {
  Finder f{tokens, s, published, {}};
  f.Run();
  return std::move(f.out);
}

}  // namespace crosscheck::claims
