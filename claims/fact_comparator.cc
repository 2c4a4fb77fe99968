#include "claims/fact_comparator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "claims/claim_reader.h"
#include "claims/utf8.h"
#include "claims/value_interval.h"
#include "claims/word_normalizer.h"
#include "common/wire_format.h"

namespace crosscheck::claims {
namespace {

bool IsNumeric(const v1::Claim& c) {
  return c.kind() == v1::CLAIM_KIND_CASUALTY ||
         c.kind() == v1::CLAIM_KIND_QUANTITY;
}

Interval IntervalOf(const v1::Claim& c) {
  if (IsNumeric(c)) return NumberInterval(c.number());
  if (c.kind() == v1::CLAIM_KIND_DATE) return DateInterval(c.date());
  return Interval{};
}

std::string ValueText(const v1::Claim& c) {
  switch (c.kind()) {
    case v1::CLAIM_KIND_CASUALTY:
    case v1::CLAIM_KIND_QUANTITY: {
      if (!c.number().text().empty()) {
        return c.number().unit() == "person" || c.number().unit().empty()
                   ? c.number().text()
                   : absl::StrCat(c.number().text(), " ", c.number().unit());
      }
      return absl::StrFormat("%g", c.number().value());
    }
    case v1::CLAIM_KIND_DATE:
      return c.date().start() == c.date().end()
                 ? c.date().start()
                 : absl::StrCat(c.date().start(), "..", c.date().end());
    case v1::CLAIM_KIND_QUOTE:
      return c.quote().text();
    default:
      return "";
  }
}

// What an ASCII byte becomes in a sentence key: itself lower-cased for
// letters and digits, 0 (a gap) for the rest.
constexpr auto kAsciiKeyBytes = [] {
  std::array<char, 128> table{};
  for (int b = '0'; b <= '9'; ++b) table[b] = static_cast<char>(b);
  for (int b = 'a'; b <= 'z'; ++b) table[b] = static_cast<char>(b);
  for (int b = 'A'; b <= 'Z'; ++b) table[b] = static_cast<char>(b - 'A' + 'a');
  return table;
}();

// Normalised sentence: copies are recognised across case, whitespace,
// punctuation and quotation-mark style. ASCII letters and digits and
// non-ASCII characters outside general punctuation (U+2000-U+206F) and the
// Latin-1 marks (no-break space, guillemets) count; runs of anything else
// are one space. Byte by byte: this runs on every distinct sentence of a
// fact each time the fact is compared.
std::string SentenceKey(absl::string_view s) {
  // Written in place: a key is never longer than its sentence (each space
  // stands for at least one byte left out).
  std::string key(s.size(), '\0');
  char* out = key.data();
  size_t n = 0;
  bool gap = false;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      const char kept = kAsciiKeyBytes[b];
      if (kept == 0) {
        gap = true;
      } else {
        if (gap && n != 0) out[n++] = ' ';
        gap = false;
        out[n++] = kept;
      }
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    const auto b1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    const bool general_punct = b == 0xE2 && (b1 == 0x80 || b1 == 0x81);
    const bool latin1_mark =
        b == 0xC2 && (b1 == 0xA0 || b1 == 0xAB || b1 == 0xBB);
    if (i + len > s.size()) len = s.size() - i;
    if (general_punct || latin1_mark) {
      gap = true;
    } else {
      if (gap && n != 0) out[n++] = ' ';
      gap = false;
      for (size_t k = 0; k < len; ++k) {
        char ch = s[i + k];
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        out[n++] = ch;
      }
    }
    i += len;
  }
  key.resize(n);
  return key;
}

}  // namespace

bool Compatible(const v1::Claim& a, const v1::Claim& b) {
  if (a.kind() == v1::CLAIM_KIND_QUOTE || b.kind() == v1::CLAIM_KIND_QUOTE) {
    return NormalizeQuote(a.quote().text()) == NormalizeQuote(b.quote().text());
  }
  return IntervalOf(a).Overlaps(IntervalOf(b));
}

std::string DescribeFact(const v1::Claim& c) {
  std::vector<std::string> parts;
  switch (c.kind()) {
    case v1::CLAIM_KIND_CASUALTY:
    case v1::CLAIM_KIND_QUANTITY:
      parts = {c.predicate(), c.subject().empty() ? "" : c.subject(),
               c.location()};
      break;
    case v1::CLAIM_KIND_DATE:
      parts = {"date", c.event_class(), c.location()};
      break;
    case v1::CLAIM_KIND_QUOTE: {
      std::string words(Utf8Prefix(c.quote().text(), 48));
      if (c.quote().text().size() > 48) absl::StrAppend(&words, "…");
      parts = {"quote", c.quote().speaker(), absl::StrCat("“", words, "”")};
      break;
    }
    default:
      break;
  }
  parts.erase(std::remove(parts.begin(), parts.end(), std::string()),
              parts.end());
  return absl::StrJoin(parts, " · ");
}

