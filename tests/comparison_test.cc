// Comparison of one fact's claims: intervals, groups, status, copies.

#include <string>
#include <vector>

#include "claims/extractor.h"
#include "claims/fact_comparator.h"
#include "claims/fact_grouper.h"
#include "claims/value_interval.h"
#include "common/wire_format.h"
#include "gtest/gtest.h"

namespace crosscheck::claims {
namespace {

using Strings = std::vector<std::string>;

// The sources a copied sentence names as its copies.
Strings CopySources(const v1::CopiedSentence& copy) {
  return Strings(copy.copy_sources().begin(), copy.copy_sources().end());
}

// A casualty claim as extraction would make it from `figure` ("over
// 220,000").
v1::Claim Figure(const std::string& source, const std::string& figure,
                 const std::string& published = "2015-12-15",
                 const std::string& sentence = "") {
  const std::string text = figure + " people were killed in Syria.";
  auto claims =
      ExtractClaims({source, source, text, absl::CivilDay(2015, 12, 15)});
  EXPECT_TRUE(claims.ok());
  for (auto& c : *claims) {
    if (c.kind() == v1::CLAIM_KIND_CASUALTY) {
      c.set_published(published);
      c.set_source(source);
      c.set_sentence(sentence.empty() ? source + ": " + text : sentence);
      return c;
    }
  }
  ADD_FAILURE() << "no casualty in: " << text;
  return v1::Claim();
}

v1::FactComparison Compare(const std::vector<v1::Claim>& claims) {
  return CompareFact("story", "casualty/killed/people/syria", claims);
}

struct PairCase {
  const char* a;
  const char* b;
  bool compatible;
};

class CompatibilityTest : public ::testing::TestWithParam<PairCase> {};

TEST_P(CompatibilityTest, IntervalsDecide) {
  const PairCase& c = GetParam();
  EXPECT_EQ(Compatible(Figure("A", c.a), Figure("B", c.b)), c.compatible)
      << c.a << " vs " << c.b;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CompatibilityTest,
    ::testing::Values(PairCase{"Over 220,000", "250,000", true},
                      PairCase{"About 19,500", "19,136", true},
                      PairCase{"19,136", "More than 25,000", false},
                      PairCase{"220,000", "223,000", true},  // Rounding.
                      PairCase{"220,000", "226,000", false},
                      PairCase{"19,136", "19,137", false},  // Exact.
                      PairCase{"Nearly 600", "590", true},
                      PairCase{"Up to 700", "800", false},
                      PairCase{"Between 200 and 300", "250", true},
                      PairCase{"Between 200 and 300", "350", false},
                      PairCase{"At least 40", "45", true},
                      PairCase{"Two", "Three", false}));

TEST(CompareFactTest, OneSourceIsSingleSource) {
  auto fact = Compare({Figure("A", "94")});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_SINGLE_SOURCE);
  EXPECT_EQ(fact.source_count(), 1);
}

TEST(CompareFactTest, CompatibleValuesAgreeInOneGroup) {
  auto fact = Compare({Figure("A", "Over 220,000"), Figure("B", "250,000")});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_AGREE);
  ASSERT_EQ(fact.groups_size(), 1);
  EXPECT_EQ(fact.groups(0).sources_size(), 2);
  EXPECT_EQ(fact.spread(), 30000);
}

TEST(CompareFactTest, IncompatibleValuesSameDayDisagree) {
  auto fact = Compare({Figure("A", "19,136"), Figure("B", "More than 25,000"),
                       Figure("C", "19,136")});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_DISAGREE);
  ASSERT_EQ(fact.groups_size(), 2);
  EXPECT_EQ(fact.groups(0).sources_size(), 2) << "largest group first";
}

TEST(CompareFactTest, TollRisingWithTimeIsEvolvingWithTheLatestShown) {
  auto fact =
      Compare({Figure("A", "40", "2024-03-12"), Figure("B", "94", "2024-03-13"),
               Figure("C", "At least 94", "2024-03-13"),
               Figure("D", "120", "2024-03-14")});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_EVOLVING);
  EXPECT_EQ(fact.latest_value(), "120");
}

