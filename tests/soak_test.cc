// A bounded soak of the real crosscheckd on loopback: writers (unary and
// streamed), readers and a watcher at once for CROSSCHECK_SOAK_SECONDS
// (default 30, at most 60). No call may fail, the watcher must see every
// change once, and the server's resident memory must stay within a stated
// bound. Latencies are printed, not asserted.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "gtest/gtest.h"
#include "tests/article_generator.h"
#include "tests/process.h"
#include "tests/test_dir.h"

namespace crosscheck {
namespace {

using client::CrosscheckClient;
using Clock = std::chrono::steady_clock;

const std::string kDaemon = CROSSCHECKD_PATH;

// Resident memory of a process, in MiB (VmRSS).
double ResidentMiB(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024;
  }
  return 0;
}

class Latencies {
 public:
  void Add(const std::string& method, double ms) {
    std::lock_guard<std::mutex> lock(mu_);
    ms_[method].push_back(ms);
  }
  void Print() {
    std::lock_guard<std::mutex> lock(mu_);
    std::printf("%-18s %8s %9s %9s %9s\n", "method", "calls", "p50 ms",
                "p99 ms", "max ms");
    for (auto& [method, v] : ms_) {
      std::sort(v.begin(), v.end());
      std::printf("%-18s %8zu %9.2f %9.2f %9.2f\n", method.c_str(), v.size(),
                  v[v.size() / 2],
                  v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back());
    }
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<double>> ms_;
};

TEST(SoakTest, WritersReadersAndAWatcherTogetherWithoutAFailure) {
  int seconds = 30;
  if (const char* env = std::getenv("CROSSCHECK_SOAK_SECONDS")) {
    seconds = std::clamp(std::atoi(env), 5, 60);
  }
  testing::TestDir dir;
  testing::ChildProcess daemon(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  CrosscheckClient::Options options;
  options.target = server;

  constexpr int kStories = 40;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> next_doc{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  Latencies latencies;
  auto record = [&](const std::string& method, Clock::time_point start,
                    const absl::Status& status) {
    latencies.Add(
        method, std::chrono::duration<double, std::milli>(Clock::now() - start)
                    .count());
    if (!status.ok()) {
      ++failures;
      std::lock_guard<std::mutex> lock(errors_mu);
      if (errors.size() < 10)
        errors.push_back(method + ": " + status.ToString());
    }
  };

  std::vector<std::thread> threads;
  // Unary writers: new documents, and now and then a new version of one.
  for (int w = 0; w < 3; ++w) {
    threads.emplace_back([&, w] {
      CrosscheckClient client(options);
      for (int i = 0; !stop; ++i) {
        v1::Document doc = testing::MakeFloodArticle(next_doc++, kStories);
        if (i % 10 == 9) {
          doc = testing::MakeFloodArticle(w * 7 + i % 50, kStories);
          doc.set_text(doc.text() + absl::StrCat(" Update ", i, "."));
        }
        const auto start = Clock::now();
        record("IngestDocument", start, client.Ingest(doc).status());
      }
    });
  }
  // A streaming writer.
  threads.emplace_back([&] {
    CrosscheckClient client(options);
    while (!stop) {
      int sent = 0;
      auto start = Clock::now();
      absl::Status status = client.IngestStream(
          [&](v1::Document* doc) {
            if (stop || sent == 200) return false;
            ++sent;
            *doc = testing::MakeFloodArticle(next_doc++, kStories);
            return true;
          },
          [&](const v1::IngestDocumentsResponse& answer) {
            absl::Status s =
                answer.error_code() == 0
                    ? absl::OkStatus()
                    : absl::Status(absl::StatusCode(answer.error_code()),
                                   answer.error_message());
            record("IngestDocuments/doc", start, s);
            start = Clock::now();
          });
      if (!status.ok()) record("IngestDocuments", start, status);
    }
  });
  // Readers.
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      CrosscheckClient client(options);
      for (int i = 0; !stop; ++i) {
        const std::string story =
            absl::StrCat("story-", (i * 7 + r) % kStories);
        auto start = Clock::now();
        v1::SearchFactsRequest search;
        search.set_story_id(story);
        v1::SearchFactsResponse page;
        absl::Status s =
            client.Call(&v1::Crosscheck::Stub::SearchFacts, search, &page);
        record("SearchFacts", start, s);
        if (s.ok() && page.facts_size() > 0) {
          v1::GetFactRequest get;
          get.set_story_id(story);
          get.set_fact_key(page.facts(i % page.facts_size()).fact_key());
          v1::FactComparison fact;
          start = Clock::now();
          record("GetFact", start,
                 client.Call(&v1::Crosscheck::Stub::GetFact, get, &fact));
        }
        v1::CheckTextRequest check;
        check.set_text(
            "The flood killed 99 people in Town3ville, police said.");
        check.set_published("2024-07-02");
        check.set_story_id(story);
        v1::CheckTextResponse checked;
        start = Clock::now();
        record("CheckText", start,
               client.Call(&v1::Crosscheck::Stub::CheckText, check, &checked));
        if (i % 20 == 0) {
          v1::ListSourcesRequest list;
          list.set_story_id(story);
          v1::ListSourcesResponse sources;
          start = Clock::now();
          record(
              "ListSources", start,
              client.Call(&v1::Crosscheck::Stub::ListSources, list, &sources));
        }
      }
    });
  }
  // A watcher of every change.
  std::vector<uint64_t> positions;
  std::thread watcher([&] {
    CrosscheckClient client(options);
    v1::WatchFactsRequest request;
    request.set_after_position("0");
    absl::Status s = client.Watch(request, [&](const v1::FactChange& c) {
      positions.push_back(std::stoull(c.position()));
      return !(stop && c.document_id() == "soak-end");
    });
    if (!s.ok()) record("WatchFacts", Clock::now(), s);
  });

