// IngestDocuments and WatchFacts on a real gRPC server on 127.0.0.1:0 with
// a real store.

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/news_corpus.h"
#include "client/crosscheck_client.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "tests/article_generator.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

using client::CrosscheckClient;

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.limits.max_streams = 3;
    auto server = CrosscheckServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    CrosscheckClient::Options client_options;
    client_options.target = "127.0.0.1:" + std::to_string(server_->port());
    client_ = std::make_unique<CrosscheckClient>(client_options);
  }

  // Streams documents 0..n-1 of the generator, `bad` replaced by one
  // with invalid UTF-8; returns the answers.
  std::vector<v1::IngestDocumentsResponse> IngestGenerated(int n, int bad) {
    int next = 0;
    std::vector<v1::IngestDocumentsResponse> answers;
    absl::Status status = client_->IngestStream(
        [&](v1::Document* doc) {
          if (next >= n) return false;
          *doc = testing::MakeFloodArticle(next, 3);
          if (next == bad) doc->set_text("Broken \xC3\x28 bytes");
          ++next;
          return true;
        },
        [&](const v1::IngestDocumentsResponse& a) { answers.push_back(a); });
    EXPECT_TRUE(status.ok()) << status;
    return answers;
  }

  // Every change the store holds, from the start.
  std::vector<v1::FactChange> AllChanges() {
    v1::WatchFactsRequest request;
    request.set_from_start(true);
    std::vector<v1::FactChange> out;
    const uint64_t last = LastPosition();
    if (last == 0) return out;
    EXPECT_TRUE(client_
                    ->Watch(request,
                            [&](const v1::FactChange& c) {
                              out.push_back(c);
                              return std::stoull(c.position()) < last;
                            })
                    .ok());
    return out;
  }

  uint64_t LastPosition() { return server_->store().LastChangePosition(); }

  testing::TestDir dir_;
  std::unique_ptr<CrosscheckServer> server_;
  std::unique_ptr<CrosscheckClient> client_;
};

TEST_F(StreamTest, EachDocumentIsAnsweredInOrderAndABadOneStopsNothing) {
  auto answers = IngestGenerated(40, 17);
  ASSERT_EQ(answers.size(), 40u);
  for (size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i].sequence(), i + 1);
    if (i == 17) {
      EXPECT_EQ(answers[i].error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_NE(answers[i].error_message().find("not valid UTF-8"),
                std::string::npos)
          << answers[i].error_message();
      EXPECT_FALSE(client_->Get(answers[i].id()).ok());
    } else {
      EXPECT_EQ(answers[i].error_code(), 0) << answers[i].error_message();
      EXPECT_EQ(answers[i].outcome(), v1::INGEST_OUTCOME_CREATED);
      EXPECT_GT(answers[i].claim_count(), 0u);
      EXPECT_TRUE(client_->Get(answers[i].id()).ok());
    }
  }
  // The same documents again: unchanged, and no change is logged.
  const uint64_t before = LastPosition();
  auto again = IngestGenerated(40, 17);
  ASSERT_EQ(again.size(), 40u);
  EXPECT_EQ(again[3].outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(LastPosition(), before);
}