TEST(CompareFactTest, FiguresThatGoUpAndDownDisagree) {
  auto fact =
      Compare({Figure("A", "40", "2024-03-12"), Figure("B", "94", "2024-03-13"),
               Figure("C", "20", "2024-03-14")});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_DISAGREE);
}

TEST(CompareFactTest, CopiedSentenceCountsOnceAndNamesTheCopy) {
  const std::string sentence = "Officials said 94 people were killed.";
  auto fact = Compare({Figure("A", "94", "2024-03-12", sentence),
                       Figure("B", "94", "2024-03-13", sentence),
                       Figure("C", "94", "2024-03-13")});
  EXPECT_EQ(fact.source_count(), 3);
  EXPECT_EQ(fact.independent_source_count(), 2);
  ASSERT_EQ(fact.copies_size(), 1);
  EXPECT_EQ(fact.copies(0).original_source(), "A");
  EXPECT_EQ(CopySources(fact.copies(0)), Strings({"B"}));
  EXPECT_EQ(fact.copies(0).sentence(), sentence);
}

TEST(CompareFactTest, CopiesOfCopiesJoinOneReportAcrossSentences) {
  // B copies A's first sentence, C copies B's second; D writes its own.
  // Sentences differing only in case and punctuation are copies too.
  const std::string first = "Officials said 94 people were killed.";
  const std::string second = "The toll: 94 dead, rescuers said.";
  auto fact = Compare({Figure("A", "94", "2024-03-12", first),
                       Figure("B", "94", "2024-03-13",
                              "OFFICIALS said 94 "
                              "people were killed!"),
                       Figure("B", "94", "2024-03-13", second),
                       Figure("C", "94", "2024-03-14", second),
                       Figure("D", "94", "2024-03-14")});
  EXPECT_EQ(fact.source_count(), 4);
  EXPECT_EQ(fact.independent_source_count(), 2);
  ASSERT_EQ(fact.copies_size(), 2);
  // In the order of the sentences' keys: "officials ..." before "the toll".
  EXPECT_EQ(fact.copies(0).original_source(), "A");
  EXPECT_EQ(CopySources(fact.copies(0)), Strings({"B"}));
  EXPECT_EQ(fact.copies(1).original_source(), "B");
  EXPECT_EQ(CopySources(fact.copies(1)), Strings({"C"}));
  ASSERT_EQ(fact.groups_size(), 1);
  EXPECT_EQ(fact.groups(0).sources_size(), 4);
  EXPECT_EQ(fact.groups(0).sources(0), "A");
  EXPECT_EQ(fact.groups(0).sources(3), "D");
}

TEST(CompareFactTest, CopiesAreFoundAcrossQuotationMarkStylesNotLetters) {
  // Curly or straight quotes, a no-break space, guillemets and a dash are
  // all gaps; an accented letter is a letter.
  auto fact = Compare(
      {Figure("A", "94", "2024-03-12",
              "Kyiv\u2019s mayor said \u201C94 died\u201D \u2014 officially."),
       Figure("B", "94", "2024-03-13",
              "Kyiv's mayor said \"94\u00A0died\" - \u00ABofficially\u00BB."),
       Figure("C", "94", "2024-03-13", "The caf\u00E9 owner said 94 died."),
       Figure("D", "94", "2024-03-14", "The cafe owner said 94 died.")});
  EXPECT_EQ(fact.source_count(), 4);
  EXPECT_EQ(fact.independent_source_count(), 3);
  ASSERT_EQ(fact.copies_size(), 1);
  EXPECT_EQ(fact.copies(0).original_source(), "A");
  EXPECT_EQ(CopySources(fact.copies(0)), Strings({"B"}));
}