namespace {

// What a comparison decides, before any of it is written out: each
// claim's interval, the value groups, the sources and the status.
struct Analysis {
  std::vector<Interval> intervals;
  struct Group {
    std::vector<size_t> members;
    Interval shared;
  };
  std::vector<Group> groups;  // Largest first.
  // Sources in name order, each once.
  std::vector<absl::string_view> sources;
  v1::FactStatus status = v1::FACT_STATUS_UNSPECIFIED;
  // For an evolving fact, the claim whose value is the latest.
  const v1::Claim* latest = nullptr;
};

// `claims` is not empty.
Analysis Analyze(const std::vector<v1::Claim>& claims) {
  Analysis a;
  // Each claim's interval (and a quote's normalised words) once: dates
  // parse their strings, and the grouping below compares many pairs.
  std::vector<Interval>& intervals = a.intervals;
  intervals.resize(claims.size());
  std::vector<double> widths(claims.size());
  std::vector<std::string> quotes(claims.size());
  // Copies of a quote are mostly word for word: normalise each text once.
  absl::flat_hash_map<absl::string_view, size_t> quote_seen;
  for (size_t i = 0; i < claims.size(); ++i) {
    if (claims[i].kind() == v1::CLAIM_KIND_QUOTE) {
      auto [it, added] = quote_seen.emplace(claims[i].quote().text(), i);
      quotes[i] =
          added ? NormalizeQuote(claims[i].quote().text()) : quotes[it->second];
      continue;
    }
    intervals[i] = IntervalOf(claims[i]);
    widths[i] = intervals[i].high - intervals[i].low;  // Open ends: infinite.
  }

  // Value groups: most precise claims first, each joining the first group
  // whose shared interval it overlaps.
  std::vector<size_t> order(claims.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return widths[a] < widths[b]; });
  std::vector<Analysis::Group>& groups = a.groups;
  for (size_t i : order) {
    const v1::Claim& c = claims[i];
    bool placed = false;
    for (Analysis::Group& g : groups) {
      bool fits;
      if (c.kind() == v1::CLAIM_KIND_QUOTE ||
          claims[g.members.front()].kind() == v1::CLAIM_KIND_QUOTE) {
        fits = quotes[i] == quotes[g.members.front()];
      } else {
        fits = intervals[i].Overlaps(g.shared);
      }
      if (fits) {
        g.members.push_back(i);
        const Interval& ci = intervals[i];
        g.shared.low = std::max(g.shared.low, ci.low);
        g.shared.high = std::min(g.shared.high, ci.high);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back(Analysis::Group{{i}, intervals[i]});
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Analysis::Group& a, const Analysis::Group& b) {
                     return a.members.size() > b.members.size();
                   });

  std::vector<absl::string_view>& sources = a.sources;
  sources.reserve(claims.size());
  for (const v1::Claim& c : claims) sources.push_back(c.source());
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());

  if (sources.size() <= 1) {
    a.status = v1::FACT_STATUS_SINGLE_SOURCE;
  } else if (groups.size() == 1) {
    a.status = v1::FACT_STATUS_AGREE;
  } else {
    a.status = v1::FACT_STATUS_DISAGREE;
    if (IsNumeric(claims.front())) {
      // Evolving: reports of one day agree; successive days move one way.
      std::map<std::string, std::vector<size_t>> by_day;
      for (size_t i = 0; i < claims.size(); ++i) {
        by_day[claims[i].published()].push_back(i);
      }
      bool evolving = by_day.size() > 1;
      std::vector<double> day_values;
      for (const auto& [day, members] : by_day) {
        for (size_t x = 0; x < members.size() && evolving; ++x) {
          for (size_t y = x + 1; y < members.size(); ++y) {
            if (!Compatible(claims[members[x]], claims[members[y]])) {
              evolving = false;
              break;
            }
          }
        }
        double v = 0;
        for (size_t i : members) v = std::max(v, claims[i].number().value());
        day_values.push_back(v);
      }
      int direction = 0;
      for (size_t k = 1; k < day_values.size() && evolving; ++k) {
        int step = day_values[k] > day_values[k - 1]   ? 1
                   : day_values[k] < day_values[k - 1] ? -1
                                                       : 0;
        if (step != 0 && direction != 0 && step != direction) evolving = false;
        if (step != 0) direction = step;
      }
      if (evolving && direction != 0) {
        a.status = v1::FACT_STATUS_EVOLVING;
        a.latest = &claims[by_day.rbegin()->second.front()];
      }
    }
  }
  return a;
}

