#include "client/fact_table.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "claims/utf8.h"

namespace crosscheck::client {
namespace {

const char* StatusName(v1::FactStatus status) {
  switch (status) {
    case v1::FACT_STATUS_AGREE:
      return "agree";
    case v1::FACT_STATUS_DISAGREE:
      return "DISAGREE";
    case v1::FACT_STATUS_SINGLE_SOURCE:
      return "single source";
    case v1::FACT_STATUS_EVOLVING:
      return "evolving";
    default:
      return "?";
  }
}

// The claim's sentence, cut to about `width` bytes at a character boundary.
std::string Evidence(const v1::Claim& claim, size_t width) {
  std::string s = claim.sentence();
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  if (s.size() <= width) return s;
  return absl::StrCat(claims::Utf8Prefix(s, width), "…");
}

}  // namespace

std::string FormatFact(const v1::FactComparison& fact, bool color) {
  const bool disputed = fact.status() == v1::FACT_STATUS_DISAGREE;
  std::string mark = disputed ? "!! " : "   ";
  std::string status = StatusName(fact.status());
  if (color && disputed) status = absl::StrCat("\033[1;31m", status, "\033[0m");
  if (color && fact.status() == v1::FACT_STATUS_EVOLVING) {
    status = absl::StrCat("\033[33m", status, "\033[0m");
  }
  std::string out = absl::StrFormat(
      "%s%-13s %s  [%d sources, %d independent]\n", mark, status,
      fact.description(), fact.source_count(), fact.independent_source_count());
  if (!fact.latest_value().empty()) {
    absl::StrAppend(&out, "      latest: ", fact.latest_value(), "\n");
  }
  std::set<std::string> copies;
  for (const auto& copy : fact.copies()) {
    copies.insert(copy.copy_sources().begin(), copy.copy_sources().end());
  }
  for (const auto& group : fact.groups()) {
    std::vector<std::string> sources;
    for (const auto& s : group.sources()) {
      sources.push_back(copies.count(s) ? absl::StrCat(s, " (copy)") : s);
    }
    std::string value = group.value();
    if (value.size() > 40)
      value = absl::StrCat(claims::Utf8Prefix(value, 40), "…");
    absl::StrAppend(&out, absl::StrFormat("      %-24s %s\n", value,
                                          absl::StrJoin(sources, ", ")));
    // A fact listed in the basic view has no claims to quote.
    if (group.claims_size() > 0) {
      absl::StrAppend(&out, "        “", Evidence(group.claims(0), 90), "”\n");
    }
  }
  return out;
}

std::string FormatCheckedClaim(const v1::CheckedClaim& checked, bool color) {
  const v1::Claim& c = checked.claim();
  std::string value;
  if (c.has_number()) value = c.number().text();
  if (c.has_date())
    value = absl::StrCat(c.date().start(), "..", c.date().end());
  if (c.has_quote()) {
    value = absl::StrCat("“", claims::Utf8Prefix(c.quote().text(), 60), "”");
  }
  std::string verdict;
  if (checked.agreeing_sources_size() == 0 &&
      checked.disagreeing_sources_size() == 0) {
    verdict = "no other source";
  } else {
    verdict =
        absl::StrCat("agree: ",
                     checked.agreeing_sources_size()
                         ? absl::StrJoin(checked.agreeing_sources(), ", ")
                         : "none",
                     "; disagree: ",
                     checked.disagreeing_sources_size()
                         ? absl::StrJoin(checked.disagreeing_sources(), ", ")
                         : "none");
  }
  if (color && checked.disagreeing_sources_size() > 0) {
    verdict = absl::StrCat("\033[1;31m", verdict, "\033[0m");
  }
  return absl::StrFormat("%s%-28s %s\n      %s\n",
                         checked.disagreeing_sources_size() ? "!! " : "   ",
                         value, checked.fact_key(), verdict);
}

std::string FormatSources(const v1::ListSourcesResponse& sources) {
  std::string out =
      absl::StrFormat("%-24s %9s %7s %12s %11s\n", "source", "documents",
                      "claims", "shared facts", "in majority");
  for (const auto& s : sources.sources()) {
    std::string share =
        s.shared_facts() == 0
            ? "-"
            : absl::StrFormat("%u (%.0f%%)", s.in_majority(),
                              100.0 * s.in_majority() / s.shared_facts());
    absl::StrAppend(&out, absl::StrFormat("%-24s %9u %7u %12u %11s\n",
                                          s.source(), s.documents(), s.claims(),
                                          s.shared_facts(), share));
  }
  return out;
}

}  // namespace crosscheck::client