TEST(CompareFactTest, SentencesRepeatedWordForWordAndRetypedAreOneReport) {
  // Each sentence appears more than once, word for word and retyped, out
  // of order; the earliest report of each is its original.
  const std::string officials = "Officials said 94 people were killed.";
  const std::string toll = "The toll: 94 dead, rescuers said.";
  auto fact = Compare(
      {Figure("D", "94", "2024-03-14", toll),
       Figure("A", "94", "2024-03-12", officials),
       Figure("F", "94", "2024-03-13", "Rescuers counted 94."),
       Figure("B", "94", "2024-03-13", officials),
       Figure("C", "94", "2024-03-13", "officials said 94 people were KILLED"),
       Figure("E", "94", "2024-03-11", toll),
       Figure("G", "94", "2024-03-15", officials)});
  EXPECT_EQ(fact.source_count(), 7);
  EXPECT_EQ(fact.independent_source_count(), 3);
  // One message a copied sentence, by key ("officials ..." < "the toll
  // ..."), with the original's words; its copies by day, then in the
  // order given.
  ASSERT_EQ(fact.copies_size(), 2);
  EXPECT_EQ(fact.copies(0).original_source(), "A");
  EXPECT_EQ(fact.copies(0).sentence(), officials);
  EXPECT_EQ(CopySources(fact.copies(0)), Strings({"B", "C", "G"}));
  EXPECT_EQ(fact.copies(1).original_source(), "E");
  EXPECT_EQ(fact.copies(1).sentence(), toll);
  EXPECT_EQ(CopySources(fact.copies(1)), Strings({"D"}));
}

TEST(CompareFactTest, ASourceRepeatingASentenceTwiceIsNamedOnce) {
  // B carries A's sentence in two documents, and A its own twice.
  const std::string sentence = "Officials said 94 people were killed.";
  auto fact = Compare({Figure("A", "94", "2024-03-12", sentence),
                       Figure("B", "94", "2024-03-13", sentence),
                       Figure("A", "94", "2024-03-13", sentence),
                       Figure("C", "94", "2024-03-14", sentence),
                       Figure("B", "94", "2024-03-15", sentence)});
  EXPECT_EQ(fact.source_count(), 3);
  EXPECT_EQ(fact.independent_source_count(), 1);
  ASSERT_EQ(fact.copies_size(), 1);
  EXPECT_EQ(fact.copies(0).original_source(), "A");
  EXPECT_EQ(CopySources(fact.copies(0)), Strings({"B", "C"}));
}

// A toll in dispute: A and B agree on 94 (B copying A's sentence), C
// says 120 and then about 120, D at least 90.
std::vector<v1::Claim> DisputedToll() {
  const std::string sentence = "Officials said 94 people were killed.";
  return {Figure("A", "94", "2024-03-12", sentence),
          Figure("B", "94", "2024-03-13", sentence), Figure("C", "120"),
          Figure("C", "about 120", "2024-03-14"), Figure("D", "at least 90")};
}

TEST(CompareFactTest, TheSummaryKeepsTheVerdictAndTheGroups) {
  const std::vector<v1::Claim> claims = DisputedToll();
  const v1::FactComparison full = Compare(claims);
  const FactSummary brief = SummarizeFact(claims);
  EXPECT_EQ(brief.status, full.status());
  EXPECT_EQ(brief.status, v1::FACT_STATUS_DISAGREE);
  EXPECT_EQ(brief.source_count, full.source_count());
  ASSERT_EQ(brief.groups.size(), static_cast<size_t>(full.groups_size()));
  ASSERT_EQ(brief.group_of.size(), claims.size());
  for (int g = 0; g < full.groups_size(); ++g) {
    EXPECT_EQ(brief.groups[g].value, full.groups(g).value());
    EXPECT_EQ(brief.groups[g].source_count, full.groups(g).sources_size());
    for (const v1::Claim& member : full.groups(g).claims()) {
      for (size_t i = 0; i < claims.size(); ++i) {
        if (claims[i].document_id() == member.document_id() &&
            claims[i].number().text() == member.number().text()) {
          EXPECT_EQ(brief.group_of[i], static_cast<uint32_t>(g))
              << member.number().text();
        }
      }
    }
  }
  // An evolving toll and a lone source are decided the same way too.
  const std::vector<v1::Claim> evolving = {Figure("A", "10", "2024-03-12"),
                                           Figure("B", "10", "2024-03-12"),
                                           Figure("C", "25", "2024-03-13")};
  EXPECT_EQ(SummarizeFact(evolving).status, Compare(evolving).status());
  EXPECT_EQ(SummarizeFact(evolving).status, v1::FACT_STATUS_EVOLVING);
  EXPECT_EQ(SummarizeFact({Figure("A", "10")}).status,
            v1::FACT_STATUS_SINGLE_SOURCE);
  EXPECT_EQ(SummarizeFact({}).status, v1::FACT_STATUS_UNSPECIFIED);
  EXPECT_TRUE(SummarizeFact({}).groups.empty());
}

