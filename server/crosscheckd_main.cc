// crosscheckd: the Crosscheck server on an embedded RocksDB.

#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "server/crosscheck_server.h"

int main(int argc, char** argv) {
  crosscheck::server::ServerOptions options;
  CLI::App app{"crosscheckd: the Crosscheck gRPC server"};
  app.add_option("--listen", options.listen, "HOST:PORT to serve on")
      ->capture_default_str();
  app.add_option("--data_dir", options.data_dir,
                 "RocksDB directory (created if missing)")
      ->capture_default_str();
  app.add_flag("--allow_insecure_remote", options.allow_insecure_remote,
               "serve plaintext on a non-loopback address");
  app.add_option("--max_message_bytes", options.max_message_bytes,
                 "largest gRPC message accepted")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 30));
  app.add_option("--max_document_bytes", options.limits.document.max_text_bytes,
                 "largest document text accepted")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 30));
  app.add_option("--max_page_size", options.limits.max_page_size,
                 "facts in one SearchFacts page at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max_streams", options.limits.max_streams,
                 "IngestDocuments and WatchFacts streams open at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--ingest_cache_claims", options.limits.ingest_cache_claims,
                 "claims of recently written facts kept in memory for ingest, "
                 "and as many keys of stories' date and quote facts (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000000));
  app.add_option("--fact_response_cache_bytes",
                 options.limits.fact_response_cache_bytes,
                 "bytes of GetFact answers kept in memory, and up to half "
                 "as many again of SearchFacts pages (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_flag("--sync", options.sync, "fsync the WAL on every write");
  app.add_option("--tls_cert", options.tls_cert, "PEM certificate chain");
  app.add_option("--tls_key", options.tls_key, "PEM private key");
  app.add_option("--tls_client_ca", options.tls_client_ca,
                 "PEM CA that client certificates must be signed by");
  options.log_requests = true;
  app.add_flag("--log_requests,!--no_log_requests", options.log_requests,
               "one line per call on stderr: method, status, latency, bytes");
  app.add_option("--tokens_file", options.tokens_file,
                 "bearer tokens: lines '<reader|writer|admin> <sha256 hex>'; "
                 "reread on SIGHUP");
  app.add_option("--block_cache_bytes", options.block_cache_bytes,
                 "RocksDB block cache size")
      ->capture_default_str();
  app.add_flag("--store_statistics", options.store_statistics,
               "count RocksDB block reads, filter skips and compaction "
               "bytes; printed at shutdown");
  CLI11_PARSE(app, argc, argv);
  crosscheck::server::SetProductionMutexMode();

  // Signals are taken by one thread with sigwait, so a handler never runs
  // inside gRPC or RocksDB code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = crosscheck::server::CrosscheckServer::Start(options);
  if (!server.ok()) {
    std::cerr << "crosscheckd: " << server.status().message() << "\n";
    return 1;
  }
  std::printf("crosscheckd listening on %s (port %d), data in %s\n",
              options.listen.c_str(), (*server)->port(),
              options.data_dir.c_str());
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
    absl::Status s = (*server)->ReloadTokens();
    std::printf("crosscheckd: SIGHUP, tokens %s\n",
                s.ok() ? "reloaded" : std::string(s.message()).c_str());
    std::fflush(stdout);
  }
  std::printf("crosscheckd: signal %d, shutting down\n", signal_number);
  std::fflush(stdout);
  (*server)->Shutdown();
  if (options.store_statistics) {
    auto counters = (*server)->store().ReadCounters();
    if (counters.ok()) std::printf("%s", counters->ToString().c_str());
  }
  server->reset();
  return 0;
}
