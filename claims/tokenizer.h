#ifndef CROSSCHECK_CLAIMS_TOKENIZER_H_
#define CROSSCHECK_CLAIMS_TOKENIZER_H_

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"

namespace crosscheck::claims {

enum class TokenKind : uint8_t {
  kWord,    // Letters, with inner hyphens, dots of initialisms ("U.S.").
  kNumber,  // Digits with inner separators ("220,000", "7.6").
  kPunct,   // One punctuation mark, possibly multi-byte ("“", "–").
};

// Quotation marks the tokenizer recognises.
enum class QuoteMark : uint8_t { kNone, kOpen, kClose, kStraight };

// Classes of words that the extractors ask about nearly every token. The
// tokenizer looks each word up once (word_classes.cc gathers the lists
// from the extractors) and keeps the answer on the token.
enum WordClass : uint16_t {
  kDateStart = 1 << 0,     // A date can start with it ("last", "March").
  kDateLead = 1 << 1,      // Starts a date only before a date word ("the").
  kDateWord = 1 << 2,      // Makes a date of a lead word ("week", "May").
  kNumberStart = 1 << 3,   // A figure can start with it ("over", "dozens").
  kNumberWord = 1 << 4,    // A word of a figure ("million", "half").
  kStopWord = 1 << 5,      // Dropped from content words ("the", "said").
  kSpeechVerb = 1 << 6,    // Introduces a quote ("said", "told").
  kTitleWord = 1 << 7,     // A role before a name ("spokesman", "Mr").
  kAliasWord = 1 << 8,     // May start an alias of a name ("US", "new").
  kDayOrHoliday = 1 << 9,  // Starts a day in words or a holiday ("second",
                           // "dozen", "Easter").
};

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
  // WordClass bits of a word token's lower-case form.
  uint16_t classes = 0;
  absl::string_view text;
  // ASCII-lowercased word, a view into TokenizedText::lowered (or into a
  // padded constant); empty for other kinds. The 8 bytes from its start
  // may always be read, past its end too: word sets compare short words
  // with one load.
  absl::string_view lower;
  // WordHash(lower), computed once by the tokenizer so that word sets probe
  // without hashing again.
  uint32_t hash = 0;
  // Offset of the first '-' in `lower`, or 0 when it has none (a word never
  // starts with one).
  uint32_t dash = 0;
  // A word whose first letter is an ASCII capital.
  bool capital = false;

  // Inlined, like IsPunct, so that a literal's length is a constant and
  // most tests end at comparing lengths.
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Is(absl::string_view word) const {
    return lower == word;
  }
  bool Has(WordClass c) const { return (classes & c) != 0; }
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool IsPunct(absl::string_view mark) const {
    return kind == TokenKind::kPunct && text == mark;
  }
  // First letter is an ASCII capital.
  bool Capitalized() const { return capital; }
};

// The hash word sets use. A word's bytes are read as little-endian
// 64-bit chunks, the last padded with zeros (words hold no zero byte), and
// each chunk is mixed in with one multiplication: most words of news text
// are one chunk, so hashing takes no loop over bytes.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "word hashes read chunks little-endian");
inline uint64_t MixWordChunk(uint64_t h, uint64_t chunk) {
  return (h ^ chunk) * 0x9E3779B97F4A7C15ull;
}
inline uint32_t FinishWordHash(uint64_t h) {
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return static_cast<uint32_t>(h >> 32);
}
// The first min(n, 8) bytes at `p`, zero-padded, as a little-endian
// number, from loads that stay inside the n bytes: for 1-7 bytes, two
// loads that may overlap (an overlapped byte lands at the same place from
// both).
inline uint64_t LoadWordChunk(const char* p, size_t n) {
  uint64_t chunk = 0;
  if (n >= 8) {
    std::memcpy(&chunk, p, 8);
  } else if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    chunk = lo | (uint64_t{hi} << (8 * (n - 4)));
  } else if (n >= 2) {
    uint16_t lo, hi;
    std::memcpy(&lo, p, 2);
    std::memcpy(&hi, p + n - 2, 2);
    chunk = lo | (uint64_t{hi} << (8 * (n - 2)));
  } else if (n == 1) {
    chunk = static_cast<unsigned char>(p[0]);
  }
  return chunk;
}
inline uint32_t WordHash(absl::string_view word) {
  uint64_t h = 0;
  size_t k = 0;
  for (; k + 8 <= word.size(); k += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, word.data() + k, 8);
    h = MixWordChunk(h, chunk);
  }
  if (k < word.size()) {
    h = MixWordChunk(h, LoadWordChunk(word.data() + k, word.size() - k));
  }
  return FinishWordHash(h);
}
// WordHash of the `size` bytes at `p`, where the 8 bytes after the word
// may be read: whole chunks are loaded and the last one masked.
inline uint32_t PaddedWordHash(const char* p, size_t size) {
  uint64_t h = 0;
  size_t k = 0;
  for (; k + 8 <= size; k += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p + k, 8);
    h = MixWordChunk(h, chunk);
  }
  if (k < size) {
    uint64_t chunk;
    std::memcpy(&chunk, p + k, 8);
    h = MixWordChunk(h, chunk & (~0ull >> (64 - 8 * (size - k))));
  }
  return FinishWordHash(h);
}

