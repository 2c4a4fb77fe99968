// The fact RPCs on a real server on 127.0.0.1:0 with a real store.

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "server/fact_queries.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

using Stub = v1::Crosscheck::Stub;

class FactsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    auto server = CrosscheckServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    client::CrosscheckClient::Options client_options;
    client_options.target = absl::StrCat("127.0.0.1:", server_->port());
    client_ = std::make_unique<client::CrosscheckClient>(client_options);
  }

  void Ingest(const std::string& id, const std::string& source,
              const std::string& published, const std::string& text,
              const std::string& story = "flood") {
    v1::Document doc;
    doc.set_id(id);
    doc.set_source(source);
    doc.set_published(published);
    doc.set_story_id(story);
    doc.set_text(text);
    auto r = client_->Ingest(doc);
    ASSERT_TRUE(r.ok()) << r.status();
  }

  absl::StatusOr<v1::FactComparison> Fact(const std::string& key,
                                          const std::string& story = "flood") {
    v1::GetFactRequest request;
    request.set_story_id(story);
    request.set_fact_key(key);
    v1::FactComparison fact;
    absl::Status s = client_->Call(&Stub::GetFact, request, &fact);
    if (!s.ok()) return s;
    return fact;
  }

  // Two reports of a disaster in `story` that disagree on its toll: the
  // Wire's with an evacuation, the Post's with the injured.
  void IngestTwoReports(const std::string& story) {
    Ingest(story + "-a", "Wire", "2024-07-02",
           "The " + story +
               " killed 12 people in Townville on Monday. About 300 people "
               "were evacuated, officials said.",
           story);
    Ingest(story + "-b", "Post", "2024-07-02",
           "The " + story +
               " killed 14 people in Townville on Monday. At least 80 "
               "people were injured.",
           story);
  }

  // Expects `fact` to be the comparison of the claims the store holds.
  void ExpectAsStored(const v1::FactComparison& fact) {
    auto want =
        LoadFact(*server_->store().NewView(), fact.story_id(), fact.fact_key());
    ASSERT_TRUE(want.ok()) << want.status();
    EXPECT_EQ(fact.SerializeAsString(), want->SerializeAsString())
        << fact.story_id() << " " << fact.fact_key();
  }

  std::vector<v1::FactComparison> SearchAll(v1::SearchFactsRequest request) {
    std::vector<v1::FactComparison> out;
    do {
      v1::SearchFactsResponse page;
      absl::Status s = client_->Call(&Stub::SearchFacts, request, &page);
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) break;
      out.insert(out.end(), page.facts().begin(), page.facts().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return out;
  }

  testing::TestDir dir_;
  std::unique_ptr<CrosscheckServer> server_;
  std::unique_ptr<client::CrosscheckClient> client_;
};

// "Townaaville", "Townabville", ...: sixty distinct places.
std::string TownName(int i) {
  std::string name = "Town";
  name.push_back(static_cast<char>('a' + i / 26));
  name.push_back(static_cast<char>('a' + i % 26));
  return name + "ville";
}

constexpr char kKilled[] = "casualty/killed/people/dhaka";