// The server reads ahead while it stores, but one stream's documents are
// still stored one after another in the order they were sent: a document
// rewritten many times over one stream ends as its last version.
TEST_F(StreamTest, ADocumentRewrittenWithinAStreamEndsAsItsLastVersion) {
  constexpr int kVersions = 30;
  int next = 0;
  std::vector<v1::IngestDocumentsResponse> answers;
  absl::Status status = client_->IngestStream(
      [&](v1::Document* doc) {
        if (next >= kVersions) return false;
        *doc = testing::MakeFloodArticle(0, 3);
        doc->set_text(absl::StrCat("Officials said ", 100 + next,
                                   " people were killed in the flood.\n"));
        ++next;
        return true;
      },
      [&](const v1::IngestDocumentsResponse& a) { answers.push_back(a); });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(answers.size(), static_cast<size_t>(kVersions));
  for (int i = 0; i < kVersions; ++i) {
    EXPECT_EQ(answers[i].sequence(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(answers[i].version(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(answers[i].outcome(),
              i == 0 ? v1::INGEST_OUTCOME_CREATED : v1::INGEST_OUTCOME_UPDATED);
  }
  auto stored = client_->Get(answers.back().id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->document().version(), static_cast<uint64_t>(kVersions));
  EXPECT_NE(stored->document().document().text().find(
                absl::StrCat(100 + kVersions - 1)),
            std::string::npos)
      << stored->document().document().text();
}

// A client that goes away in the middle of a stream, with documents read
// ahead and answers unsent, leaves a server that frees the stream's slot
// and goes on serving.
TEST_F(StreamTest, AClientGoneMidStreamFreesItsSlot) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                          grpc::InsecureChannelCredentials());
  auto stub = v1::Crosscheck::NewStub(channel);
  for (int round = 0; round < 5; ++round) {
    grpc::ClientContext context;
    auto stream = stub->IngestDocuments(&context);
    v1::IngestDocumentRequest request;
    for (int i = 0; i < 20; ++i) {
      *request.mutable_document() =
          testing::MakeFloodArticle(round * 20 + i, 3);
      if (!stream->Write(request)) break;
    }
    v1::IngestDocumentsResponse answer;
    ASSERT_TRUE(stream->Read(&answer));
    EXPECT_EQ(answer.sequence(), 1u);
    context.TryCancel();
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
    // The server frees the slot once its side of the stream is done, which
    // may be after the client's Finish returns; with 3 slots, the fourth
    // round would otherwise race the first three.
    for (int i = 0; i < 1000 && server_->service().open_streams() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(server_->service().open_streams(), 0) << "round " << round;
  }
  // Every document the server answered or read ahead is stored whole or
  // not at all; a new stream is served.
  auto answers = IngestGenerated(3, -1);
  ASSERT_EQ(answers.size(), 3u);
  for (const auto& a : answers) EXPECT_EQ(a.error_code(), 0);
}

TEST_F(StreamTest, AWatcherGetsEveryChangeOnceAcrossAReconnect) {
  // A watcher from now on that drops its connection after 25 changes and
  // resumes from the last position it saw.
  std::vector<v1::FactChange> seen;
  std::thread watcher([&] {
    v1::WatchFactsRequest request;
    request.set_after_position("0");
    for (int round = 0; round < 2; ++round) {
      absl::Status status =
          client_->Watch(request, [&](const v1::FactChange& c) {
            seen.push_back(c);
            request.set_after_position(c.position());
            if (round == 0) return seen.size() < 25;
            return !(c.kind() == v1::FACT_CHANGE_KIND_REMOVED &&
                     c.document_id() == "the-end");
          });
      ASSERT_TRUE(status.ok()) << status;
    }
  });
  IngestGenerated(30, -1);
  // A document alone in its story with one fact, then deleted: the last
  // change is that fact's removal.
  v1::Document end = testing::MakeFloodArticle(99, 1);
  end.set_id("the-end");
  end.set_story_id("closing");
  end.set_text("The blast killed 12 people in Kabul, police said.");
  ASSERT_TRUE(client_->Ingest(end).ok());
  ASSERT_TRUE(client_->Delete("the-end").ok());
  watcher.join();

  std::vector<v1::FactChange> all = AllChanges();
  ASSERT_EQ(seen.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(seen[i].position(), std::to_string(i + 1));
    EXPECT_EQ(seen[i].SerializeAsString(), all[i].SerializeAsString());
  }
  std::set<v1::FactChangeKind> kinds;
  for (const auto& c : all) kinds.insert(c.kind());
  EXPECT_TRUE(kinds.count(v1::FACT_CHANGE_KIND_APPEARED));
  EXPECT_TRUE(kinds.count(v1::FACT_CHANGE_KIND_SOURCE_AGREES));
  EXPECT_TRUE(kinds.count(v1::FACT_CHANGE_KIND_STATUS_CHANGED));
  EXPECT_TRUE(kinds.count(v1::FACT_CHANGE_KIND_REMOVED));
}

TEST_F(StreamTest, AReplacedDocumentWithdrawsItsSourceAndFiltersHold) {
  v1::Document a = testing::MakeFloodArticle(0, 1);
  v1::Document b = testing::MakeFloodArticle(1, 1);
  b.set_source("Other Outlet");
  ASSERT_TRUE(client_->Ingest(a).ok());
  ASSERT_TRUE(client_->Ingest(b).ok());
  const uint64_t mark = LastPosition();
  b.set_text("Nothing to report today.");
  ASSERT_TRUE(client_->Ingest(b).ok());
  // A last casualty report in the story, so the newest change passes the
  // filter and the watch below knows where to stop.
  v1::Document last = a;
  last.set_id("last");
  last.set_source("Late Outlet");
  last.set_text("Officials said 7 people were killed in the flood.");
  ASSERT_TRUE(client_->Ingest(last).ok());
  v1::WatchFactsRequest request;
  request.set_after_position(std::to_string(mark));
  request.set_story_id(a.story_id());
  request.set_kind(v1::CLAIM_KIND_CASUALTY);
  std::vector<v1::FactChange> got;
  ASSERT_TRUE(client_
                  ->Watch(request,
                          [&](const v1::FactChange& c) {
                            got.push_back(c);
                            return std::stoull(c.position()) < LastPosition();
                          })
                  .ok());
  ASSERT_FALSE(got.empty());
  bool withdrawn = false;
  for (const auto& c : got) {
    EXPECT_EQ(c.claim_kind(), v1::CLAIM_KIND_CASUALTY);
    EXPECT_EQ(c.story_id(), a.story_id());
    withdrawn |= c.kind() == v1::FACT_CHANGE_KIND_SOURCE_WITHDRAWN &&
                 c.source() == "Other Outlet";
  }
  EXPECT_TRUE(withdrawn);
}

TEST_F(StreamTest, BadWatchRequestsAreRefusedWithTheRightStatus) {
  struct Case {
    std::string after;
    bool from_start;
    int kind;
    grpc::StatusCode code;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"abc", false, 0, grpc::StatusCode::INVALID_ARGUMENT,
            "not a position"},
           {"-1", false, 0, grpc::StatusCode::INVALID_ARGUMENT,
            "not a position"},
           {"5", false, 0, grpc::StatusCode::OUT_OF_RANGE, "past the newest"},
           {"0", true, 0, grpc::StatusCode::INVALID_ARGUMENT, "not both"},
           {"", false, 77, grpc::StatusCode::INVALID_ARGUMENT,
            "not a claim kind"},
       }) {
    v1::WatchFactsRequest request;
    request.set_after_position(c.after);
    request.set_from_start(c.from_start);
    request.set_kind(static_cast<v1::ClaimKind>(c.kind));
    absl::Status status =
        client_->Watch(request, [](const v1::FactChange&) { return false; });
    EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(c.code))
        << c.after << " " << status;
    EXPECT_NE(status.message().find(c.message), std::string::npos) << status;
  }
}

