// Bad input over every RPC, and deadlines: a real gRPC server on 127.0.0.1:0
// with a real store. Every bad request gets the right status, the server
// keeps serving, and the store is unchanged.

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "tests/article_generator.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

using client::CrosscheckClient;

// Protobuf wire format by hand, to send what no generated client would.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string LengthField(int field, const std::string& bytes) {
  return Varint(static_cast<uint64_t>(field) << 3 | 2) + Varint(bytes.size()) +
         bytes;
}
std::string VarintField(int field, uint64_t value) {
  return Varint(static_cast<uint64_t>(field) << 3) + Varint(value);
}

class RobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.max_message_bytes = 1 << 20;
    options.limits.document.max_text_bytes = 100000;
    auto server = CrosscheckServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    target_ = "127.0.0.1:" + std::to_string(server_->port());
    CrosscheckClient::Options client_options;
    client_options.target = target_;
    client_ = std::make_unique<CrosscheckClient>(client_options);
    channel_ = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
  }

  // A unary call with raw request bytes.
  grpc::Status Raw(const std::string& method, const std::string& bytes,
                   std::string* response = nullptr) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), reply;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/crosscheck.v1.Crosscheck/" + method,
                   grpc::StubOptions(), &request, &reply,
                   [&](grpc::Status s) { done.set_value(s); });
    grpc::Status status = done.get_future().get();
    if (response != nullptr && status.ok()) {
      std::vector<grpc::Slice> slices;
      reply.Dump(&slices).IgnoreError();
      response->clear();
      for (auto& s : slices) {
        response->append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
    return status;
  }

  // A streaming call with raw request bytes, one request then one read at a
  // time (WatchFacts: one request, `reads` reads); returns the responses.
  grpc::Status RawStream(const std::string& method,
                         const std::vector<std::string>& requests, int reads,
                         std::vector<std::string>* responses) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    grpc::CompletionQueue cq;
    auto call =
        stub.PrepareCall(&context, "/crosscheck.v1.Crosscheck/" + method, &cq);
    void* tag = nullptr;
    bool ok = false;
    auto wait = [&] { return cq.Next(&tag, &ok) && ok; };
    call->StartCall(reinterpret_cast<void*>(1));
    bool alive = wait();
    auto read_one = [&] {
      grpc::ByteBuffer reply;
      call->Read(&reply, reinterpret_cast<void*>(3));
      if (!wait()) return false;
      std::vector<grpc::Slice> slices;
      reply.Dump(&slices).IgnoreError();
      std::string bytes;
      for (auto& sl : slices) {
        bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
      }
      responses->push_back(bytes);
      return true;
    };
    for (const std::string& r : requests) {
      if (!alive) break;
      grpc::Slice slice(r);
      grpc::ByteBuffer buffer(&slice, 1);
      call->Write(buffer, reinterpret_cast<void*>(2));
      alive = wait();
      if (alive && reads < 0) alive = read_one();
    }
    if (alive) {
      call->WritesDone(reinterpret_cast<void*>(4));
      wait();
    }
    for (int i = 0; alive && i < reads; ++i) alive = read_one();
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(5));
    if (reads > 0 && alive) context.TryCancel();
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return status;
  }

  // Everything a reader can see: every document with its claims, every
  // fact, and the change log's position.
  std::string Snapshot() {
    std::string all;
    for (int n = 0; n < 30; ++n) {
      auto got = client_->Get(absl::StrCat("doc-", n));
      all += got.ok() ? got->SerializeAsString() : got.status().ToString();
    }
    v1::SearchFactsRequest search;
    search.set_page_size(500);
    v1::SearchFactsResponse facts;
    EXPECT_TRUE(
        client_->Call(&v1::Crosscheck::Stub::SearchFacts, search, &facts).ok());
    all += facts.SerializeAsString();
    all += std::to_string(server_->store().LastChangePosition());
    // A digest keeps failure messages readable.
    return std::to_string(all.size()) + ":" +
           std::to_string(std::hash<std::string>()(all));
  }

  testing::TestDir dir_;
  std::unique_ptr<CrosscheckServer> server_;
  std::string target_;
  std::unique_ptr<CrosscheckClient> client_;
  std::shared_ptr<grpc::Channel> channel_;
};

