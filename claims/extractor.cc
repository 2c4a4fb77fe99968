#include "claims/extractor.h"

#include <algorithm>
#include <forward_list>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "claims/date_extractor.h"
#include "claims/document_validator.h"
#include "claims/fact_grouper.h"
#include "claims/figure_extractor.h"
#include "claims/publication_date.h"
#include "claims/quote_extractor.h"
#include "claims/tokenizer.h"
#include "claims/value_interval.h"
#include "claims/word_normalizer.h"

namespace crosscheck::claims {
namespace {

// Words that name an event, and the class a date fact groups them by.
const WordMap<std::string>& EventWords() {
  static const auto* map = new WordMap<std::string>{
      {"meet", "meeting"},        {"meets", "meeting"},
      {"met", "meeting"},         {"meeting", "meeting"},
      {"meetings", "meeting"},    {"talks", "meeting"},
      {"conference", "meeting"},  {"summit", "meeting"},
      {"visit", "meeting"},       {"visits", "meeting"},
      {"visited", "meeting"},     {"visiting", "meeting"},
      {"arrived", "meeting"},     {"arrives", "meeting"},
      {"arrival", "meeting"},     {"round", "meeting"},
      {"session", "meeting"},     {"negotiations", "meeting"},
      {"flew", "travel"},         {"travelled", "travel"},
      {"traveled", "travel"},     {"trip", "travel"},
      {"ceasefire", "ceasefire"}, {"cease-fire", "ceasefire"},
      {"truce", "ceasefire"},     {"armistice", "ceasefire"},
      {"airstrikes", "military"}, {"strikes", "military"},
      {"campaign", "military"},   {"bombing", "military"},
      {"raids", "military"},      {"attack", "military"},
      {"attacks", "military"},    {"offensive", "military"},
      {"targeting", "military"},  {"fired", "military"},
      {"shots", "military"},      {"intervention", "military"},
      {"launched", "military"},   {"comments", "statement"},
      {"remarks", "statement"},   {"statement", "statement"},
      {"quoting", "statement"},   {"speculation", "statement"},
      {"announced", "statement"}, {"announcement", "statement"},
      {"said", "statement"},      {"doubt", "statement"},
      {"election", "election"},   {"vote", "election"},
      {"referendum", "election"}, {"killed", "casualty"},
      {"died", "casualty"},       {"earthquake", "disaster"},
      {"flood", "disaster"},      {"storm", "disaster"},
      {"fire", "disaster"},       {"failed", "disaster"},
      {"failure", "disaster"},    {"collapse", "disaster"},
      {"collapsed", "disaster"},  {"burst", "disaster"},
      {"flooding", "disaster"},   {"explosion", "disaster"},
      {"blast", "disaster"},      {"crash", "disaster"},
      {"crashed", "disaster"}};
  return *map;
}

// The date of a report: "said on Thursday", "told reporters Friday".
bool IsReportingDate(const std::vector<Token>& t, const Sentence& s,
                     uint32_t first) {
  uint32_t k = first;
  if (k > s.first && t[k - 1].Is("on")) --k;
  if (k > s.first && t[k - 1].Is("reporters")) --k;
  if (k == s.first) return false;
  const Token& verb = t[k - 1];
  return verb.Is("said") || verb.Is("says") || verb.Is("told") ||
         verb.Is("reported") || verb.Is("announced") || verb.Is("added");
}

// The place a date's event happens: the nearest "in X", "at X" or
// "visits X" within a few words.
std::string PlaceNear(absl::string_view text, const std::vector<Token>& t,
                      const Sentence& s, uint32_t first, uint32_t last) {
  constexpr uint32_t kReach = 10;
  std::string best;
  uint32_t best_distance = kReach + 1;
  uint32_t lo = first > s.first + kReach ? first - kReach : s.first;
  uint32_t hi = std::min(s.last, last + kReach);
  // Looking back, a place stays in the date's clause.
  for (uint32_t k = first; k > lo; --k) {
    if (t[k - 1].IsPunct(",") || t[k - 1].IsPunct(";")) {
      lo = k;
      break;
    }
  }
  for (uint32_t i = lo; i < hi; ++i) {
    if (i >= first && i < last) continue;
    const Token& w = t[i];
    const bool visit =
        w.Is("visits") || w.Is("visit") || w.Is("visited") || w.Is("visiting");
    if (!(w.Is("in") || w.Is("at") || visit)) continue;
    uint32_t j = i + 1;
    if (j < s.last && t[j].Is("the")) ++j;
    uint32_t k = j;
    while (k < s.last && t[k].Capitalized() && !(k >= first && k < last)) ++k;
    if (k == j) continue;
    uint32_t distance = i < first ? first - (k - 1) : i - last + 1;
    // The place someone visits names the event's place more surely than
    // an "in X" nearby ("visits Moscow on Tuesday in Paris").
    if (visit) distance = distance > 2 ? distance - 2 : 0;
    if (distance < best_distance) {
      best_distance = distance;
      best = TokenText(text, t, j, k);
    }
  }
  (void)text;
  return best;
}

std::string EventNear(const std::vector<Token>& t, const Sentence& s,
                      uint32_t first, uint32_t last, std::string* head) {
  constexpr uint32_t kReach = 14;
  for (uint32_t d = 0; d <= kReach; ++d) {
    // Prefer the word after a possessive date ("Monday's comments").
    if (last + d < s.last) {
      auto it = EventWords().find(t[last + d]);
      if (it != EventWords().end()) {
        *head = std::string(t[last + d].lower);
        return it->second;
      }
    }
    if (first >= s.first + d + 1) {
      auto it = EventWords().find(t[first - d - 1]);
      if (it != EventWords().end()) {
        *head = std::string(t[first - d - 1].lower);
        return it->second;
      }
    }
  }
  return "event";
}

// Adds the content words of tokens [lo, first) and [last, hi) to the
// claim, sorted and unique. Words are gathered as views and sorted before
// any is copied.
void AddContextWords(const std::vector<Token>& t, uint32_t lo, uint32_t first,
                     uint32_t last, uint32_t hi, v1::Claim* claim) {
  std::vector<absl::string_view> words;
  words.reserve((first - lo) + (hi > last ? hi - last : 0));
  std::forward_list<std::string> spill;
  AppendNormalizedWords(t, lo, first, true, &words, &spill);
  AppendNormalizedWords(t, last, hi, true, &words, &spill);
  // Byte order, as std::string sorts; words mostly differ in their first
  // letters, so an inline loop beats a call to memcmp.
  std::sort(words.begin(), words.end(),
            [](absl::string_view a, absl::string_view b) {
              const size_t n = std::min(a.size(), b.size());
              for (size_t k = 0; k < n; ++k) {
                if (a[k] != b[k]) {
                  return static_cast<unsigned char>(a[k]) <
                         static_cast<unsigned char>(b[k]);
                }
              }
              return a.size() < b.size();
            });
  words.erase(std::unique(words.begin(), words.end()), words.end());
  auto* out = claim->mutable_context_words();
  out->Reserve(static_cast<int>(words.size()));
  for (absl::string_view w : words) out->Add(std::string(w));
}

// The words around a date, within its sentence.
void AddDateContext(const std::vector<Token>& t, const Sentence& s,
                    uint32_t first, uint32_t last, v1::Claim* claim) {
  constexpr uint32_t kReach = 25;
  uint32_t lo = first > s.first + kReach ? first - kReach : s.first;
  uint32_t hi = std::min(s.last, last + kReach);
  AddContextWords(t, lo, first, last, hi, claim);
}

void SetSpan(const std::vector<Token>& t, uint32_t first, uint32_t last,
             v1::Claim* claim) {
  claim->mutable_span()->set_begin(t[first].begin);
  claim->mutable_span()->set_end(t[last - 1].end);
}

// Texts up to this size leave their token buffers to the next extraction
// on the thread (about 0.5 MB of tokens).
constexpr size_t kKeptTextBytes = 32 << 10;

}  // namespace

absl::StatusOr<std::vector<v1::Claim>> ExtractClaims(
    const ExtractInput& input, const ExtractOptions& options) {
  // The document's name goes into the message only when there is one to
  // give: most texts are valid.
  if (auto status = ValidateText("text", input.text, options.max_text_bytes);
      !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("document '", input.document_id, "': ", status.message()));
  }
  const absl::string_view text = input.text;
  // Each thread keeps its token buffers from one document to the next:
  // they are the largest allocations of an extraction. Buffers grown by
  // an unusually long text are let go afterwards.
  thread_local TokenizedText tokenized;
  TokenizeInto(text, &tokenized);
  const std::vector<Token>& tokens = tokenized.tokens;
  struct Release {
    TokenizedText* kept;
    ~Release() {
      if (kept->lowered_capacity > kKeptTextBytes) *kept = TokenizedText{};
    }
  } release{&tokenized};
  const std::vector<Sentence> sentences = SplitSentences(tokens);
  const std::string published = FormatDay(input.published);

