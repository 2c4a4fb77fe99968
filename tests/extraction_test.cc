// Table-driven tests of extraction: each case one line of text, the
// publication date, and the claim a reader would expect (or none).

#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "claims/date_extractor.h"
#include "claims/extractor.h"
#include "claims/number_parser.h"
#include "claims/publication_date.h"
#include "claims/quote_extractor.h"
#include "claims/tokenizer.h"
#include "claims/utf8.h"
#include "claims/word_normalizer.h"
#include "gtest/gtest.h"

namespace crosscheck::claims {
namespace {

std::vector<v1::Claim> Extract(const std::string& text,
                               const std::string& published,
                               bool mentions = false) {
  auto day = ParsePublicationDay(published);
  EXPECT_TRUE(day.ok());
  ExtractOptions options;
  options.mentions = mentions;
  auto claims = ExtractClaims({"doc", "Outlet", text, *day}, options);
  EXPECT_TRUE(claims.ok()) << claims.status();
  return claims.ok() ? *claims : std::vector<v1::Claim>{};
}

std::vector<v1::Claim> OfKind(const std::vector<v1::Claim>& claims,
                              v1::ClaimKind kind) {
  std::vector<v1::Claim> out;
  for (const auto& c : claims) {
    if (c.kind() == kind) out.push_back(c);
  }
  return out;
}

// Cases print as their text in test names and failures.
template <typename Case>
void PrintCase(const Case& c, std::ostream* os) {
  *os << '"' << c.text << '"';
}

// ---- Dates -------------------------------------------------------------

struct DateCase {
  const char* text;
  const char* published;
  const char* start;
  const char* end;
  friend void PrintTo(const DateCase& c, std::ostream* os) { PrintCase(c, os); }
};

class DateTest : public ::testing::TestWithParam<DateCase> {};

// Extracting document after document into one field reuses the messages
// of the one before: every document must still get exactly the claims a
// fresh extraction gives it, with nothing left over from the one before
// (a location, an attribution, context words, a quote's speaker).
TEST(ExtractIntoTest, AReusedFieldHoldsWhatAFreshExtractionGives) {
  const std::vector<std::string> texts = {
      "Officials said 120 people were killed in Dhaka on Monday, according "
      "to the ministry. \u201CWe will rebuild every home,\u201D the mayor "
      "said. Talks in Geneva are due on 3 March.\n",
      "The storm left 4 dead.\n",
      "",
      "Rescuers found more than 2,000 survivors near Chittagong last week, "
      "the Red Cross said on Friday. \u201CThe water is still rising in the "
      "north,\u201D said Karim Ahmed, a spokesman.\n",
      "Nothing to check here.\n",
      "A 7.6 magnitude earthquake struck at 4 pm on 26 December 2004.\n"};
  google::protobuf::RepeatedPtrField<v1::Claim> field;
  for (int round = 0; round < 2; ++round) {
    for (size_t d = 0; d < texts.size(); ++d) {
      const std::string id = absl::StrCat("doc-", d);
      const ExtractInput input{id, "Outlet", texts[d],
                               absl::CivilDay(2015, 12, 15)};
      auto fresh = ExtractClaims(input);
      ASSERT_TRUE(fresh.ok()) << fresh.status();
      ASSERT_TRUE(ExtractClaimsInto(input, {}, &field).ok());
      ASSERT_EQ(static_cast<size_t>(field.size()), fresh->size()) << d;
      for (int i = 0; i < field.size(); ++i) {
        EXPECT_EQ(field.Get(i).SerializeAsString(),
                  (*fresh)[i].SerializeAsString())
            << "document " << d << " claim " << i << ":\n"
            << field.Get(i).DebugString() << "against\n"
            << (*fresh)[i].DebugString();
      }
    }
  }
  ASSERT_GT(field.size(), 0);
  // A refused text leaves the field empty, with the same error as
  // ExtractClaims.
  const ExtractInput bad{"bad", "Outlet", "Broken \xC3\x28 bytes",
                         absl::CivilDay(2015, 12, 15)};
  absl::Status status = ExtractClaimsInto(bad, {}, &field);
  EXPECT_EQ(status, ExtractClaims(bad).status());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("document 'bad': text is not valid UTF-8"),
            std::string::npos)
      << status;
  EXPECT_EQ(field.size(), 0);
}

TEST_P(DateTest, ResolvesToTheRightDays) {
  const DateCase& c = GetParam();
  auto dates = OfKind(Extract(c.text, c.published), v1::CLAIM_KIND_DATE);
  ASSERT_EQ(dates.size(), 1u) << c.text;
  EXPECT_EQ(dates[0].date().start(), c.start) << c.text;
  EXPECT_EQ(dates[0].date().end(), c.end) << c.text;
}

// 2015-12-15 is a Tuesday.
INSTANTIATE_TEST_SUITE_P(
    Cases, DateTest,
    ::testing::Values(
        DateCase{"The photo was taken Tuesday, Dec. 15, 2015.", "2015-12-15",
                 "2015-12-15", "2015-12-15"},
        DateCase{"On 13 December, a warship fired shots.", "2015-12-15",
                 "2015-12-13", "2015-12-13"},
        DateCase{"The meeting would take place on December 18.", "2015-12-15",
                 "2015-12-18", "2015-12-18"},
        DateCase{"A ceasefire began on January 1.", "2015-12-15", "2015-01-01",
                 "2015-01-01"},
        DateCase{"A planned January 1 ceasefire was discussed.", "2015-12-15",
                 "2016-01-01", "2016-01-01"},
        DateCase{"Strikes have continued since September 2014.", "2015-12-15",
                 "2014-09-01", "2014-09-30"},
        DateCase{"Kerry visits Moscow on Tuesday.", "2015-12-15", "2015-12-15",
                 "2015-12-15"},
        DateCase{"Assad spoke last Friday.", "2015-12-15", "2015-12-11",
                 "2015-12-11"},
        DateCase{"The talks will resume on Friday.", "2015-12-15", "2015-12-18",
                 "2015-12-18"},
        DateCase{"Rebels met in Riyadh on Thursday.", "2015-12-15",
                 "2015-12-10", "2015-12-10"},
        DateCase{"Monday's comments caused a stir.", "2015-12-15", "2015-12-14",
                 "2015-12-14"},
        DateCase{"A meeting last week agreed a plan.", "2015-12-15",
                 "2015-12-07", "2015-12-13"},
        DateCase{"He arrives tomorrow.", "2015-12-15", "2015-12-16",
                 "2015-12-16"},
        DateCase{"Ramadan began with prayers.", "2020-08-17", "2020-04-23",
                 "2020-04-23"},
        DateCase{"Families met on Eid al-Fitr.", "2022-06-17", "2022-05-02",
                 "2022-05-02"},
        DateCase{"Crowds gathered for Eid al-Adha.", "2021-08-01", "2021-07-19",
                 "2021-07-19"},
        DateCase{"The Islamic New Year was marked quietly.", "2021-06-09",
                 "2020-08-19", "2020-08-19"},
        DateCase{"I went back on new year eve.", "2016-11-07", "2015-12-31",
                 "2015-12-31"},
        DateCase{"The task was finished on 5.12.", "2019-05-20", "2019-05-12",
                 "2019-05-12"},
        DateCase{"I went back on 4-22.", "2016-11-07", "2016-04-22",
                 "2016-04-22"},
        DateCase{"I paid $12 December 27.", "2019-07-04", "2018-12-27",
                 "2018-12-27"},
        DateCase{"It rained yesterday.", "2015-12-15", "2015-12-14",
                 "2015-12-14"},
        DateCase{"Airstrikes began in late September.", "2015-12-15",
                 "2015-09-21", "2015-09-30"},
        DateCase{"Talks are planned for early January.", "2015-12-15",
                 "2016-01-01", "2016-01-10"},
        DateCase{"Prices peaked in mid-March.", "2015-12-15", "2015-03-11",
                 "2015-03-20"},
        DateCase{"A February cease-fire was agreed.", "2015-12-15",
                 "2015-02-01", "2015-02-28"},
        DateCase{"The vote was held on 29 February 2016.", "2016-03-01",
                 "2016-02-29", "2016-02-29"},
        DateCase{"The plant closed last month.", "2016-03-10", "2016-02-01",
                 "2016-02-29"},
        DateCase{"It happened in 2014.", "2015-12-15", "2014-01-01",
                 "2014-12-31"},
        DateCase{"The deal was signed on 02/22/2016.", "2016-11-07",
                 "2016-02-22", "2016-02-22"},
        DateCase{"The deal was signed on 21/04/16.", "2016-11-07", "2016-04-21",
                 "2016-04-21"},
        DateCase{"Filed 2016-10-16 in court.", "2016-11-07", "2016-10-16",
                 "2016-10-16"},
        DateCase{"The ship sailed on 05-Aug-2016.", "2016-11-07", "2016-08-05",
                 "2016-08-05"},
        DateCase{"Rebels attacked two days ago.", "2016-11-07", "2016-11-05",
                 "2016-11-05"},
        DateCase{"The vote is due in 3 weeks.", "2016-11-07", "2016-11-28",
                 "2016-11-28"},
        DateCase{"They met 1 month and 21 days ago.", "2017-11-23",
                 "2017-10-02", "2017-10-02"},
        DateCase{"It ended 3 days after January 12th.", "2017-03-01",
                 "2017-01-15", "2017-01-15"},
        DateCase{"Talks resume the day after tomorrow.", "2016-11-07",
                 "2016-11-09", "2016-11-09"},
        // Patterns that start with the commonest lead words, which the
        // date finder tries apart from the rest.
        DateCase{"They will meet again the next Easter.", "2016-11-07",
                 "2017-04-16", "2017-04-16"},
        DateCase{"The vote is on the first Friday of next month.", "2016-11-07",
                 "2016-12-02", "2016-12-02"},
        DateCase{"Pay arrives on the 20th of next month.", "2016-11-07",
                 "2016-12-20", "2016-12-20"},
        DateCase{"The payment was made for the 27th.", "2016-11-07",
                 "2016-10-27", "2016-10-27"},
        DateCase{"The plant closed a week ago.", "2016-11-07", "2016-10-31",
                 "2016-10-31"},
        DateCase{"The law takes effect in 3 years.", "2016-11-07", "2019-11-07",
                 "2019-11-07"},
        DateCase{"The summit opens this Friday.", "2016-11-07", "2016-11-11",
                 "2016-11-11"},
        DateCase{"The vote is on Tuesday next week.", "2018-03-20",
                 "2018-03-27", "2018-03-27"},
        DateCase{"Markets closed on Christmas Day.", "2016-12-28", "2016-12-25",
                 "2016-12-25"},
        DateCase{"Sales peaked on Thanksgiving 2010.", "2016-11-07",
                 "2010-11-25", "2010-11-25"},
        DateCase{"Crowds gathered at Easter 2019.", "2016-11-07", "2019-04-21",
                 "2019-04-21"},
        DateCase{"Lawmakers return the second Monday of next month.",
                 "2018-03-12", "2018-04-09", "2018-04-09"},
        DateCase{"The results came on the 21st.", "2016-11-07", "2016-10-21",
                 "2016-10-21"},
        DateCase{"The law took effect on twenty second of June 2017.",
                 "2018-01-01", "2017-06-22", "2017-06-22"},
        DateCase{"Leap day, Feb 29, was quiet.", "2017-03-22", "2016-02-29",
                 "2016-02-29"},
        DateCase{"She was born on 25 January nineteen eighty six.",
                 "2016-11-07", "1986-01-25", "1986-01-25"},
        DateCase{"The fort fell on 5 December 1391.", "2016-11-07",
                 "1391-12-05", "1391-12-05"},
        DateCase{"IVAC was sold on Dec31, 1994.", "2016-11-07", "1994-12-31",
                 "1994-12-31"},
        DateCase{"Crowds gathered on Father's Day of 2015.", "2016-11-07",
                 "2015-06-21", "2015-06-21"}));

struct NoClaimCase {
  const char* text;
  friend void PrintTo(const NoClaimCase& c, std::ostream* os) {
    PrintCase(c, os);
  }
};

class NoDateTest : public ::testing::TestWithParam<NoClaimCase> {};

TEST_P(NoDateTest, FindsNoDate) {
  auto dates =
      OfKind(Extract(GetParam().text, "2015-12-15"), v1::CLAIM_KIND_DATE);
  EXPECT_TRUE(dates.empty()) << GetParam().text << " -> "
                             << (dates.empty() ? "" : dates[0].date().start());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NoDateTest,
    ::testing::Values(NoClaimCase{"Ministers may meet again."},
                      NoClaimCase{"USA TODAY reported the story."},
                      NoClaimCase{"The Su-24 was downed near the border."},
                      NoClaimCase{"He said he would march on."},
                      NoClaimCase{"Add 1/4 cup of flour."},
                      NoClaimCase{"The reading was -4/5 at noon."},
                      NoClaimCase{"It grew 4.22 percent on 4.22 million."}));

// ---- Casualties and quantities ----------------------------------------

struct FigureCase {
  const char* text;
  v1::ClaimKind kind;
  const char* predicate;
  double value;
  v1::Qualifier qualifier;
  double high;
  const char* unit;
  friend void PrintTo(const FigureCase& c, std::ostream* os) {
    PrintCase(c, os);
  }
};

class FigureTest : public ::testing::TestWithParam<FigureCase> {};

TEST_P(FigureTest, FindsTheFigure) {
  const FigureCase& c = GetParam();
  auto found = OfKind(Extract(c.text, "2015-12-15"), c.kind);
  ASSERT_EQ(found.size(), 1u) << c.text;
  const v1::Claim& claim = found[0];
  EXPECT_EQ(claim.predicate(), c.predicate) << c.text;
  EXPECT_DOUBLE_EQ(claim.number().value(), c.value) << c.text;
  EXPECT_EQ(claim.number().qualifier(), c.qualifier) << c.text;
  EXPECT_DOUBLE_EQ(claim.number().high(), c.high) << c.text;
  EXPECT_EQ(claim.number().unit(), c.unit) << c.text;
}

constexpr auto kCas = v1::CLAIM_KIND_CASUALTY;
constexpr auto kQty = v1::CLAIM_KIND_QUANTITY;
constexpr auto kExact = v1::QUALIFIER_EXACT;

INSTANTIATE_TEST_SUITE_P(
    Cases, FigureTest,
    ::testing::Values(
        FigureCase{"The war saw over 220,000 people killed.", kCas, "killed",
                   220000, v1::QUALIFIER_MORE_THAN, 0, "person"},
        FigureCase{"There are 7.6 million internally displaced.", kCas,
                   "displaced", 7600000, kExact, 0, "person"},
        FigureCase{"4 million fleeing the country.", kCas, "fled", 4000000,
                   kExact, 0, "person"},
        FigureCase{"Nobody apologised for the deaths of two Russian airmen.",
                   kCas, "killed", 2, kExact, 0, "person"},
        FigureCase{"The blast ripped through the market, killing 94.", kCas,
                   "killed", 94, kExact, 0, "person"},
        FigureCase{"Officials said 94 people died.", kCas, "killed", 94, kExact,
                   0, "person"},
        FigureCase{"The toll rose to 600.", kCas, "killed", 600, kExact, 0,
                   "person"},
        FigureCase{"The storm left 12 dead.", kCas, "killed", 12, kExact, 0,
                   "person"},
        FigureCase{"At least forty-five soldiers were wounded.", kCas,
                   "injured", 45, v1::QUALIFIER_AT_LEAST, 0, "person"},
        FigureCase{"Police arrested dozens of protesters.", kCas, "arrested",
                   24, v1::QUALIFIER_AT_LEAST, 0, "person"},
        FigureCase{"Between 200 and 300 people are missing.", kCas, "missing",
                   200, v1::QUALIFIER_RANGE, 300, "person"},
        FigureCase{"Nearly 600 people were evacuated.", kCas, "evacuated", 600,
                   v1::QUALIFIER_LESS_THAN, 0, "person"},
        FigureCase{"Up to 700 civilians were killed.", kCas, "killed", 700,
                   v1::QUALIFIER_AT_MOST, 0, "person"},
        FigureCase{"About half a million people were affected.", kCas,
                   "affected", 500000, v1::QUALIFIER_ABOUT, 0, "person"},
        FigureCase{"The group controls 70 percent of Syria.", kQty, "share", 70,
                   kExact, 0, "%"},
        FigureCase{"The vessel approached to 600m before turning.", kQty,
                   "distance", 600, kExact, 0, "m"},
        FigureCase{"The road runs 12 miles north.", kQty, "distance", 12,
                   kExact, 0, "mi"},
        FigureCase{"Turnout was 45% this year.", kQty, "share", 45, kExact, 0,
                   "%"},
        FigureCase{"The fund raised $5 million.", kQty, "amount", 5000000,
                   kExact, 0, "USD"},
        FigureCase{"More than 100 and fewer than 300 people were evacuated.",
                   kCas, "evacuated", 100, v1::QUALIFIER_RANGE, 300, "person"},
        FigureCase{"One and a half million people fled.", kCas, "fled", 1500000,
                   kExact, 0, "person"}));

struct MentionCase {
  const char* text;
  double value;
  friend void PrintTo(const MentionCase& c, std::ostream* os) {
    PrintCase(c, os);
  }
};

class MentionTest : public ::testing::TestWithParam<MentionCase> {};

TEST_P(MentionTest, NormalisesTheNumber) {
  const MentionCase& c = GetParam();
  auto found = OfKind(Extract(c.text, "2016-11-07", true), kQty);
  ASSERT_EQ(found.size(), 1u) << c.text;
  EXPECT_NEAR(found[0].number().value(), c.value, 1e-9) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MentionTest,
    ::testing::Values(
        MentionCase{"The reading was -1 today.", -1},
        MentionCase{"The answer is minus 5.", -5},
        MentionCase{"A share of .08 was left.", 0.08},
        MentionCase{"About three quarters remained.", 0.75},
        MentionCase{"Add \u00BD cup of flour.", 0.5},
        MentionCase{"He sold 3 dozens of eggs.", 36},
        MentionCase{"The ratio is 1 over 3.", 1.0 / 3},
        MentionCase{"There were 3 hundred and 21 votes.", 321},
        MentionCase{"It cost five and a quarter.", 5.25},
        MentionCase{"The tally was nought.", 0},
        MentionCase{"It read nought point nought three.", 0.03},
        MentionCase{"It read zero point eleven.", 0.11},
        MentionCase{"Light travels 1e10 units.", 1e10},
        MentionCase{"The rate was 6.23x10^-4 today.", 6.23e-4},
        MentionCase{"The growth was 1.1^2 overall.", 1.21},
        MentionCase{"The reading was -4/5 today.", -0.8},
        MentionCase{"He ran 2 1/4 laps.", 2.25},
        MentionCase{"The total is three lakh crore.", 3e12},
        MentionCase{"Some 25 lakh were counted.", 2.5e6},
        MentionCase{"Five - eighths of it was gone.", 0.625},
        MentionCase{"About two thirds of a million.", 2e6 / 3},
        MentionCase{"They have 3 million and a quarter.", 3250000},
        MentionCase{"One billion and a half million.", 1000500000},
        MentionCase{"The answer is negative one over 20.", -0.05},
        MentionCase{"A trillionth of it.", 1e-12},
        MentionCase{"It holds 1\u202f234\u202f567.89 tonnes of ore.",
                    1234567.89}));

TEST(MentionTest, ReadsRangesWrittenWithComparisons) {
  for (const char* text :
       {"Find sales greater than 30 and less than or equal to 40.",
        "It is higher or equal than thirty, lower or equal than forty.",
        "These apples are about 30~40."}) {
    auto found = OfKind(Extract(text, "2016-11-07", true), kQty);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].number().value(), 30) << text;
    EXPECT_EQ(found[0].number().high(), 40) << text;
    EXPECT_EQ(found[0].number().qualifier(), v1::QUALIFIER_RANGE) << text;
  }
}

