#ifndef CROSSCHECK_CLAIMS_NUMBER_PARSER_H_
#define CROSSCHECK_CLAIMS_NUMBER_PARSER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "claims/tokenizer.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// A figure found in text, with its hedge.
struct ParsedNumber {
  double value = 0;
  double high = 0;  // Upper end of a range.
  v1::Qualifier qualifier = v1::QUALIFIER_EXACT;
  // Tokens [first, last) the figure covers, qualifier included.
  uint32_t first = 0;
  uint32_t last = 0;
  // Tokens [value_first, last) are the figure without its qualifier.
  uint32_t value_first = 0;
  // The figure was written in digits (not words).
  bool digits = false;
  // Vague plurals ("dozens", "hundreds") that give only a floor.
  bool vague = false;
  // Written as a plain four-digit year-like figure ("2015").
  bool year_like = false;
};

// Parses the figure that starts at token `i` ("over 220,000", "7.6 million",
// "forty-five", "a dozen", "between 200 and 300", "200-300"), or nullopt.
std::optional<ParsedNumber> ParseNumberAt(const std::vector<Token>& tokens,
                                          uint32_t i, uint32_t end);

// The words behind WordClass kNumberStart and kNumberWord.
const WordSet& NumberStartWordSet();
const WordSet& NumberWordSet();

// Whether a figure can start at this token: a cheap test that lets callers
// skip most words.
bool CanStartNumber(const Token& tok);

// Whether the token is a figure or a word of one ("7", "seven", "dozen",
// "million", "thirds"): qualifiers like "over" need one right after them.
// Most words are ASCII, have no dash and are not listed: those are answered
// inline, the rest by IsUnusualNumberWord.
bool IsUnusualNumberWord(const Token& tok);
inline bool IsNumberWord(const Token& tok) {
  if (tok.kind == TokenKind::kNumber) return true;
  if (tok.kind != TokenKind::kWord) return false;
  if (tok.dash == 0 && static_cast<unsigned char>(tok.text[0]) < 0x80) {
    return tok.Has(kNumberWord);
  }
  return IsUnusualNumberWord(tok);
}

// The value of a number word ("two" -> 2, "dozen" -> 12), if it is one.
std::optional<double> NumberWordValue(absl::string_view lower);

// Parses digits with thousands separators and decimals ("1,800", "7.6").
std::optional<double> ParseDigits(absl::string_view text);

// The half-width of the rounding a stated figure carries: "220,000" is
// +-5,000, "19,136" is exact, "7.6 million" is +-50,000.
double RoundingHalfWidth(double value, bool digits);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_NUMBER_PARSER_H_