// A map from lower-case words to values, open addressing keyed by WordHash:
// a token (which carries its hash) is looked up with one probe and, on a
// hit, one comparison; tables stay at most a quarter full, so misses, the
// common case, end at the first or second slot. It reads like
// absl::flat_hash_map (find, end, contains, at, iteration in insertion order);
// find gives a pointer to the entry, and end() when the word is absent. The
// first insertion of a word wins. Immutable and thread-safe after building.
template <typename V>
class WordMap {
 public:
  using value_type = std::pair<std::string, V>;

  WordMap() : slots_(64), mask_(63) {}
  WordMap(std::initializer_list<std::pair<absl::string_view, V>> entries)
      : WordMap() {
    items_.reserve(entries.size());
    for (const auto& [word, value] : entries) Insert(word, value);
  }

  void Insert(absl::string_view word, V value) {
    if (word.empty() || contains(word)) return;
    // Slots hold 16-bit indices: a map is a fixed word list of at most
    // 65,534 words, and a longer one is a programming error.
    if (items_.size() + 1 >= kFree) std::abort();
    if ((items_.size() + 1) * 4 > slots_.size()) {
      slots_.assign(slots_.size() * 2, Slot{});
      mask_ = slots_.size() - 1;
      for (size_t k = 0; k < items_.size(); ++k) {
        Place(hashes_[k], static_cast<uint32_t>(k));
      }
    }
    const uint32_t hash = WordHash(word);
    Place(hash, static_cast<uint32_t>(items_.size()));
    items_.emplace_back(std::string(word), std::move(value));
    // Keys longer than 8 bytes get head 0, which no shorter word has.
    uint64_t head = 0;
    if (word.size() <= 8) std::memcpy(&head, word.data(), word.size());
    heads_.push_back(head);
    hashes_.push_back(hash);
  }

  const value_type* find(absl::string_view word) const {
    return Find(word, WordHash(word));
  }
  const value_type* find(const Token& tok) const {
    return FindPadded(tok.lower, tok.hash);
  }
  bool contains(absl::string_view word) const { return find(word) != end(); }
  bool contains(const Token& tok) const { return find(tok) != end(); }
  // The value of a word the map holds.
  const V& at(absl::string_view word) const { return find(word)->second; }

  const value_type* begin() const { return items_.data(); }
  const value_type* end() const { return items_.data() + items_.size(); }
  size_t size() const { return items_.size(); }

 private:
  // Four bytes a slot, so that the tables probed for every word stay in
  // the first-level cache: the hash's top half (its bottom bits pick the
  // slot) and the entry's index.
  struct Slot {
    uint16_t tag = 0;
    uint16_t index = kFree;
  };
  static constexpr uint16_t kFree = 0xFFFF;
  static uint16_t Tag(uint32_t hash) {
    return static_cast<uint16_t>(hash >> 16);
  }

  void Place(uint32_t hash, uint32_t index) {
    size_t i = hash & mask_;
    while (slots_[i].index != kFree) i = (i + 1) & mask_;
    slots_[i] = Slot{Tag(hash), static_cast<uint16_t>(index)};
  }
  const value_type* Find(absl::string_view word, uint32_t hash) const {
    if (word.empty()) return end();
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.index == kFree) return end();
      if (slot.tag != Tag(hash)) continue;
      // Words are short: comparing inline costs less than calling memcmp.
      const std::string& key = items_[slot.index].first;
      if (key.size() != word.size()) continue;
      size_t k = 0;
      while (k < key.size() && key[k] == word[k]) ++k;
      if (k == key.size()) return &items_[slot.index];
    }
  }
  // Find for a word whose 8 bytes from its start may be read: a word of up
  // to 8 bytes is compared with one masked load, without a loop whose
  // length the processor cannot foresee.
  const value_type* FindPadded(absl::string_view word, uint32_t hash) const {
    if (word.size() > 8) return Find(word, hash);
    if (word.empty()) return end();
    uint64_t chunk;
    std::memcpy(&chunk, word.data(), 8);
    return FindChunk(chunk & (~0ull >> (64 - 8 * word.size())), hash);
  }

 public:
  // Find for a word of 1 to 8 bytes given as its bytes zero-padded to 8
  // (little-endian) and its WordHash: for a caller that has both at hand.
  const value_type* FindChunk(uint64_t chunk, uint32_t hash) const {
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.index == kFree) return end();
      // Keys hold no zero byte: equal heads are equal words of the same
      // length.
      if (heads_[slot.index] == chunk) return &items_[slot.index];
    }
  }

 private:
  std::vector<value_type> items_;
  // Each key of up to 8 bytes, zero-padded; 0 for longer keys.
  std::vector<uint64_t> heads_;
  std::vector<uint32_t> hashes_;
  std::vector<Slot> slots_;
  size_t mask_;
};