TEST(MentionTest, FeetWithInchesAndHyphenatedUnits) {
  auto feet = OfKind(Extract("He is 5 feet and 2 inches.", "2016-11-07"), kQty);
  ASSERT_EQ(feet.size(), 1u);
  EXPECT_NEAR(feet[0].number().value(), 5 + 2.0 / 12, 1e-9);
  EXPECT_EQ(feet[0].number().unit(), "ft");
  auto miles =
      OfKind(Extract("The six-mile trip took an hour.", "2016-11-07"), kQty);
  ASSERT_EQ(miles.size(), 1u);
  EXPECT_EQ(miles[0].number().value(), 6);
  EXPECT_EQ(miles[0].number().unit(), "mi");
}

TEST(MentionTest, NamesWithSlashesAreNoFractions) {
  for (const char* text :
       {"Since 9/11 the rules changed.", "The desk is open 24/7 now."}) {
    for (const v1::Claim& c : OfKind(Extract(text, "2016-11-07", true), kQty)) {
      EXPECT_GE(c.number().value(), 1) << text;
    }
  }
}

TEST(MentionTest, CommaListsAreNotThousands) {
  auto found = OfKind(Extract("See items 22,24,26.", "2016-11-07", true), kQty);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].number().value(), 22);
}

TEST(MentionTest, OverBeforeAUnitIsNoFraction) {
  auto found =
      OfKind(Extract("It fell 40 over 3 days.", "2016-11-07", true), kQty);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].number().value(), 40);
}

