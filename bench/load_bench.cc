// Loads generated articles through IngestDocuments on loopback into a data
// directory, then compacts it and reports the storage per claim.
//
//   build/bench/load_bench --docs 100000 --streams 2 --data_dir /tmp/cc-100k
//
// Documents come from bench/news_corpus.h by default (--style news: ~5 KB
// articles in stories of 5-50 outlets with evolving and disputed tolls,
// quotes, dates and copied sentences), or --style flood for the tests'
// MakeFloodArticle (20 outlets a story, --stories). Progress every
// 10 s; at the end documents/s, then bytes per column family after a full
// compaction and bytes per claim without the documents (text) family. The
// directory is left for query_bench and crosscheckd.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "bench/news_corpus.h"
#include "client/crosscheck_client.h"
#include "server/crosscheck_server.h"
#include "storage/claim_store.h"
#include "tests/article_generator.h"

int main(int argc, char** argv) {
  CLI::App app{"load_bench: ingest throughput and storage per claim"};
  int docs = 100000, streams = 2, stories = 0;
  std::string data_dir;
  bool sync = false;
  app.add_option("--docs", docs)->check(CLI::Range(1, 100000000));
  app.add_option("--streams", streams)->check(CLI::Range(1, 64));
  app.add_option("--stories", stories,
                 "flood style: stories (default docs/20)");
  app.add_option("--data_dir", data_dir)->required();
  app.add_flag("--sync", sync, "fsync every write");
  std::string style = "news";
  uint64_t seed = 1;
  app.add_option("--style", style,
                 "news (stories of 5-50 outlets, bench/news_corpus.h) or "
                 "flood (the tests' one-shape stories)")
      ->check(CLI::IsMember({"flood", "news"}));
  app.add_option("--seed", seed, "seed of the news corpus");
  CLI11_PARSE(app, argc, argv);
  // The server in this process runs as crosscheckd runs it.
  crosscheck::server::SetProductionMutexMode();
  if (stories <= 0) stories = std::max(1, docs / 20);
  const crosscheck::bench::NewsCorpus news(style == "news" ? docs : 0, seed);

  using Clock = std::chrono::steady_clock;
  std::atomic<int> next{0}, stored{0}, refused{0};
  std::atomic<uint64_t> claims{0};
  double seconds = 0;
  {
    crosscheck::server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = data_dir;
    options.sync = sync;
    options.log_requests = false;
    options.store_statistics = true;
    auto server = crosscheck::server::CrosscheckServer::Start(options);
    if (!server.ok()) {
      std::fprintf(stderr, "load_bench: %s\n",
                   std::string(server.status().message()).c_str());
      return 1;
    }
    crosscheck::client::CrosscheckClient::Options client_options;
    client_options.target = absl::StrCat("127.0.0.1:", (*server)->port());
    const auto start = Clock::now();
    std::atomic<bool> done{false};
    std::thread progress([&] {
      int last = 0;
      auto at = Clock::now();
      while (!done) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (Clock::now() - at < std::chrono::seconds(10)) continue;
        const int now = stored + refused;
        std::printf(
            "  %9d documents, %7.0f/s over the last 10 s\n", now,
            (now - last) /
                std::chrono::duration<double>(Clock::now() - at).count());
        std::fflush(stdout);
        last = now;
        at = Clock::now();
      }
    });
    std::vector<std::thread> threads;
    for (int s = 0; s < streams; ++s) {
      threads.emplace_back([&] {
        crosscheck::client::CrosscheckClient client(client_options);
        absl::Status status = client.IngestStream(
            [&](crosscheck::v1::Document* doc) {
              const int n = next++;
              if (n >= docs) return false;
              *doc = style == "news"
                         ? news.Article(n)
                         : crosscheck::testing::MakeFloodArticle(n, stories);
              return true;
            },
            [&](const crosscheck::v1::IngestDocumentsResponse& answer) {
              if (answer.error_code() != 0) {
                ++refused;
              } else {
                ++stored;
                claims += answer.claim_count();
              }
            });
        if (!status.ok()) {
          std::fprintf(stderr, "load_bench: stream: %s\n",
                       std::string(status.message()).c_str());
        }
      });
    }
    for (auto& t : threads) t.join();
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    done = true;
    progress.join();
    auto counters = (*server)->store().ReadCounters();
    if (counters.ok()) {
      std::printf("RocksDB counters while loading:\n%s",
                  counters->ToString().c_str());
    }
  }
  std::printf(
      "loaded %d documents (%d refused) with %d streams in %.1f s: %.0f "
      "documents/s, %llu claims\n",
      stored.load(), refused.load(), streams, seconds, stored / seconds,
      static_cast<unsigned long long>(claims.load()));

  auto store = crosscheck::storage::ClaimStore::Open(data_dir, {});
  if (!store.ok()) {
    std::fprintf(stderr, "load_bench: %s\n",
                 std::string(store.status().message()).c_str());
    return 1;
  }
  const auto compact_start = Clock::now();
  if (absl::Status s = (*store)->CompactAll(); !s.ok()) {
    std::fprintf(stderr, "load_bench: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf(
      "full compaction: %.1f s\n",
      std::chrono::duration<double>(Clock::now() - compact_start).count());
  uint64_t without_text = 0;
  for (const auto& [name, bytes] : (*store)->ColumnFamilySizes()) {
    std::printf("  %-10s %14llu bytes\n", name.c_str(),
                static_cast<unsigned long long>(bytes));
    if (name != "documents") without_text += bytes;
  }
  if (claims > 0) {
    std::printf("bytes per claim without the documents family: %.1f\n",
                static_cast<double>(without_text) / claims.load());
  }
  return 0;
}