TEST(CompareFactTest, MovingTheClaimsInGivesTheSameComparison) {
  const std::string sentence = "Officials said 94 people were killed.";
  std::vector<v1::Claim> claims = {Figure("A", "94", "2024-03-12", sentence),
                                   Figure("B", "94", "2024-03-13", sentence),
                                   Figure("C", "120"),
                                   Figure("D", "About 95", "2024-03-14")};
  const v1::FactComparison copied = Compare(claims);
  const v1::FactComparison moved =
      CompareFact("story", "casualty/killed/people/syria", std::move(claims));
  EXPECT_EQ(moved.SerializeAsString(), copied.SerializeAsString());
  ASSERT_EQ(moved.groups_size(), 2);
  EXPECT_EQ(moved.groups(0).sources_size(), 3);
  EXPECT_FALSE(moved.groups(0).claims(0).sentence().empty());
}

// Each claim's bytes as the store gives them: the source (field 3)
// written last, out of SerializeAsString's order.
std::vector<std::string> StoredBytes(const std::vector<v1::Claim>& claims) {
  std::vector<std::string> claim_bytes;
  for (const v1::Claim& claim : claims) {
    v1::Claim without_source = claim;
    without_source.clear_source();
    std::string bytes = without_source.SerializeAsString();
    AppendLengthDelimited(3, claim.source(), &bytes);
    claim_bytes.push_back(bytes);
  }
  return claim_bytes;
}

TEST(CompareFactTest, AnAnswerWrittenFromClaimBytesIsTheComparison) {
  const std::vector<v1::Claim> claims = DisputedToll();
  const v1::FactComparison full = Compare(claims);
  ASSERT_EQ(full.groups_size(), 2);
  ASSERT_EQ(full.copies_size(), 1);
  const std::vector<std::string> claim_bytes = StoredBytes(claims);
  ClaimPlaces places;
  v1::FactComparison shell = CompareFactWithoutClaims(
      "story", "casualty/killed/people/syria", claims, &places);
  ASSERT_EQ(places.groups.size(), 2u);
  for (int g = 0; g < shell.groups_size(); ++g) {
    EXPECT_EQ(shell.groups(g).claims_size(), 0);
    EXPECT_EQ(places.groups[g].size(),
              static_cast<size_t>(full.groups(g).claims_size()));
  }
  // B's copy of A's sentence: claims 0 and 1.
  EXPECT_EQ(shell.copies_size(), 0);
  ASSERT_EQ(places.copies.size(), 1u);
  EXPECT_EQ(places.copies[0], std::vector<uint32_t>({0, 1}));
  const std::string answer =
      SerializeFactWithClaims(&shell, places, claims, claim_bytes);
  v1::FactComparison parsed;
  ASSERT_TRUE(parsed.ParseFromString(answer));
  EXPECT_EQ(parsed.SerializeAsString(), full.SerializeAsString());
  // The shell is left as it was, and writes the same answer again.
  EXPECT_EQ(shell.groups_size(), 2);
  EXPECT_EQ(shell.groups(0).value(), full.groups(0).value());
  EXPECT_EQ(SerializeFactWithClaims(&shell, places, claims, claim_bytes),
            answer);
  // No claims: no groups, and the answer is the comparison's own bytes.
  v1::FactComparison lone = CompareFactWithoutClaims("story", "k", {}, &places);
  EXPECT_TRUE(places.groups.empty());
  EXPECT_TRUE(places.copies.empty());
  EXPECT_EQ(
      SerializeFactWithClaims(&lone, places, {}, {}),
      CompareFact("story", "k", std::vector<v1::Claim>()).SerializeAsString());
}