class NoFigureTest : public ::testing::TestWithParam<NoClaimCase> {};

TEST_P(NoFigureTest, FindsNoCasualtyOrQuantity) {
  auto claims = Extract(GetParam().text, "2015-12-15");
  EXPECT_TRUE(OfKind(claims, v1::CLAIM_KIND_CASUALTY).empty())
      << GetParam().text;
  EXPECT_TRUE(OfKind(claims, v1::CLAIM_KIND_QUANTITY).empty())
      << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NoFigureTest,
    ::testing::Values(NoClaimCase{"The Su-24 was downed on the border."},
                      NoClaimCase{"Cooperation between the two countries."},
                      NoClaimCase{"In 2015 the war went on."},
                      NoClaimCase{"More than three years after they fell."},
                      NoClaimCase{"Flight MH17 was shot down."}));

TEST(FigureTest, KeepsSubjectLocationAndAttribution) {
  auto found = OfKind(
      Extract("The floods killed 40 civilians in northern Syria, according "
              "to United Nations estimates.",
              "2015-12-15"),
      v1::CLAIM_KIND_CASUALTY);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].subject(), "civilians");
  EXPECT_EQ(found[0].location(), "Syria");
  EXPECT_EQ(found[0].attribution(), "United Nations estimates");
  EXPECT_EQ(found[0].fact_key(), "casualty/killed/civilian/syria");
}

