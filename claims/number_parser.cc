#include "claims/number_parser.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace crosscheck::claims {
namespace {

const WordMap<double>& Units() {
  static const auto* map = new WordMap<double>{
      {"zero", 0},     {"one", 1},        {"two", 2},       {"three", 3},
      {"four", 4},     {"five", 5},       {"six", 6},       {"seven", 7},
      {"eight", 8},    {"nine", 9},       {"ten", 10},      {"eleven", 11},
      {"twelve", 12},  {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},
      {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},    {"forty", 40},    {"fifty", 50},
      {"sixty", 60},   {"seventy", 70},   {"eighty", 80},   {"ninety", 90},
      {"dozen", 12},   {"score", 20},     {"nought", 0},    {"naught", 0}};
  return *map;
}

const WordMap<double>& Scales() {
  static const auto* map = new WordMap<double>{
      {"hundred", 1e2},   {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9},
      {"trillion", 1e12}, {"mln", 1e6},      {"bn", 1e9},      {"m", 1e6},
      {"k", 1e3},         {"lakh", 1e5},     {"lakhs", 1e5},   {"crore", 1e7},
      {"crores", 1e7}};
  return *map;
}

// Vague plurals and the floor they give.
const WordMap<double>& VaguePlurals() {
  static const auto* map = new WordMap<double>{
      {"dozens", 24},      {"scores", 40},    {"hundreds", 200},
      {"thousands", 2000}, {"millions", 2e6}, {"tens", 20}};
  return *map;
}

struct QualifierPhrase {
  absl::string_view words[5];
  int count;
  v1::Qualifier qualifier;
};
// Longest phrases first.
constexpr QualifierPhrase kQualifiers[] = {
    {{"less", "than", "or", "equal", "to"}, 5, v1::QUALIFIER_AT_MOST},
    {{"greater", "than", "or", "equal", "to"}, 5, v1::QUALIFIER_AT_LEAST},
    {{"more", "than", "or", "equal", "to"}, 5, v1::QUALIFIER_AT_LEAST},
    {{"higher", "or", "equal", "than"}, 4, v1::QUALIFIER_AT_LEAST},
    {{"lower", "or", "equal", "than"}, 4, v1::QUALIFIER_AT_MOST},
    {{"no", "fewer", "than"}, 3, v1::QUALIFIER_AT_LEAST},
    {{"no", "less", "than"}, 3, v1::QUALIFIER_AT_LEAST},
    {{"as", "many", "as"}, 3, v1::QUALIFIER_AT_MOST},
    {{"more", "than"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"greater", "than"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"larger", "than"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"bigger", "than"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"higher", "than"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"smaller", "than"}, 2, v1::QUALIFIER_LESS_THAN},
    {{"lower", "than"}, 2, v1::QUALIFIER_LESS_THAN},
    {{"no", "more", "than"}, 3, v1::QUALIFIER_AT_MOST},
    {{"at", "least"}, 2, v1::QUALIFIER_AT_LEAST},
    {{"at", "most"}, 2, v1::QUALIFIER_AT_MOST},
    {{"up", "to"}, 2, v1::QUALIFIER_AT_MOST},
    {{"fewer", "than"}, 2, v1::QUALIFIER_LESS_THAN},
    {{"less", "than"}, 2, v1::QUALIFIER_LESS_THAN},
    {{"just", "over"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"well", "over"}, 2, v1::QUALIFIER_MORE_THAN},
    {{"just", "under"}, 2, v1::QUALIFIER_LESS_THAN},
    {{"an", "estimated"}, 2, v1::QUALIFIER_ABOUT},
    {{"over"}, 1, v1::QUALIFIER_MORE_THAN},
    {{"above"}, 1, v1::QUALIFIER_MORE_THAN},
    {{"exceeding"}, 1, v1::QUALIFIER_MORE_THAN},
    {{"under"}, 1, v1::QUALIFIER_LESS_THAN},
    {{"below"}, 1, v1::QUALIFIER_LESS_THAN},
    {{"nearly"}, 1, v1::QUALIFIER_LESS_THAN},
    {{"almost"}, 1, v1::QUALIFIER_LESS_THAN},
    {{"about"}, 1, v1::QUALIFIER_ABOUT},
    {{"around"}, 1, v1::QUALIFIER_ABOUT},
    {{"approximately"}, 1, v1::QUALIFIER_ABOUT},
    {{"roughly"}, 1, v1::QUALIFIER_ABOUT},
    {{"some"}, 1, v1::QUALIFIER_ABOUT},
    {{"estimated"}, 1, v1::QUALIFIER_ABOUT},
    {{"circa"}, 1, v1::QUALIFIER_ABOUT},
    {{"minimum"}, 1, v1::QUALIFIER_AT_LEAST},
    {{"maximum"}, 1, v1::QUALIFIER_AT_MOST},
};

bool IsWord(const std::vector<Token>& t, uint32_t i, uint32_t end,
            absl::string_view w) {
  return i < end && t[i].kind == TokenKind::kWord && t[i].lower == w;
}

bool IsDash(const Token& t) {
  return t.kind == TokenKind::kPunct &&
         (t.text == "-" || t.text == "\u2013" || t.text == "\u2014");
}

// Denominators in words: "a fifth", "three quarters", "two thirds".
const WordMap<double>& Denominators() {
  static const auto* map = new WordMap<double>{
      {"half", 2},         {"halves", 2},        {"third", 3},
      {"thirds", 3},       {"quarter", 4},       {"quarters", 4},
      {"fourth", 4},       {"fourths", 4},       {"fifth", 5},
      {"fifths", 5},       {"sixth", 6},         {"sixths", 6},
      {"seventh", 7},      {"sevenths", 7},      {"eighth", 8},
      {"eighths", 8},      {"ninth", 9},         {"ninths", 9},
      {"tenth", 10},       {"tenths", 10},       {"hundredth", 100},
      {"hundredths", 100}, {"thousandth", 1000}, {"thousandths", 1000},
      {"millionth", 1e6},  {"millionths", 1e6},  {"billionth", 1e9},
      {"billionths", 1e9}, {"trillionth", 1e12}, {"trillionths", 1e12}};
  return *map;
}

std::optional<double> Denominator(absl::string_view w) {
  auto it = Denominators().find(w);
  if (it == Denominators().end()) return std::nullopt;
  return it->second;
}

// Unicode vulgar fractions ("\u00BD", "\u00BE").
std::optional<double> VulgarFraction(absl::string_view text) {
  static const auto* map = new WordMap<double>{
      {"\u00BD", 0.5},     {"\u00BC", 0.25},    {"\u00BE", 0.75},
      {"\u2153", 1.0 / 3}, {"\u2154", 2.0 / 3}, {"\u2155", 0.2},
      {"\u2156", 0.4},     {"\u2157", 0.6},     {"\u2158", 0.8},
      {"\u2159", 1.0 / 6}, {"\u215A", 5.0 / 6}, {"\u215B", 0.125},
      {"\u215C", 0.375},   {"\u215D", 0.625},   {"\u215E", 0.875}};
  auto it = map->find(text);
  if (it == map->end()) return std::nullopt;
  return it->second;
}

// "and a half", "and three quarters" after a figure: the fraction to add;
// sets *next past it.
std::optional<double> FractionAfter(const std::vector<Token>& t, uint32_t j,
                                    uint32_t end, uint32_t* next) {
  if (j + 2 >= end || !IsWord(t, j, end, "and")) return std::nullopt;
  double numerator = 0;
  if (IsWord(t, j + 1, end, "a") || IsWord(t, j + 1, end, "one")) {
    numerator = 1;
  } else {
    auto v = NumberWordValue(t[j + 1].lower);
    if (!v) return std::nullopt;
    numerator = *v;
  }
  auto d = Denominator(t[j + 2].lower);
  if (!d) return std::nullopt;
  *next = j + 3;
  return numerator / *d;
}

// "^23", "^-1" right after a figure (no space): the exponent; sets *next
// past it. An even run of minus signs cancels out ("^--23").
std::optional<double> PowerAfter(const std::vector<Token>& t, uint32_t j,
                                 uint32_t end, uint32_t* next) {
  if (j + 1 >= end || !t[j].IsPunct("^") || t[j].space_before) {
    return std::nullopt;
  }
  uint32_t k = j + 1;
  int minus = 0;
  while (k < end && t[k].IsPunct("-") && !t[k].space_before) {
    ++minus;
    ++k;
  }
  if (k >= end || t[k].kind != TokenKind::kNumber || t[k].space_before) {
    return std::nullopt;
  }
  auto e = ParseDigits(t[k].text);
  if (!e) return std::nullopt;
  *next = k + 1;
  return minus % 2 ? -*e : *e;
}

// "1e10", "2E-5" (scientific notation glued to the digits): the power of
// ten; sets *next past it.
std::optional<double> ExponentAfter(const std::vector<Token>& t, uint32_t j,
                                    uint32_t end, uint32_t* next) {
  if (j + 1 >= end || t[j].space_before || !t[j].Is("e")) {
    return std::nullopt;
  }
  uint32_t k = j + 1;
  bool minus = false;
  if (t[k].IsPunct("-") || t[k].IsPunct("+")) {
    minus = t[k].IsPunct("-");
    ++k;
  }
  if (k >= end || t[k].kind != TokenKind::kNumber || t[k].space_before ||
      absl::StrContains(t[k].text, ".") || t[k].text.size() > 3) {
    return std::nullopt;
  }
  auto e = ParseDigits(t[k].text);
  if (!e) return std::nullopt;
  *next = k + 1;
  return minus ? -*e : *e;
}

// "1/4", "3/8": a proper fraction written with a slash, with a denominator
// fractions use (so "9/11" and "24/7" stay names); sets *next past it.
std::optional<double> SlashFractionAt(const std::vector<Token>& t, uint32_t i,
                                      uint32_t end, uint32_t* next) {
  if (i + 2 >= end || t[i].kind != TokenKind::kNumber ||
      !t[i + 1].IsPunct("/") || t[i + 1].space_before ||
      t[i + 2].kind != TokenKind::kNumber || t[i + 2].space_before) {
    return std::nullopt;
  }
  if (i + 3 < end && t[i + 3].IsPunct("/") && !t[i + 3].space_before) {
    return std::nullopt;  // "5/17/2018" is a date.
  }
  double num = 0, den = 0;
  if (!absl::SimpleAtod(t[i].text, &num) ||
      !absl::SimpleAtod(t[i + 2].text, &den) ||
      absl::StrContains(t[i].text, ".") ||
      absl::StrContains(t[i + 2].text, ".")) {
    return std::nullopt;
  }
  static constexpr double kDenominators[] = {2, 3, 4, 5, 6, 8, 10, 16, 100};
  bool usual = false;
  for (double d : kDenominators) usual |= d == den;
  if (!usual || num >= den) return std::nullopt;
  *next = i + 3;
  return num / den;
}

// Parses a bare figure (no qualifier) at i: digits or words, with scale.
std::optional<ParsedNumber> ParseBare(const std::vector<Token>& t, uint32_t i,
                                      uint32_t end) {
  if (i >= end) return std::nullopt;
  ParsedNumber out;
  out.first = out.value_first = i;
  const Token& tok = t[i];
  // Vulgar fractions are characters of two or three bytes.
  if (tok.kind == TokenKind::kWord &&
      static_cast<unsigned char>(tok.text[0]) >= 0x80) {
    if (auto f = VulgarFraction(tok.text)) {
      out.value = *f;
      out.last = i + 1;
      return out;
    }
  }
  // ".08": a decimal without its leading zero.
  if (tok.IsPunct(".") && i + 1 < end && t[i + 1].kind == TokenKind::kNumber &&
      !t[i + 1].space_before &&
      (i == 0 || tok.space_before || t[i - 1].kind == TokenKind::kPunct)) {
    double v = 0;
    if (absl::SimpleAtod(absl::StrCat("0.", t[i + 1].text), &v)) {
      out.value = v;
      out.digits = true;
      out.last = i + 2;
      return out;
    }
  }
  if (tok.kind == TokenKind::kNumber) {
    uint32_t j = i + 1;
    if (auto f = SlashFractionAt(t, i, end, &j)) {
      out.value = *f;
      out.digits = true;
      out.last = j;
      return out;
    }
    auto v = ParseDigits(tok.text);
    if (!v) return std::nullopt;
    out.value = *v;
    out.digits = true;
    out.year_like = tok.text.size() == 4 && *v >= 1800 && *v <= 2100;
    uint32_t next = 0;
    // "1.1^23", "1e10", "6.23x10^-4".
    if (auto p = PowerAfter(t, j, end, &next)) {
      out.value = std::pow(out.value, *p);
      out.year_like = false;
      out.last = next;
      return out;
    }
    if (auto e = ExponentAfter(t, j, end, &next)) {
      out.value *= std::pow(10.0, *e);
      out.year_like = false;
      out.last = next;
      return out;
    }
    if (j + 1 < end && !t[j].space_before &&
        (t[j].Is("x") || t[j].text == "\u00D7") && t[j + 1].text == "10" &&
        !t[j + 1].space_before) {
      if (auto p = PowerAfter(t, j + 2, end, &next)) {
        out.value *= std::pow(10.0, *p);
        out.year_like = false;
        out.last = next;
        return out;
      }
    }
    // "2 1/4": a whole number and a fraction.
    if (!absl::StrContains(tok.text, ".") && j < end && t[j].space_before) {
      if (auto f = SlashFractionAt(t, j, end, &next)) {
        out.value += *f;
        out.year_like = false;
        out.last = next;
        return out;
      }
    }
    // "3 dozens" is 36.
    if (j < end && (t[j].Is("dozen") || t[j].Is("dozens"))) {
      out.value *= 12;
      out.year_like = false;
      out.last = j + 1;
      return out;
    }
    // "5 and a half million".
    uint32_t frac_end = 0;
    if (auto f = FractionAfter(t, j, end, &frac_end)) {
      out.value += *f;
      out.year_like = false;
      j = frac_end;
    }
    // "7.6 million", "$5bn", "3m".
    if (j < end && t[j].kind == TokenKind::kWord) {
      auto it = Scales().find(t[j]);
      if (it != Scales().end() &&
          (t[j].space_before ? t[j].lower.size() > 2 : true) &&
          !(t[j].Is("m") && !t[j].space_before)) {
        out.value *= it->second;
        out.year_like = false;
        ++j;
        // "3 hundred and 21", but not "3 hundred and 2.12 hundred".
        const double scale = it->second;
        uint32_t frac_end = 0;
        if (IsWord(t, j, end, "and") && j + 1 < end &&
            t[j + 1].kind == TokenKind::kNumber &&
            !absl::StrContains(t[j + 1].text, ".") &&
            !(j + 2 < end && Scales().contains(t[j + 2]))) {
          if (auto rest = ParseDigits(t[j + 1].text); rest && *rest < scale) {
            out.value += *rest;
            j += 2;
          }
        } else if (auto f = FractionAfter(t, j, end, &frac_end)) {
          // "3 million and a quarter".
          out.value += *f * scale;
          j = frac_end;
        } else {
          // "25 lakh crore": a larger scale multiplies.
          while (j < end && t[j].space_before && t[j].lower.size() > 2) {
            auto more = Scales().find(t[j]);
            if (more == Scales().end() || more->second <= scale) break;
            out.value *= more->second;
            ++j;
          }
        }
      }
    }
    out.last = j;
    return out;
  }
  if (tok.kind != TokenKind::kWord) return std::nullopt;
  // "a dozen", "a hundred", "half a million".
  uint32_t j = i;
  double value = 0;
  // "half a million", "half million".
  if (tok.Is("half") && i + 1 < end) {
    const uint32_t k = IsWord(t, i + 1, end, "a") ? i + 2 : i + 1;
    if (k >= end) return std::nullopt;
    auto it = Scales().find(t[k]);
    if (it != Scales().end() && it->second >= 1e3) {
      out.value = it->second / 2;
      out.last = k + 1;
      return out;
    }
    return std::nullopt;
  }
  // "one-eighth", "three-quarters".
  if (tok.dash != 0) {
    auto num = NumberWordValue(tok.lower.substr(0, tok.dash));
    auto den = Denominator(tok.lower.substr(tok.dash + 1));
    if (num && den) {
      out.value = *num / *den;
      out.last = i + 1;
      return out;
    }
  }
  if (tok.Is("a") || tok.Is("an")) {
    if (i + 1 >= end) return std::nullopt;
    absl::string_view w = t[i + 1].lower;
    if (auto d = Denominator(w); d && w != "half" && w != "fourth") {
      out.value = 1 / *d;
      out.last = i + 2;
      return out;
    }
    if (w == "dozen") {
      value = 12;
    } else if (auto it = Scales().find(w);
               it != Scales().end() && w.size() > 2) {
      value = it->second;
    } else {
      return std::nullopt;
    }
    j = i + 2;
    // "a hundred thousand".
    while (j < end) {
      auto it = Scales().find(t[j]);
      if (it == Scales().end() || t[j].lower.size() <= 2) break;
      value *= it->second;
      ++j;
    }
    out.value = value;
    out.last = j;
    return out;
  }
  if (auto it = VaguePlurals().find(tok); it != VaguePlurals().end()) {
    // "dozens", "hundreds of thousands".
    out.value = it->second;
    out.vague = true;
    out.qualifier = v1::QUALIFIER_AT_LEAST;
    j = i + 1;
    if (IsWord(t, j, end, "of") && j + 1 < end &&
        VaguePlurals().contains(t[j + 1])) {
      out.value *= VaguePlurals().at(t[j + 1].lower) / 2;
      j += 2;
    }
    out.last = j;
    return out;
  }
  // Number words: "forty-five thousand", "two hundred and twenty".
  double total = 0;
  double current = 0;
  double last_scale = 0;
  bool any = false;
  while (j < end && t[j].kind == TokenKind::kWord) {
    absl::string_view w = t[j].lower;
    if (auto v = NumberWordValue(w)) {
      if (w == "dozen" && !any) break;
      current += *v;
      any = true;
      ++j;
      continue;
    }
    auto it = Scales().find(w);
    if (any && it != Scales().end() && w.size() > 2) {
      if (it->second == 100) {
        current *= 100;
      } else if (current == 0 && total > 0 && it->second > last_scale) {
        total *= it->second;  // "three lakh crore".
        last_scale = it->second;
      } else {
        total += current * it->second;
        current = 0;
        last_scale = it->second;
      }
      ++j;
      continue;
    }
    // "two hundred and twenty", but not "three and one fourth".
    if (any && w == "and" && j + 1 < end && NumberWordValue(t[j + 1].lower) &&
        !(j + 2 < end && Denominator(t[j + 2].lower))) {
      ++j;
      continue;
    }
    break;
  }
  if (!any) return std::nullopt;
  out.value = total + current;
  // "nought point nought three", "zero point five", "nought point eleven".
  if (IsWord(t, j, end, "point") && j + 1 < end) {
    std::string decimals;
    uint32_t k = j + 1;
    while (k < end && t[k].kind == TokenKind::kWord) {
      auto v = NumberWordValue(t[k].lower);
      if (!v || *v != std::floor(*v)) break;
      if (*v < 10) {
        decimals += static_cast<char>('0' + static_cast<int>(*v));
        ++k;
        continue;
      }
      if (decimals.empty() && *v < 100) {
        decimals = absl::StrCat(static_cast<int>(*v));
        ++k;
      }
      break;
    }
    double fraction = 0;
    if (!decimals.empty() &&
        absl::SimpleAtod(absl::StrCat("0.", decimals), &fraction)) {
      out.value += fraction;
      out.last = k;
      return out;
    }
  }
  // "three quarters", "one fifth", "five - eighths": a numerator over a
  // denominator word.
  if (j < end && total == 0) {
    uint32_t d_at = j;
    if (IsDash(t[j]) && j + 1 < end) d_at = j + 1;
    if (auto d = Denominator(t[d_at].lower); d && !t[d_at].Is("half")) {
      out.value = current / *d;
      out.last = d_at + 1;
      // "two thirds of a million".
      uint32_t k = IsWord(t, d_at + 1, end, "of") ? d_at + 2 : 0;
      if (k && IsWord(t, k, end, "a")) ++k;
      if (k && k < end && t[k].lower.size() > 2) {
        if (auto it = Scales().find(t[k]); it != Scales().end()) {
          out.value *= it->second;
          out.last = k + 1;
        }
      }
      return out;
    }
  }
  // "one million and a half": half of the last scale.
  uint32_t frac_end = 0;
  if (total > 0 && current == 0 && j > i) {
    auto scale = Scales().find(t[j - 1]);
    if (scale != Scales().end()) {
      if (auto f = FractionAfter(t, j, end, &frac_end)) {
        // "one billion and a half million": the fraction of the scale
        // that follows it, else of the last one.
        double of = scale->second;
        if (frac_end < end && t[frac_end].lower.size() > 2) {
          if (auto next = Scales().find(t[frac_end]);
              next != Scales().end() && next->second < of) {
            of = next->second;
            ++frac_end;
          }
        }
        out.value += *f * of;
        out.last = frac_end;
        return out;
      }
    }
  }
  // "one and a half", "five and a quarter", then "million" may follow.
  if (auto f = FractionAfter(t, j, end, &frac_end)) {
    out.value += *f;
    j = frac_end;
    if (j < end) {
      auto it = Scales().find(t[j]);
      if (it != Scales().end() && t[j].lower.size() > 2) {
        out.value *= it->second;
        ++j;
      }
    }
  }
  out.last = j;
  return out;
}

// "1 over 3", "one over twenty": divides *n by the figure after "over";
// returns whether it did.
bool DivideOver(const std::vector<Token>& t, uint32_t end, ParsedNumber* n) {
  if (n->vague || !IsWord(t, n->last, end, "over")) return false;
  auto below = ParseBare(t, n->last + 1, end);
  // Not "40 over 3 days": the divisor ends the phrase.
  const bool ends =
      below && (below->last >= end || t[below->last].kind == TokenKind::kPunct);
  if (!below || !ends || below->value == 0 || below->vague) return false;
  n->value /= below->value;
  n->last = below->last;
  n->year_like = false;
  return true;
}

}  // namespace

