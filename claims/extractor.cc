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
#include "common/status_macros.h"

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

// A word's first eight bytes as a number that orders as the bytes do:
// big-endian and zero-padded. Words hold no zero byte, so a word sorts
// before the longer ones it begins, as std::string sorts.
uint64_t WordOrderKey(absl::string_view w) {
  return __builtin_bswap64(LoadWordChunk(w.data(), w.size()));
}

// Adds the content words of tokens [lo, first) and [last, hi) to the
// claim, sorted and unique. Words are gathered as views and sorted by
// their order keys, most comparisons one of integers, before any is
// copied; the buffers are the thread's, kept from one claim to the next.
void AddContextWords(const std::vector<Token>& t, uint32_t lo, uint32_t first,
                     uint32_t last, uint32_t hi, bool reused,
                     v1::Claim* claim) {
  thread_local std::vector<absl::string_view> words;
  struct Keyed {
    uint64_t key;
    size_t index;
  };
  thread_local std::vector<Keyed> order;
  words.clear();
  std::forward_list<std::string> spill;
  AppendNormalizedWords(t, lo, first, true, &words, &spill);
  AppendNormalizedWords(t, last, hi, true, &words, &spill);
  order.clear();
  for (size_t i = 0; i < words.size(); ++i) {
    order.push_back({WordOrderKey(words[i]), i});
  }
  std::sort(order.begin(), order.end(), [](const Keyed& a, const Keyed& b) {
    return a.key != b.key ? a.key < b.key : words[a.index] < words[b.index];
  });
  auto* out = claim->mutable_context_words();
  out->Reserve(static_cast<int>(order.size()));
  for (size_t i = 0; i < order.size(); ++i) {
    const absl::string_view w = words[order[i].index];
    if (i > 0 && order[i].key == order[i - 1].key &&
        w == words[order[i - 1].index]) {
      continue;
    }
    // A reused claim keeps the strings of its cleared words: Add hands
    // them out again, and appending to a cleared (empty) string skips
    // assign's general case.
    if (reused) {
      out->Add()->append(w.data(), w.size());
    } else {
      out->Add(std::string(w));
    }
  }
}

// The words around a date, within its sentence.
void AddDateContext(const std::vector<Token>& t, const Sentence& s,
                    uint32_t first, uint32_t last, bool reused,
                    v1::Claim* claim) {
  constexpr uint32_t kReach = 25;
  uint32_t lo = first > s.first + kReach ? first - kReach : s.first;
  uint32_t hi = std::min(s.last, last + kReach);
  AddContextWords(t, lo, first, last, hi, reused, claim);
}

// The bytes tokens [first, last) span, spaces between them included.
absl::string_view TokenView(absl::string_view text, const std::vector<Token>& t,
                            uint32_t first, uint32_t last) {
  if (first >= last) return {};
  return text.substr(t[first].begin, t[last - 1].end - t[first].begin);
}

// Sets a string field to `value`: a reused claim's string, given by the
// field's mutable_ accessor, is assigned in place and keeps its memory; a
// new claim's is set from a string made for it.
template <typename MutableField, typename SetField>
void SetView(bool reused, absl::string_view value, MutableField mutable_field,
             SetField set_field) {
  if (reused) {
    // A cleared claim's strings are empty: appending skips assign's general
    // case.
    std::string* field = mutable_field();
    field->clear();
    field->append(value.data(), value.size());
  } else {
    set_field(std::string(value));
  }
}

void SetSpan(const std::vector<Token>& t, uint32_t first, uint32_t last,
             v1::Claim* claim) {
  claim->mutable_span()->set_begin(t[first].begin);
  claim->mutable_span()->set_end(t[last - 1].end);
}

// The entries of `list`, token indices in order, that fall in sentence
// `s`. Sentences are asked in order: *pos, from 0 for the first, moves
// past the entries of each.
absl::Span<const uint32_t> SentenceEntries(const std::vector<uint32_t>& list,
                                           const Sentence& s, size_t* pos) {
  size_t begin = *pos;
  while (begin < list.size() && list[begin] < s.first) ++begin;
  size_t end = begin;
  while (end < list.size() && list[end] < s.last) ++end;
  *pos = end;
  return absl::Span<const uint32_t>(list.data() + begin, end - begin);
}

