// The table behind Token::classes: every word of the extractors' lists with
// the classes it belongs to, looked up once per word token.

#include <cstdint>
#include <utility>

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
        {&DayOrHolidayWordSet(), kDayOrHoliday},
        {&NumberStartWordSet(), kNumberStart},
        {&NumberWordSet(), kNumberWord},
        {&StopWords(), kStopWord},
        {&SpeechVerbs(), kSpeechVerb},
        {&TitleWords(), kTitleWord},
        {&AliasStartWords(), kAliasWord},
    };
    // Each listed word once, with every class whose list holds it.
    auto* map = new WordMap<uint16_t>{};
    for (const auto& [set, unused] : lists) {
      for (absl::string_view w : set->Words()) {
        if (map->contains(w)) continue;
        uint16_t classes = 0;
        for (const auto& [other, word_class] : lists) {
          if (other->Contains(w)) classes |= word_class;
        }
        map->Insert(w, classes);
      }
    }
    return map;
  }();
  return *table;
}

}  // namespace crosscheck::claims
