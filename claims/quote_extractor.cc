#include "claims/quote_extractor.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

namespace crosscheck::claims {

const WordSet& SpeechVerbs() {
  static const auto* set = new WordSet{
      "said",      "says",       "say",        "told",         "tells",
      "added",     "adds",       "asked",      "stated",       "states",
      "declared",  "announced",  "explained",  "insisted",     "warned",
      "noted",     "wrote",      "writes",     "tweeted",      "argued",
      "replied",   "responded",  "claimed",    "continued",    "recalled",
      "stressed",  "emphasized", "emphasised", "acknowledged", "admitted",
      "conceded",  "urged",      "vowed",      "promised",     "remarked",
      "commented", "reiterated", "confirmed",  "saying",       "telling"};
  return *set;
}

// Words that name a role, not a person; dropped before a name.
const WordSet& TitleWords() {
  static const auto* set = new WordSet{
      "mr",           "mrs",        "ms",        "dr",         "sir",
      "president",    "secretary",  "minister",  "spokesman",  "spokeswoman",
      "spokesperson", "foreign",    "defense",   "defence",    "prime",
      "chief",        "state",      "of",        "us",         "u.s.",
      "russian",      "kremlin",    "general",   "gen",        "senator",
      "sen",          "rep",        "governor",  "gov",        "envoy",
      "ambassador",   "deputy",     "vice",      "leader",     "king",
      "queen",        "prince",     "pope",      "chancellor", "mayor",
      "staff",        "army",       "aide",      "official",   "turkish",
      "american",     "british",    "french",    "german",     "chinese",
      "syrian",       "ukrainian",  "israeli",   "iranian",    "saudi",
      "commander",    "director",   "head",      "chairman",   "judge",
      "attorney",     "justice",    "lt",        "col",        "capt",
      "sgt",          "prof",       "professor", "the",        "white",
      "house",        "department", "un",        "u.n.",       "nato"};
  return *set;
}

namespace {

bool IsDeterminer(const Token& t) {
  return t.Is("a") || t.Is("an") || t.Is("the") || t.Is("this") || t.Is("it") ||
         t.Is("that");
}

bool IsPronoun(absl::string_view lower) {
  return lower == "he" || lower == "she" || lower == "they";
}

struct NameIndex {
  // Surname -> fullest name seen ("Kerry" -> "John Kerry").
  absl::flat_hash_map<std::string, std::string> fullest;

  void Add(const std::string& name) {
    size_t space = name.rfind(' ');
    std::string surname =
        space == std::string::npos ? name : name.substr(space + 1);
    auto& best = fullest[surname];
    if (name.size() > best.size()) best = name;
  }
  std::string Resolve(const std::string& name) const {
    size_t space = name.rfind(' ');
    std::string surname =
        space == std::string::npos ? name : name.substr(space + 1);
    auto it = fullest.find(surname);
    if (it == fullest.end() || it->second.size() <= name.size()) return name;
    return it->second;
  }
};

struct QuoteScan {
  absl::string_view text;
  const std::vector<Token>& t;
  NameIndex names;
  std::string last_person;

  std::string Slice(uint32_t first, uint32_t last) const {
    return TokenText(text, t, first, last);
  }

  // A person's name inside tokens [first, last): the capitalised words after
  // the last title word ("spokesman Josh Earnest" -> "Josh Earnest").
  std::string PersonName(uint32_t first, uint32_t last) const {
    uint32_t b = first;
    for (uint32_t k = first; k < last; ++k) {
      if (t[k].Has(kTitleWord)) b = k + 1;
    }
    if (b >= last) return "";
    for (uint32_t k = b; k < last; ++k) {
      if (!t[k].Capitalized()) return "";
    }
    return Slice(b, last);
  }

  // Makes the speaker of tokens [first, last): a person by their fullest
  // name, or the phrase as written ("the statement", "the Defense
  // Ministry").
  std::string Speaker(uint32_t first, uint32_t last) {
    while (first < last && t[first].kind == TokenKind::kPunct) ++first;
    while (last > first && t[last - 1].kind == TokenKind::kPunct) --last;
    if (first >= last || last - first > 8) return "";
    if (last - first == 1 && IsPronoun(t[first].lower)) return last_person;
    // "A statement issued by the Russian Foreign Ministry".
    for (uint32_t k = first; k + 1 < last; ++k) {
      if (t[k].Is("by") && k > first) {
        uint32_t b = k + 1;
        if (t[b].Is("the")) ++b;
        uint32_t e = b;
        while (e < last && t[e].Capitalized()) ++e;
        if (e > b) return Slice(b, e);
      }
    }
    if (last - first == 1 && IsDeterminer(t[first])) return "";
    std::string person = PersonName(first, last);
    if (!person.empty()) {
      person = names.Resolve(person);
      last_person = person;
      return person;
    }
    bool any_capital = false;
    for (uint32_t k = first; k < last; ++k) any_capital |= t[k].Capitalized();
    // "the statement", "the ministry": a lower-case noun phrase with the.
    if (!any_capital && !t[first].Is("the") && !t[first].Is("a")) return "";
    return Slice(first, last);
  }

