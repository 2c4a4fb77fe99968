// Durability: the real crosscheckd is killed with SIGKILL while documents
// stream in; after a restart every acknowledged document is there with all
// its claims and facts, and no document is half there.

#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "gtest/gtest.h"
#include "tests/article_generator.h"
#include "tests/process.h"
#include "tests/test_dir.h"

namespace crosscheck {
namespace {

using testing::ChildProcess;

const std::string kDaemon = CROSSCHECKD_PATH;

TEST(CrashTest, AcknowledgedDocumentsSurviveSigkill) {
  testing::TestDir dir;
  const std::string data = dir.Sub("data");
  std::mutex mu;
  std::set<int> acknowledged;
  {
    ChildProcess daemon(
        {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", data});
    const std::string server = testing::ReadDaemonAddress(&daemon);
    ASSERT_FALSE(server.empty());
    client::CrosscheckClient::Options options;
    options.target = server;
    options.deadline = std::chrono::milliseconds(5000);
    std::atomic<int> next{0};
    std::atomic<bool> dead{false};
    auto writer = [&] {
      client::CrosscheckClient client(options);
      while (!dead) {
        const int n = next++;
        if (n >= 4000) break;
        auto r = client.Ingest(testing::MakeFloodArticle(n, 40));
        if (r.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.insert(n);
        }
      }
    };
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) writers.emplace_back(writer);
    // Kill at a random moment: after a random number of acknowledgements
    // between 1000 and 3000 (or 60 s on a slow machine).
    std::mt19937 rng(std::random_device{}());
    const size_t kill_after =
        std::uniform_int_distribution<size_t>(1000, 3000)(rng);
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (acknowledged.size() >= kill_after) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    daemon.Signal(SIGKILL);
    EXPECT_EQ(daemon.Wait(), 128 + SIGKILL);
    dead = true;
    for (auto& w : writers) w.join();
  }
  ASSERT_GT(acknowledged.size(), 10u) << "the server acknowledged too little";

  ChildProcess daemon({kDaemon, "--listen", "127.0.0.1:0", "--data_dir", data});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty()) << "restart after SIGKILL failed";
  client::CrosscheckClient::Options options;
  options.target = server;
  client::CrosscheckClient client(options);
  int present = 0;
  for (int n = 0; n < 4000; ++n) {
    auto got = client.Get(absl::StrCat("doc-", n));
    if (!got.ok()) {
      ASSERT_EQ(got.status().code(), absl::StatusCode::kNotFound);
      EXPECT_FALSE(acknowledged.count(n))
          << "acknowledged doc-" << n << " lost";
      continue;
    }
    ++present;
    // Whole or absent: the stored claim count matches the claims stored.
    ASSERT_EQ(got->claims_size(),
              static_cast<int>(got->document().claim_count()))
        << "doc-" << n << " is half there";
    ASSERT_GE(got->claims_size(), 3);
    // Every claim with a fact key is reachable through its fact.
    for (const auto& claim : got->claims()) {
      if (claim.fact_key().empty()) continue;
      v1::GetFactRequest request;
      request.set_story_id(got->document().document().story_id());
      request.set_fact_key(claim.fact_key());
      v1::FactComparison fact;
      ASSERT_TRUE(
          client.Call(&v1::Crosscheck::Stub::GetFact, request, &fact).ok())
          << "doc-" << n << " claim " << claim.id() << " has no fact";
      break;  // One fact per document keeps the check fast.
    }
  }
  EXPECT_GE(present, static_cast<int>(acknowledged.size()));
  std::printf(
      "acknowledged %zu documents before SIGKILL; %d present after "
      "restart\n",
      acknowledged.size(), present);
}

}  // namespace
}  // namespace crosscheck
