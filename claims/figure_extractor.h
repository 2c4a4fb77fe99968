#ifndef CROSSCHECK_CLAIMS_FIGURE_EXTRACTOR_H_
#define CROSSCHECK_CLAIMS_FIGURE_EXTRACTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "claims/number_parser.h"
#include "claims/tokenizer.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// A figure of a sentence that makes a claim: a casualty count or a
// quantity with a unit.
struct Figure {
  v1::ClaimKind kind = v1::CLAIM_KIND_UNSPECIFIED;
  ParsedNumber number;
  // Canonical unit ("person", "m", "%", "USD").
  std::string unit;
  std::string predicate;
  std::string subject;
  std::string location;
  std::string attribution;
  // Tokens [first, last) of the whole claim (figure, unit, predicate).
  uint32_t first = 0;
  uint32_t last = 0;
};

// Finds casualty figures ("over 220,000 people killed", "killing 94", "the
// deaths of two Russian airmen", "the toll rose to 600") and quantities
// with units ("70 percent", "600m", "$5 million") in a sentence. `hints`
// are the sentence's entries of TokenizedText::figure_hints. Tokens in
// `taken` (dates) are skipped. With `mentions`, every other figure is
// returned too, as a unitless quantity without a predicate.
std::vector<Figure> FindFigures(absl::string_view text,
                                const std::vector<Token>& tokens,
                                const Sentence& s,
                                absl::Span<const uint32_t> hints,
                                const std::vector<bool>& taken, bool mentions);

// Converts a value in `unit` to the base unit of its dimension (m for
// lengths, kg for weights) so figures in different units compare; returns
// false for units without a dimension.
bool ToBaseUnit(const std::string& unit, double* value, std::string* base);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_FIGURE_EXTRACTOR_H_