TEST(FigureTest, RoundFiguresCarryTheirRounding) {
  auto found = OfKind(Extract("Some 220,000 people were killed.", "2015-12-15"),
                      v1::CLAIM_KIND_CASUALTY);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].number().qualifier(), v1::QUALIFIER_ABOUT);
  EXPECT_DOUBLE_EQ(found[0].number().low(), 209000);
  EXPECT_DOUBLE_EQ(found[0].number().upper(), 231000);
}

// ---- Quotes ------------------------------------------------------------

struct QuoteCase {
  const char* text;
  const char* quote;
  const char* speaker;
  friend void PrintTo(const QuoteCase& c, std::ostream* os) {
    PrintCase(c, os);
  }
};

class QuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(QuoteTest, FindsTextAndSpeaker) {
  const QuoteCase& c = GetParam();
  auto quotes = OfKind(Extract(c.text, "2015-12-15"), v1::CLAIM_KIND_QUOTE);
  ASSERT_GE(quotes.size(), 1u) << c.text;
  EXPECT_EQ(quotes[0].quote().text(), c.quote) << c.text;
  EXPECT_EQ(quotes[0].quote().speaker(), c.speaker) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QuoteTest,
    ::testing::Values(
        QuoteCase{"“We are on the side of dialogue”, said Cavusoglu.",
                  "We are on the side of dialogue", "Cavusoglu"},
        QuoteCase{"Lavrov said: “I hope that today we can talk”, TASS "
                  "reported.",
                  "I hope that today we can talk", "Lavrov"},
        QuoteCase{"“In determining spheres for joint work”, the statement "
                  "said.",
                  "In determining spheres for joint work", "the statement"},
        QuoteCase{"“This will be discussed”, spokesman Josh Earnest told "
                  "reporters.",
                  "This will be discussed", "Josh Earnest"},
        QuoteCase{"US Secretary of State John Kerry arrived. Mr Kerry said: "
                  "“The world benefits”.",
                  "The world benefits", "John Kerry"},
        QuoteCase{"\"We have the proof,\" Erdogan said.", "We have the proof",
                  "Erdogan"},
        QuoteCase{"“We will keep seeking that terrorists are divided into "
                  "“good” and “bad”, the statement says.",
                  "We will keep seeking that terrorists are divided into "
                  "“good” and “bad",
                  "the statement"},
        QuoteCase{"Moscow wants a “revision” of policy “dividing terrorists "
                  "into “bad” and “good” ones”.",
                  "revision", "Moscow"},
        QuoteCase{"“One sentence. And another one”, the minister said.",
                  "One sentence. And another one", "the minister"},
        QuoteCase{"A statement issued by the Foreign Ministry said Moscow "
                  "“will continue to seek a revision”.",
                  "will continue to seek a revision", "Foreign Ministry"}));

