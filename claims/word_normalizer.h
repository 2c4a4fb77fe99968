#ifndef CROSSCHECK_CLAIMS_WORD_NORMALIZER_H_
#define CROSSCHECK_CLAIMS_WORD_NORMALIZER_H_

#include <forward_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "claims/tokenizer.h"

namespace crosscheck::claims {

// The words of tokens [first, last) as comparison sees them: lower case,
// punctuation and quotation marks dropped, aliases of one name made one
// ("US", "USA", "U.S.", "United States" -> "us"; "NY", "New York City" ->
// "new-york"). With `content_only`, function words are dropped and the rest
// stemmed ("talks" -> "talk", "Russian" -> "russia").
std::vector<std::string> NormalizedWords(const std::vector<Token>& tokens,
                                         size_t first, size_t last,
                                         bool content_only);

// NormalizedWords as views, appended to `out`: views into the tokens' text,
// into constants, or into `spill`, which holds the few words stemming
// rewrites ("casualties" -> "casualty"). The views live as long as the
// tokens' text and `spill`.
void AppendNormalizedWords(const std::vector<Token>& tokens, size_t first,
                           size_t last, bool content_only,
                           std::vector<absl::string_view>* out,
                           std::forward_list<std::string>* spill);

// Function words content words leave out (WordClass kStopWord).
const WordSet& StopWords();

// Lower-case forms of the words an alias of a name starts with ("us",
// "u.s.", "united", "new"; WordClass kAliasWord): words without the class
// are no alias.
const WordSet& AliasStartWords();

// NormalizedWords of a text, joined by spaces: two quotes agree when these
// are equal.
std::string NormalizeQuote(absl::string_view text);

// Content words of a text (see NormalizedWords), sorted and unique.
std::vector<std::string> ContentWordSet(absl::string_view text);

// |a ∩ b| of two sorted unique word lists.
size_t SharedWords(const std::vector<std::string>& a,
                   const std::vector<std::string>& b);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_WORD_NORMALIZER_H_