TEST(CompareFactTest, CopiesWrittenFromClaimsAreTheComparisonsCopies) {
  // Several copied sentences, one that is empty (written without its
  // sentence, as protobuf leaves out an empty string), and one long
  // enough that its length takes two bytes, with two copies.
  const std::string officials = "Officials said 94 people were killed.";
  const std::string long_sentence =
      "Officials said 94 people were killed " + std::string(200, 'x') + ".";
  std::vector<v1::Claim> claims = {
      Figure("A", "94", "2024-03-12", officials),
      Figure("B", "94", "2024-03-13", officials),
      Figure("C", "94", "2024-03-13", long_sentence),
      Figure("D", "94", "2024-03-14", long_sentence),
      Figure("G", "94", "2024-03-16", long_sentence),
      Figure("E", "94", "2024-03-14"),
      Figure("F", "94", "2024-03-15")};
  claims[5].clear_sentence();
  claims[6].clear_sentence();
  const v1::FactComparison full = Compare(claims);
  ASSERT_EQ(full.copies_size(), 3);
  EXPECT_TRUE(full.copies(0).sentence().empty());
  EXPECT_EQ(CopySources(full.copies(2)), Strings({"D", "G"}));
  std::string answer;
  v1::FactComparison shell;
  ASSERT_TRUE(CompareSerializedClaims("story", "casualty/killed/people/syria",
                                      StoredBytes(claims), &answer, &shell));
  EXPECT_EQ(shell.copies_size(), 0);
  v1::FactComparison parsed;
  ASSERT_TRUE(parsed.ParseFromString(answer));
  EXPECT_EQ(parsed.SerializeAsString(), full.SerializeAsString());
}

TEST(ValueIntervalTest, DaysTheCalendarWouldMoveAreNotDates) {
  v1::DateValue date;
  date.set_start("2016-02-29");
  date.set_end("2015-02-29");
  const Interval interval = DateInterval(date);
  EXPECT_EQ(interval.low,
            (absl::CivilDay(2016, 2, 29) - absl::CivilDay(1970, 1, 1)));
  EXPECT_EQ(interval.high, Interval{}.high) << "2015 has no 29 February";
  date.set_start("2015-12-15");
  date.set_end("2015-12-31");
  EXPECT_EQ(DateInterval(date).high - DateInterval(date).low, 16);
}

TEST(CompareFactTest, DatesCompareAsDayIntervals) {
  auto claims = ExtractClaims({"a", "A", "Rebels met in Riyadh on Thursday.",
                               absl::CivilDay(2015, 12, 15)});
  auto week = ExtractClaims({"b", "B", "A meeting last week in Riyadh.",
                             absl::CivilDay(2015, 12, 15)});
  ASSERT_TRUE(claims.ok() && week.ok());
  v1::Claim a = (*claims)[0], b = (*week)[0];
  a.set_source("A");
  b.set_source("B");
  EXPECT_TRUE(Compatible(a, b)) << "Thursday lies inside last week";
  auto fact = CompareFact("s", "date/meeting/riyadh", {a, b});
  EXPECT_EQ(fact.status(), v1::FACT_STATUS_AGREE);
}

TEST(CompareFactTest, QuotesAgreeAcrossAliasesAndPunctuation) {
  v1::Claim a, b, c;
  a.set_kind(v1::CLAIM_KIND_QUOTE);
  a.set_source("A");
  a.mutable_quote()->set_text("Given the USA influence on Kiev, it would be");
  b = a;
  b.set_source("B");
  b.mutable_quote()->set_text("given the U.S. influence on Kiev it would be");
  c = a;
  c.set_source("C");
  c.mutable_quote()->set_text("Given the US influence on Moscow, it would be");
  EXPECT_TRUE(Compatible(a, b));
  EXPECT_FALSE(Compatible(a, c));
  EXPECT_EQ(CompareFact("s", "q", {a, b}).status(), v1::FACT_STATUS_AGREE);
  EXPECT_EQ(CompareFact("s", "q", {a, b, c}).status(),
            v1::FACT_STATUS_DISAGREE);
}