TEST_F(StreamTest, StreamsBeyondTheLimitAreRefusedUntilOneCloses) {
  // Three watchers hold every slot (the limit is 3).
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::FactChange>>> readers;
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                          grpc::InsecureChannelCredentials());
  auto stub = v1::Crosscheck::NewStub(channel);
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(
        stub->WatchFacts(contexts.back().get(), v1::WatchFactsRequest()));
  }
  // Wait (up to 10 s on a loaded machine) until the server has opened all
  // three.
  for (int i = 0; i < 1000 && server_->service().open_streams() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server_->service().open_streams(), 3);
  absl::Status refused = client_->Watch(
      v1::WatchFactsRequest(), [](const v1::FactChange&) { return false; });
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_NE(refused.message().find("limit is 3"), std::string::npos);
  std::vector<v1::IngestDocumentsResponse> none;
  absl::Status ingest_refused = client_->IngestStream(
      [](v1::Document*) { return false; },
      [&](const v1::IngestDocumentsResponse& a) { none.push_back(a); });
  EXPECT_EQ(ingest_refused.code(), absl::StatusCode::kResourceExhausted);

  // One closes: a new stream is served again.
  contexts[0]->TryCancel();
  readers[0]->Finish();
  for (int i = 0; i < 1000 && server_->service().open_streams() > 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto answers = IngestGenerated(2, -1);
  EXPECT_EQ(answers.size(), 2u);
  for (size_t i = 1; i < contexts.size(); ++i) {
    contexts[i]->TryCancel();
    readers[i]->Finish();
  }
}