// A set of lower-case words: a WordMap without values, so a token (which
// carries its hash) is tested with one probe and, on a hit, one comparison.
// Insert only while building; immutable and thread-safe after.
class WordSet {
 public:
  WordSet() = default;
  WordSet(std::initializer_list<absl::string_view> words) {
    for (absl::string_view w : words) Insert(w);
  }
  void Insert(absl::string_view word) { words_.Insert(word, Present{}); }
  bool Contains(absl::string_view word) const { return words_.contains(word); }
  // Whether the token's lower-case form is in the set.
  bool Contains(const Token& tok) const { return words_.contains(tok); }
  // The spelling of absl's sets, so that either reads the same.
  bool contains(absl::string_view word) const { return Contains(word); }
  bool contains(const Token& tok) const { return Contains(tok); }
  // The words, in the order they were inserted.
  std::vector<absl::string_view> Words() const {
    std::vector<absl::string_view> out;
    out.reserve(words_.size());
    for (const auto& [word, present] : words_) out.push_back(word);
    return out;
  }

 private:
  struct Present {};
  WordMap<Present> words_;
};

// A WordMap from a word of each item (a phrase's first word, say) to the
// items with that word, in the order `items` gives them: a lookup then
// finds the few items a token can start.
template <typename T, typename Items, typename WordOf>
WordMap<std::vector<const T*>> GroupByWord(const Items& items, WordOf word_of) {
  std::vector<std::pair<absl::string_view, std::vector<const T*>>> groups;
  for (const T& item : items) {
    const absl::string_view word = word_of(item);
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const auto& g) { return g.first == word; });
    if (group == groups.end()) {
      groups.push_back({word, {&item}});
    } else {
      group->second.push_back(&item);
    }
  }
  WordMap<std::vector<const T*>> map;
  for (auto& [word, list] : groups) map.Insert(word, std::move(list));
  return map;
}

// Every listed word with its WordClass bits (word_classes.cc).
const WordMap<uint16_t>& WordClassTable();

// The WordClass bits of a word token, from its lower-case form and hash.
inline uint16_t WordClassesOf(const WordMap<uint16_t>& table,
                              const Token& tok) {
  const auto* it = table.find(tok);
  return it == table.end() ? 0 : it->second;
}

// The tokens of a text and the lower-case copy of the text their `lower`
// views point into. Moving it keeps the views valid; copying the tokens
// out of it does not. `Token::text` views the text itself, which must
// outlive both.
struct TokenizedText {
  std::vector<Token> tokens;
  // In order, the indices of the punctuation tokens and of the other
  // tokens that start a line: every token sentence splitting asks about.
  std::vector<uint32_t> marks;
  // In order, the indices of the tokens a date may start at: numbers, and
  // words of class kDateStart or with a hyphen after their first three
  // bytes ("mid-September"). The date scan visits these alone.
  std::vector<uint32_t> date_starts;
  // In order, the indices of the tokens a figure may need: numbers, words
  // of class kNumberWord, and words with a hyphen or a first byte beyond
  // ASCII, which the figure extractor tests further ("six-mile"). A
  // sentence without one holds no figure.
  std::vector<uint32_t> figure_hints;
  // In order, the indices of the words that start with an ASCII capital:
  // names are runs of them.
  std::vector<uint32_t> capitals;
  // The text lower-cased, then kLoweredPadding zero bytes, so that word
  // scans and hashes may read 8 bytes at a time past a word's end.
  static constexpr size_t kLoweredPadding = 16;
  std::unique_ptr<char[]> lowered;
  // Bytes `lowered` holds room for.
  size_t lowered_capacity = 0;
};

// Splits UTF-8 text into tokens. "Monday’s" yields "Monday" and "’s";
// "Su-24" and "cease-fire" stay one word; "600m" yields "600" and "m".
TokenizedText Tokenize(absl::string_view text);

// Tokenize into `out`, replacing what it held and reusing its memory: a
// caller that tokenizes one document after another allocates only when a
// document is larger than all before it.
void TokenizeInto(absl::string_view text, TokenizedText* out);

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
// "U.S.") or falls inside an open quotation. Only the tokens in `marks`
// are visited, not every word.
std::vector<Sentence> SplitSentences(const TokenizedText& tokenized);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_TOKENIZER_H_