// `movable`, when set, is `claims` itself, whose claims may be moved into
// the value groups. `places`, when set, receives each group's claims and
// each copy as indices into `claims`, and `out` gets neither.
v1::FactComparison CompareFactImpl(const std::string& story_id,
                                   const std::string& fact_key,
                                   const std::vector<v1::Claim>& claims,
                                   std::vector<v1::Claim>* movable,
                                   ClaimPlaces* places) {
  v1::FactComparison out;
  out.set_story_id(story_id);
  out.set_fact_key(fact_key);
  if (claims.empty()) return out;
  out.set_kind(claims.front().kind());
  out.set_description(DescribeFact(claims.front()));
  const Analysis analysis = Analyze(claims);
  const std::vector<Interval>& intervals = analysis.intervals;
  const std::vector<absl::string_view>& sources = analysis.sources;

  // Copies: documents sharing a claim's sentence word for word are one
  // report. Sources are numbered in name order; a union-find over the
  // numbers joins each copy to its original.
  auto source_number = [&](absl::string_view s) {
    return static_cast<size_t>(
        std::lower_bound(sources.begin(), sources.end(), s) - sources.begin());
  };
  out.set_source_count(static_cast<int>(sources.size()));
  std::vector<size_t> parent(sources.size());
  for (size_t k = 0; k < parent.size(); ++k) parent[k] = k;
  auto find = [&](size_t k) {
    while (parent[k] != k) k = parent[k] = parent[parent[k]];
    return k;
  };
  // Claims by sentence key, and within a sentence the earliest report
  // (the original) first. Copies are mostly word for word, so each
  // distinct sentence is keyed once, and the keys are ranked: claims with
  // equal keys get one rank, and ranks are in the keys' order.
  std::vector<uint32_t> key_rank(claims.size());
  {
    std::vector<std::string> keys;
    absl::flat_hash_map<absl::string_view, uint32_t> seen;
    for (size_t i = 0; i < claims.size(); ++i) {
      auto [it, added] = seen.emplace(claims[i].sentence(),
                                      static_cast<uint32_t>(keys.size()));
      if (added) keys.push_back(SentenceKey(claims[i].sentence()));
      key_rank[i] = it->second;
    }
    std::vector<uint32_t> by_key(keys.size());
    for (uint32_t k = 0; k < by_key.size(); ++k) by_key[k] = k;
    std::sort(by_key.begin(), by_key.end(),
              [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    std::vector<uint32_t> rank(keys.size());
    for (size_t r = 0, next = 0; r < by_key.size(); ++r) {
      if (r > 0 && keys[by_key[r]] != keys[by_key[r - 1]]) ++next;
      rank[by_key[r]] = static_cast<uint32_t>(next);
    }
    for (uint32_t& k : key_rank) k = rank[k];
  }
  std::vector<size_t> by_sentence(claims.size());
  for (size_t i = 0; i < claims.size(); ++i) by_sentence[i] = i;
  std::sort(by_sentence.begin(), by_sentence.end(), [&](size_t a, size_t b) {
    if (key_rank[a] != key_rank[b]) return key_rank[a] < key_rank[b];
    if (int c = claims[a].published().compare(claims[b].published()); c != 0) {
      return c < 0;
    }
    return a < b;
  });
  // The sentence that last named each source as a copy (by its first
  // place in by_sentence), so that a source repeating a sentence in two
  // documents is named once.
  std::vector<size_t> named_in(sources.size(), by_sentence.size());
  for (size_t first = 0; first < by_sentence.size();) {
    size_t end = first + 1;
    while (end < by_sentence.size() &&
           key_rank[by_sentence[end]] == key_rank[by_sentence[first]]) {
      ++end;
    }
    const v1::Claim& original = claims[by_sentence[first]];
    const size_t original_number = source_number(original.source());
    std::vector<uint32_t>* place = nullptr;
    v1::CopiedSentence* note = nullptr;
    for (size_t k = first + 1; k < end; ++k) {
      const v1::Claim& copy = claims[by_sentence[k]];
      const size_t copy_number = source_number(copy.source());
      if (copy_number == original_number || named_in[copy_number] == first) {
        continue;
      }
      named_in[copy_number] = first;
      const size_t a = find(original_number), b = find(copy_number);
      if (a != b) parent[b] = a;
      if (places != nullptr) {
        if (place == nullptr) {
          place = &places->copies.emplace_back();
          place->push_back(static_cast<uint32_t>(by_sentence[first]));
        }
        place->push_back(static_cast<uint32_t>(by_sentence[k]));
        continue;
      }
      if (note == nullptr) {
        note = out.add_copies();
        note->set_original_source(original.source());
        note->set_sentence(original.sentence());
      }
      note->add_copy_sources(copy.source());
    }
    first = end;
  }
  size_t roots = 0;
  for (size_t k = 0; k < sources.size(); ++k) roots += find(k) == k;
  out.set_independent_source_count(static_cast<int>(roots));

  // Spread: the distance between the extreme stated values.
  if (out.kind() != v1::CLAIM_KIND_QUOTE) {
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < claims.size(); ++i) {
      const v1::Claim& c = claims[i];
      double v = IsNumeric(c) ? c.number().value() : intervals[i].low;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    out.set_spread(hi - lo);
  }

  out.set_status(analysis.status);
  if (analysis.latest != nullptr) {
    out.set_latest_value(ValueText(*analysis.latest));
  }
  // Value groups last: their claims may be moved out of `claims`.
  for (const Analysis::Group& g : analysis.groups) {
    v1::ValueGroup* vg = out.add_groups();
    std::vector<size_t> members = g.members;
    std::sort(members.begin(), members.end());
    vg->set_value(ValueText(claims[members.front()]));
    if (claims[members.front()].kind() == v1::CLAIM_KIND_DATE) {
      const v1::Claim& c = claims[members.front()];
      vg->set_date_start(c.date().start());
      vg->set_date_end(c.date().end());
    } else if (IsNumeric(claims[members.front()])) {
      if (std::isfinite(g.shared.low)) vg->set_low(g.shared.low);
      if (std::isfinite(g.shared.high)) vg->set_upper(g.shared.high);
    }
    std::vector<absl::string_view> group_sources;
    group_sources.reserve(members.size());
    if (places != nullptr) {
      places->groups.emplace_back(members.begin(), members.end());
      for (size_t i : members) group_sources.push_back(claims[i].source());
    } else {
      for (size_t i : members) {
        if (movable != nullptr) {
          *vg->add_claims() = std::move((*movable)[i]);
        } else {
          *vg->add_claims() = claims[i];
        }
        // The source as the group holds it (the claim may have moved).
        group_sources.push_back(vg->claims(vg->claims_size() - 1).source());
      }
    }
    std::sort(group_sources.begin(), group_sources.end());
    group_sources.erase(std::unique(group_sources.begin(), group_sources.end()),
                        group_sources.end());
    for (absl::string_view s : group_sources) vg->add_sources(std::string(s));
  }

  return out;
}

}  // namespace

v1::FactComparison CompareFact(const std::string& story_id,
                               const std::string& fact_key,
                               const std::vector<v1::Claim>& claims) {
  return CompareFactImpl(story_id, fact_key, claims, nullptr, nullptr);
}

v1::FactComparison CompareFact(const std::string& story_id,
                               const std::string& fact_key,
                               std::vector<v1::Claim>&& claims) {
  return CompareFactImpl(story_id, fact_key, claims, &claims, nullptr);
}

v1::FactComparison CompareFactWithoutClaims(
    const std::string& story_id, const std::string& fact_key,
    const std::vector<v1::Claim>& claims, ClaimPlaces* places) {
  places->groups.clear();
  places->copies.clear();
  return CompareFactImpl(story_id, fact_key, claims, nullptr, places);
}

std::string SerializeFactWithClaims(
    v1::FactComparison* fact, const ClaimPlaces& places,
    const std::vector<v1::Claim>& claims,
    const std::vector<std::string>& claim_bytes) {
  // FactComparison.groups is field 5, ValueGroup.claims field 2,
  // FactComparison.copies field 10; CopiedSentence's fields 1, 3 and 4.
  constexpr int kGroupsField = 5;
  constexpr int kClaimsField = 2;
  constexpr int kCopiesField = 10;
  const std::vector<std::vector<uint32_t>>& members = places.groups;
  google::protobuf::RepeatedPtrField<v1::ValueGroup> groups;
  groups.Swap(fact->mutable_groups());
  // Each group's size with its claims.
  std::vector<size_t> group_sizes(groups.size());
  size_t total = fact->ByteSizeLong();
  for (int g = 0; g < groups.size(); ++g) {
    size_t& size = group_sizes[g];
    size = groups.Get(g).ByteSizeLong();
    for (uint32_t i : members[g]) {
      size += LengthDelimitedHeadSize(claim_bytes[i].size()) +
              claim_bytes[i].size();
    }
    total += LengthDelimitedHeadSize(size) + size;
  }
  // Each copied sentence's size, as protobuf writes a CopiedSentence:
  // empty strings left out, but not from the repeated copy_sources.
  auto string_field_size = [](absl::string_view s) {
    return s.empty() ? 0 : LengthDelimitedHeadSize(s.size()) + s.size();
  };
  std::vector<size_t> copy_sizes(places.copies.size());
  for (size_t k = 0; k < places.copies.size(); ++k) {
    const std::vector<uint32_t>& copy = places.copies[k];
    const v1::Claim& original = claims[copy[0]];
    size_t& size = copy_sizes[k];
    size = string_field_size(original.source()) +
           string_field_size(original.sentence());
    for (size_t i = 1; i < copy.size(); ++i) {
      const size_t source = claims[copy[i]].source().size();
      size += LengthDelimitedHeadSize(source) + source;
    }
    total += LengthDelimitedHeadSize(size) + size;
  }
  std::string out;
  out.reserve(total);
  // Every field but the groups and copies, then the copies, then each
  // group with its claims.
  fact->AppendToString(&out);
  auto append_string_field = [&out](int field, absl::string_view s) {
    if (!s.empty()) AppendLengthDelimited(field, s, &out);
  };
  for (size_t k = 0; k < places.copies.size(); ++k) {
    const std::vector<uint32_t>& copy = places.copies[k];
    const v1::Claim& original = claims[copy[0]];
    AppendLengthDelimitedHead(kCopiesField, copy_sizes[k], &out);
    append_string_field(1, original.source());
    append_string_field(3, original.sentence());
    for (size_t i = 1; i < copy.size(); ++i) {
      AppendLengthDelimited(4, claims[copy[i]].source(), &out);
    }
  }
  for (int g = 0; g < groups.size(); ++g) {
    AppendLengthDelimitedHead(kGroupsField, group_sizes[g], &out);
    groups.Get(g).AppendToString(&out);
    for (uint32_t i : members[g]) {
      AppendLengthDelimited(kClaimsField, claim_bytes[i], &out);
    }
  }
  groups.Swap(fact->mutable_groups());
  return out;
}

bool CompareSerializedClaims(const std::string& story_id,
                             const std::string& fact_key,
                             const std::vector<std::string>& claim_bytes,
                             std::string* answer, v1::FactComparison* fact) {
  std::vector<v1::Claim> claims;
  if (!ReadClaimsToCompare(claim_bytes, &claims)) return false;
  ClaimPlaces places;
  v1::FactComparison compared =
      CompareFactWithoutClaims(story_id, fact_key, claims, &places);
  *answer = SerializeFactWithClaims(&compared, places, claims, claim_bytes);
  if (fact != nullptr) *fact = std::move(compared);
  return true;
}

FactSummary SummarizeFact(const std::vector<v1::Claim>& claims) {
  FactSummary out;
  if (claims.empty()) return out;
  const Analysis analysis = Analyze(claims);
  out.status = analysis.status;
  out.source_count = static_cast<int>(analysis.sources.size());
  out.group_of.resize(claims.size());
  out.groups.reserve(analysis.groups.size());
  std::vector<absl::string_view> group_sources;
  for (const Analysis::Group& g : analysis.groups) {
    const uint32_t number = static_cast<uint32_t>(out.groups.size());
    group_sources.clear();
    for (size_t i : g.members) {
      out.group_of[i] = number;
      group_sources.push_back(claims[i].source());
    }
    std::sort(group_sources.begin(), group_sources.end());
    FactSummary::Group& summary = out.groups.emplace_back();
    summary.value = ValueText(
        claims[*std::min_element(g.members.begin(), g.members.end())]);
    summary.source_count = static_cast<int>(
        std::unique(group_sources.begin(), group_sources.end()) -
        group_sources.begin());
  }
  return out;
}

}  // namespace crosscheck::claims
