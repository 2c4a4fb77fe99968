// Bearer tokens and roles on a real server on 127.0.0.1:0.

#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "server/token_store.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTokens({{"reader", "read-secret"}, {"writer", "write-secret"}});
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.tokens_file = dir_.Sub("tokens");
    auto server = CrosscheckServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  void WriteTokens(std::vector<std::pair<std::string, std::string>> tokens) {
    std::ofstream out(dir_.Sub("tokens"));
    out << "# role sha256\n";
    for (const auto& [role, token] : tokens) {
      out << role << " " << TokenStore::Hash(token) << " label\n";
    }
  }

  client::CrosscheckClient Client(const std::string& token) {
    client::CrosscheckClient::Options options;
    options.target = absl::StrCat("127.0.0.1:", server_->port());
    options.token = token;
    return client::CrosscheckClient(options);
  }

  v1::Document Doc() {
    v1::Document doc;
    doc.set_id("d");
    doc.set_source("S");
    doc.set_published("2024-07-02");
    doc.set_text("The flood killed 4 people.");
    return doc;
  }

  testing::TestDir dir_;
  std::unique_ptr<CrosscheckServer> server_;
};

TEST_F(AuthTest, CallsWithoutOrWithAWrongTokenAreUnauthenticated) {
  EXPECT_EQ(Client("").Get("d").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Client("guess").Get("d").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Client("guess").Ingest(Doc()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, ReaderMayReadButNotWrite) {
  auto reader = Client("read-secret");
  auto denied = reader.Ingest(Doc());
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.status().message().find("writer"), std::string::npos);
  EXPECT_EQ(reader.Delete("d").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reader.Get("d").status().code(), absl::StatusCode::kNotFound)
      << "the reader got through to the store, which has no such document";
}

TEST_F(AuthTest, WriterMayWriteAndRead) {
  auto writer = Client("write-secret");
  ASSERT_TRUE(writer.Ingest(Doc()).ok());
  EXPECT_TRUE(writer.Get("d").ok());
  EXPECT_TRUE(Client("read-secret").Get("d").ok());
}

TEST_F(AuthTest, ReloadTakesNewTokensAndDropsOldOnes) {
  WriteTokens({{"admin", "new-secret"}});
  ASSERT_TRUE(server_->ReloadTokens().ok());
  EXPECT_EQ(Client("write-secret").Get("d").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Client("new-secret").Ingest(Doc()).ok());
}

TEST_F(AuthTest, ABadTokensFileIsRefusedAndTheOldTokensStay) {
  std::ofstream(dir_.Sub("tokens")) << "superuser abc\n";
  absl::Status s = server_->ReloadTokens();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("line 1"), std::string::npos);
  EXPECT_TRUE(Client("write-secret").Ingest(Doc()).ok());
}

TEST_F(AuthTest, BackupAndStatsNeedTheAdminRole) {
  auto writer = Client("write-secret");
  ASSERT_TRUE(writer.Ingest(Doc()).ok());
  v1::BackupStoreRequest backup;
  backup.set_directory(dir_.Sub("backup"));
  v1::BackupStoreResponse done;
  EXPECT_EQ(
      writer.Call(&v1::Crosscheck::Stub::BackupStore, backup, &done).code(),
      absl::StatusCode::kPermissionDenied);
  WriteTokens({{"admin", "admin-secret"}});
  ASSERT_TRUE(server_->ReloadTokens().ok());
  auto admin = Client("admin-secret");
  ASSERT_TRUE(
      admin.Call(&v1::Crosscheck::Stub::BackupStore, backup, &done).ok());
  EXPECT_EQ(done.documents(), 1u);
  // No directory named: refused before anything is written.
  v1::BackupStoreRequest unnamed;
  EXPECT_EQ(
      admin.Call(&v1::Crosscheck::Stub::BackupStore, unnamed, &done).code(),
      absl::StatusCode::kInvalidArgument);
  // The same directory twice: refused, the first backup untouched.
  EXPECT_EQ(
      admin.Call(&v1::Crosscheck::Stub::BackupStore, backup, &done).code(),
      absl::StatusCode::kAlreadyExists);
  // The backup is a data directory a server opens.
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("backup");
  auto restored = CrosscheckServer::Start(options);
  ASSERT_TRUE(restored.ok()) << restored.status();
  client::CrosscheckClient::Options o;
  o.target = absl::StrCat("127.0.0.1:", (*restored)->port());
  auto got = client::CrosscheckClient(o).Get("d");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->document().document().source(), "S");

  v1::GetStatsResponse stats;
  ASSERT_TRUE(
      admin.Call(&v1::Crosscheck::Stub::GetStats, v1::GetStatsRequest(), &stats)
          .ok());
  EXPECT_EQ(stats.documents(), 1u);
  bool ingest_counted = false;
  for (const auto& m : stats.methods()) {
    if (m.method() == "IngestDocument") {
      ingest_counted = m.calls() == 1 && m.errors() == 0;
    }
  }
  EXPECT_TRUE(ingest_counted);
}

TEST(TokenStoreTest, HashIsSha256Hex) {
  EXPECT_EQ(TokenStore::Hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace crosscheck::server
