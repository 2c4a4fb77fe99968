// Reading serialized claims for a comparison without protobuf's parser.

#include "claims/claim_reader.h"

#include <set>
#include <string>
#include <vector>

#include "claims/extractor.h"
#include "claims/fact_comparator.h"
#include "common/wire_format.h"
#include "gtest/gtest.h"

namespace crosscheck::claims {
namespace {

// A claim with every field set, numbers, dates and quotes alike.
v1::Claim EveryField() {
  v1::Claim c;
  c.set_id("doc-1#3");
  c.set_document_id("doc-1");
  c.set_source("Wire");
  c.set_kind(v1::CLAIM_KIND_CASUALTY);
  c.set_predicate("killed");
  c.set_subject("people");
  c.set_location("Dhaka");
  v1::NumberValue* n = c.mutable_number();
  n->set_value(0);  // Present, though zero.
  n->set_qualifier(v1::QUALIFIER_ABOUT);
  n->set_high(250.5);
  n->set_unit("person");
  n->set_low(-1.25);
  n->set_upper(1e300);
  n->set_text("about 200");
  v1::DateValue* d = c.mutable_date();
  d->set_start("2024-07-01");
  d->set_end("2024-07-07");
  d->set_granularity(v1::GRANULARITY_WEEK);
  d->set_relative(true);
  d->set_text("last week");
  c.mutable_quote()->set_text(
      "We have never seen water like this \u2014 never.");
  c.mutable_quote()->set_speaker("the mayor");
  c.mutable_span()->set_begin(12);
  c.mutable_span()->set_end(40);
  c.set_sentence("About 200 people were killed in Dhaka, the mayor said.");
  c.set_fact_key("casualty/killed/people/dhaka");
  c.set_attribution("the mayor");
  c.set_published("2024-07-08");
  c.set_event_class("flood");
  c.add_context_words("flood");
  c.add_context_words("dhaka");
  return c;
}

// `c` as ReadClaimToCompare gives it: without the fields a comparison does
// not read.
v1::Claim ToCompare(v1::Claim c) {
  c.clear_id();
  c.clear_document_id();
  c.clear_span();
  c.clear_fact_key();
  c.clear_attribution();
  c.clear_context_words();
  return c;
}

TEST(ClaimReaderTest, AClaimIsReadWithTheFieldsAComparisonReads) {
  const v1::Claim claim = EveryField();
  v1::Claim read;
  read.set_id("left over");
  ASSERT_TRUE(ReadClaimToCompare(claim.SerializeAsString(), &read));
  EXPECT_EQ(read.SerializeAsString(), ToCompare(claim).SerializeAsString());
  EXPECT_TRUE(read.number().has_value());
  EXPECT_EQ(read.number().value(), 0);
  EXPECT_FALSE(read.has_span());
  EXPECT_EQ(read.context_words_size(), 0);
}

TEST(ClaimReaderTest, FieldsComeInAnyOrderAndTheLastWins) {
  // The store's order: document id first, the row, the fact key last; and
  // fields this build does not know, of every wire type.
  v1::Claim claim = EveryField();
  std::string bytes;
  AppendLengthDelimited(3, "Earlier", &bytes);  // Overridden below.
  bytes += claim.SerializeAsString();
  bytes += "\xC8\x06\x96\x01";  // Field 105, varint 150.
  bytes += std::string("\xD1\x06", 2) + std::string(8, '\x01');  // Fixed64.
  bytes += std::string("\xDD\x06", 2) + std::string(4, '\x02');  // Fixed32.
  bytes += "\xA3\x06\x08\x01\xAB\x06\xAC\x06\xA4\x06";  // Nested groups.
  AppendLengthDelimited(13, "casualty/killed/people/dhaka", &bytes);
  v1::Claim parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes)) << "protobuf takes it";
  v1::Claim read;
  ASSERT_TRUE(ReadClaimToCompare(bytes, &read));
  EXPECT_EQ(read.SerializeAsString(), ToCompare(claim).SerializeAsString());
  EXPECT_EQ(read.source(), "Wire");
}