// What ingest keeps in memory of recently written facts (their claims, and
// each story's date and quote facts) must not change what it stores: the
// same feed (new documents, rewritten ones, one moved to another story,
// deletions, documents stored again after their deletion) through a server
// without the cache, one with it, and one whose cache is too small to hold
// a story leaves the same claims, fact keys and change log in each.
TEST(IngestCacheTest, StoresTheSameAsAServerWithoutIt) {
  const bench::NewsCorpus corpus(500, 7);
  std::vector<v1::Document> feed;
  for (int n = 0; n < corpus.documents(); ++n) {
    feed.push_back(corpus.Article(n));
  }
  for (int n = 0; n < 40; n += 2) {  // Rewritten: a later, different toll.
    v1::Document doc = corpus.Article(n);
    doc.set_text(absl::StrCat("Update: the toll was revised. ", doc.text()));
    std::string& text = *doc.mutable_text();
    const size_t at = text.find(" people in ");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, "0");
    feed.push_back(doc);
  }
  v1::Document moved = corpus.Article(41);
  moved.set_story_id(corpus.Article(42).story_id());
  feed.push_back(moved);

  struct Outcome {
    std::vector<std::string> changes;
    std::vector<std::string> claims;
  };
  auto run = [&](int cache_claims) {
    testing::TestDir dir;
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir.Sub("data");
    options.limits.ingest_cache_claims = cache_claims;
    auto server = CrosscheckServer::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    CrosscheckClient::Options client_options;
    client_options.target = "127.0.0.1:" + std::to_string((*server)->port());
    CrosscheckClient client(client_options);
    size_t next = 0;
    EXPECT_TRUE(client
                    .IngestStream(
                        [&](v1::Document* doc) {
                          if (next >= feed.size()) return false;
                          *doc = feed[next++];
                          return true;
                        },
                        [&](const v1::IngestDocumentsResponse& a) {
                          EXPECT_EQ(a.error_code(), 0) << a.error_message();
                        })
                    .ok());
    for (int n = 100; n < 130; n += 3) {
      EXPECT_TRUE(client.Delete(corpus.Article(n).id()).ok());
    }
    // Back into stories whose facts the deletions emptied or shrank.
    for (int n = 100; n < 130; n += 6) {
      EXPECT_TRUE(client.Ingest(corpus.Article(n)).ok());
    }
    Outcome out;
    auto changes = (*server)->store().ReadChanges(0, 1000000);
    EXPECT_TRUE(changes.ok());
    for (v1::FactChange& c : *changes) {
      c.clear_recorded();
      out.changes.push_back(c.DebugString());
    }
    for (int n = 0; n < corpus.documents(); ++n) {
      auto claims = (*server)->store().GetClaims(corpus.Article(n).id());
      if (!claims.ok()) continue;  // Deleted.
      for (const v1::Claim& c : *claims) out.claims.push_back(c.DebugString());
    }
    return out;
  };
  const Outcome without = run(0);
  ASSERT_GT(without.changes.size(), 1000u);
  ASSERT_GT(without.claims.size(), 2000u);
  for (int cache_claims : {200000, 64 * 40}) {
    const Outcome with = run(cache_claims);
    ASSERT_EQ(with.changes.size(), without.changes.size()) << cache_claims;
    for (size_t i = 0; i < with.changes.size(); ++i) {
      ASSERT_EQ(with.changes[i], without.changes[i])
          << "change " << i << ", cache of " << cache_claims << " claims";
    }
    EXPECT_EQ(with.claims, without.claims) << cache_claims;
  }
}

// A story's quote facts, as ingest knows them, follow its writes: a quote
// stored after the story was last read is there for the next outlet's
// shorter rendering of it to join, and once its only document is deleted a
// new rendering starts a fact of its own.
TEST_F(StreamTest, AQuoteStoredLastIsThereForTheNextDocument) {
  auto ingest = [&](const std::string& id, const std::string& source,
                    const std::string& text) {
    v1::Document doc;
    doc.set_id(id);
    doc.set_source(source);
    doc.set_published("2024-07-02");
    doc.set_story_id("dhaka-flood");
    doc.set_text(text);
    EXPECT_TRUE(client_->Ingest(doc).ok()) << id;
  };
  auto quote_key = [&](const std::string& id) {
    auto got = client_->Get(id);
    EXPECT_TRUE(got.ok()) << got.status();
    for (const v1::Claim& c : got->claims()) {
      if (c.kind() == v1::CLAIM_KIND_QUOTE) return c.fact_key();
    }
    return std::string("no quote in " + id);
  };
  ingest("first", "Daily", "The flood killed 40 people in Dhaka on Monday.");
  ingest("whole", "Herald",
         "\"The water came in the night and took everything we had: our "
         "rice, our goats, our house,\" said Rahima Begum, a farmer.");
  ingest("part", "Wire",
         "Rahima Begum said the water \"took everything we had, our rice "
         "and our goats\" before dawn.");
  const std::string key = quote_key("whole");
  EXPECT_EQ(quote_key("part"), key);

  ASSERT_TRUE(client_->Delete("whole").ok());
  ASSERT_TRUE(client_->Delete("part").ok());
  ingest("again", "Post",
         "Rahima Begum said the water \"took everything we had, our rice "
         "and our goats\" before dawn.");
  const std::string again = quote_key("again");
  EXPECT_TRUE(absl::StartsWith(again, "quote/")) << again;
  EXPECT_NE(again, key);
}

}  // namespace
}  // namespace crosscheck::server