  // Memory: sampled every second; the bound is checked after a warm-up of a
  // quarter of the run.
  std::vector<double> rss;
  const auto begin = Clock::now();
  while (Clock::now() - begin < std::chrono::seconds(seconds)) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    rss.push_back(ResidentMiB(daemon.pid()));
  }
  stop = true;
  for (auto& t : threads) t.join();
  // The newest change comes from a document alone in its story.
  CrosscheckClient client(options);
  v1::Document end = testing::MakeFloodArticle(0, 1);
  end.set_id("soak-end");
  end.set_story_id("soak-end");
  end.set_text("The blast killed 12 people in Kabul, police said.");
  ASSERT_TRUE(client.Ingest(end).ok());
  watcher.join();

  v1::GetStatsResponse stats;
  ASSERT_TRUE(
      client
          .Call(&v1::Crosscheck::Stub::GetStats, v1::GetStatsRequest(), &stats)
          .ok());
  std::printf("soak: %d s, %d documents, %llu changes, watcher saw %zu\n",
              seconds, next_doc.load(),
              static_cast<unsigned long long>(stats.last_change_position()),
              positions.size());
  latencies.Print();
  const size_t warm = rss.size() / 4;
  const double at_warm = rss[warm];
  const double peak = *std::max_element(rss.begin(), rss.end());
  std::printf("resident MiB: after warm-up %.1f, peak %.1f, end %.1f\n",
              at_warm, peak, rss.back());

  EXPECT_EQ(failures.load(), 0);
  for (const auto& e : errors) ADD_FAILURE() << e;
  ASSERT_EQ(positions.size(), stats.last_change_position());
  for (size_t i = 0; i < positions.size(); ++i) {
    ASSERT_EQ(positions[i], i + 1);
  }
  // The bound: RocksDB's memtables (up to 64 MiB before a flush) and block
  // cache (64 MiB) may fill during the run; past the warm-up the server may
  // grow by at most 128 MiB and never pass 512 MiB. (Measured: 41 MiB after
  // warm-up, 53 MiB peak over 30 s.)
  EXPECT_LE(peak - at_warm, 128.0);
  EXPECT_LE(peak, 512.0);
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0);
}

}  // namespace
}  // namespace crosscheck
