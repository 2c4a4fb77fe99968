// The table behind Token::classes: every word of the extractors' lists with
// the classes it belongs to, looked up once per word token.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "claims/date_extractor.h"
#include "claims/number_parser.h"
#include "claims/quote_extractor.h"
#include "claims/tokenizer.h"
#include "claims/word_normalizer.h"

namespace crosscheck::claims {

const WordMap<uint16_t>& WordClassTable() {
  static const auto* table = [] {
    const std::pair<const WordSet*, WordClass> lists[] = {
        {&DateStartWordSet(), kDateStart},
        {&DateLeadWordSet(), kDateLead},
        {&DateWordSet(), kDateWord},
        {&NumberStartWordSet(), kNumberStart},
        {&NumberWordSet(), kNumberWord},
        {&StopWords(), kStopWord},
        {&SpeechVerbs(), kSpeechVerb},
        {&TitleWords(), kTitleWord},
    };
    // Classes of each word, in the order words are first met.
    std::vector<std::pair<std::string, uint16_t>> words;
    WordMap<size_t> index;
    for (const auto& [set, word_class] : lists) {
      for (absl::string_view w : set->Words()) {
        auto it = index.find(w);
        if (it == index.end()) {
          index.Insert(w, words.size());
          words.emplace_back(std::string(w), 0);
          it = index.find(w);
        }
        words[it->second].second |= word_class;
      }
    }
    auto* map = new WordMap<uint16_t>{};
    for (const auto& [w, classes] : words) map->Insert(w, classes);
    return map;
  }();
  return *table;
}

}  // namespace crosscheck::claims