// Texts up to this size leave their token buffers to the next extraction
// on the thread (about 0.5 MB of tokens).
constexpr size_t kKeptTextBytes = 32 << 10;

// The claims an extraction fills: a vector of new messages, or a field of
// reused ones. One interface, not a template: the extraction is compiled
// once, with its helpers inlined.
class ClaimSink {
 public:
  explicit ClaimSink(bool reused) : reused_(reused) {}
  virtual ~ClaimSink() = default;
  virtual void Reserve(size_t n) = 0;
  virtual v1::Claim& Add() = 0;
  virtual int size() const = 0;
  virtual const v1::Claim& Get(int i) const = 0;
  virtual v1::Claim& Mutable(int i) = 0;
  virtual void SwapElements(int i, int j) = 0;
  // Whether Add hands out cleared messages of an earlier extraction, whose
  // strings keep their memory: then strings are assigned in place, and
  // otherwise made and moved in, which costs less for a new message.
  bool reused() const { return reused_; }

 private:
  const bool reused_;
};

class NewClaims : public ClaimSink {
 public:
  explicit NewClaims(std::vector<v1::Claim>* claims)
      : ClaimSink(false), claims_(claims) {}
  void Reserve(size_t n) override { claims_->reserve(n); }
  v1::Claim& Add() override { return claims_->emplace_back(); }
  int size() const override { return static_cast<int>(claims_->size()); }
  const v1::Claim& Get(int i) const override { return (*claims_)[i]; }
  v1::Claim& Mutable(int i) override { return (*claims_)[i]; }
  void SwapElements(int i, int j) override {
    (*claims_)[i].Swap(&(*claims_)[j]);
  }

 private:
  std::vector<v1::Claim>* claims_;
};

class ReusedClaims : public ClaimSink {
 public:
  explicit ReusedClaims(google::protobuf::RepeatedPtrField<v1::Claim>* claims)
      : ClaimSink(true), claims_(claims) {}
  // A field keeps what it held: no reserving.
  void Reserve(size_t) override {}
  v1::Claim& Add() override { return *claims_->Add(); }
  int size() const override { return claims_->size(); }
  const v1::Claim& Get(int i) const override { return claims_->Get(i); }
  v1::Claim& Mutable(int i) override { return *claims_->Mutable(i); }
  // Swaps the pointers only.
  void SwapElements(int i, int j) override { claims_->SwapElements(i, j); }

 private:
  google::protobuf::RepeatedPtrField<v1::Claim>* claims_;
};

