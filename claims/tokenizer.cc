#include "claims/tokenizer.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/container/flat_hash_set.h"

namespace crosscheck::claims {
namespace {

// ASCII letters, by table: the word loop asks this of every byte.
constexpr auto kAsciiLetters = [] {
  std::array<bool, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  return table;
}();
bool IsAsciiLetter(unsigned char c) { return kAsciiLetters[c]; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// What a byte starts, by table: the main loop asks this of every token and
// of every space between tokens.
enum ByteClass : uint8_t {
  kOtherByte,  // ASCII punctuation and control characters.
  kSpaceByte,  // ' ', '\t', '\f', '\v'.
  kBreakByte,  // '\n', '\r'.
  kDigitByte,
  kLetterByte,  // ASCII letters.
  kHighByte,    // A byte of a multi-byte character.
};
constexpr auto kByteClasses = [] {
  std::array<ByteClass, 256> table{};
  for (int c = 0x80; c < 0x100; ++c) table[c] = kHighByte;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = kLetterByte;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = kLetterByte;
  for (int c = '0'; c <= '9'; ++c) table[c] = kDigitByte;
  table[' '] = table['\t'] = table['\f'] = table['\v'] = kSpaceByte;
  table['\n'] = table['\r'] = kBreakByte;
  return table;
}();

// Bytes after a run of letters that may continue the word: any byte of a
// multi-byte character, digits, '-', '\'' and '.'. Every other byte ends
// it, most often a space or a comma.
constexpr auto kMayContinueWord = [] {
  std::array<bool, 256> table{};
  for (int c = 0x80; c < 0x100; ++c) table[c] = true;
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  table['-'] = table['\''] = table['.'] = true;
  return table;
}();

// Multi-byte punctuation the tokenizer must not take for letters: after
// the lead byte 0xC2, « (opens a quote), » (closes one) and the no-break
// space; after 0xE2 0x80, the curly quotes “ ” „ (“ and „ open, ” closes)
// and ‘ ’, the dashes – —, the ellipsis … and the prime ′.
bool MultiPunctLead(unsigned char c) { return c == 0xE2 || c == 0xC2; }

// Length of the multi-byte punctuation at `s`, or 0; its quotation role in
// *quote. Decoded by its bytes: this runs for every multi-byte character.
size_t MultiPunctAt(absl::string_view s, QuoteMark* quote) {
  if (s.size() < 2) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b0 == 0xC2) {
    switch (b1) {
      case 0xAB:  // U+00AB «
        *quote = QuoteMark::kOpen;
        return 2;
      case 0xBB:  // U+00BB »
        *quote = QuoteMark::kClose;
        return 2;
      case 0xA0:  // U+00A0 no-break space
        *quote = QuoteMark::kNone;
        return 2;
      default:
        return 0;
    }
  }
  if (b0 != 0xE2 || b1 != 0x80 || s.size() < 3) return 0;
  switch (static_cast<unsigned char>(s[2])) {
    case 0x9C:  // U+201C “
    case 0x9E:  // U+201E „
      *quote = QuoteMark::kOpen;
      return 3;
    case 0x9D:  // U+201D ”
      *quote = QuoteMark::kClose;
      return 3;
    case 0x98:  // U+2018 ‘
    case 0x99:  // U+2019 ’
    case 0x93:  // U+2013 –
    case 0x94:  // U+2014 —
    case 0xA6:  // U+2026 …
    case 0xB2:  // U+2032 ′
      *quote = QuoteMark::kNone;
      return 3;
    default:
      return 0;
  }
}

size_t Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// A byte that can continue a word: ASCII letters and digits, or the start
// of a non-ASCII character that is not known punctuation.
bool WordByteAt(absl::string_view text, size_t i) {
  unsigned char c = text[i];
  if (IsAsciiLetter(c) || IsDigit(c)) return true;
  if (c < 0x80) return false;
  QuoteMark q;
  return MultiPunctAt(text.substr(i), &q) == 0;
}

bool WordStartAt(absl::string_view text, size_t i) {
  unsigned char c = text[i];
  if (IsAsciiLetter(c)) return true;
  if (c < 0x80) return false;
  QuoteMark q;
  return MultiPunctAt(text.substr(i), &q) == 0;
}

// The possessive's lower-case form, padded as Token::lower requires.
constexpr char kPossessiveBytes[16] = "'s";
constexpr absl::string_view kPossessive(kPossessiveBytes, 2);

// Sets the token's lower-case form, its hash, its first dash and its
// classes.
void SetLower(absl::string_view lower, const WordMap<uint16_t>& classes,
              Token* tok) {
  const size_t dash = lower.find('-');
  tok->lower = lower;
  tok->hash = WordHash(lower);
  tok->dash = dash == absl::string_view::npos ? 0 : static_cast<uint32_t>(dash);
  tok->classes = WordClassesOf(classes, *tok);
}

// How many of the kLetterRun bytes at `p` of the lower-case copy are
// ASCII letters before the first byte that is not: 'a'..'z', all of them
// below 0x80.
#if defined(__SSE2__)
// Sixteen bytes with SSE2 (every x86-64 processor has it): two compares
// and a mask, so that most words take one step.
constexpr size_t kLetterRun = 16;
size_t LeadingLetters(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compares: bytes from 0x80 up are negative, so no letter.
  const __m128i letters =
      _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
                    _mm_cmplt_epi8(x, _mm_set1_epi8('z' + 1)));
  const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(letters));
  return static_cast<size_t>(__builtin_ctz(~mask));
}
#else
// Eight bytes as one integer: a letter is a byte below 0x80 whose value
// lies in 'a'..'z'; the sums below stay within each byte.
constexpr size_t kLetterRun = 8;
size_t LeadingLetters(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  const uint64_t low7 = x & 0x7F7F7F7F7F7F7F7Full;
  const uint64_t from_a = low7 + 0x1F1F1F1F1F1F1F1Full;  // High bit: >= 'a'.
  const uint64_t past_z = low7 + 0x0505050505050505ull;  // High bit: > 'z'.
  const uint64_t letters = from_a & ~past_z & ~x & 0x8080808080808080ull;
  const uint64_t others = ~letters & 0x8080808080808080ull;
  return others == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(others)) / 8;
}
#endif
static_assert(TokenizedText::kLoweredPadding >= kLetterRun,
              "a letter run may read past the text's end");