// ---- Sentences, text, limits ------------------------------------------

TEST(TokenizerTest, LowerCaseFormsHashesAndDashesAgreeWithTheWords) {
  // Longer than sixteen bytes around every kind of word, so that the
  // sixteen- and eight-byte lower-casing and its tail are all used, and
  // shifted by up to sixteen spaces so that every byte passes through
  // every lane; bytes next to the capitals in ASCII ('@', '[', '`', '{')
  // and non-ASCII letters stay.
  const std::string words =
      "\u00C9COLE Z\u00FCRICH said @AZ[az]`{ Cease-Fire U.S. MH17 "
      "Monday\u2019s "
      "rock'n'roll TWENTY-FIRST X";
  for (size_t shift = 0; shift <= 16; ++shift) {
    const std::string text = std::string(shift, ' ') + words;
    const TokenizedText tokenized = Tokenize(text);
    std::vector<std::string> lowers;
    for (const Token& tok : tokenized.tokens) {
      if (tok.kind != TokenKind::kWord) continue;
      lowers.emplace_back(tok.lower);
      EXPECT_EQ(tok.hash, WordHash(tok.lower)) << tok.text;
      EXPECT_EQ(tok.Capitalized(), tok.text[0] >= 'A' && tok.text[0] <= 'Z')
          << tok.text;
      const size_t dash = tok.lower.find('-');
      EXPECT_EQ(tok.dash, dash == absl::string_view::npos ? 0 : dash)
          << tok.text;
    }
    EXPECT_EQ(lowers, (std::vector<std::string>{
                          "\u00C9cole", "z\u00FCrich", "said", "az", "az",
                          "cease-fire", "u.s.", "mh", "monday", "'s",
                          "rock'n'roll", "twenty-first", "x"}))
        << "shifted by " << shift;
  }
}

TEST(TokenizerTest, LetterRunsOfEveryLengthAreOneWord) {
  // The tokenizer reads letters sixteen bytes at a time (eight without
  // SSE2): words of every length up to five eight-byte chunks, ending the
  // text or followed by a space, a comma, a curly quote or a hyphen before
  // digits, come out whole.
  const std::string letters = "AbCdEfGhIjKlMnOpQrStUvWxYzaBcDeFgHiJkLmN";
  for (size_t n = 1; n <= letters.size(); ++n) {
    const std::string word = letters.substr(0, n);
    const std::string lower = absl::AsciiStrToLower(word);
    for (absl::string_view after : {"", " x", ", x", "\u201D", "-24"}) {
      const std::string text = absl::StrCat(word, after);
      const TokenizedText tokenized = Tokenize(text);
      ASSERT_FALSE(tokenized.tokens.empty()) << text;
      const Token& tok = tokenized.tokens[0];
      EXPECT_EQ(tok.text, word) << text;
      EXPECT_EQ(tok.lower, lower) << text;
      EXPECT_EQ(tok.hash, WordHash(lower)) << text;
    }
  }
}