absl::Status Extract(const ExtractInput& input, const ExtractOptions& options,
                     ClaimSink* claims) {
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
  const std::vector<Sentence> sentences = SplitSentences(tokenized);
  const std::string published = FormatDay(input.published);

  claims->Reserve(sentences.size());
  const bool reused = claims->reused();
  std::vector<bool> taken(tokens.size(), false);
  // Each claim is built where it is kept, in a message of `claims` that a
  // previous extraction cleared when there is one.
  auto new_claim = [&](const Sentence& s) -> v1::Claim& {
    v1::Claim& claim = claims->Add();
    SetView(
        reused, input.document_id, [&] { return claim.mutable_document_id(); },
        [&](std::string v) { claim.set_document_id(std::move(v)); });
    SetView(
        reused, input.source, [&] { return claim.mutable_source(); },
        [&](std::string v) { claim.set_source(std::move(v)); });
    SetView(
        reused, published, [&] { return claim.mutable_published(); },
        [&](std::string v) { claim.set_published(std::move(v)); });
    SetView(
        reused, text.substr(s.begin, s.end - s.begin),
        [&] { return claim.mutable_sentence(); },
        [&](std::string v) { claim.set_sentence(std::move(v)); });
    return claim;
  };

  // The tokenizer's lists of tokens a date may start at and a figure may
  // need, a sentence's entries at a time.
  size_t date_start = 0;
  size_t figure_hint = 0;
  for (const Sentence& s : sentences) {
    const absl::Span<const uint32_t> starts =
        SentenceEntries(tokenized.date_starts, s, &date_start);
    const absl::Span<const uint32_t> hints =
        SentenceEntries(tokenized.figure_hints, s, &figure_hint);
    for (const DateMention& d : FindDates(tokens, s, starts, input.published)) {
      for (uint32_t k = d.first; k < d.last; ++k) taken[k] = true;
      v1::Claim& claim = new_claim(s);
      claim.set_kind(v1::CLAIM_KIND_DATE);
      SetSpan(tokens, d.first, d.last, &claim);
      v1::DateValue* date = claim.mutable_date();
      date->set_start(FormatDay(d.start));
      date->set_end(FormatDay(d.end));
      date->set_granularity(d.granularity);
      date->set_relative(d.relative);
      SetView(
          reused, TokenView(text, tokens, d.first, d.last),
          [&] { return date->mutable_text(); },
          [&](std::string v) { date->set_text(std::move(v)); });
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
      AddDateContext(tokens, s, d.first, d.last, reused, &claim);
      claim.set_subject(
          claim.location().empty()
              ? claim.event_class()
              : absl::StrCat(claim.event_class(), " in ", claim.location()));
    }
    for (Figure& f :
         FindFigures(text, tokens, s, hints, taken, options.mentions)) {
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
      SetView(
          reused, TokenView(text, tokens, f.number.first, f.number.last),
          [&] { return num->mutable_text(); },
          [&](std::string v) { num->set_text(std::move(v)); });
      SetNumberInterval(num, f.number.digits);
    }
  }
  if (!options.mentions) {
    for (const Quote& q : FindQuotes(text, tokenized, sentences)) {
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
      SetView(
          reused, text.substr(q.text_begin, q.text_end - q.text_begin),
          [&] { return claim.mutable_quote()->mutable_text(); },
          [&](std::string v) {
            claim.mutable_quote()->set_text(std::move(v));
          });
      claim.mutable_quote()->set_speaker(q.speaker);
      claim.set_predicate("said");
      claim.set_subject(q.speaker);
      AddContextWords(tokens, q.open + 1, q.close, q.close, q.close, reused,
                      &claim);
    }
  }
  // Text order; (start, index) pairs are sorted, which keeps claims that
  // start together in the order they were found, then the claims moved.
  std::vector<std::pair<uint32_t, uint32_t>> starts(
      static_cast<size_t>(claims->size()));
  for (size_t i = 0; i < starts.size(); ++i) {
    starts[i] = {claims->Get(static_cast<int>(i)).span().begin(),
                 static_cast<uint32_t>(i)};
  }
  std::sort(starts.begin(), starts.end());
  std::vector<size_t> order(starts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = starts[i].second;
  // Claim i goes to where order puts it, cycle by cycle; most documents
  // yield their claims in order already, and then nothing moves.
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    // Walk the cycle through i: the slot `at` takes claim order[at].
    size_t at = i;
    while (order[at] != i) {
      claims->SwapElements(static_cast<int>(at), static_cast<int>(order[at]));
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
  for (int i = 0; i < claims->size(); ++i) {
    v1::Claim& claim = claims->Mutable(i);
    id.resize(id_prefix);
    absl::StrAppend(&id, i);
    claim.set_id(id);
    if (claim.kind() == v1::CLAIM_KIND_CASUALTY ||
        (claim.kind() == v1::CLAIM_KIND_QUANTITY &&
         !claim.predicate().empty())) {
      claim.set_fact_key(NumberFactKey(claim));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<v1::Claim>> ExtractClaims(
    const ExtractInput& input, const ExtractOptions& options) {
  std::vector<v1::Claim> found;
  NewClaims claims(&found);
  RETURN_IF_ERROR(Extract(input, options, &claims));
  return found;
}

absl::Status ExtractClaimsInto(
    const ExtractInput& input, const ExtractOptions& options,
    google::protobuf::RepeatedPtrField<v1::Claim>* found) {
  found->Clear();
  ReusedClaims claims(found);
  return Extract(input, options, &claims);
}

}  // namespace crosscheck::claims
