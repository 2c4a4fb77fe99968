#include "claims/word_normalizer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace crosscheck::claims {
namespace {

// Aliases of one name, keyed by the exact token (case matters: "US" is the
// country, "us" the pronoun).
const WordMap<std::string>& ExactAliases() {
  static const auto* map = new WordMap<std::string>{
      {"US", "us"},       {"USA", "us"},         {"U.S.", "us"},
      {"U.S.A.", "us"},   {"U.S", "us"},         {"America", "us"},
      {"NY", "new-york"}, {"NYC", "new-york"},   {"UN", "un"},
      {"U.N.", "un"},     {"UK", "uk"},          {"U.K.", "uk"},
      {"Britain", "uk"},  {"Kremlin", "moscow"}, {"ISIS", "isis"},
      {"ISIL", "isis"},   {"IS", "isis"},        {"Daesh", "isis"},
      {"FSA", "fsa"},     {"EU", "eu"}};
  return *map;
}

// Strips a common suffix: "russian" -> "russia" (demonyms meet their
// place), "talks" -> "talk". Only "-ies" -> "-y" needs a new string.
absl::string_view Stem(absl::string_view w,
                       std::forward_list<std::string>* spill) {
  const size_t n = w.size();
  if (n > 5 && absl::EndsWith(w, "ian")) return w.substr(0, n - 1);
  if (n > 5 && absl::EndsWith(w, "ing")) return w.substr(0, n - 3);
  if (n > 4 && absl::EndsWith(w, "ies")) {
    spill->push_front(absl::StrCat(w.substr(0, n - 3), "y"));
    return spill->front();
  }
  if (n > 4 && absl::EndsWith(w, "ed")) return w.substr(0, n - 2);
  if (n > 3 && absl::EndsWith(w, "s") && !absl::EndsWith(w, "ss")) {
    return w.substr(0, n - 1);
  }
  return w;
}

}  // namespace

const WordSet& StopWords() {
  static const auto* set = new WordSet{
      "a",          "an",       "the",       "and",    "or",       "but",
      "of",         "to",       "in",        "on",     "at",       "by",
      "for",        "with",     "from",      "as",     "into",     "that",
      "this",       "these",    "those",     "it",     "its",      "is",
      "are",        "was",      "were",      "be",     "been",     "being",
      "has",        "have",     "had",       "will",   "would",    "can",
      "could",      "should",   "may",       "might",  "must",     "do",
      "does",       "did",      "not",       "no",     "he",       "she",
      "they",       "we",       "i",         "you",    "his",      "her",
      "their",      "our",      "my",        "your",   "him",      "them",
      "us_pronoun", "who",      "which",     "what",   "when",     "where",
      "how",        "than",     "then",      "there",  "also",     "so",
      "if",         "about",    "over",      "after",  "before",   "while",
      "said",       "says",     "'s",        "own",    "some",     "any",
      "all",        "more",     "most",      "such",   "only",     "very",
      "up",         "out",      "just",      "again",  "both",     "each",
      "other",      "one",      "ones",      "monday", "tuesday",  "wednesday",
      "thursday",   "friday",   "saturday",  "sunday", "january",  "february",
      "march",      "april",    "june",      "july",   "august",   "september",
      "october",    "november", "december",  "today",  "tomorrow", "yesterday",
      "week",       "month",    "year",      "last",   "next",     "early",
      "late",       "mid",      "morning",   "night",  "part",     "side",
      "further",    "however",  "meanwhile", "mr",     "mrs",      "ms",
      "said:"};
  return *set;
}

const WordSet& AliasStartWords() {
  static const auto* set = [] {
    auto* words = new WordSet{};
    for (const auto& [alias, name] : ExactAliases()) {
      words->Insert(absl::AsciiStrToLower(alias));
    }
    // The first words of the phrases AliasAt reads.
    for (absl::string_view w :
         {"united", "new", "free", "islamic", "russian"}) {
      words->Insert(w);
    }
    return words;
  }();
  return *set;
}