  std::vector<v1::Claim> claims;
  claims.reserve(sentences.size());
  std::vector<bool> taken(tokens.size(), false);
  // Each claim is built where it is kept: a message moved out of a
  // temporary leaves an empty one to destroy.
  auto new_claim = [&](const Sentence& s) -> v1::Claim& {
    v1::Claim& claim = claims.emplace_back();
    claim.set_document_id(std::string(input.document_id));
    claim.set_source(std::string(input.source));
    claim.set_published(published);
    claim.set_sentence(std::string(text.substr(s.begin, s.end - s.begin)));
    return claim;
  };

  for (const Sentence& s : sentences) {
    for (const DateMention& d : FindDates(tokens, s, input.published)) {
      for (uint32_t k = d.first; k < d.last; ++k) taken[k] = true;
      v1::Claim& claim = new_claim(s);
      claim.set_kind(v1::CLAIM_KIND_DATE);
      SetSpan(tokens, d.first, d.last, &claim);
      v1::DateValue* date = claim.mutable_date();
      date->set_start(FormatDay(d.start));
      date->set_end(FormatDay(d.end));
      date->set_granularity(d.granularity);
      date->set_relative(d.relative);
      date->set_text(TokenText(text, tokens, d.first, d.last));
      std::string head;
      std::string event_class = EventNear(tokens, s, d.first, d.last, &head);
      // "since September 2014" starts a state that goes on: another event
      // than one that happened then.
      if (d.first > s.first && tokens[d.first - 1].Is("since")) {
        event_class = absl::StrCat("since-", event_class);
      }
      // "officials said on Friday": when a source spoke, not an event the
      // story reports; such dates join no fact.
      if (IsReportingDate(tokens, s, d.first)) event_class = kReportingDate;
      claim.set_event_class(event_class);
      claim.set_predicate(head.empty() ? "event" : head);
      claim.set_location(PlaceNear(text, tokens, s, d.first, d.last));
      AddDateContext(tokens, s, d.first, d.last, &claim);
      claim.set_subject(
          claim.location().empty()
              ? claim.event_class()
              : absl::StrCat(claim.event_class(), " in ", claim.location()));
    }
    for (Figure& f : FindFigures(text, tokens, s, taken, options.mentions)) {
      v1::Claim& claim = new_claim(s);
      claim.set_kind(f.kind);
      SetSpan(tokens, f.first, f.last, &claim);
      claim.set_predicate(std::move(f.predicate));
      claim.set_subject(std::move(f.subject));
      claim.set_location(std::move(f.location));
      claim.set_attribution(std::move(f.attribution));
      v1::NumberValue* num = claim.mutable_number();
      num->set_value(f.number.value);
      num->set_qualifier(f.number.qualifier);
      if (f.number.qualifier == v1::QUALIFIER_RANGE) {
        num->set_high(f.number.high);
      }
      num->set_unit(std::move(f.unit));
      num->set_text(TokenText(text, tokens, f.number.first, f.number.last));
      SetNumberInterval(num, f.number.digits);
    }
  }
  if (!options.mentions) {
    for (const Quote& q : FindQuotes(text, tokens, sentences)) {
      const Sentence* holder = &sentences.front();
      for (const Sentence& s : sentences) {
        if (s.begin <= tokens[q.open].begin && tokens[q.open].begin < s.end) {
          holder = &s;
          break;
        }
      }
      v1::Claim& claim = new_claim(*holder);
      claim.set_kind(v1::CLAIM_KIND_QUOTE);
      SetSpan(tokens, q.open, q.close + 1, &claim);
      claim.mutable_quote()->set_text(
          std::string(text.substr(q.text_begin, q.text_end - q.text_begin)));
      claim.mutable_quote()->set_speaker(q.speaker);
      claim.set_predicate("said");
      claim.set_subject(q.speaker);
      AddContextWords(tokens, q.open + 1, q.close, q.close, q.close, &claim);
    }
  }
  // Text order; indices are sorted, not messages, which are costly to move.
  std::vector<size_t> order(claims.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return claims[a].span().begin() < claims[b].span().begin();
  });
  // Claim i goes to where order puts it, cycle by cycle; most documents
  // yield their claims in order already, and then nothing moves.
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    // Walk the cycle through i: the slot `at` takes claim order[at].
    size_t at = i;
    while (order[at] != i) {
      claims[at].Swap(&claims[order[at]]);
      const size_t from = order[at];
      order[at] = at;
      at = from;
    }
    order[at] = at;
  }
  // Ids are "<document id>#<n>": the document's id is copied once and
  // each claim's number appended to the copy.
  std::string id(input.document_id);
  id.push_back('#');
  const size_t id_prefix = id.size();
  for (size_t i = 0; i < claims.size(); ++i) {
    id.resize(id_prefix);
    absl::StrAppend(&id, i);
    claims[i].set_id(id);
    if (claims[i].kind() == v1::CLAIM_KIND_CASUALTY ||
        (claims[i].kind() == v1::CLAIM_KIND_QUANTITY &&
         !claims[i].predicate().empty())) {
      claims[i].set_fact_key(NumberFactKey(claims[i]));
    }
  }
  return claims;
}

}  // namespace crosscheck::claims