  bool IsSpeech(uint32_t i) const {
    return i < t.size() && t[i].kind == TokenKind::kWord &&
           t[i].Has(kSpeechVerb);
  }

  // Noun phrase ending just before token `verb`, back to a clause break.
  uint32_t PhraseStart(uint32_t verb, uint32_t floor) const {
    uint32_t b = verb;
    while (b > floor && b > verb - std::min<uint32_t>(verb, 8)) {
      const Token& w = t[b - 1];
      if (w.kind == TokenKind::kPunct && w.text != ".") break;
      if (w.quote != QuoteMark::kNone) break;
      if (w.kind == TokenKind::kWord && !w.Capitalized() && !w.Is("'s") &&
          b < verb && (w.Is("that") || w.Is("and") || w.Is("but"))) {
        break;
      }
      --b;
    }
    return b;
  }
};

// Lists, in `opens`, the tokens that may open a quote (opening and
// straight marks, which are among the tokenizer's marks), and indexes the
// names of the document: runs of two to four capitalised words within a
// line, after any title word. Only the marks and the capitalised words
// are visited.
void CollectNames(QuoteScan* scan, const TokenizedText& tokenized,
                  std::vector<uint32_t>* opens) {
  const auto& t = scan->t;
  for (const uint32_t m : tokenized.marks) {
    if (t[m].quote == QuoteMark::kOpen || t[m].quote == QuoteMark::kStraight) {
      opens->push_back(m);
    }
  }
  // A run is capitalised words one after another, the first of a line
  // (with a line break before it) in none.
  const std::vector<uint32_t>& capitals = tokenized.capitals;
  for (size_t k = 0; k < capitals.size();) {
    const uint32_t i = capitals[k++];
    if (t[i].newline_before) continue;
    uint32_t j = i + 1;
    while (k < capitals.size() && capitals[k] == j && !t[j].newline_before) {
      ++j;
      ++k;
    }
    // The trailing run of non-title capitalised words is a name.
    uint32_t b = j;
    while (b > i && !t[b - 1].Has(kTitleWord)) --b;
    if (j - b >= 2 && j - b <= 4) scan->names.Add(scan->Slice(b, j));
  }
}

}  // namespace

std::vector<Quote> FindQuotes(absl::string_view text,
                              const TokenizedText& tokenized,
                              const std::vector<Sentence>& sentences) {
  const std::vector<Token>& t = tokenized.tokens;
  std::vector<Quote> out;
  QuoteScan scan{text, t, {}, {}};
  std::vector<uint32_t> opens;
  CollectNames(&scan, tokenized, &opens);
  // The sentence of a token: sentences cover the tokens in order, so it
  // is the last one starting at or before the token. Quotes are few; a
  // search per quote costs less than an index of every token.
  auto sentence_of = [&sentences](uint32_t token) -> const Sentence& {
    auto after = std::upper_bound(
        sentences.begin(), sentences.end(), token,
        [](uint32_t k, const Sentence& s) { return k < s.first; });
    return after == sentences.begin() ? sentences.front() : *(after - 1);
  };
  const uint32_t n = static_cast<uint32_t>(t.size());
  // The marks in order; a mark inside a quote already read opens none.
  uint32_t i = 0;
  for (const uint32_t open : opens) {
    if (open < i) continue;
    i = open;
    const Token& tok = t[i];
    // Find the matching close within the paragraph.
    uint32_t depth = 0, close = 0, last_close = 0;
    bool straight = tok.quote == QuoteMark::kStraight;
    uint32_t j = i + 1;
    for (; j < n && !t[j].newline_before; ++j) {
      if (straight) {
        if (t[j].quote == QuoteMark::kStraight) {
          close = j;
          break;
        }
        continue;
      }
      if (t[j].quote == QuoteMark::kOpen) ++depth;
      if (t[j].quote == QuoteMark::kClose) {
        last_close = j;
        if (depth == 0) {
          close = j;
          break;
        }
        --depth;
      }
    }
    if (close == 0) close = last_close;
    if (close <= i + 1) continue;
    Quote q;
    q.open = i;
    q.close = close;
    q.text_begin = t[i].end;
    q.text_end = t[close].begin;
    // Trim the quote's own trailing comma or space.
    while (q.text_end > q.text_begin &&
           (text[q.text_end - 1] == ' ' || text[q.text_end - 1] == ',')) {
      --q.text_end;
    }
    const Sentence& so = sentence_of(i);
    const Sentence& sc = sentence_of(close);
    std::string speaker;
    // "X said: “...”" / "X said, “...”".
    uint32_t b = i;
    if (b > so.first && (t[b - 1].IsPunct(":") || t[b - 1].IsPunct(","))) --b;
    if (b > so.first && scan.IsSpeech(b - 1)) {
      uint32_t verb = b - 1;
      speaker = scan.Speaker(scan.PhraseStart(verb, so.first), verb);
    }
    // "“...”, said X" / "“...”, X said".
    if (speaker.empty()) {
      uint32_t a = close + 1;
      while (a < sc.last && a < close + 3 && t[a].kind == TokenKind::kPunct &&
             t[a].quote == QuoteMark::kNone && t[a].text != ".") {
        ++a;
      }
      if (a < sc.last && scan.IsSpeech(a)) {
        uint32_t e = a + 1;
        while (e < sc.last && e < a + 6 &&
               (t[e].Capitalized() || t[e].Is("the"))) {
          ++e;
        }
        speaker = scan.Speaker(a + 1, e);
      } else {
        for (uint32_t v = a; v < sc.last && v < a + 7; ++v) {
          if (t[v].kind == TokenKind::kPunct) break;
          if (scan.IsSpeech(v)) {
            speaker = scan.Speaker(a, v);
            break;
          }
        }
      }
    }
    // A speech verb earlier in the sentence: "X said the US ... “...”".
    if (speaker.empty() && i > so.first) {
      for (uint32_t v = i; v > so.first; --v) {
        if (scan.IsSpeech(v - 1) && !t[v - 1].Is("telling")) {
          uint32_t verb = v - 1;
          if (t[verb].Is("saying") && verb > so.first &&
              t[verb - 1].IsPunct(",")) {
            break;  // The subject of the sentence said it; see below.
          }
          speaker = scan.Speaker(scan.PhraseStart(verb, so.first), verb);
          break;
        }
      }
    }
    // The sentence's subject: "Kerry called Lavrov the “co-convenor”".
    if (speaker.empty() && i > so.first) {
      uint32_t s0 = so.first;
      // Skip a leading clause: "Appearing beside Kerry, ...", "However, ".
      for (uint32_t k = s0; k < i && k < s0 + 8; ++k) {
        if (t[k].IsPunct(",") && k + 1 < i &&
            (!t[s0].Capitalized() || absl::EndsWith(t[s0].lower, "ing") ||
             t[s0].Is("however") || t[s0].Is("meanwhile") ||
             t[s0].Is("appearing") || t[s0].Is("speaking"))) {
          s0 = k + 1;
          break;
        }
      }
      uint32_t e = s0;
      while (e < i && (t[e].Capitalized() || t[e].Is("of") || t[e].Is("the") ||
                       t[e].Is("'s"))) {
        ++e;
      }
      if (e == s0 + 1 && IsDeterminer(t[s0])) {
        // "A statement issued by the Russian Foreign Ministry aired ...":
        // the phrase up to its first comma.
        e = s0 + 1;
        while (e < i && e < s0 + 10 && t[e].kind != TokenKind::kPunct) ++e;
      }
      if (e > s0 && e < i) {
        speaker = scan.Speaker(s0, e);
        // "A statement issued by X aired ...".
      } else if (e < i && IsPronoun(t[e].lower)) {
        speaker = scan.last_person;
      }
      if (speaker.empty()) {
        for (uint32_t k = s0; k + 2 < i; ++k) {
          if (t[k].Is("by")) {
            uint32_t bb = k + 1;
            if (t[bb].Is("the")) ++bb;
            uint32_t ee = bb;
            while (ee < i && t[ee].Capitalized()) ++ee;
            if (ee > bb) speaker = scan.Slice(bb, ee);
            break;
          }
        }
      }
    }
    q.speaker = speaker;
    out.push_back(std::move(q));
    i = close + 1;
  }
  return out;
}

}  // namespace crosscheck::claims