// An alias of a name starting at token *i, the token a word with
// kAliasWord: sets *word to its one name and *i to its last token.
bool AliasAt(const std::vector<Token>& t, size_t last, size_t* i,
             absl::string_view* word) {
  const Token& tok = t[*i];
  if (tok.Capitalized()) {
    const WordMap<std::string>& aliases = ExactAliases();
    if (auto it = aliases.find(tok.text); it != aliases.end()) {
      *word = it->second;
      return true;
    }
  }
  const size_t k = *i;
  if (tok.Is("united") && k + 1 < last &&
      (t[k + 1].Is("states") || t[k + 1].Is("nations"))) {
    *word = t[k + 1].Is("states") ? "us" : "un";
    *i = k + 1;
  } else if (tok.Is("new") && k + 1 < last && t[k + 1].Is("york")) {
    *word = "new-york";
    *i = k + 2 < last && t[k + 2].Is("city") ? k + 2 : k + 1;
  } else if (tok.Is("free") && k + 2 < last && t[k + 1].Is("syrian") &&
             t[k + 2].Is("army")) {
    *word = "fsa";
    *i = k + 2;
  } else if (tok.Is("islamic") && k + 1 < last && t[k + 1].Is("state")) {
    *word = "isis";
    *i = k + 1;
  } else if (tok.Is("russian") && k + 1 < last && t[k + 1].Is("federation")) {
    *word = "russia";
    *i = k + 1;
  } else {
    return false;
  }
  return true;
}

void AppendNormalizedWords(const std::vector<Token>& t, size_t first,
                           size_t last, bool content_only,
                           std::vector<absl::string_view>* out,
                           std::forward_list<std::string>* spill) {
  for (size_t i = first; i < last && i < t.size(); ++i) {
    const Token& tok = t[i];
    if (tok.kind == TokenKind::kPunct) continue;
    // A lower-case stop word: it starts no alias below ("united", "new",
    // "free", "islamic" and "russian" are none).
    if (content_only && tok.Has(kStopWord) && !tok.Capitalized()) continue;
    absl::string_view word;
    // Whether `word` may be a stop word; plain words were tested already.
    bool test_stop = true;
    if (tok.kind == TokenKind::kNumber) {
      word = tok.text;
    } else if (tok.Has(kAliasWord) && AliasAt(t, last, &i, &word)) {
      // One name for all its aliases, as it is: "isis" is no plural.
      out->push_back(word);
      continue;
    } else {
      // Most words are plain: test the stop list on the token, which
      // carries its hash.
      if (content_only && tok.Has(kStopWord)) continue;
      word = tok.lower;
      if (word == "us") {
        word = "us_pronoun";
      } else {
        test_stop = false;
      }
    }
    if (content_only) {
      if (test_stop && StopWords().Contains(word)) continue;
      word = Stem(word, spill);
    }
    out->push_back(word);
  }
}

std::vector<std::string> NormalizedWords(const std::vector<Token>& t,
                                         size_t first, size_t last,
                                         bool content_only) {
  std::vector<absl::string_view> views;
  const size_t end = std::min(last, t.size());
  views.reserve(end > first ? end - first : 0);
  std::forward_list<std::string> spill;
  AppendNormalizedWords(t, first, last, content_only, &views, &spill);
  std::vector<std::string> out;
  out.reserve(views.size());
  for (absl::string_view w : views) out.emplace_back(w);
  return out;
}

std::string NormalizeQuote(absl::string_view text) {
  const TokenizedText tokenized = Tokenize(text);
  const std::vector<Token>& tokens = tokenized.tokens;
  return absl::StrJoin(NormalizedWords(tokens, 0, tokens.size(), false), " ");
}

std::vector<std::string> ContentWordSet(absl::string_view text) {
  const TokenizedText tokenized = Tokenize(text);
  const std::vector<Token>& tokens = tokenized.tokens;
  std::vector<std::string> words =
      NormalizedWords(tokens, 0, tokens.size(), true);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

size_t SharedWords(const std::vector<std::string>& a,
                   const std::vector<std::string>& b) {
  size_t shared = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++shared;
      ++i;
      ++j;
    }
  }
  return shared;
}

}  // namespace crosscheck::claims
