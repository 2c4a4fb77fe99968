#ifndef CROSSCHECK_CLAIMS_QUOTE_EXTRACTOR_H_
#define CROSSCHECK_CLAIMS_QUOTE_EXTRACTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "claims/tokenizer.h"

namespace crosscheck::claims {

// A direct quote: the words inside the outermost quotation marks (nested
// marks kept) and who said them.
struct Quote {
  // Tokens of the opening and closing marks (close == open when the quote
  // runs to the end of its paragraph unclosed).
  uint32_t open = 0;
  uint32_t close = 0;
  // Bytes of the words inside the marks.
  uint32_t text_begin = 0;
  uint32_t text_end = 0;
  std::string speaker;
};

// The words behind WordClass kSpeechVerb and kTitleWord.
const WordSet& SpeechVerbs();
const WordSet& TitleWords();

// Finds the quotes of a document and their speakers: "..., said X", "X
// said: ...", "..., the statement said", "spokesman Josh Earnest told
// reporters", the subject of the sentence that holds the quote, and "he" or
// "she" for the person last named. Speakers are given in the fullest form
// the document names them ("Mr Kerry" -> "John Kerry").
std::vector<Quote> FindQuotes(absl::string_view text,
                              const TokenizedText& tokenized,
                              const std::vector<Sentence>& sentences);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_QUOTE_EXTRACTOR_H_