struct BadCase {
  const char* method;
  std::string request;
  grpc::StatusCode code;
  // Part of the message the caller must see ("" when gRPC itself answers).
  const char* message;
};

TEST_F(RobustnessTest, EveryRpcRefusesBadFieldsAndTheStoreStaysTheSame) {
  for (int n = 0; n < 30; ++n) {
    ASSERT_TRUE(client_->Ingest(testing::MakeFloodArticle(n, 3)).ok());
  }
  const std::string before = Snapshot();

  const std::string bad_utf8 = "ab\xC3\x28z";
  const std::string huge(200000, 'x');
  // A valid Document (1 id, 2 source, 3 url, 4 title, 5 published,
  // 6 story_id, 7 language, 8 text) with field `field` set to `value`.
  auto doc = [](int field, const std::string& value) {
    std::string d;
    const char* defaults[] = {
        "",        "new-id", "Wire",
        "",        "",       "2024-07-02",
        "story-0", "",       "The flood killed 3 people."};
    for (int f = 1; f <= 8; ++f) {
      if (f == field) {
        d += LengthField(f, value);
      } else if (defaults[f][0] != '\0') {
        d += LengthField(f, defaults[f]);
      }
    }
    return LengthField(1, d);
  };
  using C = grpc::StatusCode;
  std::vector<BadCase> cases = {
      // Not a protobuf at all.
      {"IngestDocument", "\xFF\xFF\xFF\xFF", C::INVALID_ARGUMENT,
       "is not a valid"},
      {"SearchFacts", "\x0A\xFF", C::INVALID_ARGUMENT, "is not a valid"},
      // Empty requests.
      {"IngestDocument", "", C::INVALID_ARGUMENT, "no document"},
      {"ExtractClaims", "", C::INVALID_ARGUMENT, "no document"},
      {"GetDocument", "", C::INVALID_ARGUMENT, "id is empty"},
      {"DeleteDocument", "", C::INVALID_ARGUMENT, "id is empty"},
      {"GetFact", "", C::INVALID_ARGUMENT, "fact_key is empty"},
      {"CheckText", "", C::INVALID_ARGUMENT, "published is required"},
      {"BackupStore", "", C::INVALID_ARGUMENT, "directory is empty"},
      // Each Document field: empty, oversized, not UTF-8, nonsense.
      {"IngestDocument", doc(1, ""), C::INVALID_ARGUMENT, "id is empty"},
      {"IngestDocument", doc(1, std::string(300, 'i')), C::INVALID_ARGUMENT,
       "over the limit of 256"},
      {"IngestDocument", doc(1, "a\nb"), C::INVALID_ARGUMENT, "document id"},
      {"IngestDocument", doc(1, bad_utf8), C::INVALID_ARGUMENT,
       "is not a valid"},
      {"IngestDocument", doc(2, ""), C::INVALID_ARGUMENT, "source"},
      {"IngestDocument", doc(2, bad_utf8), C::INVALID_ARGUMENT,
       "is not a valid"},
      {"IngestDocument", doc(2, std::string(5000, 's')), C::INVALID_ARGUMENT,
       "source is 5000 bytes"},
      {"IngestDocument", doc(3, bad_utf8), C::INVALID_ARGUMENT,
       "is not a valid"},
      {"IngestDocument", doc(3, std::string(5000, 'u')), C::INVALID_ARGUMENT,
       "url is 5000 bytes"},
      {"IngestDocument", doc(4, bad_utf8), C::INVALID_ARGUMENT,
       "is not a valid"},
      {"IngestDocument", doc(4, std::string(5000, 't')), C::INVALID_ARGUMENT,
       "title is 5000 bytes"},
      {"IngestDocument", doc(7, std::string(5000, 'l')), C::INVALID_ARGUMENT,
       "language is 5000 bytes"},
      {"IngestDocument", doc(8, bad_utf8), C::INVALID_ARGUMENT,
       "not valid UTF-8 at byte 2"},
      {"IngestDocument", doc(8, huge), C::INVALID_ARGUMENT,
       "over the limit of 100000"},
      {"IngestDocument", doc(5, ""), C::INVALID_ARGUMENT, "publication time"},
      {"IngestDocument", doc(5, "next Tuesday"), C::INVALID_ARGUMENT,
       "does not parse"},
      {"IngestDocument", doc(5, "2024-13-45"), C::INVALID_ARGUMENT,
       "does not parse"},
      {"IngestDocument", doc(6, std::string(5000, 'y')), C::INVALID_ARGUMENT,
       "story_id is 5000 bytes"},
      {"IngestDocument", doc(6, std::string("a\0b", 3)), C::INVALID_ARGUMENT,
       "NUL byte"},
      {"ExtractClaims", doc(8, bad_utf8), C::INVALID_ARGUMENT,
       "not valid UTF-8"},
      {"ExtractClaims", doc(5, "never"), C::INVALID_ARGUMENT, "does not parse"},
      // Ids and keys.
      {"GetDocument", LengthField(1, std::string(300, 'g')),
       C::INVALID_ARGUMENT, "over the limit of 256"},
      {"GetDocument", LengthField(1, "no-such-doc"), C::NOT_FOUND,
       "no document with id 'no-such-doc'"},
      {"GetDocument", LengthField(1, bad_utf8), C::INVALID_ARGUMENT,
       "is not a valid"},
      {"DeleteDocument", LengthField(1, "no-such-doc"), C::NOT_FOUND,
       "no document"},
      {"DeleteDocument", LengthField(1, std::string(300, 'd')),
       C::INVALID_ARGUMENT, "over the limit"},
      {"GetFact", LengthField(2, "casualty/none"), C::NOT_FOUND, "no fact"},
      {"GetFact", LengthField(1, "story-0") + LengthField(2, bad_utf8),
       C::INVALID_ARGUMENT, "is not a valid"},
      // Search: page sizes, enums, dates, words, tokens.
      {"SearchFacts", VarintField(9, static_cast<uint64_t>(-1)),
       C::INVALID_ARGUMENT, "negative"},
      {"SearchFacts", VarintField(2, 99), C::INVALID_ARGUMENT,
       "not a ClaimKind"},
      {"SearchFacts", VarintField(3, 77), C::INVALID_ARGUMENT,
       "not a FactStatus"},
      {"SearchFacts", LengthField(7, "yesterday"), C::INVALID_ARGUMENT,
       "published_after"},
      {"SearchFacts", LengthField(8, "2024-02-30"), C::INVALID_ARGUMENT,
       "published_before"},
      {"SearchFacts", LengthField(5, std::string(2000, 'w')),
       C::INVALID_ARGUMENT, "words is over 1000 bytes"},
      {"SearchFacts", LengthField(10, "forged-token"), C::INVALID_ARGUMENT,
       "page_token"},
      {"SearchFacts", LengthField(10, std::string(10000, 'T')),
       C::INVALID_ARGUMENT, "page_token"},
      // Drafts.
      {"CheckText", LengthField(1, bad_utf8) + LengthField(2, "2024-07-02"),
       C::INVALID_ARGUMENT, "not valid UTF-8"},
      {"CheckText", LengthField(1, huge) + LengthField(2, "2024-07-02"),
       C::INVALID_ARGUMENT, "over the limit"},
      {"CheckText", LengthField(1, "Text.") + LengthField(2, "soon"),
       C::INVALID_ARGUMENT, "does not parse"},
      // Backups: an existing directory.
      {"BackupStore", LengthField(1, "/"), C::ALREADY_EXISTS, "already exists"},
      // Over the message limit (1 MiB here).
      {"IngestDocument", doc(8, std::string(2 << 20, 'm')),
       C::RESOURCE_EXHAUSTED, ""},
  };
  for (const BadCase& c : cases) {
    grpc::Status status = Raw(c.method, c.request);
    EXPECT_EQ(status.error_code(), c.code)
        << c.method << " case " << (&c - cases.data()) << ": "
        << status.error_message();
    EXPECT_NE(status.error_message().find(c.message), std::string::npos)
        << c.method << ": " << status.error_message();
  }
  // Requests that are odd but valid: served, not refused.
  std::string page;
  EXPECT_TRUE(Raw("SearchFacts", VarintField(9, 1000000000), &page).ok());
  v1::SearchFactsResponse big_page;
  ASSERT_TRUE(big_page.ParseFromString(page));
  EXPECT_LE(big_page.facts_size(), 500);
  EXPECT_TRUE(Raw("ListSources", LengthField(1, "no-such-story")).ok());
  EXPECT_TRUE(Raw("GetStats", "").ok());

  // Still serving, and nothing changed.
  EXPECT_EQ(Snapshot(), before);
  EXPECT_TRUE(client_->Ingest(testing::MakeFloodArticle(100, 3)).ok());
}