TEST_F(FactsServiceTest, SourcesThatDisagreeAreShownApart) {
  Ingest("a", "Alpha", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 75 people in Dhaka.");
  Ingest("c", "Gamma", "2024-07-02",
         "The flood killed about 40 people in Dhaka.");
  auto fact = Fact(kKilled);
  ASSERT_TRUE(fact.ok()) << fact.status();
  EXPECT_EQ(fact->status(), v1::FACT_STATUS_DISAGREE);
  ASSERT_EQ(fact->groups_size(), 2);
  EXPECT_EQ(fact->groups(0).sources_size(), 2);
  EXPECT_EQ(fact->groups(1).sources(0), "Beta");
  EXPECT_EQ(fact->spread(), 35);
}

TEST_F(FactsServiceTest, CorrectionAndDeletionUpdateTheFact) {
  Ingest("a", "Alpha", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 75 people in Dhaka.");
  ASSERT_EQ(Fact(kKilled)->status(), v1::FACT_STATUS_DISAGREE);
  // Beta corrects its figure: its old claim goes, the new one agrees.
  Ingest("b", "Beta", "2024-07-02", "The flood killed 40 people in Dhaka.");
  auto corrected = Fact(kKilled);
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->status(), v1::FACT_STATUS_AGREE);
  EXPECT_EQ(corrected->groups(0).claims_size(), 2);
  // Alpha retracts: one source is left.
  ASSERT_TRUE(client_->Delete("a").ok());
  EXPECT_EQ(Fact(kKilled)->status(), v1::FACT_STATUS_SINGLE_SOURCE);
  ASSERT_TRUE(client_->Delete("b").ok());
  EXPECT_EQ(Fact(kKilled).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FactsServiceTest, SearchFiltersByStatusKindSourceWordsAndTime) {
  Ingest("a", "Alpha", "2024-07-01", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-03", "The flood killed 75 people in Dhaka.");
  Ingest("c", "Alpha", "2024-07-01",
         "About 70 percent of Dhaka is under water.");
  v1::SearchFactsRequest request;
  request.set_story_id("flood");
  EXPECT_EQ(SearchAll(request).size(), 2u);
  request.set_disputed_only(true);
  auto disputed = SearchAll(request);
  ASSERT_EQ(disputed.size(), 1u);
  EXPECT_EQ(disputed[0].fact_key(), kKilled);
  request.set_disputed_only(false);
  request.set_kind(v1::CLAIM_KIND_QUANTITY);
  ASSERT_EQ(SearchAll(request).size(), 1u);
  request.set_kind(v1::CLAIM_KIND_UNSPECIFIED);
  request.set_source("Beta");
  EXPECT_EQ(SearchAll(request).size(), 1u);
  request.set_source("");
  request.set_words("water");
  EXPECT_EQ(SearchAll(request).size(), 1u);
  request.set_words("");
  request.set_published_after("2024-07-02");
  auto late = SearchAll(request);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].fact_key(), kKilled);
  request.set_story_id("another story");
  request.set_published_after("");
  EXPECT_TRUE(SearchAll(request).empty());
}

// FACT_VIEW_BASIC lists the same facts as the full view, each the fact
// GetFact gives without its claims and copied sentences; a page kept for
// one view is never served for the other.
TEST_F(FactsServiceTest, TheBasicViewListsFactsWithoutTheirClaims) {
  Ingest("a", "Alpha", "2024-07-01", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 75 people in Dhaka.");
  Ingest("c", "Gamma", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("d", "Delta", "2024-07-03",
         "About 70 percent of Dhaka is under water.");
  v1::SearchFactsRequest request;
  request.set_story_id("flood");
  for (int round = 0; round < 2; ++round) {  // The second from kept pages.
    request.set_view(v1::FACT_VIEW_BASIC);
    const auto basic = SearchAll(request);
    request.set_view(v1::FACT_VIEW_UNSPECIFIED);
    const auto full = SearchAll(request);
    request.set_view(v1::FACT_VIEW_FULL);
    const auto full_again = SearchAll(request);
    ASSERT_EQ(basic.size(), 2u);
    ASSERT_EQ(full.size(), basic.size());
    ASSERT_EQ(full_again.size(), basic.size());
    for (size_t i = 0; i < basic.size(); ++i) {
      EXPECT_EQ(full_again[i].SerializeAsString(), full[i].SerializeAsString());
      // The full view is GetFact's answer; the basic one is that answer
      // without claims and copies.
      auto got = Fact(full[i].fact_key());
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->SerializeAsString(), full[i].SerializeAsString());
      v1::FactComparison expected = full[i];
      size_t claims = 0;
      for (v1::ValueGroup& g : *expected.mutable_groups()) {
        claims += static_cast<size_t>(g.claims_size());
        g.clear_claims();
      }
      expected.clear_copies();
      EXPECT_GT(claims, 0u);
      EXPECT_EQ(basic[i].SerializeAsString(), expected.SerializeAsString())
          << basic[i].DebugString();
      for (const auto& g : basic[i].groups()) {
        EXPECT_EQ(g.claims_size(), 0);
        EXPECT_GT(g.sources_size(), 0);
        EXPECT_FALSE(g.value().empty());
      }
    }
    EXPECT_EQ(basic[0].fact_key(), kKilled);
    EXPECT_EQ(basic[0].status(), v1::FACT_STATUS_DISAGREE);
    EXPECT_EQ(basic[0].groups_size(), 2);
    EXPECT_EQ(basic[0].source_count(), 3);
  }
  // Filters apply to the basic view as to the full one.
  request.set_view(v1::FACT_VIEW_BASIC);
  request.set_disputed_only(true);
  const auto disputed = SearchAll(request);
  ASSERT_EQ(disputed.size(), 1u);
  EXPECT_EQ(disputed[0].fact_key(), kKilled);
  EXPECT_EQ(disputed[0].groups(0).claims_size(), 0);
  // A view that does not exist is refused.
  request.set_view(static_cast<v1::FactView>(7));
  v1::SearchFactsResponse page;
  absl::Status s = client_->Call(&Stub::SearchFacts, request, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find("view 7 is not a FactView"), std::string::npos)
      << s;
}

TEST_F(FactsServiceTest, BadSearchInputIsInvalidArgument) {
  Ingest("a", "Alpha", "2024-07-01", "The flood killed 40 people in Dhaka.");
  v1::SearchFactsResponse page;
  v1::SearchFactsRequest bad;
  bad.set_page_size(-1);
  EXPECT_EQ(client_->Call(&Stub::SearchFacts, bad, &page).code(),
            absl::StatusCode::kInvalidArgument);
  bad = {};
  bad.set_page_token("not-a-token!");
  auto s = client_->Call(&Stub::SearchFacts, bad, &page);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("page_token"), std::string::npos);
  bad = {};
  bad.set_published_before("yesterday");
  EXPECT_EQ(client_->Call(&Stub::SearchFacts, bad, &page).code(),
            absl::StatusCode::kInvalidArgument);
  // A token from one query does not serve another.
  Ingest("b", "Alpha", "2024-07-01", "About 70 percent of Dhaka is flooded.");
  v1::SearchFactsRequest first;
  first.set_page_size(1);
  ASSERT_TRUE(client_->Call(&Stub::SearchFacts, first, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());
  v1::SearchFactsRequest other;
  other.set_source("Alpha");
  other.set_page_token(page.next_page_token());
  EXPECT_EQ(client_->Call(&Stub::SearchFacts, other, &page).code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetFactRequest empty_key;
  v1::FactComparison fact;
  EXPECT_EQ(client_->Call(&Stub::GetFact, empty_key, &fact).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FactsServiceTest, PagesLoseAndRepeatNothingUnderConcurrentIngestion) {
  // 60 facts exist before paging starts: one per town.
  for (int i = 0; i < 60; ++i) {
    Ingest(absl::StrCat("base", i), "Alpha", "2024-07-01",
           absl::StrCat("The flood killed ", i + 1, " people in ", TownName(i),
                        "."));
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      v1::Document doc;
      doc.set_id(absl::StrCat("new", i));
      doc.set_source("Beta");
      doc.set_published("2024-07-02");
      doc.set_story_id("flood");
      doc.set_text(absl::StrCat("The flood killed ", i + 1, " people in Zed", i,
                                "ville."));
      (void)client_->Ingest(doc);
    }
  });
  v1::SearchFactsRequest request;
  request.set_story_id("flood");
  request.set_page_size(7);
  std::vector<v1::FactComparison> all = SearchAll(request);
  stop = true;
  writer.join();
  std::set<std::string> keys;
  for (const auto& f : all) {
    EXPECT_TRUE(keys.insert(f.fact_key()).second)
        << "repeated " << f.fact_key();
  }
  for (int i = 0; i < 60; ++i) {
    std::string town = TownName(i);
    town[0] = 't';
    EXPECT_TRUE(keys.count(absl::StrCat("casualty/killed/people/", town)))
        << "lost " << town;
  }
}

TEST_F(FactsServiceTest, CheckTextComparesADraftWithoutStoringIt) {
  Ingest("a", "Alpha", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 75 people in Dhaka.");
  v1::CheckTextRequest request;
  request.set_story_id("flood");
  request.set_published("2024-07-03");
  request.set_text("Our draft: the flood killed 40 people in Dhaka.");
  v1::CheckTextResponse response;
  ASSERT_TRUE(client_->Call(&Stub::CheckText, request, &response).ok());
  ASSERT_EQ(response.claims_size(), 1);
  const auto& checked = response.claims(0);
  EXPECT_EQ(checked.fact_key(), kKilled);
  ASSERT_EQ(checked.agreeing_sources_size(), 1);
  EXPECT_EQ(checked.agreeing_sources(0), "Alpha");
  ASSERT_EQ(checked.disagreeing_sources_size(), 1);
  EXPECT_EQ(checked.disagreeing_sources(0), "Beta");
  // Nothing was stored.
  EXPECT_EQ(Fact(kKilled)->source_count(), 2);
  request.set_published("");
  EXPECT_EQ(client_->Call(&Stub::CheckText, request, &response).code(),
            absl::StatusCode::kInvalidArgument);
  request.set_published("2024-07-03");
  request.set_text("bad \xFF");
  EXPECT_EQ(client_->Call(&Stub::CheckText, request, &response).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FactsServiceTest, ListSourcesCountsMajorityMembership) {
  Ingest("a", "Alpha", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 75 people in Dhaka.");
  Ingest("c", "Gamma", "2024-07-02", "The flood killed 40 people in Dhaka.");
  v1::ListSourcesRequest request;
  request.set_story_id("flood");
  v1::ListSourcesResponse response;
  ASSERT_TRUE(client_->Call(&Stub::ListSources, request, &response).ok());
  ASSERT_EQ(response.sources_size(), 3);
  for (const auto& s : response.sources()) {
    EXPECT_EQ(s.documents(), 1u);
    EXPECT_EQ(s.shared_facts(), 1u);
    EXPECT_EQ(s.in_majority(), s.source() == "Beta" ? 0u : 1u) << s.source();
  }
}

// Over many stories the report of every story is counted on several
// threads: it must be the sum of the stories' own reports.
TEST_F(FactsServiceTest, ListSourcesOfEveryStoryIsTheSumOfEachStorys) {
  const std::string outlets[] = {"Alpha", "Beta", "Gamma", "Delta"};
  constexpr int kStories = 160;
  for (int k = 0; k < kStories; ++k) {
    const std::string story = absl::StrCat("s", k);
    // Three reports a story, from three of the four outlets; every fifth
    // story has one outlet disagreeing. Odd tolls: a round one ("200")
    // is read as approximate and may agree with a near one.
    for (int r = 0; r < 3; ++r) {
      const int toll = (k % 5 == 0 && r == 2) ? 41 + 2 * k : 11 + 2 * k;
      Ingest(absl::StrCat(story, "-", r), outlets[(k + r) % 4], "2024-07-02",
             absl::StrCat("The storm killed ", toll, " people in Townville."),
             story);
    }
  }
  auto sources = [&](const std::string& story) {
    v1::ListSourcesRequest request;
    request.set_story_id(story);
    v1::ListSourcesResponse response;
    EXPECT_TRUE(client_->Call(&Stub::ListSources, request, &response).ok());
    return response;
  };
  std::map<std::string, v1::SourceStats> summed;
  for (int k = 0; k < kStories; ++k) {
    const v1::ListSourcesResponse story = sources(absl::StrCat("s", k));
    for (const auto& s : story.sources()) {
      v1::SourceStats& sum = summed[s.source()];
      sum.set_source(s.source());
      sum.set_documents(sum.documents() + s.documents());
      sum.set_claims(sum.claims() + s.claims());
      sum.set_shared_facts(sum.shared_facts() + s.shared_facts());
      sum.set_in_majority(sum.in_majority() + s.in_majority());
    }
  }
  const v1::ListSourcesResponse all = sources("");
  ASSERT_EQ(all.sources_size(), 4);
  int disagreeing = 0;
  for (const auto& s : all.sources()) {
    EXPECT_EQ(s.SerializeAsString(), summed[s.source()].SerializeAsString())
        << s.source();
    disagreeing += s.shared_facts() - s.in_majority();
  }
  EXPECT_EQ(disagreeing, kStories / 5);
}

TEST_F(FactsServiceTest, ListSourcesCountsOnlyTheStorysDocuments) {
  Ingest("a", "Alpha", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("a2", "Alpha", "2024-07-03", "Rain went on in the capital.");
  Ingest("b", "Beta", "2024-07-02", "The flood killed 40 people in Dhaka.");
  Ingest("x", "Alpha", "2024-07-02", "The fire killed 3 people in Khulna.",
         "fire");
  Ingest("y", "Delta", "2024-07-02", "The fire killed 3 people in Khulna.",
         "fire");
  auto sources = [&](const std::string& story) {
    v1::ListSourcesRequest request;
    request.set_story_id(story);
    v1::ListSourcesResponse response;
    EXPECT_TRUE(client_->Call(&Stub::ListSources, request, &response).ok());
    std::vector<std::string> out;
    for (const auto& s : response.sources()) {
      out.push_back(absl::StrCat(s.source(), " ", s.documents(), " ",
                                 s.claims(), " ", s.shared_facts()));
    }
    return out;
  };
  // Alpha's second article has no claim, and still counts as a document.
  EXPECT_EQ(sources("flood"),
            (std::vector<std::string>{"Alpha 2 1 1", "Beta 1 1 1"}));
  EXPECT_EQ(sources("fire"),
            (std::vector<std::string>{"Alpha 1 1 1", "Delta 1 1 1"}));
  EXPECT_EQ(sources(""), (std::vector<std::string>{"Alpha 3 2 2", "Beta 1 1 1",
                                                   "Delta 1 1 1"}));
  // A correction that moves an article to another story moves its counts.
  Ingest("a2", "Alpha", "2024-07-03", "Rain went on in the capital, again.",
         "fire");
  EXPECT_EQ(sources("flood"),
            (std::vector<std::string>{"Alpha 1 1 1", "Beta 1 1 1"}));
  EXPECT_EQ(sources("fire"),
            (std::vector<std::string>{"Alpha 2 1 1", "Delta 1 1 1"}));
}

// GetFact answers are kept between reads; every write that touches the
// fact (a new source, a rewrite, a deletion) must show in the next read,
// which must equal the comparison computed from the store itself.
TEST_F(FactsServiceTest, AReadAfterAWriteSeesTheWrite) {
  auto fresh = [&](const std::string& key) {
    auto view = server_->store().NewView();
    return LoadFact(*view, "flood", key);
  };
  auto same = [&](const std::string& key) {
    auto got = Fact(key);
    auto want = fresh(key);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_TRUE(want.ok()) << want.status();
    EXPECT_EQ(got->SerializeAsString(), want->SerializeAsString());
  };
  Ingest("a", "Wire", "2024-07-02",
         "The flood killed 12 people in Townville on Monday, officials said.");
  Ingest("b", "Post", "2024-07-02",
         "The flood killed 12 people in Townville on Monday.");
  const std::vector<v1::FactComparison> facts =
      SearchAll(v1::SearchFactsRequest());
  std::string key;
  for (const auto& f : facts) {
    if (f.kind() == v1::CLAIM_KIND_CASUALTY) key = f.fact_key();
  }
  ASSERT_FALSE(key.empty());
  same(key);
  same(key);  // Now from memory.
  ASSERT_EQ(Fact(key)->status(), v1::FACT_STATUS_AGREE);

  Ingest("c", "Ledger", "2024-07-03",
         "The flood killed 19 people in Townville on Monday.");
  same(key);
  EXPECT_EQ(Fact(key)->source_count(), 3);
  EXPECT_NE(Fact(key)->status(), v1::FACT_STATUS_AGREE);

  Ingest("c", "Ledger", "2024-07-03",  // Corrected to agree.
         "The flood killed 12 people in Townville on Monday, it said.");
  same(key);
  EXPECT_EQ(Fact(key)->status(), v1::FACT_STATUS_AGREE);

  ASSERT_TRUE(client_->Delete("c").ok());
  ASSERT_TRUE(client_->Delete("b").ok());
  same(key);
  EXPECT_EQ(Fact(key)->status(), v1::FACT_STATUS_SINGLE_SOURCE);
  ASSERT_TRUE(client_->Delete("a").ok());
  EXPECT_EQ(Fact(key).status().code(), absl::StatusCode::kNotFound);
}

// SearchFacts takes a fact's comparison from the kept answers when it can
// (and keeps what it reads). Every page, filtered or not, must equal the
// comparisons computed from the store, before and after writes.
TEST_F(FactsServiceTest, SearchPagesFromKeptAnswersSeeEveryWrite) {
  auto check = [&](const v1::SearchFactsRequest& request) -> size_t {
    const std::vector<v1::FactComparison> got = SearchAll(request);
    auto view = server_->store().NewView();
    size_t compared = 0;
    for (const auto& fact : got) {
      auto want = LoadFact(*view, "flood", fact.fact_key());
      EXPECT_TRUE(want.ok()) << want.status();
      if (!want.ok()) continue;
      EXPECT_EQ(fact.SerializeAsString(), want->SerializeAsString())
          << fact.fact_key();
      ++compared;
    }
    return compared;
  };
  v1::SearchFactsRequest all;
  all.set_story_id("flood");
  all.set_page_size(1);  // Pages end between facts, with tokens.
  v1::SearchFactsRequest disputed = all;
  disputed.set_disputed_only(true);

  Ingest("a", "Wire", "2024-07-02",
         "The flood killed 12 people in Townville on Monday. About 300 "
         "people were evacuated, officials said.");
  Ingest("b", "Post", "2024-07-02",
         "The flood killed 12 people in Townville on Monday.");
  EXPECT_EQ(check(all), 3u);  // Read from the store, then kept.
  EXPECT_EQ(check(all), 3u);  // From the kept answers and pages.
  EXPECT_EQ(check(disputed), 0u);

  // A fact new to the story shows in its pages.
  Ingest("d", "Herald", "2024-07-02",
         "The flood killed 12 people in Townville. At least 80 people were "
         "injured.");
  EXPECT_EQ(check(all), 4u);
  ASSERT_TRUE(client_->Delete("d").ok());
  EXPECT_EQ(check(all), 3u);

  Ingest("c", "Ledger", "2024-07-03",
         "The flood killed 19 people in Townville on Monday.");
  EXPECT_EQ(check(all), 3u);
  EXPECT_EQ(check(disputed), 1u);
  EXPECT_EQ(SearchAll(disputed).at(0).source_count(), 3);

  ASSERT_TRUE(client_->Delete("c").ok());
  EXPECT_EQ(check(disputed), 0u);
  ASSERT_TRUE(client_->Delete("a").ok());
  EXPECT_EQ(check(all), 2u);  // Post's toll and day; the evacuation went.
}

// A search across stories compares facts no answer was kept for from each
// story's claims; every fact must equal the one computed from the store.
TEST_F(FactsServiceTest, ASearchAcrossStoriesGivesEachFactAsStored) {
  for (const std::string story : {"flood", "fire", "quake"}) {
    IngestTwoReports(story);
  }
  // The first, largest page reads every fact; the smaller ones, kept answers.
  for (int page_size : {50, 2, 1}) {
    v1::SearchFactsRequest request;
    request.set_page_size(page_size);
    // A filter every fact passes: each one is compared, none kept as is.
    request.set_published_after("2024-07-01");
    const std::vector<v1::FactComparison> got = SearchAll(request);
    std::set<std::string> stories;
    for (const auto& fact : got) {
      stories.insert(fact.story_id());
      ExpectAsStored(fact);
    }
    EXPECT_EQ(stories.size(), 3u);
    EXPECT_GE(got.size(), 12u) << page_size;
  }
}

// An answer read for the first time carries its claims as the store holds
// them, not serialized again: GetFact's, a page's that reads its story at
// once, and a page's that reads one fact. Each parses to the comparison of
// the stored claims.
TEST_F(FactsServiceTest, FirstReadsGiveEachFactAsStored) {
  for (const std::string story : {"fire", "quake", "storm"}) {
    IngestTwoReports(story);
    Ingest(story + "-c", "Ledger", "2024-07-03",
           "About 300 people were evacuated, officials said. \"We have "
           "never seen anything like this,\" the mayor said on Tuesday.",
           story);
  }
  auto view = server_->store().NewView();
  // GetFact on facts nothing has read.
  std::vector<storage::ClaimStore::FactId> quake;
  ASSERT_TRUE(view->ForEachFact(false, "quake", nullptr,
                                [&](const storage::ClaimStore::FactId& id) {
                                  quake.push_back(id);
                                  return true;
                                })
                  .ok());
  ASSERT_GE(quake.size(), 3u);
  for (const auto& id : quake) {
    auto fact = Fact(id.fact_key, id.story_id);
    ASSERT_TRUE(fact.ok()) << fact.status();
    EXPECT_GT(fact->groups(0).claims_size(), 0);
    ExpectAsStored(*fact);
  }
  // A page of a story nothing has read, then one fact to a page.
  for (const auto& [story, page_size] :
       std::vector<std::pair<std::string, int>>{{"fire", 50}, {"storm", 1}}) {
    v1::SearchFactsRequest request;
    request.set_story_id(story);
    request.set_page_size(page_size);
    const std::vector<v1::FactComparison> got = SearchAll(request);
    ASSERT_GE(got.size(), 3u) << story;
    for (const auto& fact : got) ExpectAsStored(fact);
  }
}

// A search across every story uses kept answers but keeps none of its own,
// so that a reader of the whole store does not push out the answers of the
// stories being read; a search of one story keeps what it compares.
TEST_F(FactsServiceTest, OnlySearchesOfOneStoryKeepTheirAnswers) {
  for (const std::string story : {"flood", "fire"}) {
    Ingest(story + "-a", "Wire", "2024-07-02",
           "The " + story + " killed 12 people in Townville on Monday.", story);
    Ingest(story + "-b", "Post", "2024-07-02",
           "The " + story + " killed 14 people in Townville on Monday.", story);
  }
  FactResponseCache answers(1 << 20);
  auto search = [&](const std::string& story) {
    v1::SearchFactsRequest request;
    request.set_story_id(story);
    MessagePieces page;
    absl::Status s = SearchFacts(
        server_->store(), request, 500, [] { return false; }, &answers, &page);
    EXPECT_TRUE(s.ok()) << s;
    return page.pieces.size();
  };
  std::vector<storage::ClaimStore::FactId> ids;
  auto view = server_->store().NewView();
  ASSERT_TRUE(view->ForEachFact(true, "", nullptr,
                                [&](const storage::ClaimStore::FactId& id) {
                                  ids.push_back(id);
                                  return true;
                                })
                  .ok());
  ASSERT_GE(ids.size(), 4u);
  const size_t all = search("");
  EXPECT_EQ(all, ids.size());
  for (const auto& id : ids) {
    EXPECT_EQ(answers.Find(id), nullptr) << id.story_id << " " << id.fact_key;
  }
  search("fire");
  for (const auto& id : ids) {
    EXPECT_EQ(answers.Find(id) != nullptr, id.story_id == "fire")
        << id.story_id << " " << id.fact_key;
  }
  // Kept answers serve the next search across stories: the same facts.
  EXPECT_EQ(search(""), all);
}

// Kept pages: a write to any fact of a story drops the story's pages and
// no other story's; a page computed across a write is not kept; pages are
// bounded in memory, empty ones too.
TEST(FactResponseCacheTest, PagesFollowWritesToTheirStory) {
  FactResponseCache cache(1 << 20);
  auto page = [](const std::string& bytes) {
    auto out = std::make_shared<MessagePieces>();
    out->pieces.push_back({"", std::make_shared<const std::string>(bytes)});
    return out;
  };
  for (const std::string story : {"flood", "fire"}) {
    cache.InsertPage(story, "0/50/", cache.PageGeneration(story),
                     page(story + " page"));
  }
  ASSERT_NE(cache.FindPage("flood", "0/50/"), nullptr);
  EXPECT_EQ(*cache.FindPage("flood", "0/50/")->pieces.at(0).body, "flood page");
  EXPECT_EQ(cache.FindPage("flood", "0/10/"), nullptr);

  const uint64_t before = cache.PageGeneration("flood");
  cache.Invalidate({"flood", "casualty/killed/people/"});
  EXPECT_EQ(cache.FindPage("flood", "0/50/"), nullptr);
  EXPECT_NE(cache.FindPage("fire", "0/50/"), nullptr);
  // Computed from a read before the write: not kept.
  cache.InsertPage("flood", "0/50/", before, page("stale"));
  EXPECT_EQ(cache.FindPage("flood", "0/50/"), nullptr);
  cache.InsertPage("flood", "0/50/", cache.PageGeneration("flood"),
                   page("fresh"));
  EXPECT_EQ(*cache.FindPage("flood", "0/50/")->pieces.at(0).body, "fresh");
}

TEST(FactResponseCacheTest, EmptyPagesAreBoundedToo) {
  FactResponseCache cache(64 << 10);
  for (int i = 0; i < 10000; ++i) {
    const std::string story = "no-such-story-" + std::to_string(i);
    cache.InsertPage(story, "0/50/", cache.PageGeneration(story),
                     std::make_shared<MessagePieces>());
  }
  EXPECT_EQ(cache.FindPage("no-such-story-0", "0/50/"), nullptr);
  EXPECT_NE(cache.FindPage("no-such-story-9999", "0/50/"), nullptr);
}

}  // namespace
}  // namespace crosscheck::server