const WordSet& Abbreviations() {
  static const auto* set = new WordSet{
      "mr",  "mrs",    "ms",  "dr",   "st",   "gen",  "sen",   "rep",
      "gov", "lt",     "col", "capt", "sgt",  "prof", "jan",   "feb",
      "mar", "apr",    "jun", "jul",  "aug",  "sep",  "sept",  "oct",
      "nov", "dec",    "no",  "vs",   "inc",  "corp", "co",    "ltd",
      "jr",  "sr",     "mt",  "ft",   "maj",  "adm",  "rev",   "gens",
      "est", "approx", "fig", "vol",  "cmdr", "supt", "messrs"};
  return *set;
}

}  // namespace

TokenizedText Tokenize(absl::string_view text) {
  TokenizedText out;
  TokenizeInto(text, &out);
  return out;
}

void TokenizeInto(absl::string_view text, TokenizedText* out) {
  // One lower-case copy of the whole text, with the same byte offsets;
  // word tokens view their part of it.
  // Not zeroed: every byte is written below.
  constexpr size_t kPadding = TokenizedText::kLoweredPadding;
  if (out->lowered == nullptr ||
      out->lowered_capacity < text.size() + kPadding) {
    out->lowered.reset(new char[text.size() + kPadding]);
    out->lowered_capacity = text.size() + kPadding;
  }
  char* lowered = out->lowered.get();
  size_t k = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: a byte is a capital when it lies in 'A'..'Z'
  // (signed compares: bytes from 0x80 up are negative, so none is), and
  // setting its bit 0x20 lower-cases it.
  for (; k + 16 <= text.size(); k += 16) {
    const __m128i x =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + k));
    const __m128i upper =
        _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                      _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    _mm_storeu_si128(
        reinterpret_cast<__m128i*>(lowered + k),
        _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  }