TEST_F(RobustnessTest, BadStreamsAreRefusedAndChangeNothing) {
  ASSERT_TRUE(client_->Ingest(testing::MakeFloodArticle(0, 1)).ok());
  const std::string before = Snapshot();
  // A stream of only bad documents: each answered with its error.
  int n = 0;
  std::vector<v1::IngestDocumentsResponse> answers;
  ASSERT_TRUE(client_
                  ->IngestStream(
                      [&](v1::Document* d) {
                        switch (n++) {
                          case 0:
                            return true;  // Empty document.
                          case 1:
                            *d = testing::MakeFloodArticle(5, 1);
                            d->set_published("tomorrow-ish");
                            return true;
                          case 2:
                            *d = testing::MakeFloodArticle(6, 1);
                            d->set_text(std::string(200000, 'x'));
                            return true;
                          default:
                            return false;
                        }
                      },
                      [&](const v1::IngestDocumentsResponse& a) {
                        answers.push_back(a);
                      })
                  .ok());
  ASSERT_EQ(answers.size(), 3u);
  for (const auto& a : answers) {
    EXPECT_EQ(a.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_FALSE(a.error_message().empty());
  }
  v1::WatchFactsRequest watch;
  watch.set_after_position("99999999999999999999999");
  EXPECT_EQ(
      client_->Watch(watch, [](const v1::FactChange&) { return true; }).code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

// A search that scans every fact, with a deadline far shorter than the
// scan: the client gets DEADLINE_EXCEEDED and the server stops the scan
// (it records the call as cancelled instead of finishing it).
TEST_F(RobustnessTest, ACallPastItsDeadlineIsStoppedNotLeftRunning) {
  int n = 0;
  ASSERT_TRUE(client_
                  ->IngestStream(
                      [&](v1::Document* d) {
                        if (n == 3000) return false;
                        *d = testing::MakeFloodArticle(n++, 3000);
                        return true;
                      },
                      [](const v1::IngestDocumentsResponse&) {})
                  .ok());
  v1::SearchFactsRequest scan;
  scan.set_words("nothing-matches-this");
  v1::SearchFactsResponse none;
  // Unhurried: the whole scan runs and finds nothing.
  ASSERT_TRUE(
      client_->Call(&v1::Crosscheck::Stub::SearchFacts, scan, &none).ok());
  EXPECT_EQ(none.facts_size(), 0);

  CrosscheckClient::Options hurried;
  hurried.target = target_;
  hurried.deadline = std::chrono::milliseconds(5);
  CrosscheckClient fast(hurried);
  // The server's own record of SearchFacts: calls, and calls that ended in
  // error (a scan stopped part way, or a call cancelled before it ran).
  auto search_stats = [&](uint64_t* calls, uint64_t* errors) {
    v1::GetStatsResponse stats;
    ASSERT_TRUE(client_
                    ->Call(&v1::Crosscheck::Stub::GetStats,
                           v1::GetStatsRequest(), &stats)
                    .ok());
    *calls = *errors = 0;
    for (const auto& m : stats.methods()) {
      if (m.method() != "SearchFacts") continue;
      *calls = m.calls();
      *errors = m.errors();
    }
  };
  // On a loaded machine the server may finish a scan just as the client's
  // deadline passes, so a few hurried calls are made until one arrives while
  // the server is still scanning. Every one of them must see its deadline
  // pass or be answered whole, and the one in time must be stopped by the
  // server.
  uint64_t calls = 0, errors = 0;
  int hurried_calls = 0;
  while (errors == 0 && hurried_calls < 10) {
    absl::Status late =
        fast.Call(&v1::Crosscheck::Stub::SearchFacts, scan, &none);
    ++hurried_calls;
    EXPECT_TRUE(late.ok() || late.code() == absl::StatusCode::kDeadlineExceeded)
        << late;
    // The server records a call when it ends, which may be after the
    // client has given up on it.
    for (int i = 0; i < 100; ++i) {
      search_stats(&calls, &errors);
      if (calls == 1u + hurried_calls) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(calls, 1u + hurried_calls);
  }
  EXPECT_EQ(errors, 1u) << "after " << hurried_calls << " hurried searches";
}

TEST_F(RobustnessTest, StreamsAnswerUnparsableMessagesAndGoOn) {
  const std::string before = Snapshot();
  v1::IngestDocumentRequest good;
  *good.mutable_document() = testing::MakeFloodArticle(1, 1);
  // Document.id (field 1 of field 1) with bytes that are not UTF-8.
  const std::string broken = LengthField(1, LengthField(1, "ab\xC3\x28"));
  std::vector<std::string> answers;
  grpc::Status status =
      RawStream("IngestDocuments",
                {broken, good.SerializeAsString(), "\xFF\xFF"}, -1, &answers);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(answers.size(), 3u);
  v1::IngestDocumentsResponse a[3];
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a[i].ParseFromString(answers[i]));
  EXPECT_EQ(a[0].error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a[0].error_message().find("is not a valid"), std::string::npos);
  EXPECT_EQ(a[1].error_code(), 0) << a[1].error_message();
  EXPECT_EQ(a[1].outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(a[2].error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(a[2].sequence(), 3u);
  EXPECT_TRUE(client_->Get("doc-1").ok());

  // WatchFacts with a request that does not parse.
  answers.clear();
  status = RawStream("WatchFacts", {LengthField(1, "\xC3\x28")}, 1, &answers);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("WatchFactsRequest"), std::string::npos)
      << status.error_message();
  EXPECT_NE(Snapshot(), before);  // doc-1 was stored, and only that:
  ASSERT_TRUE(client_->Delete("doc-1").ok());
}

TEST(LimitsTest, PagesAreCappedAtTheServersMaximum) {
  testing::TestDir dir;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.Sub("data");
  options.limits.max_page_size = 2;
  auto server = CrosscheckServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  CrosscheckClient::Options client_options;
  client_options.target = "127.0.0.1:" + std::to_string((*server)->port());
  CrosscheckClient client(client_options);
  ASSERT_TRUE(client.Ingest(testing::MakeFloodArticle(0, 1)).ok());
  v1::SearchFactsRequest search;
  search.set_page_size(100);
  v1::SearchFactsResponse page;
  ASSERT_TRUE(
      client.Call(&v1::Crosscheck::Stub::SearchFacts, search, &page).ok());
  EXPECT_EQ(page.facts_size(), 2);
  EXPECT_FALSE(page.next_page_token().empty());
  search.set_page_size(-5);
  absl::Status bad =
      client.Call(&v1::Crosscheck::Stub::SearchFacts, search, &page);
  EXPECT_NE(bad.message().find("give 1 to 2"), std::string::npos) << bad;
}

}  // namespace
}  // namespace crosscheck::server
