#include "claims/fact_grouper.h"

#include <algorithm>
#include <forward_list>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "claims/tokenizer.h"
#include "claims/word_normalizer.h"

namespace crosscheck::claims {
namespace {

// Places that stand for another in news: the UN's seat is New York, the
// Kremlin is in Moscow.
// The normalised content words of tokens, as views into them (or into
// `spill`, for the few a stem rewrites).
std::vector<absl::string_view> ContentWordViews(
    const std::vector<Token>& t, std::forward_list<std::string>* spill) {
  std::vector<absl::string_view> words;
  words.reserve(t.size());
  AppendNormalizedWords(t, 0, t.size(), true, &words, spill);
  return words;
}

std::string NormalizePlace(const std::string& place) {
  if (place.empty()) return "";
  const TokenizedText tokenized = Tokenize(place);
  std::forward_list<std::string> spill;
  const std::vector<absl::string_view> words =
      ContentWordViews(tokenized.tokens, &spill);
  std::string out = absl::StrJoin(words, "-");
  if (out == "un" || out == "un-headquarter") return "new-york";
  return out;
}

std::string Slug(const std::vector<std::string>& words, size_t n) {
  std::vector<std::string> picked;
  for (const auto& w : words) {
    if (picked.size() >= n) break;
    picked.push_back(w);
  }
  return absl::StrJoin(picked, "-");
}

std::vector<std::string> SortedWords(const v1::Claim& claim) {
  std::vector<std::string> words(claim.context_words().begin(),
                                 claim.context_words().end());
  // Extraction writes them sorted and unique; a claim built otherwise is
  // sorted here.
  if (std::adjacent_find(words.begin(), words.end(),
                         std::greater_equal<std::string>()) != words.end()) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
  }
  return words;
}

// Words a quote must share with another to be a rendering of it.
constexpr size_t kQuoteSharedWords = 3;
// Words a date's surroundings must share with another's, when neither names
// a place, to be the same event; one fewer when both name the event with
// the same word.
constexpr size_t kDateSharedWords = 4;

}  // namespace

std::string NumberFactKey(const v1::Claim& claim) {
  const char* kind =
      claim.kind() == v1::CLAIM_KIND_CASUALTY ? "casualty" : "quantity";
  std::string subject_key;
  if (claim.kind() == v1::CLAIM_KIND_CASUALTY) {
    // The head noun: "Russian airmen" and "airmen" count the same people.
    const TokenizedText tokenized = Tokenize(claim.subject());
    std::forward_list<std::string> spill;
    const std::vector<absl::string_view> words =
        ContentWordViews(tokenized.tokens, &spill);
    subject_key = words.empty() ? "people" : std::string(words.back());
  } else {
    subject_key = Slug(ContentWordSet(claim.subject()), 3);
  }
  return absl::StrCat(kind, "/", claim.predicate(), "/", subject_key, "/",
                      NormalizePlace(claim.location()));
}

const std::string& FactGrouper::PlaceOf(const std::string& location) {
  auto [it, added] = places_.try_emplace(location);
  if (added) it->second = NormalizePlace(location);
  return it->second;
}

void FactGrouper::AddExisting(const v1::Claim& claim) {
  if (claim.fact_key().empty()) return;
  keys_.insert(claim.fact_key());
  if (claim.kind() != v1::CLAIM_KIND_DATE &&
      claim.kind() != v1::CLAIM_KIND_QUOTE) {
    return;
  }
  members_.push_back(Member{claim.fact_key(), claim.kind(), claim.event_class(),
                            PlaceOf(claim.location()), SortedWords(claim),
                            claim.document_id(), claim.sentence(),
                            claim.predicate()});
}

std::string FactGrouper::NewKey(const v1::Claim& claim,
                                const std::string& place) {
  std::string base;
  if (claim.kind() == v1::CLAIM_KIND_DATE) {
    base = absl::StrCat("date/", claim.event_class(), "/",
                        place.empty() ? Slug(SortedWords(claim), 2) : place);
  } else {
    // The quote's first content words, in text order.
    const TokenizedText tokenized = Tokenize(claim.quote().text());
    const std::vector<Token>& t = tokenized.tokens;
    base =
        absl::StrCat("quote/", Slug(NormalizedWords(t, 0, t.size(), true), 4));
  }
  std::string key = base;
  for (int n = 2; keys_.contains(key); ++n) key = absl::StrCat(base, "-", n);
  return key;
}

void FactGrouper::Assign(v1::Claim* claim) {
  if (!claim->fact_key().empty()) {
    keys_.insert(claim->fact_key());
    return;
  }
  if (claim->kind() != v1::CLAIM_KIND_DATE &&
      claim->kind() != v1::CLAIM_KIND_QUOTE) {
    return;
  }
  if (claim->kind() == v1::CLAIM_KIND_DATE &&
      claim->event_class() == kReportingDate) {
    return;
  }
  const std::string place = PlaceOf(claim->location());
  const std::vector<std::string> words = SortedWords(*claim);
  // Facts that already hold a date of this sentence are closed to it.
  absl::flat_hash_set<std::string> closed;
  if (claim->kind() == v1::CLAIM_KIND_DATE) {
    for (const Member& m : members_) {
      if (m.document_id == claim->document_id() &&
          m.sentence == claim->sentence()) {
        closed.insert(m.key);
      }
    }
  }
  const Member* best = nullptr;
  double best_score = 0;
  for (const Member& m : members_) {
    if (m.kind != claim->kind() || closed.contains(m.key)) continue;
    double score = 0;
    const size_t shared = SharedWords(words, m.words);
    if (claim->kind() == v1::CLAIM_KIND_DATE) {
      if (m.event_class != claim->event_class()) continue;
      if (!place.empty() && !m.place.empty()) {
        if (place != m.place) continue;
        score = 100 + shared;
      } else if (shared >= kDateSharedWords ||
                 (shared + 1 >= kDateSharedWords &&
                  m.head == claim->predicate())) {
        score = static_cast<double>(shared);
      }
    } else {
      const size_t smaller = std::min(words.size(), m.words.size());
      // Short quotes ("We will rebuild") have too few words to share three:
      // they are one quote when their words are the same.
      const bool short_and_same = smaller > 0 && smaller < kQuoteSharedWords &&
                                  shared == words.size() &&
                                  shared == m.words.size();
      if ((shared >= kQuoteSharedWords && shared * 2 >= smaller) ||
          short_and_same) {
        score = static_cast<double>(shared) / smaller;
      }
    }
    if (score > best_score) {
      best_score = score;
      best = &m;
    }
  }
  std::string key = best != nullptr ? best->key : NewKey(*claim, place);
  claim->set_fact_key(key);
  keys_.insert(key);
  members_.push_back(Member{key, claim->kind(), claim->event_class(), place,
                            words, claim->document_id(), claim->sentence(),
                            claim->predicate()});
}

}  // namespace crosscheck::claims