TEST(TokenizerTest, WordHashesAgreeWhateverTheWordsLength) {
  // The tokenizer hashes words on its padded copy with whole 8-byte loads;
  // word sets hash any string with loads that stay inside it. Both must
  // give the same hash, and different words should rarely share one.
  std::string padded = "abcdefghijklmnopqrstuvwxyz0123456789-'.abcdefghij";
  padded.append(TokenizedText::kLoweredPadding, '\0');
  std::unordered_set<uint32_t> hashes;
  for (size_t start = 0; start < 10; ++start) {
    for (size_t n = 1; n <= 40; ++n) {
      const absl::string_view word(padded.data() + start, n);
      EXPECT_EQ(WordHash(word), PaddedWordHash(padded.data() + start, n))
          << word;
      hashes.insert(WordHash(word));
    }
  }
  EXPECT_EQ(hashes.size(), 400u);
  // Words that differ only in their last byte of a chunk differ in hash.
  EXPECT_NE(WordHash("thousand"), WordHash("thousane"));
  EXPECT_NE(WordHash("a"), WordHash("b"));
}

TEST(TokenizerTest, ReusedBuffersGiveTheSameTokensAsFreshOnes) {
  const std::string long_text =
      absl::StrCat(std::string(3000, 'x'), " KILLED 94 People in Aleppo.");
  const std::string short_text = "Kerry MET Lavrov on Tuesday.";
  TokenizedText reused;
  TokenizeInto(long_text, &reused);
  TokenizeInto(short_text, &reused);
  const TokenizedText fresh = Tokenize(short_text);
  ASSERT_EQ(reused.tokens.size(), fresh.tokens.size());
  for (size_t i = 0; i < fresh.tokens.size(); ++i) {
    EXPECT_EQ(reused.tokens[i].text, fresh.tokens[i].text);
    EXPECT_EQ(reused.tokens[i].lower, fresh.tokens[i].lower);
    EXPECT_EQ(reused.tokens[i].begin, fresh.tokens[i].begin);
  }
  EXPECT_EQ(reused.tokens[1].lower, "met");
  // The lists of a reused buffer hold the short text's entries alone.
  EXPECT_EQ(reused.marks, fresh.marks);
  EXPECT_EQ(reused.date_starts, fresh.date_starts);
  EXPECT_EQ(reused.figure_hints, fresh.figure_hints);
  EXPECT_EQ(reused.capitals, fresh.capitals);
  EXPECT_EQ(reused.capitals, (std::vector<uint32_t>{0, 1, 2, 4}));
}

TEST(ExtractorTest, ContextWordsAreSortedUniqueContentWords) {
  // Words sharing their first eight bytes or more ("internationally",
  // "international"), a word that begins another ("internal",
  // "international"), repeats, and a plural stemmed onto a word already
  // there ("internationals"): byte order, each word once, no stop words.
  const auto claims = Extract(
      "Internationally, international internal talks and talks on the "
      "internet began on Monday in Geneva with the internationals.",
      "2015-12-15");
  const auto dates = OfKind(claims, v1::CLAIM_KIND_DATE);
  ASSERT_EQ(dates.size(), 1u);
  const std::vector<std::string> words(dates[0].context_words().begin(),
                                       dates[0].context_words().end());
  EXPECT_EQ(words, (std::vector<std::string>{"began", "geneva", "internal",
                                             "international", "internationally",
                                             "internet", "talk"}));
}

TEST(TokenizerTest, ListsTheTokensFiguresAndNamesAreLookedFor) {
  // Figures need a number, a number word, or a word with a hyphen or a
  // non-ASCII first byte (tested further); names are runs of capitalised
  // words.
  const std::string text =
      "Spokesman Josh Earnest said two six-mile roads, 94 in all, "
      "\u00E9lan Zurich dozens.\nKerry";
  const TokenizedText tokenized = Tokenize(text);
  std::vector<std::string> hints, capitals;
  for (const uint32_t k : tokenized.figure_hints) {
    hints.emplace_back(tokenized.tokens[k].text);
  }
  for (const uint32_t k : tokenized.capitals) {
    capitals.emplace_back(tokenized.tokens[k].text);
  }
  EXPECT_EQ(hints, (std::vector<std::string>{"two", "six-mile", "94",
                                             "\u00E9lan", "dozens"}));
  EXPECT_EQ(capitals, (std::vector<std::string>{"Spokesman", "Josh", "Earnest",
                                                "Zurich", "Kerry"}));
}

TEST(ExtractorTest, ALongDocumentChangesNothingForTheNextOne) {
  // Texts over 32 KB let go of the thread's buffers; shorter ones keep
  // them. Either way the next document reads as if it were the first.
  const std::string text = "The flood killed 9 people in Verrin on Monday.";
  const auto first = Extract(text, "2024-03-13");
  std::string big;
  while (big.size() < (40 << 10)) {
    absl::StrAppend(&big, "Officials said 12 soldiers were wounded. ");
  }
  ASSERT_GT(Extract(big, "2024-03-13").size(), 100u);
  ASSERT_GT(Extract(big.substr(0, 8000), "2024-03-13").size(), 10u);
  const auto again = Extract(text, "2024-03-13");
  ASSERT_EQ(again.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(again[i].SerializeAsString(), first[i].SerializeAsString());
  }
}