std::optional<double> NumberWordValue(absl::string_view lower) {
  auto it = Units().find(lower);
  if (it != Units().end()) return it->second;
  // "forty-five".
  size_t dash = lower.find('-');
  if (dash != absl::string_view::npos) {
    auto a = Units().find(lower.substr(0, dash));
    auto b = Units().find(lower.substr(dash + 1));
    if (a != Units().end() && b != Units().end() && a->second >= 20 &&
        a->second <= 90 && b->second >= 1 && b->second <= 9) {
      return a->second + b->second;
    }
  }
  return std::nullopt;
}

std::optional<double> ParseDigits(absl::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  // The tokenizer has already told thousands separators from list commas;
  // here everything but the digits and the decimal point goes.
  for (size_t k = 0; k < text.size(); ++k) {
    char c = text[k];
    // Thousands separators: commas, and thin or narrow no-break spaces.
    if ((c >= '0' && c <= '9') || c == '.') clean.push_back(c);
  }
  double v = 0;
  if (!absl::SimpleAtod(clean, &v)) return std::nullopt;
  return v;
}

double RoundingHalfWidth(double value, bool digits) {
  if (value <= 0) return 0;
  if (!digits && value < 100) return 0;
  // The place of the last significant digit, for values of two or more
  // significant figures that end in zeros.
  double magnitude = 1;
  double v = std::round(value);
  if (std::fabs(v - value) > 1e-9) {
    // "7.6 million" written with decimals and a scale: handled by callers
    // passing the scaled value; a plain decimal is exact.
    return 0;
  }
  while (v >= 10 && std::fmod(v, 10) == 0) {
    v /= 10;
    magnitude *= 10;
  }
  if (magnitude < 100) return 0;  // "120", "19,136": exact.
  return magnitude / 2;
}

