#ifndef CROSSCHECK_CLAIMS_TOKENIZER_H_
#define CROSSCHECK_CLAIMS_TOKENIZER_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace crosscheck::claims {

enum class TokenKind : uint8_t {
  kWord,    // Letters, with inner hyphens, dots of initialisms ("U.S.").
  kNumber,  // Digits with inner separators ("220,000", "7.6").
  kPunct,   // One punctuation mark, possibly multi-byte ("“", "–").
};

// Quotation marks the tokenizer recognises.
enum class QuoteMark : uint8_t { kNone, kOpen, kClose, kStraight };

// A token of a document: a view into the text plus its byte offsets. Views
// stay valid as long as the text they were made from.
struct Token {
  TokenKind kind = TokenKind::kWord;
  QuoteMark quote = QuoteMark::kNone;
  uint32_t begin = 0;
  uint32_t end = 0;
  // True when a line break separates this token from the previous one.
  bool newline_before = false;
  // True when whitespace separates this token from the previous one.
  bool space_before = false;
  absl::string_view text;
  // ASCII-lowercased word; empty for other kinds.
  std::string lower;

  bool Is(absl::string_view word) const { return lower == word; }
  bool IsPunct(absl::string_view mark) const {
    return kind == TokenKind::kPunct && text == mark;
  }
  // First letter is an ASCII capital.
  bool Capitalized() const {
    return kind == TokenKind::kWord && !text.empty() && text[0] >= 'A' &&
           text[0] <= 'Z';
  }
};

// A set of lower-case words that answers "not in the set" for most words
// without hashing: a bitmap of the first two letters and the length screens
// them first.
// Immutable after construction; thread-safe.
class WordSet {
 public:
  explicit WordSet(std::initializer_list<absl::string_view> words);
  void Insert(absl::string_view word);
  bool Contains(absl::string_view word) const;

 private:
  static size_t Slot(absl::string_view word);
  std::vector<bool> prefixes_;
  absl::flat_hash_set<std::string> words_;
};

// Splits UTF-8 text into tokens. "Monday’s" yields "Monday" and "’s";
// "Su-24" and "cease-fire" stay one word; "600m" yields "600" and "m".
std::vector<Token> Tokenize(absl::string_view text);

// The text that tokens [first, last) span, spaces between them included;
// "" for an empty range.
std::string TokenText(absl::string_view text, const std::vector<Token>& tokens,
                      uint32_t first, uint32_t last);

// A sentence: tokens [first, last) and bytes [begin, end).
struct Sentence {
  uint32_t first = 0;
  uint32_t last = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

// Splits tokens into sentences. A sentence ends at a line break (headlines
// carry no full stop), or at . ! ? followed by a capital, a digit or an
// opening quote, unless the full stop ends an abbreviation ("Mr.", "Dec.",
// "U.S.") or falls inside an open quotation.
std::vector<Sentence> SplitSentences(const std::vector<Token>& tokens);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_TOKENIZER_H_