#endif
  // Eight bytes at a time: a byte is a capital when it is ASCII, at least
  // 'A' and not above 'Z'; adding 0x20 to it is setting that bit.
  for (; k + 8 <= text.size(); k += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + k, 8);
    const uint64_t low7 = x & 0x7F7F7F7F7F7F7F7Full;
    const uint64_t at_least_a = low7 + 0x3F3F3F3F3F3F3F3Full;
    const uint64_t above_z = low7 + 0x2525252525252525ull;
    const uint64_t upper = at_least_a & ~above_z & ~x & 0x8080808080808080ull;
    x |= upper >> 2;
    std::memcpy(lowered + k, &x, 8);
  }
  for (; k < text.size(); ++k) {
    const char c = text[k];
    lowered[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::memset(lowered + text.size(), 0, kPadding);
  const WordMap<uint16_t>& classes = WordClassTable();
  std::vector<Token>& tokens = out->tokens;
  tokens.clear();
  tokens.reserve(text.size() / 4 + 4);
  std::vector<uint32_t>& marks = out->marks;
  marks.clear();
  // The token just made is one sentence splitting asks about.
  auto mark = [&tokens, &marks] {
    marks.push_back(static_cast<uint32_t>(tokens.size() - 1));
  };
  std::vector<uint32_t>& date_starts = out->date_starts;
  date_starts.clear();
  std::vector<uint32_t>& figure_hints = out->figure_hints;
  figure_hints.clear();
  std::vector<uint32_t>& capitals = out->capitals;
  capitals.clear();
  // Lists the word just made when a date may start at it, when a figure
  // may need it, and when it is capitalised.
  auto list_word = [&tokens, &date_starts, &figure_hints,
                    &capitals](const Token& word) {
    const auto index = static_cast<uint32_t>(tokens.size() - 1);
    if (word.Has(kDateStart) || word.dash >= 3) date_starts.push_back(index);
    if (word.Has(kNumberWord) || word.dash != 0 ||
        static_cast<unsigned char>(word.text[0]) >= 0x80) {
      figure_hints.push_back(index);
    }
    if (word.capital) capitals.push_back(index);
  };
  // list_word for a word of ASCII letters alone, most words: it has no
  // hyphen and an ASCII first byte, so only its classes and its capital
  // decide, and most have neither class.
  auto list_plain_word = [&tokens, &date_starts, &figure_hints,
                          &capitals](const Token& word) {
    const auto index = static_cast<uint32_t>(tokens.size() - 1);
    if ((word.classes & (kDateStart | kNumberWord)) != 0) {
      if (word.Has(kDateStart)) date_starts.push_back(index);
      if (word.Has(kNumberWord)) figure_hints.push_back(index);
    }
    if (word.capital) capitals.push_back(index);
  };
  const size_t n = text.size();
  size_t i = 0;
  bool newline = false;
  bool space = false;
  // Whether the token before the one being built is a word.
  auto prev_word = [&tokens] {
    return tokens.size() >= 2 &&
           tokens[tokens.size() - 2].kind == TokenKind::kWord;
  };
  while (i < n) {
    const unsigned char c = text[i];
    const ByteClass byte_class = kByteClasses[c];
    if (byte_class == kSpaceByte) {
      space = true;
      ++i;
      continue;
    }
    if (byte_class == kBreakByte) {
      newline = true;
      space = true;
      ++i;
      continue;
    }
    // The token is built in place: moving tokens costs more than making
    // them.
    Token& tok = tokens.emplace_back();
    tok.begin = static_cast<uint32_t>(i);
    tok.newline_before = newline;
    tok.space_before = space;
    newline = false;
    space = false;
    QuoteMark quote = QuoteMark::kNone;
    if (size_t len = byte_class == kHighByte && MultiPunctLead(c)
                         ? MultiPunctAt(text.substr(i), &quote)
                         : 0) {
      if (len == 2 && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
        space = true;  // No-break space.
        tokens.pop_back();
        i += len;
        continue;
      }
      // "’s" / "’" as possessive marker after a word.
      if (text.substr(i, len) == "\u2019" && !tok.space_before && prev_word() &&
          i + len < n && (text[i + len] == 's' || text[i + len] == 'S') &&
          (i + len + 1 >= n || !WordByteAt(text, i + len + 1))) {
        tok.kind = TokenKind::kWord;
        tok.end = static_cast<uint32_t>(i + len + 1);
        tok.text = text.substr(i, len + 1);
        SetLower(kPossessive, classes, &tok);
        if (tok.newline_before) mark();
        list_word(tok);
        i += len + 1;
        continue;
      }
      // An apostrophe inside a word ("don’t") stays in the word below.
      tok.kind = TokenKind::kPunct;
      tok.quote = quote;
      tok.end = static_cast<uint32_t>(i + len);
      tok.text = text.substr(i, len);
      mark();
      i += len;
      continue;
    }
    if (byte_class == kDigitByte) {
      size_t j = i + 1;
      while (j < n) {
        if (IsDigit(text[j])) {
          ++j;
        } else if (text[j] == '.' && j + 1 < n && IsDigit(text[j + 1])) {
          j += 2;
        } else if (text[j] == ',' && j + 3 < n && IsDigit(text[j + 1]) &&
                   IsDigit(text[j + 2]) && IsDigit(text[j + 3]) &&
                   (j + 4 >= n || !IsDigit(text[j + 4]))) {
          // A thousands separator: a comma before exactly three digits
          // ("22,24,26" is a list).
          j += 4;
        } else if (j + 5 < n && static_cast<unsigned char>(text[j]) == 0xE2 &&
                   static_cast<unsigned char>(text[j + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[j + 2]) == 0xAF ||
                    static_cast<unsigned char>(text[j + 2]) == 0x89) &&
                   IsDigit(text[j + 3]) && IsDigit(text[j + 4]) &&
                   IsDigit(text[j + 5]) &&
                   (j + 6 >= n || !IsDigit(text[j + 6]))) {
          // A narrow no-break or thin space between groups of three
          // ("1\u202f234\u202f567").
          j += 6;
        } else {
          break;
        }
      }
      tok.kind = TokenKind::kNumber;
      tok.end = static_cast<uint32_t>(j);
      tok.text = absl::string_view(text.data() + i, j - i);
      if (tok.newline_before) mark();
      date_starts.push_back(static_cast<uint32_t>(tokens.size() - 1));
      figure_hints.push_back(static_cast<uint32_t>(tokens.size() - 1));
      i = j;
      continue;
    }
    // Not punctuation (tested above): a letter or any other character.
    if (byte_class == kLetterByte || byte_class == kHighByte) {
      size_t j = i;
      bool letters_only = true;
      while (j < n) {
        // Runs of ASCII letters, most bytes of most words, kLetterRun
        // bytes at a time on the lower-case copy; its zero padding ends
        // every run at the text's end.
        size_t run;
        do {
          run = LeadingLetters(lowered + j);
          j += run;
        } while (run == kLetterRun);
        if (j >= n) break;
        const unsigned char cj = text[j];
        if (!kMayContinueWord[cj]) break;
        // Anything else the word takes in makes it more than letters.
        if (cj >= 0x80) {
          QuoteMark q;
          if (MultiPunctAt(text.substr(j), &q) != 0) break;
          j += Utf8Length(cj);
          letters_only = false;
          continue;
        }
        if (IsDigit(cj)) {
          // "Dec31", "MH17": the digits are a token of their own.
          if (j > i && IsAsciiLetter(text[j - 1])) break;
          ++j;
          letters_only = false;
          continue;
        }
        if ((text[j] == '-' || text[j] == '\'') && j + 1 < n &&
            WordStartAt(text, j + 1) && j > i) {
          // Letters join letters ("cease-fire", "forty-five"); a hyphen
          // before digits splits ("Sep-23", "Su-24").
          if (text[j] == '\'' && (text[j + 1] == 's' || text[j + 1] == 'S') &&
              (j + 2 >= n || !WordByteAt(text, j + 2))) {
            break;  // Possessive: a token of its own.
          }
          j += 1;
          letters_only = false;
        } else if (text[j] == '.' && j + 1 < n && IsAsciiLetter(text[j + 1]) &&
                   j + 2 <= n && (j + 2 == n || text[j + 2] == '.') &&
                   j - i == 1) {
          // Initialisms: "U.S.", "U.N.", "a.m.".
          j += 2;
          letters_only = false;
          while (j + 2 < n && text[j] == '.' && IsAsciiLetter(text[j + 1]) &&
                 text[j + 2] == '.') {
            j += 2;
          }
          if (j < n && text[j] == '.') ++j;
          break;
        } else {
          break;
        }
      }
      if (j > n) j = n;
      tok.kind = TokenKind::kWord;
      tok.capital = c >= 'A' && c <= 'Z';
      tok.end = static_cast<uint32_t>(j);
      tok.text = absl::string_view(text.data() + i, j - i);
      const size_t len = j - i;
      if (letters_only && len <= 8) {
        // Most words: one chunk, loaded once for both the hash and the
        // class lookup.
        uint64_t chunk;
        std::memcpy(&chunk, lowered + i, 8);
        chunk &= ~0ull >> (64 - 8 * len);
        tok.lower = absl::string_view(lowered + i, len);
        tok.hash = FinishWordHash(MixWordChunk(0, chunk));
        const auto* found = classes.FindChunk(chunk, tok.hash);
        tok.classes = found == classes.end() ? 0 : found->second;
      } else if (letters_only) {
        tok.lower = absl::string_view(lowered + i, len);
        tok.hash = PaddedWordHash(lowered + i, len);
        tok.classes = WordClassesOf(classes, tok);
      } else {
        SetLower(absl::string_view(lowered + i, len), classes, &tok);
      }
      if (tok.newline_before) mark();
      if (letters_only) {
        list_plain_word(tok);
      } else {
        list_word(tok);
      }
      i = j;
      // The space after a word, the common case, without going round the
      // main loop.
      if (i < n && text[i] == ' ') {
        space = true;
        ++i;
      }
      continue;
    }
    if (c == '\'' && !tok.space_before && i + 1 < n && text[i + 1] == 's' &&
        prev_word() && (i + 2 >= n || !WordByteAt(text, i + 2))) {
      tok.kind = TokenKind::kWord;
      tok.end = static_cast<uint32_t>(i + 2);
      tok.text = text.substr(i, 2);
      SetLower(kPossessive, classes, &tok);
      if (tok.newline_before) mark();
      list_word(tok);
      i += 2;
      continue;
    }
    size_t len = Utf8Length(c);
    if (i + len > n) len = n - i;
    tok.kind = TokenKind::kPunct;
    tok.quote = c == '"' ? QuoteMark::kStraight : QuoteMark::kNone;
    tok.end = static_cast<uint32_t>(i + len);
    tok.text = absl::string_view(text.data() + i, len);
    mark();
    i += len;
  }
}

std::string TokenText(absl::string_view text, const std::vector<Token>& t,
                      uint32_t first, uint32_t last) {
  if (first >= last) return "";
  return std::string(
      text.substr(t[first].begin, t[last - 1].end - t[first].begin));
}

std::vector<Sentence> SplitSentences(const TokenizedText& tokenized) {
  const std::vector<Token>& tokens = tokenized.tokens;
  std::vector<Sentence> out;
  const uint32_t n = static_cast<uint32_t>(tokens.size());
  out.reserve(n / 16 + 1);  // News sentences run to about twenty tokens.
  uint32_t start = 0;
  int quote_depth = 0;
  bool straight_open = false;
  auto emit = [&](uint32_t last) {
    if (last > start) {
      out.push_back(
          Sentence{start, last, tokens[start].begin, tokens[last - 1].end});
    }
    start = last;
    quote_depth = 0;
    straight_open = false;
  };
  // Words that start no line are neither marks nor breaks: only the
  // tokens in `marks` are visited, in order. `next_mark` skips the marks
  // a sentence's end took with it.
  uint32_t next_mark = 0;
  for (const uint32_t i : tokenized.marks) {
    if (i < next_mark) continue;
    const Token& t = tokens[i];
    if (t.newline_before && i > start) emit(i);
    // A word or number here starts a line: no mark and no quote.
    if (t.kind != TokenKind::kPunct) continue;
    if (t.quote == QuoteMark::kOpen) ++quote_depth;
    if (t.quote == QuoteMark::kClose && quote_depth > 0) --quote_depth;
    if (t.quote == QuoteMark::kStraight) straight_open = !straight_open;
    if (t.text != "." && t.text != "!" && t.text != "?") continue;
    // Take closing quotes and brackets that follow the mark.
    uint32_t end = i + 1;
    while (end < n && !tokens[end].space_before &&
           (tokens[end].quote == QuoteMark::kClose ||
            tokens[end].quote == QuoteMark::kStraight ||
            tokens[end].text == ")")) {
      if (tokens[end].quote == QuoteMark::kClose && quote_depth > 0) {
        --quote_depth;
      }
      if (tokens[end].quote == QuoteMark::kStraight) {
        straight_open = !straight_open;
      }
      ++end;
    }
    if (end >= n) continue;
    const Token& next = tokens[end];
    if (next.newline_before) continue;  // Handled at the top.
    if (!next.space_before) continue;
    if (quote_depth > 0 || straight_open) continue;
    const bool next_starts =
        next.Capitalized() || next.kind == TokenKind::kNumber ||
        next.quote == QuoteMark::kOpen || next.quote == QuoteMark::kStraight ||
        next.text == "(" || next.text == "[";
    if (!next_starts) continue;
    if (t.text == "." && i > 0 && !tokens[i].space_before) {
      const Token& prev = tokens[i - 1];
      if (prev.kind == TokenKind::kWord &&
          (Abbreviations().contains(prev) ||
           (prev.text.size() == 1 && prev.Capitalized()))) {
        continue;
      }
    }
    emit(end);
    next_mark = end;
  }
  emit(n);
  return out;
}

}  // namespace crosscheck::claims
