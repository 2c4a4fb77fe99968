#include "claims/figure_extractor.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace crosscheck::claims {
namespace {

// Whether the sentence has a number, a number word ("two", "dozens",
// "one-eighth") or a word led by one ("six-mile"). A sentence without any
// holds no figure: every word that leads one ("over", "a", "between", a
// currency sign) needs a number or number word after it in the sentence,
// and the loop below would skip or fail on every token. Most sentences of
// an article have none, and this costs less than that loop. Only the
// sentence's figure hints are asked (TokenizedText::figure_hints): every
// other token is neither a number nor a word that can make one.
bool MayHoldFigure(const std::vector<Token>& t,
                   absl::Span<const uint32_t> hints) {
  for (const uint32_t k : hints) {
    const Token& x = t[k];
    if (x.kind == TokenKind::kNumber) return true;
    if (x.kind != TokenKind::kWord) continue;
    if (x.dash == 0 && static_cast<unsigned char>(x.text[0]) < 0x80) {
      if (x.Has(kNumberWord)) return true;
      continue;
    }
    if (IsNumberWord(x)) return true;
    if (x.dash != 0 &&
        NumberWordValue(absl::string_view(x.lower).substr(0, x.dash))) {
      return true;
    }
  }
  return false;
}

// "$", "€", "£" and "¥": a sign before a figure makes it money.
bool IsCurrencySign(const Token& tok) {
  return tok.kind == TokenKind::kPunct &&
         (tok.text == "$" || tok.text == "\u20AC" || tok.text == "\u00A3" ||
          tok.text == "\u00A5");
}

// Casualty words and the predicate they report.
const WordMap<std::string>& Predicates() {
  static const auto* map = new WordMap<std::string>{
      {"killed", "killed"},        {"dead", "killed"},
      {"died", "killed"},          {"die", "killed"},
      {"deaths", "killed"},        {"death", "killed"},
      {"killing", "killed"},       {"kills", "killed"},
      {"kill", "killed"},          {"fatalities", "killed"},
      {"slain", "killed"},         {"perished", "killed"},
      {"injured", "injured"},      {"wounded", "injured"},
      {"hurt", "injured"},         {"injuring", "injured"},
      {"wounding", "injured"},     {"injuries", "injured"},
      {"missing", "missing"},      {"unaccounted", "missing"},
      {"displaced", "displaced"},  {"homeless", "displaced"},
      {"displacing", "displaced"}, {"fled", "fled"},
      {"fleeing", "fled"},         {"flee", "fled"},
      {"evacuated", "evacuated"},  {"evacuating", "evacuated"},
      {"arrested", "arrested"},    {"detained", "arrested"},
      {"arresting", "arrested"},   {"detaining", "arrested"},
      {"affected", "affected"},    {"rescued", "rescued"}};
  return *map;
}

// Words that take the count after them: "killing 94", "killed 94 people".
const WordSet& VerbsBeforeCount() {
  static const auto* set = new WordSet{
      "killing",   "killed",    "kills",     "kill",       "injuring",
      "injured",   "wounding",  "wounded",   "arrested",   "arresting",
      "detained",  "detaining", "evacuated", "evacuating", "displacing",
      "displaced", "affected",  "affecting"};
  return *set;
}

// Who is counted, and the class a fact groups them by.
const WordMap<std::string>& Subjects() {
  static const auto* map =
      new WordMap<std::string>{{"people", "people"},
                               {"persons", "people"},
                               {"person", "people"},
                               {"victims", "people"},
                               {"individuals", "people"},
                               {"lives", "people"},
                               {"civilians", "civilians"},
                               {"civilian", "civilians"},
                               {"children", "children"},
                               {"kids", "children"},
                               {"child", "children"},
                               {"minors", "children"},
                               {"women", "women"},
                               {"men", "men"},
                               {"soldiers", "soldiers"},
                               {"troops", "soldiers"},
                               {"servicemen", "soldiers"},
                               {"service", "soldiers"},
                               {"airmen", "airmen"},
                               {"pilots", "pilots"},
                               {"sailors", "sailors"},
                               {"marines", "soldiers"},
                               {"police", "police"},
                               {"policemen", "police"},
                               {"officers", "police"},
                               {"militants", "militants"},
                               {"fighters", "fighters"},
                               {"rebels", "rebels"},
                               {"insurgents", "militants"},
                               {"jihadists", "militants"},
                               {"migrants", "migrants"},
                               {"refugees", "refugees"},
                               {"residents", "residents"},
                               {"inhabitants", "residents"},
                               {"villagers", "residents"},
                               {"workers", "workers"},
                               {"miners", "workers"},
                               {"students", "students"},
                               {"protesters", "protesters"},
                               {"demonstrators", "protesters"},
                               {"journalists", "journalists"},
                               {"passengers", "passengers"},
                               {"tourists", "tourists"},
                               {"patients", "patients"},
                               {"prisoners", "prisoners"},
                               {"citizens", "citizens"},
                               {"nationals", "citizens"},
                               {"staff", "staff"},
                               {"crew", "crew"},
                               {"firefighters", "firefighters"},
                               {"doctors", "doctors"},
                               {"families", "families"},
                               {"households", "households"},
                               {"suspects", "suspects"},
                               {"casualties", "people"}};
  return *map;
}

struct UnitInfo {
  const char* canonical;
  const char* predicate;
};
const WordMap<UnitInfo>& UnitWords() {
  static const auto* map =
      new WordMap<UnitInfo>{{"percent", {"%", "share"}},
                            {"pct", {"%", "share"}},
                            {"percentage", {"%", "share"}},
                            {"m", {"m", "distance"}},
                            {"meter", {"m", "distance"}},
                            {"meters", {"m", "distance"}},
                            {"metre", {"m", "distance"}},
                            {"metres", {"m", "distance"}},
                            {"km", {"km", "distance"}},
                            {"kilometer", {"km", "distance"}},
                            {"kilometers", {"km", "distance"}},
                            {"kilometre", {"km", "distance"}},
                            {"kilometres", {"km", "distance"}},
                            {"ft", {"ft", "distance"}},
                            {"foot", {"ft", "distance"}},
                            {"feet", {"ft", "distance"}},
                            {"mile", {"mi", "distance"}},
                            {"miles", {"mi", "distance"}},
                            {"mi", {"mi", "distance"}},
                            {"cm", {"cm", "distance"}},
                            {"centimeters", {"cm", "distance"}},
                            {"centimetres", {"cm", "distance"}},
                            {"mm", {"mm", "distance"}},
                            {"millimeters", {"mm", "distance"}},
                            {"inch", {"in", "distance"}},
                            {"inches", {"in", "distance"}},
                            {"yard", {"yd", "distance"}},
                            {"yards", {"yd", "distance"}},
                            {"kg", {"kg", "weight"}},
                            {"kilogram", {"kg", "weight"}},
                            {"kilograms", {"kg", "weight"}},
                            {"kilos", {"kg", "weight"}},
                            {"g", {"g", "weight"}},
                            {"grams", {"g", "weight"}},
                            {"gram", {"g", "weight"}},
                            {"lb", {"lb", "weight"}},
                            {"lbs", {"lb", "weight"}},
                            {"pound", {"lb", "weight"}},
                            {"tonnes", {"t", "weight"}},
                            {"tonne", {"t", "weight"}},
                            {"tons", {"t", "weight"}},
                            {"ton", {"t", "weight"}},
                            {"ml", {"ml", "volume"}},
                            {"milliliters", {"ml", "volume"}},
                            {"liters", {"l", "volume"}},
                            {"litres", {"l", "volume"}},
                            {"liter", {"l", "volume"}},
                            {"litre", {"l", "volume"}},
                            {"gallons", {"gal", "volume"}},
                            {"gallon", {"gal", "volume"}},
                            {"barrels", {"bbl", "volume"}},
                            {"acres", {"acre", "area"}},
                            {"hectares", {"ha", "area"}},
                            {"mph", {"mph", "speed"}},
                            {"kph", {"km/h", "speed"}},
                            {"knots", {"kn", "speed"}},
                            {"dollars", {"USD", "amount"}},
                            {"dollar", {"USD", "amount"}},
                            {"euros", {"EUR", "amount"}},
                            {"euro", {"EUR", "amount"}},
                            {"pounds", {"GBP", "amount"}},
                            {"yen", {"JPY", "amount"}},
                            {"yuan", {"CNY", "amount"}},
                            {"rubles", {"RUB", "amount"}},
                            {"roubles", {"RUB", "amount"}},
                            {"rupees", {"INR", "amount"}},
                            {"usd", {"USD", "amount"}},
                            {"eur", {"EUR", "amount"}},
                            {"gbp", {"GBP", "amount"}},
                            {"cents", {"USD", "amount"}}};
  return *map;
}

bool Has(const WordSet& set, const Token& t) {
  return t.kind == TokenKind::kWord && set.contains(t);
}

struct SentenceScan {
  absl::string_view text;
  const std::vector<Token>& t;
  const Sentence& s;