TEST(TokenizerTest, WordClassesAgreeWithTheExtractorsLists) {
  const std::pair<const WordSet*, WordClass> lists[] = {
      {&DateStartWordSet(), kDateStart}, {&DateLeadWordSet(), kDateLead},
      {&DateWordSet(), kDateWord},       {&NumberStartWordSet(), kNumberStart},
      {&NumberWordSet(), kNumberWord},   {&StopWords(), kStopWord},
      {&SpeechVerbs(), kSpeechVerb},     {&TitleWords(), kTitleWord},
      {&AliasStartWords(), kAliasWord},
  };
  // Every listed word, in capitals too, and words in none of the lists.
  std::string text = "Kerry told reporters Aleppo ceasefire 94 ";
  for (const auto& [set, word_class] : lists) {
    for (absl::string_view w : set->Words()) {
      absl::StrAppend(&text, w, " ", absl::AsciiStrToUpper(w), " ");
    }
  }
  const TokenizedText tokenized = Tokenize(text);
  size_t classed = 0;
  for (const Token& tok : tokenized.tokens) {
    if (tok.kind != TokenKind::kWord) {
      EXPECT_EQ(tok.classes, 0) << tok.text;
      continue;
    }
    for (const auto& [set, word_class] : lists) {
      EXPECT_EQ(tok.Has(word_class), set->Contains(tok))
          << tok.text << " class " << word_class;
    }
    classed += tok.classes != 0;
  }
  EXPECT_GT(classed, 500u);
  EXPECT_TRUE(tokenized.tokens[1].Has(kSpeechVerb));
  EXPECT_FALSE(tokenized.tokens[0].Has(kTitleWord));
}

TEST(WordNormalizerTest, AliasesOfANameBecomeOneWord) {
  const std::string text =
      "The United States, the U.S., USA and America; the United Nations and "
      "the U.N.; New York City, NYC and New York; the Islamic State, ISIS "
      "and Daesh; the Russian Federation and the Russian army; us, US and "
      "new York.";
  const TokenizedText tokenized = Tokenize(text);
  EXPECT_EQ(
      NormalizedWords(tokenized.tokens, 0, tokenized.tokens.size(),
                      /*content_only=*/true),
      (std::vector<std::string>{"us", "us", "us", "us", "un", "un", "new-york",
                                "new-york", "new-york", "isis", "isis", "isis",
                                "russia", "russia", "army", "us", "new-york"}));
  // Without stemming and stop words, only the names are rewritten.
  const TokenizedText plain = Tokenize("the United States said so");
  EXPECT_EQ(NormalizedWords(plain.tokens, 0, plain.tokens.size(),
                            /*content_only=*/false),
            (std::vector<std::string>{"the", "us", "said", "so"}));
}

TEST(WordMapTest, GroupsItemsByAWordInTheirOrder) {
  struct Phrase {
    absl::string_view first;
    int id;
  };
  const std::vector<Phrase> phrases = {
      {"at", 1}, {"over", 2}, {"at", 3}, {"more", 4}, {"at", 5}};
  const auto groups =
      GroupByWord<Phrase>(phrases, [](const Phrase& p) { return p.first; });
  EXPECT_EQ(groups.size(), 3u);
  const TokenizedText tokenized = Tokenize("At under over");
  const auto* at = groups.find(tokenized.tokens[0]);
  ASSERT_NE(at, groups.end());
  ASSERT_EQ(at->second.size(), 3u);
  EXPECT_EQ(at->second[0]->id, 1);
  EXPECT_EQ(at->second[1]->id, 3);
  EXPECT_EQ(at->second[2]->id, 5);
  EXPECT_EQ(groups.find(tokenized.tokens[1]), groups.end());
  EXPECT_EQ(groups.find(tokenized.tokens[2])->second.front()->id, 2);
}

TEST(WordMapTest, FindsWordsByTextAndByTokenAndKeepsTheFirstValue) {
  WordMap<int> map{{"killed", 1}, {"died", 2}, {"killed", 3}};
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.at("killed"), 1);
  EXPECT_TRUE(map.contains("died"));
  EXPECT_FALSE(map.contains("die"));
  EXPECT_FALSE(map.contains(""));
  EXPECT_EQ(map.find("wounded"), map.end());
  const TokenizedText tokenized = Tokenize("Nine DIED, none wounded");
  EXPECT_EQ(map.find(tokenized.tokens[1])->second, 2);
  EXPECT_EQ(map.find(tokenized.tokens[0]), map.end());
  // Tokens of up to eight bytes are compared by one load: a word that is
  // the first eight bytes of a longer key, or a key's prefix, is not it.
  const WordMap<int> long_keys{{"thousands", 1}, {"thou", 2}};
  const TokenizedText thousand = Tokenize("thousand thousands thou tho");
  EXPECT_EQ(long_keys.find(thousand.tokens[0]), long_keys.end());
  EXPECT_EQ(long_keys.find(thousand.tokens[1])->second, 1);
  EXPECT_EQ(long_keys.find(thousand.tokens[2])->second, 2);
  EXPECT_EQ(long_keys.find(thousand.tokens[3]), long_keys.end());
  // Grows past its first table; iterates in insertion order.
  std::vector<std::string> words;
  for (int i = 0; i < 500; ++i) {
    words.push_back(absl::StrCat("w", i));
    map.Insert(words.back(), i);
  }
  for (int i = 0; i < 500; ++i) EXPECT_EQ(map.at(words[i]), i);
  EXPECT_FALSE(map.contains("w500"));
  std::vector<std::string> order;
  for (const auto& [word, value] : map) order.push_back(word);
  ASSERT_EQ(order.size(), 502u);
  EXPECT_EQ(order[0], "killed");
  EXPECT_EQ(order[501], "w499");
}

TEST(SentenceTest, SurvivesAbbreviationsAndHeadlines) {
  const std::string text =
      "Kerry in Moscow\nMr. Kerry met U.S. officials on Dec. 15 in the "
      "Su-24 case. It went well.";
  const TokenizedText tokenized = Tokenize(text);
  auto sentences = SplitSentences(tokenized);
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(
      text.substr(sentences[0].begin, sentences[0].end - sentences[0].begin),
      "Kerry in Moscow");
  EXPECT_EQ(text.substr(sentences[2].begin), "It went well.");
}