const WordSet& NumberStartWordSet() {
  static const auto* starts = [] {
    auto* set =
        new WordSet{"between", "from", "a", "an", "half", "minus", "negative"};
    for (const auto& q : kQualifiers) set->Insert(q.words[0]);
    for (const auto& [w, v] : Units()) set->Insert(w);
    for (const auto& [w, v] : VaguePlurals()) set->Insert(w);
    return set;
  }();
  return *starts;
}

const WordSet& NumberWordSet() {
  static const auto* words = [] {
    auto* set = new WordSet{"half", "dozen"};
    for (const auto& [w, v] : Units()) set->Insert(w);
    for (const auto& [w, v] : VaguePlurals()) set->Insert(w);
    for (const auto& [w, v] : Scales()) set->Insert(w);
    for (const auto& [w, v] : Denominators()) set->Insert(w);
    return set;
  }();
  return *words;
}

bool CanStartNumber(const Token& tok) {
  if (tok.kind == TokenKind::kNumber) return true;
  if (tok.IsPunct("-") || tok.IsPunct(".")) return true;
  if (tok.kind != TokenKind::kWord) return false;
  if (static_cast<unsigned char>(tok.text[0]) >= 0x80) {
    return VulgarFraction(tok.text).has_value();
  }
  if (tok.Has(kNumberStart)) return true;
  // "forty-five".
  return tok.dash != 0 &&
         (NumberWordValue(tok.lower).has_value() ||
          Denominator(absl::string_view(tok.lower).substr(tok.dash + 1)));
}