  bool Word(uint32_t i, absl::string_view w) const {
    return i < s.last && t[i].kind == TokenKind::kWord && t[i].lower == w;
  }

  // "in Syria", "in northern Syria", "in the Aegean Sea": the first place
  // after `from` in the sentence.
  std::string LocationAfter(uint32_t from) const {
    for (uint32_t i = from; i + 1 < s.last; ++i) {
      if (!Word(i, "in") && !Word(i, "across") && !Word(i, "near")) continue;
      uint32_t j = i + 1;
      if (Word(j, "the")) ++j;
      while (j < s.last && t[j].kind == TokenKind::kWord &&
             !t[j].Capitalized() &&
             (absl::EndsWith(t[j].lower, "ern") || t[j].Is("central"))) {
        ++j;
      }
      uint32_t k = j;
      while (k < s.last && t[k].Capitalized()) ++k;
      if (k > j) return TokenText(text, t, j, k);
    }
    return "";
  }

  std::string Attribution() const {
    for (uint32_t i = s.first; i + 2 < s.last; ++i) {
      if (Word(i, "according") && Word(i + 1, "to")) {
        uint32_t k = i + 2;
        while (k < s.last && t[k].kind != TokenKind::kPunct) ++k;
        return TokenText(text, t, i + 2, k);
      }
    }
    return "";
  }
};

}  // namespace