// Sentence splitting visits only the marks the tokenizer listed: closing
// quotes after a full stop stay with their sentence, a quoted full stop
// ends none, a line that starts with a number starts a sentence, and a
// buffer reused from a longer text lists this text's marks alone.
TEST(SentenceTest, QuotesAndLineBreaksAcrossAReusedBuffer) {
  const std::string text =
      "\u201cWe will stay. We must,\u201d he said. \"Calm.\" Aid came.\n"
      "200 people fled. The rest stayed";
  TokenizedText reused;
  TokenizeInto(
      absl::StrCat(std::string(2000, 'y'), ". Z. \u201cQ.\u201d R\nS."),
      &reused);
  TokenizeInto(text, &reused);
  const TokenizedText fresh = Tokenize(text);
  const std::vector<std::string> want = {
      "\u201cWe will stay. We must,\u201d he said.", "\"Calm.\"", "Aid came.",
      "200 people fled.", "The rest stayed"};
  for (const TokenizedText* tokenized :
       std::vector<const TokenizedText*>{&reused, &fresh}) {
    std::vector<std::string> got;
    for (const Sentence& s : SplitSentences(*tokenized)) {
      got.push_back(text.substr(s.begin, s.end - s.begin));
    }
    EXPECT_EQ(got, want);
  }
}

TEST(ExtractorTest, ClaimIdsAreStableAndSpansPointAtTheText) {
  const std::string text = "The flood killed 9 people in Verrin on Monday.";
  auto a = Extract(text, "2024-03-13");
  auto b = Extract(text, "2024-03-13");
  ASSERT_EQ(a.size(), 2u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id(), b[i].id());
    EXPECT_EQ(a[i].id(), absl::StrCat("doc#", i));
  }
  EXPECT_EQ(
      text.substr(a[0].span().begin(), a[0].span().end() - a[0].span().begin()),
      "killed 9 people");
  EXPECT_EQ(a[0].sentence(), text);
}

TEST(ExtractorTest, InvalidUtf8AndHugeTextsEndInAClearStatus) {
  auto bad =
      ExtractClaims({"d", "s", "ok \xE2\x28\xA1", absl::CivilDay(2015, 1, 1)});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("byte 3"), std::string::npos);
  ExtractOptions small;
  small.max_text_bytes = 10;
  auto big = ExtractClaims(
      {"d", "s", std::string(11, 'a'), absl::CivilDay(2015, 1, 1)}, small);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExtractorTest, ACurrencySignAtTheEndOfTheTextIsNoFigure) {
  // Found by the fuzzer: the sign was the last token of the document.
  for (const char* text :
       {"leled 1eo$in& VWehled 1eo$", "It cost $", "Prices in \u20AC"}) {
    for (const v1::Claim& c : OfKind(Extract(text, "2016-11-07", true), kQty)) {
      EXPECT_NE(c.number().unit(), "USD") << text;
      EXPECT_NE(c.number().unit(), "EUR") << text;
    }
  }
}

TEST(ExtractorTest, HugeDurationsAreNoDates) {
  // Found by the fuzzer: a count beyond int made the conversion undefined.
  auto claims = Extract(
      "It ended 888888888888888888888888888888888888888888888888888888888888888"
      "88888888888888888888888888888888888888888888888888888888888888888 days "
      "ago.",
      "2015-12-15");
  EXPECT_TRUE(OfKind(claims, v1::CLAIM_KIND_DATE).empty());
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  EXPECT_FALSE(FindInvalidUtf8("plain ascii").has_value());
  EXPECT_FALSE(
      FindInvalidUtf8("caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D").has_value());
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);        // Overlong.
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);     // Surrogate.
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);       // Truncated.
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // Above U+10FFFF.
  // After runs of ASCII longer than the 32- and 8-byte steps, at and
  // across their boundaries.
  const std::string ascii(70, 'a');
  for (size_t at = 0; at <= ascii.size(); ++at) {
    std::string text = ascii;
    text.insert(at, "\xFF");
    EXPECT_EQ(FindInvalidUtf8(text), at) << at;
    text = ascii;
    text.insert(at, "\xC3\xA9");
    EXPECT_FALSE(FindInvalidUtf8(text).has_value()) << at;
    text = ascii.substr(0, at) + "\xE2\x80";
    EXPECT_EQ(FindInvalidUtf8(text), at) << "truncated at the end " << at;
  }
}

TEST(PublicationDateTest, AcceptsDatesAndRfc3339AndRejectsTheRest) {
  EXPECT_EQ(*ParsePublicationDay("2015-12-15"), absl::CivilDay(2015, 12, 15));
  EXPECT_EQ(*ParsePublicationDay("2015-12-15T23:30:00-05:00"),
            absl::CivilDay(2015, 12, 15));
  EXPECT_FALSE(ParsePublicationDay("2015-02-30").ok());
  EXPECT_FALSE(ParsePublicationDay("15/12/2015").ok());
  EXPECT_FALSE(ParsePublicationDay("").ok());
}

TEST(MentionsTest, BareNumbersAreQuantitiesWithoutPredicate) {
  auto claims = Extract("The committee has 15 members.", "2015-12-15", true);
  auto quantities = OfKind(claims, v1::CLAIM_KIND_QUANTITY);
  ASSERT_EQ(quantities.size(), 1u);
  EXPECT_EQ(quantities[0].number().value(), 15);
  EXPECT_TRUE(quantities[0].predicate().empty());
  EXPECT_TRUE(OfKind(Extract("The committee has 15 members.", "2015-12-15"),
                     v1::CLAIM_KIND_QUANTITY)
                  .empty());
}

}  // namespace
}  // namespace crosscheck::claims
