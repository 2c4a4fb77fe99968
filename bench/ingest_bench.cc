// Ingest throughput through the real gRPC service on loopback: documents of
// about 5 KB, several clients in flight, with the WAL written (default) and
// with --sync (fsync per write). Prints one line per configuration.
//
//   build/bench/ingest_bench [DOCUMENTS] [CLIENTS]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "server/crosscheck_server.h"
#include "tests/article_generator.h"

namespace {

void Run(bool sync, int documents, int clients) {
  const std::string dir =
      (std::filesystem::temp_directory_path() /
       absl::StrCat("crosscheck-ingest-bench-", sync, "-", std::rand()))
          .string();
  crosscheck::server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir;
  options.sync = sync;
  auto server = crosscheck::server::CrosscheckServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "ingest_bench: %s\n",
                 std::string(server.status().message()).c_str());
    std::exit(1);
  }
  crosscheck::client::CrosscheckClient::Options client_options;
  client_options.target = absl::StrCat("127.0.0.1:", (*server)->port());
  std::vector<crosscheck::v1::Document> docs;
  for (int n = 0; n < documents; ++n)
    docs.push_back(crosscheck::testing::MakeFloodArticle(n, 200));
  std::atomic<int> next{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      crosscheck::client::CrosscheckClient client(client_options);
      for (int n = next++; n < documents; n = next++) {
        if (!client.Ingest(docs[n]).ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("%-8s %6d documents, %2d clients: %8.0f documents/s, %d failed\n",
              sync ? "--sync" : "WAL", documents, clients, documents / seconds,
              failed.load());
  server->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const int documents = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int clients = argc > 2 ? std::atoi(argv[2]) : 8;
  Run(false, documents, clients);
  Run(true, documents, clients);
  return 0;
}