TEST(ClaimReaderTest, BytesThatAreNotAClaimAreRefused) {
  const std::string bytes = EveryField().SerializeAsString();
  v1::Claim read;
  // Cut short inside a field, inside a length and inside a nested message.
  for (size_t cut : {bytes.size() - 1, size_t{1}, size_t{20}}) {
    EXPECT_FALSE(ReadClaimToCompare(bytes.substr(0, cut), &read)) << cut;
  }
  EXPECT_FALSE(ReadClaimToCompare("\x0B", &read));  // An open group.
  EXPECT_FALSE(
      ReadClaimToCompare(std::string("\x00\x01", 2), &read));  // Field 0.
  EXPECT_FALSE(
      ReadClaimToCompare("\x1A\x7F"
                         "abc",
                         &read));  // Too long.
  std::string bad_number;
  AppendLengthDelimited(8, "\x09\x01", &bad_number);  // A short double.
  EXPECT_FALSE(ReadClaimToCompare(bad_number, &read));
  EXPECT_TRUE(ReadClaimToCompare("", &read));
}

// A field added to Claim or its values fails here until someone decides
// whether a comparison reads it (claim_reader.cc) or not (ToCompare).
TEST(ClaimReaderTest, EveryFieldOfAClaimIsReadOrSkippedByDecision) {
  const std::set<std::string> read = {
      "source", "kind",  "predicate", "subject",   "location",   "number",
      "date",   "quote", "sentence",  "published", "event_class"};
  const std::set<std::string> skipped = {
      "id", "document_id", "span", "fact_key", "attribution", "context_words"};
  const auto* claim = v1::Claim::descriptor();
  for (int i = 0; i < claim->field_count(); ++i) {
    const std::string name = claim->field(i)->name();
    EXPECT_TRUE(read.count(name) + skipped.count(name) == 1) << name;
  }
  EXPECT_EQ(claim->field_count(),
            static_cast<int>(read.size() + skipped.size()));
  EXPECT_EQ(v1::NumberValue::descriptor()->field_count(), 7);
  EXPECT_EQ(v1::DateValue::descriptor()->field_count(), 5);
  EXPECT_EQ(v1::QuoteValue::descriptor()->field_count(), 2);
}

// The answer made from serialized claims parses to CompareFact's, for
// figures with a copied sentence, dates and quotes.
TEST(ClaimReaderTest, AnAnswerFromSerializedClaimsIsTheComparison) {
  std::vector<std::vector<v1::Claim>> facts;
  const std::vector<std::pair<std::string, std::string>> reports = {
      {"A", "Officials said 94 people were killed in Dhaka on Monday."},
      {"B", "Officials said 94 people were killed in Dhaka on Monday."},
      {"C",
       "At least 120 people were killed in Dhaka last week, the "
       "mayor said: \u201CWe have never seen water like this.\u201D"},
      {"D",
       "\u201CWe have never seen water like this,\u201D the mayor "
       "said. About 95 people were killed in Dhaka."}};
  std::map<std::string, std::vector<v1::Claim>> by_kind;
  for (const auto& [source, text] : reports) {
    auto claims =
        ExtractClaims({source, source, text, absl::CivilDay(2024, 7, 2)});
    ASSERT_TRUE(claims.ok());
    for (v1::Claim& c : *claims) {
      c.set_source(source);
      c.set_published("2024-07-02");
      by_kind[v1::ClaimKind_Name(c.kind())].push_back(c);
    }
  }
  ASSERT_GE(by_kind.size(), 3u) << "figures, dates and quotes";
  for (const auto& [kind, claims] : by_kind) {
    std::vector<std::string> bytes;
    for (const v1::Claim& c : claims) bytes.push_back(c.SerializeAsString());
    std::string answer;
    v1::FactComparison shell;
    ASSERT_TRUE(CompareSerializedClaims("s", kind, bytes, &answer, &shell));
    v1::FactComparison parsed;
    ASSERT_TRUE(parsed.ParseFromString(answer)) << kind;
    EXPECT_EQ(parsed.SerializeAsString(),
              CompareFact("s", kind, claims).SerializeAsString())
        << kind;
    EXPECT_EQ(shell.groups_size(), parsed.groups_size());
  }
  std::string answer = "untouched";
  EXPECT_FALSE(CompareSerializedClaims("s", "k", {"\x0B"}, &answer));
  EXPECT_EQ(answer, "untouched");
}

}  // namespace
}  // namespace crosscheck::claims