bool ToBaseUnit(const std::string& unit, double* value, std::string* base) {
  static const auto* map =
      new WordMap<std::pair<const char*, double>>{{"m", {"m", 1}},
                                                  {"km", {"m", 1000}},
                                                  {"ft", {"m", 0.3048}},
                                                  {"mi", {"m", 1609.344}},
                                                  {"cm", {"m", 0.01}},
                                                  {"mm", {"m", 0.001}},
                                                  {"in", {"m", 0.0254}},
                                                  {"yd", {"m", 0.9144}},
                                                  {"kg", {"kg", 1}},
                                                  {"g", {"kg", 0.001}},
                                                  {"lb", {"kg", 0.45359237}},
                                                  {"t", {"kg", 1000}},
                                                  {"l", {"l", 1}},
                                                  {"ml", {"l", 0.001}},
                                                  {"gal", {"l", 3.785411784}},
                                                  {"mph", {"km/h", 1.609344}},
                                                  {"km/h", {"km/h", 1}},
                                                  {"kn", {"km/h", 1.852}}};
  auto it = map->find(unit);
  if (it == map->end()) {
    *base = unit;
    return false;
  }
  *value *= it->second.second;
  *base = it->second.first;
  return true;
}

std::vector<Figure> FindFigures(absl::string_view text,
                                const std::vector<Token>& t, const Sentence& s,
                                absl::Span<const uint32_t> hints,
                                const std::vector<bool>& taken, bool mentions) {
  std::vector<Figure> out;
  if (!MayHoldFigure(t, hints)) return out;
  SentenceScan scan{text, t, s};
  std::string attribution;
  bool attribution_read = false;
  auto attrib = [&]() -> const std::string& {
    if (!attribution_read) {
      attribution = scan.Attribution();
      attribution_read = true;
    }
    return attribution;
  };
  // Whether no figure or number word follows token i within six tokens or
  // before the sentence ends. Every figure a word that is no number word
  // leads ("over", "a", "between") has a number or number word after it in
  // the sentence, so these words are skipped without ParseNumberAt. Asked
  // of few words, so a scan costs less than an index.
  auto no_number_soon = [&](uint32_t i) {
    uint32_t k = i + 1;
    while (k < s.last && k <= i + 6 && !IsNumberWord(t[k])) ++k;
    return k > i + 6 || k == s.last;
  };
  for (uint32_t i = s.first; i < s.last;) {
    const Token& tok = t[i];
    // Most words start no figure: a word with no dash, written in ASCII,
    // that can lead no figure ("over", "two") fails every test below. That
    // is asked first; the bit of a token a date took costs more to read.
    if ((tok.kind == TokenKind::kWord && tok.dash == 0 &&
         !tok.Has(kNumberStart) &&
         static_cast<unsigned char>(tok.text[0]) < 0x80) ||
        taken[i]) {
      ++i;
      continue;
    }
    // Punctuation starts a figure only as a currency sign, or as the "."
    // or "-" right before digits (".08", "-1"); every other mark, the
    // commas and full stops of every sentence, fails ParseNumberAt.
    if (tok.kind == TokenKind::kPunct && !IsCurrencySign(tok) &&
        !((tok.IsPunct(".") || tok.IsPunct("-")) && i + 1 < s.last &&
          t[i + 1].kind == TokenKind::kNumber && !t[i + 1].space_before)) {
      ++i;
      continue;
    }
    // Currency symbol before the figure: "$5 million", "US$3", "€20".
    std::string currency;
    uint32_t start = i;
    if (IsCurrencySign(tok)) {
      currency = tok.text == "$"        ? "USD"
                 : tok.text == "\u20AC" ? "EUR"
                 : tok.text == "\u00A3" ? "GBP"
                                        : "JPY";
      ++i;
      if (i >= s.last) break;  // A currency sign ends the sentence.
    }
    // "Su-24", "F-16", "COVID-19", "MH17": a name, not a figure.
    if (t[i].kind == TokenKind::kNumber && i > s.first && !t[i].space_before &&
        (t[i - 1].kind == TokenKind::kWord ||
         (i >= s.first + 2 && t[i - 1].IsPunct("-") && !t[i - 1].space_before &&
          t[i - 2].kind == TokenKind::kWord))) {
      i = start + 1;
      continue;
    }
    // "a six-mile trip", "the 10-km race": a number word and a unit in
    // one hyphenated word.
    if (currency.empty() && t[i].kind == TokenKind::kWord) {
      if (const size_t dash = t[i].dash; dash > 0) {
        auto value =
            NumberWordValue(absl::string_view(t[i].lower).substr(0, dash));
        auto unit = UnitWords().find(t[i].lower.substr(dash + 1));
        if (value && unit != UnitWords().end() &&
            absl::string_view(unit->second.predicate) != "share") {
          Figure fig;
          fig.kind = v1::CLAIM_KIND_QUANTITY;
          fig.number.value = *value;
          fig.number.first = fig.number.value_first = i;
          fig.number.last = i + 1;
          fig.unit = unit->second.canonical;
          fig.predicate = unit->second.predicate;
          fig.first = i;
          fig.last = i + 1;
          fig.location = scan.LocationAfter(i + 1);
          fig.attribution = attrib();
          out.push_back(std::move(fig));
          ++i;
          continue;
        }
      }
    }
    // "over", "about", "a" lead a figure only with one close behind.
    if (t[i].kind == TokenKind::kWord && !IsNumberWord(t[i]) &&
        (i + 1 >= s.last || no_number_soon(i))) {
      i = start + 1;
      continue;
    }
    auto parsed = ParseNumberAt(t, i, s.last);
    if (!parsed) {
      i = start + 1;
      continue;
    }
    bool overlaps = false;
    for (uint32_t k = parsed->first; k < parsed->last; ++k) {
      overlaps |= taken[k];
    }
    // "Su-24"-like words never reach here (one token); "the two countries"
    // has no predicate, and "2015" alone is a year, not a count.
    if (overlaps) {
      i = start + 1;
      continue;
    }
    ParsedNumber num = *parsed;
    num.first = start;
    uint32_t j = num.last;
    Figure fig;
    fig.number = num;
    fig.first = start;
    // A unit right after the figure.
    if (!currency.empty()) {
      fig.kind = v1::CLAIM_KIND_QUANTITY;
      fig.unit = currency;
      fig.predicate = "amount";
      // "$5bn" lexed as number + scale already; "$5 billion" too.
    } else if (j < s.last && t[j].kind == TokenKind::kPunct &&
               t[j].text == "%") {
      fig.kind = v1::CLAIM_KIND_QUANTITY;
      fig.unit = "%";
      fig.predicate = "share";
      ++j;
    } else if (j < s.last && t[j].kind == TokenKind::kWord) {
      std::string w(t[j].lower);
      uint32_t unit_end = j + 1;
      if (w == "per" && scan.Word(j + 1, "cent")) {
        w = "percent";
        unit_end = j + 2;
      }
      if (absl::StartsWith(w, "-")) w = w.substr(1);
      auto it = UnitWords().find(w);
      // "3-inch": the tokenizer keeps "inch" after a hyphen as punctuation.
      if (it != UnitWords().end() && !(w == "m" && num.digits == false)) {
        fig.kind = v1::CLAIM_KIND_QUANTITY;
        fig.unit = it->second.canonical;
        fig.predicate = it->second.predicate;
        j = unit_end;
      }
    } else if (j + 1 < s.last && t[j].IsPunct("-") && !t[j].space_before &&
               t[j + 1].kind == TokenKind::kWord) {
      auto it = UnitWords().find(t[j + 1]);
      if (it != UnitWords().end()) {
        fig.kind = v1::CLAIM_KIND_QUANTITY;
        fig.unit = it->second.canonical;
        fig.predicate = it->second.predicate;
        j += 2;
      }
    }
    // "5 ft 2 in", "5 feet and 2 inches": feet with inches.
    if (fig.unit == "ft" && fig.number.qualifier == v1::QUALIFIER_EXACT) {
      uint32_t k = scan.Word(j, "and") ? j + 1 : j;
      if (k + 1 < s.last && t[k].kind == TokenKind::kNumber &&
          (scan.Word(k + 1, "in") || scan.Word(k + 1, "inch") ||
           scan.Word(k + 1, "inches"))) {
        if (auto inches = ParseDigits(t[k].text); inches && *inches < 12) {
          fig.number.value += *inches / 12;
          fig.number.last = k + 2;
          j = k + 2;
        }
      }
    }
    if (fig.kind == v1::CLAIM_KIND_QUANTITY) {
      if (fig.predicate == "share" && scan.Word(j, "of")) {
        uint32_t k = j + 1;
        while (k < s.last && t[k].kind == TokenKind::kWord && k < j + 6) ++k;
        fig.subject = TokenText(text, t, j + 1, k);
      }
      fig.last = j;
      fig.location = scan.LocationAfter(j);
      fig.attribution = attrib();
      out.push_back(std::move(fig));
      i = j;
      continue;
    }
    // Casualties. Pattern A: figure [subject] [were/have been] [adverb]
    // predicate.
    std::string subject_class;
    uint32_t subject_first = j, subject_last = j;
    uint32_t k = j;
    for (uint32_t steps = 0; k < s.last && steps < 4; ++steps, ++k) {
      if (t[k].kind != TokenKind::kWord) break;
      auto it = Subjects().find(t[k]);
      if (it != Subjects().end()) {
        subject_class = it->second;
        subject_last = k + 1;
        ++k;
        break;
      }
      if (Predicates().contains(t[k])) break;
    }
    if (subject_class.empty()) k = j;
    // "people were killed", "people have been killed", "internally
    // displaced".
    uint32_t p = k;
    for (uint32_t steps = 0; p < s.last && steps < 3; ++steps) {
      const Token& w = t[p];
      if (w.Is("were") || w.Is("was") || w.Is("have") || w.Is("had") ||
          w.Is("has") || w.Is("been") || w.Is("are") || w.Is("being") ||
          w.Is("reported") || w.Is("confirmed") || w.Is("internally") ||
          w.Is("now") || w.Is("also") || w.Is("later") || w.Is("all") ||
          w.Is("still") || w.Is("feared") || w.Is("believed") ||
          w.Is("thought") || w.Is("officially")) {
        ++p;
        continue;
      }
      break;
    }
    std::string predicate;
    if (p < s.last && t[p].kind == TokenKind::kWord) {
      auto it = Predicates().find(t[p]);
      // "the deaths" after a figure reads as "94 deaths".
      if (it != Predicates().end()) predicate = it->second;
    }
    uint32_t claim_last = predicate.empty() ? 0 : p + 1;
    // Pattern B: verb before the figure: "killing 94 people".
    if (predicate.empty() && num.value_first > s.first) {
      uint32_t v = num.value_first - 1;
      if (num.first < num.value_first && num.first > s.first) v = num.first - 1;
      if (Has(VerbsBeforeCount(), t[v]) || t[v].Is("left")) {
        auto it = Predicates().find(t[v]);
        if (t[v].Is("left")) {
          // "left 12 dead": the state word comes after.
          if (k < s.last && Predicates().contains(t[k])) {
            predicate = Predicates().at(t[k].lower);
            claim_last = k + 1;
            fig.first = v;
          }
        } else if (it != Predicates().end()) {
          predicate = it->second;
          fig.first = v;
          claim_last = subject_class.empty() ? num.last : subject_last;
        }
      }
    }
    // Pattern C: "the deaths of two Russian airmen".
    if (predicate.empty() && num.first >= s.first + 2 &&
        t[num.first - 1].Is("of")) {
      const Token& head = t[num.first - 2];
      if (head.Is("deaths") || head.Is("death") || head.Is("killing") ||
          head.Is("bodies") || head.Is("lives") || head.Is("evacuation") ||
          head.Is("arrest") || head.Is("arrests") || head.Is("displacement")) {
        predicate = head.Is("evacuation")                       ? "evacuated"
                    : head.Is("displacement")                   ? "displaced"
                    : (head.Is("arrest") || head.Is("arrests")) ? "arrested"
                                                                : "killed";
        fig.first = num.first - 2;
        claim_last = subject_class.empty() ? num.last : subject_last;
      }
    }
    // Pattern D: "the toll rose to 600", "a death toll of 600".
    if (predicate.empty()) {
      for (uint32_t b = num.first, steps = 0; b > s.first && steps < 5;
           ++steps) {
        --b;
        if (t[b].Is("toll")) {
          predicate = (b > s.first &&
                       (t[b - 1].Is("injury") || t[b - 1].Is("casualty")))
                          ? "injured"
                          : "killed";
          fig.first = b > s.first && t[b - 1].Is("death") ? b - 1 : b;
          claim_last = num.last;
          break;
        }
        if (t[b].kind == TokenKind::kPunct) break;
      }
    }
    if (!predicate.empty() && !num.year_like) {
      fig.kind = v1::CLAIM_KIND_CASUALTY;
      fig.unit = "person";
      fig.predicate = predicate;
      if (!subject_class.empty()) {
        // Keep modifiers: "Russian airmen".
        uint32_t head = subject_last - 1;
        uint32_t mod = head;
        while (mod > subject_first && t[mod - 1].kind == TokenKind::kWord &&
               !Predicates().contains(t[mod - 1])) {
          --mod;
        }
        fig.subject = TokenText(text, t, mod, subject_last);
      } else {
        fig.subject = "people";
      }
      fig.last = std::max(claim_last, num.last);
      fig.location = scan.LocationAfter(fig.last);
      if (fig.location.empty()) fig.location = scan.LocationAfter(s.first);
      fig.attribution = attrib();
      out.push_back(std::move(fig));
      i = std::max(num.last, i + 1);
      continue;
    }
    if (mentions) {
      fig.kind = v1::CLAIM_KIND_QUANTITY;
      fig.last = num.last;
      out.push_back(std::move(fig));
    }
    i = std::max(num.last, i + 1);
  }
  return out;
}

}  // namespace crosscheck::claims