// ---- Grouping claims of different documents into facts -----------------

std::vector<v1::Claim> ExtractAs(const std::string& id,
                                 const std::string& text) {
  auto claims = ExtractClaims({id, id, text, absl::CivilDay(2015, 12, 15)});
  EXPECT_TRUE(claims.ok());
  return *claims;
}

TEST(FactGrouperTest, OneMeetingNamedByWeekdayAndByDateIsOneFact) {
  FactGrouper grouper;
  auto a = ExtractAs("a",
                     "A new diplomatic conference on Syria will go ahead as "
                     "planned Friday at the United Nations.");
  auto b = ExtractAs("b",
                     "They want to hold the next round of Syrian peace talks "
                     "on Friday in NY.");
  auto c = ExtractAs("c",
                     "The next meeting of world powers on Syria would take "
                     "place in New York City on December 18.");
  for (auto* claims : {&a, &b, &c}) {
    ASSERT_EQ(claims->size(), 1u);
    grouper.Assign(&(*claims)[0]);
  }
  EXPECT_EQ(a[0].fact_key(), b[0].fact_key());
  EXPECT_EQ(a[0].fact_key(), c[0].fact_key());
}

TEST(FactGrouperTest, DifferentCeasefiresStayApart) {
  FactGrouper grouper;
  auto a = ExtractAs("a",
                     "Kerry is asking for Russia's full implementation of a "
                     "February cease-fire in exchange for sanctions relief.");
  auto b = ExtractAs("b",
                     "Kerry's talks with Putin will delve into details of a "
                     "planned January 1 ceasefire in Syria.");
  grouper.Assign(&a[0]);
  grouper.Assign(&b[0]);
  EXPECT_NE(a[0].fact_key(), b[0].fact_key());
}

TEST(FactGrouperTest, TwoRenderingsOfOneStatementAreOneQuoteFact) {
  FactGrouper grouper;
  auto a = ExtractAs("a",
                     "“We will keep seeking that the U.S. administration "
                     "review its policy that seeks to divide terrorists into "
                     "good and bad”, the statement says.");
  auto b = ExtractAs("b",
                     "Moscow “will continue to seek a revision of the USA "
                     "administration policy based on dividing terrorists "
                     "into bad and good ones”.");
  auto c = ExtractAs("c", "“We have the proof in our hands”, Erdogan said.");
  grouper.Assign(&a[0]);
  grouper.Assign(&b[0]);
  grouper.Assign(&c[0]);
  EXPECT_EQ(a[0].fact_key(), b[0].fact_key());
  EXPECT_NE(a[0].fact_key(), c[0].fact_key());
}

TEST(FactGrouperTest, AShortQuoteRepeatedByOutletsIsOneFact) {
  FactGrouper grouper;
  auto a = ExtractAs("a", "“We will rebuild”, said Mayor Ana Lind.");
  auto b = ExtractAs("b", "Mayor Ana Lind said: “We will rebuild.”");
  auto c = ExtractAs("c", "“We will leave”, said Mayor Ana Lind.");
  auto d = ExtractAs("d", "“We will rebuild the bridge”, said Mayor Ana Lind.");
  for (auto* claims : {&a, &b, &c, &d}) {
    ASSERT_FALSE(claims->empty());
    grouper.Assign(&(*claims)[0]);
  }
  EXPECT_EQ(a[0].fact_key(), b[0].fact_key());
  EXPECT_NE(a[0].fact_key(), c[0].fact_key());
  EXPECT_NE(a[0].fact_key(), d[0].fact_key());
}

TEST(FactGrouperTest, ReportingDatesJoinNoFact) {
  FactGrouper grouper;
  auto a =
      ExtractAs("a", "The flood killed 9 people, officials said on Monday.");
  for (auto& claim : a) {
    grouper.Assign(&claim);
    if (claim.kind() == v1::CLAIM_KIND_DATE) {
      EXPECT_TRUE(claim.fact_key().empty());
    }
  }
}

}  // namespace
}  // namespace crosscheck::claims
