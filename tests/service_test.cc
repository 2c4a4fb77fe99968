// The service on a real gRPC server on 127.0.0.1:0 with a real store.

#include <future>
#include <memory>

#include "client/crosscheck_client.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.limits.document.max_text_bytes = 1000;
    auto server = CrosscheckServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    client::CrosscheckClient::Options client_options;
    client_options.target = "127.0.0.1:" + std::to_string(server_->port());
    client_ = std::make_unique<client::CrosscheckClient>(client_options);
  }

  v1::Document Doc(const std::string& id, const std::string& text) {
    v1::Document doc;
    doc.set_id(id);
    doc.set_source("Wire");
    doc.set_published("2015-12-15");
    doc.set_story_id("story");
    doc.set_text(text);
    return doc;
  }

  testing::TestDir dir_;
  std::unique_ptr<CrosscheckServer> server_;
  std::unique_ptr<client::CrosscheckClient> client_;
};

constexpr char kText[] =
    "The blast killed 12 people in Kabul on Tuesday, police said.";

TEST_F(ServiceTest, IngestThenGetRoundTripsTheDocumentAndItsClaims) {
  auto ingested = client_->Ingest(Doc("d1", kText));
  ASSERT_TRUE(ingested.ok()) << ingested.status();
  EXPECT_EQ(ingested->outcome(), v1::INGEST_OUTCOME_CREATED);
  EXPECT_GE(ingested->claim_count(), 2u);
  auto got = client_->Get("d1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->document().document().text(), kText);
  bool casualty = false;
  for (const auto& claim : got->claims()) {
    if (claim.kind() == v1::CLAIM_KIND_CASUALTY) {
      casualty = true;
      EXPECT_EQ(claim.number().value(), 12);
      EXPECT_EQ(claim.predicate(), "killed");
    }
  }
  EXPECT_TRUE(casualty);
}

TEST_F(ServiceTest, ReingestOfSameContentIsUnchanged) {
  ASSERT_TRUE(client_->Ingest(Doc("d1", kText)).ok());
  auto again = client_->Ingest(Doc("d1", kText));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome(), v1::INGEST_OUTCOME_UNCHANGED);
  auto changed = client_->Ingest(Doc("d1", "Nobody was hurt."));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->outcome(), v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(changed->version(), 2u);
}

// Each bad input: INVALID_ARGUMENT, a message naming the problem, and the
// stored document untouched.
struct BadInput {
  const char* name;
  v1::Document (*make)(v1::Document);
  const char* message;
  friend void PrintTo(const BadInput& input, std::ostream* os) {
    *os << input.name;
  }
};

class BadInputTest : public ServiceTest,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, IsRejectedAndLeavesTheStoreUnchanged) {
  ASSERT_TRUE(client_->Ingest(Doc("d1", kText)).ok());
  const BadInput& bad = GetParam();
  auto result = client_->Ingest(bad.make(Doc("d1", "replacement text")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find(bad.message), std::string::npos)
      << result.status().message();
  auto got = client_->Get("d1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->document().document().text(), kText);
  EXPECT_EQ(got->document().version(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadInputTest,
    ::testing::Values(BadInput{"EmptyId",
                               [](v1::Document d) {
                                 d.set_id("");
                                 return d;
                               },
                               "id is empty"},
                      BadInput{"InvalidUtf8",
                               [](v1::Document d) {
                                 d.set_text(std::string("abc\xC3\x28xyz"));
                                 return d;
                               },
                               "not valid UTF-8 at byte 3"},
                      BadInput{"Oversized",
                               [](v1::Document d) {
                                 d.set_text(std::string(1001, 'a'));
                                 return d;
                               },
                               "over the limit of 1000"},
                      BadInput{"UnparsablePublished",
                               [](v1::Document d) {
                                 d.set_published("15/12/2015");
                                 return d;
                               },
                               "does not parse"},
                      BadInput{"MissingSource",
                               [](v1::Document d) {
                                 d.set_source("");
                                 return d;
                               },
                               "source"}),
    [](const ::testing::TestParamInfo<BadInput>& info) {
      return info.param.name;
    });

TEST_F(ServiceTest, MissingDocumentIsNotFound) {
  auto got = client_->Get("nope");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  auto deleted = client_->Delete("nope");
  EXPECT_EQ(deleted.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ServiceTest, DeleteRemovesTheDocument) {
  ASSERT_TRUE(client_->Ingest(Doc("d1", kText)).ok());
  auto deleted = client_->Delete("d1");
  ASSERT_TRUE(deleted.ok());
  EXPECT_GE(deleted->claims_deleted(), 1u);
  EXPECT_EQ(client_->Get("d1").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ServiceTest, HealthServiceReportsServing) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                          grpc::InsecureChannelCredentials());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  // grpc.health.v1.HealthCheckRequest{service: ""} is the empty message;
  // HealthCheckResponse{status: SERVING} is field 1 = 1: bytes 08 01.
  grpc::GenericStub stub(channel);
  grpc::Slice empty_message;
  grpc::ByteBuffer request_buffer(&empty_message, 1), response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request_buffer, &response_buffer,
                 [&](grpc::Status s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response_buffer.Dump(&slices).ok());
  std::string bytes;
  for (auto& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

TEST(ServerTest, RefusesPlaintextOnANonLoopbackAddress) {
  testing::TestDir dir;
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.data_dir = dir.Sub("data");
  auto server = CrosscheckServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace crosscheck::server