bool IsUnusualNumberWord(const Token& tok) {
  if (tok.kind == TokenKind::kNumber) return true;
  if (tok.kind != TokenKind::kWord) return false;
  if (static_cast<unsigned char>(tok.text[0]) >= 0x80) {
    return VulgarFraction(tok.text).has_value();
  }
  if (tok.Has(kNumberWord)) return true;
  // "forty-five", "one-eighth".
  return tok.dash != 0 &&
         (NumberWordValue(tok.lower) ||
          Denominator(absl::string_view(tok.lower).substr(tok.dash + 1)));
}

std::optional<ParsedNumber> ParseNumberAt(const std::vector<Token>& t,
                                          uint32_t i, uint32_t end) {
  if (i >= end || !CanStartNumber(t[i])) return std::nullopt;
  // "between 200 and 300", "from 200 to 300".
  if (IsWord(t, i, end, "between") || IsWord(t, i, end, "from")) {
    const bool between = t[i].Is("between");
    auto low = ParseBare(t, i + 1, end);
    if (low && low->last < end &&
        IsWord(t, low->last, end, between ? "and" : "to")) {
      auto high = ParseBare(t, low->last + 1, end);
      if (high && high->value > low->value) {
        ParsedNumber out = *low;
        out.first = i;
        out.value_first = i + 1;
        out.high = high->value;
        out.qualifier = v1::QUALIFIER_RANGE;
        out.last = high->last;
        out.year_like = false;
        return out;
      }
    }
    return std::nullopt;
  }
  // "minus 5", "negative one", "-1" (a dash right before the digits, not
  // after another figure).
  if (IsWord(t, i, end, "minus") || IsWord(t, i, end, "negative") ||
      (t[i].IsPunct("-") && i + 1 < end && !t[i + 1].space_before &&
       t[i + 1].kind == TokenKind::kNumber &&
       (i == 0 || t[i].space_before ||
        (t[i - 1].kind == TokenKind::kPunct && !t[i - 1].IsPunct("-"))))) {
    auto bare = ParseBare(t, i + 1, end);
    if (bare && !bare->vague) {
      ParsedNumber out = *bare;
      DivideOver(t, end, &out);
      out.value = -out.value;
      out.first = i;
      out.value_first = i;
      out.year_like = false;
      return out;
    }
    return std::nullopt;
  }
  v1::Qualifier qualifier = v1::QUALIFIER_EXACT;
  uint32_t j = i;
  // The phrases each first word starts, longest first as in kQualifiers:
  // most words start none, and a word that does is compared with its few.
  static const auto* qualifier_starts =
      new WordMap<std::vector<const QualifierPhrase*>>(
          GroupByWord<QualifierPhrase>(
              kQualifiers,
              [](const QualifierPhrase& q) { return q.words[0]; }));
  const auto* phrases = t[i].kind == TokenKind::kWord
                            ? qualifier_starts->find(t[i])
                            : qualifier_starts->end();
  if (phrases != qualifier_starts->end()) {
    for (const QualifierPhrase* q : phrases->second) {
      bool match = true;
      for (int k = 1; k < q->count; ++k) {
        if (!IsWord(t, i + k, end, q->words[k])) {
          match = false;
          break;
        }
      }
      if (match) {
        qualifier = q->qualifier;
        j = i + q->count;
        break;
      }
    }
  }
  auto bare = ParseBare(t, j, end);
  if (!bare) return std::nullopt;
  if (bare->vague && qualifier != v1::QUALIFIER_EXACT) {
    return std::nullopt;  // "about dozens": not a figure we can hedge twice.
  }
  ParsedNumber out = *bare;
  out.first = i;
  out.value_first = j;
  if (qualifier != v1::QUALIFIER_EXACT) {
    out.qualifier = qualifier;
    out.year_like = false;
  }
  if (qualifier == v1::QUALIFIER_EXACT && !out.vague &&
      DivideOver(t, end, &out)) {
    return out;
  }
  // "more than 100 and less than 300", "at most 100 and at least 20".
  if (qualifier != v1::QUALIFIER_EXACT && out.last + 1 < end &&
      (IsWord(t, out.last, end, "and") || IsWord(t, out.last, end, "but") ||
       t[out.last].IsPunct(","))) {
    auto other = ParseNumberAt(t, out.last + 1, end);
    auto is_low = [](v1::Qualifier q) {
      return q == v1::QUALIFIER_MORE_THAN || q == v1::QUALIFIER_AT_LEAST;
    };
    auto is_high = [](v1::Qualifier q) {
      return q == v1::QUALIFIER_LESS_THAN || q == v1::QUALIFIER_AT_MOST;
    };
    if (other && ((is_low(qualifier) && is_high(other->qualifier)) ||
                  (is_high(qualifier) && is_low(other->qualifier)))) {
      const double low = is_low(qualifier) ? out.value : other->value;
      const double high = is_low(qualifier) ? other->value : out.value;
      if (low < high) {
        out.value = low;
        out.high = high;
        out.qualifier = v1::QUALIFIER_RANGE;
        out.last = other->last;
        return out;
      }
    }
  }
  // "200-300", "200 to 300", "1000 \u2013 5000".
  uint32_t k = out.last;
  if ((qualifier == v1::QUALIFIER_EXACT || qualifier == v1::QUALIFIER_ABOUT) &&
      !out.vague && k + 1 < end &&
      ((IsDash(t[k]) && (!t[k].space_before || t[k].text != "-")) ||
       IsWord(t, k, end, "to") || t[k].IsPunct("~"))) {
    auto high = ParseBare(t, k + 1, end);
    if (high && high->digits == out.digits && high->value > out.value) {
      out.high = high->value;
      out.qualifier = v1::QUALIFIER_RANGE;
      out.last = high->last;
      out.year_like = false;
    }
  }
  return out;
}

}  // namespace crosscheck::claims
