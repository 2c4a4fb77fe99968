#include "claims/word_normalizer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

namespace crosscheck::claims {
namespace {

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

// Aliases of one name, keyed by the exact token (case matters: "US" is the
// country, "us" the pronoun).
const absl::flat_hash_map<std::string, std::string>& ExactAliases() {
  static const auto* map = new absl::flat_hash_map<std::string, std::string>{
      {"US", "us"},       {"USA", "us"},         {"U.S.", "us"},
      {"U.S.A.", "us"},   {"U.S", "us"},         {"America", "us"},
      {"NY", "new-york"}, {"NYC", "new-york"},   {"UN", "un"},
      {"U.N.", "un"},     {"UK", "uk"},          {"U.K.", "uk"},
      {"Britain", "uk"},  {"Kremlin", "moscow"}, {"ISIS", "isis"},
      {"ISIL", "isis"},   {"IS", "isis"},        {"Daesh", "isis"},
      {"FSA", "fsa"},     {"EU", "eu"}};
  return *map;
}

// Strips a common suffix in place.
void Stem(std::string* w) {
  const size_t n = w->size();
  // "russian" -> "russia", "syrian" -> "syria": demonyms meet their place.
  if (n > 5 && absl::EndsWith(*w, "ian")) {
    w->resize(n - 1);
  } else if (n > 5 && absl::EndsWith(*w, "ing")) {
    w->resize(n - 3);
  } else if (n > 4 && absl::EndsWith(*w, "ies")) {
    w->resize(n - 3);
    w->push_back('y');
  } else if (n > 4 && absl::EndsWith(*w, "ed")) {
    w->resize(n - 2);
  } else if (n > 3 && absl::EndsWith(*w, "s") && !absl::EndsWith(*w, "ss")) {
    w->resize(n - 1);
  }
}

}  // namespace

std::vector<std::string> NormalizedWords(const std::vector<Token>& t,
                                         size_t first, size_t last,
                                         bool content_only) {
  std::vector<std::string> out;
  const size_t end = std::min(last, t.size());
  out.reserve(end > first ? end - first : 0);
  for (size_t i = first; i < last && i < t.size(); ++i) {
    const Token& tok = t[i];
    if (tok.kind == TokenKind::kPunct) continue;
    std::string word;
    // Whether `word` may be a stop word; plain words were tested already.
    bool test_stop = true;
    if (tok.kind == TokenKind::kNumber) {
      word = std::string(tok.text);
    } else if (auto it = tok.Capitalized() ? ExactAliases().find(tok.text)
                                           : ExactAliases().end();
               it != ExactAliases().end()) {
      word = it->second;
    } else if (tok.Is("united") && i + 1 < last &&
               (t[i + 1].Is("states") || t[i + 1].Is("nations"))) {
      word = t[i + 1].Is("states") ? "us" : "un";
      ++i;
    } else if (tok.Is("new") && i + 1 < last && t[i + 1].Is("york")) {
      word = "new-york";
      ++i;
      if (i + 1 < last && t[i + 1].Is("city")) ++i;
    } else if (tok.Is("free") && i + 2 < last && t[i + 1].Is("syrian") &&
               t[i + 2].Is("army")) {
      word = "fsa";
      i += 2;
    } else if (tok.Is("islamic") && i + 1 < last && t[i + 1].Is("state")) {
      word = "isis";
      ++i;
    } else if (tok.Is("russian") && i + 1 < last && t[i + 1].Is("federation")) {
      word = "russia";
      ++i;
    } else {
      // Most words are plain: test the stop list before copying.
      if (content_only && StopWords().Contains(tok)) continue;
      word = std::string(tok.lower);
      if (word == "us") {
        word = "us_pronoun";
      } else {
        test_stop = false;
      }
    }
    if (content_only) {
      if (test_stop && StopWords().Contains(word)) continue;
      Stem(&word);
    }
    out.push_back(std::move(word));
  }
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
