#ifndef CROSSCHECK_SERVER_CROSSCHECK_SERVER_H_
#define CROSSCHECK_SERVER_CROSSCHECK_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "server/crosscheck_service.h"
#include "storage/claim_store.h"

namespace crosscheck::server {

struct ServerOptions {
  // HOST:PORT; port 0 picks a free port (see CrosscheckServer::port()).
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./data";
  // Serving plaintext beyond loopback exposes every document; it must be
  // asked for.
  bool allow_insecure_remote = false;
  // TLS: PEM files of the server's certificate chain and private key; with
  // `tls_client_ca`, clients must present a certificate signed by it.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  int max_message_bytes = 16 << 20;
  bool sync = false;
  // Bearer tokens and roles; empty: no token is needed (loopback use).
  std::string tokens_file;
  // One structured line per call on standard error.
  bool log_requests = false;
  size_t block_cache_bytes = 64 << 20;
  // Keep RocksDB's counters (ClaimStore::ReadCounters).
  bool store_statistics = false;
  ServiceLimits limits;
};

// A running crosscheckd: the store, the Crosscheck service, the standard
// health service and server reflection, on one gRPC server. Thread-safe.
class CrosscheckServer {
 public:
  // Opens the store and starts serving. Fails when the data directory
  // cannot be opened or the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<CrosscheckServer>> Start(
      const ServerOptions& options);

  CrosscheckServer(const CrosscheckServer&) = delete;
  CrosscheckServer& operator=(const CrosscheckServer&) = delete;
  // Shuts down (if not yet) and closes the store.
  ~CrosscheckServer();

  int port() const { return port_; }
  // For tests and the stats: the store and the service it serves.
  const storage::ClaimStore& store() const { return *store_; }
  const CrosscheckService& service() const { return *service_; }
  // Reads the tokens file again (SIGHUP); the old tokens stay on error.
  absl::Status ReloadTokens();
  // Stops accepting calls, lets running ones finish within `grace_ms`.
  void Shutdown(int grace_ms = 5000);
  // Blocks until the server has shut down.
  void Wait();

 private:
  CrosscheckServer() = default;

  std::unique_ptr<storage::ClaimStore> store_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<CrosscheckService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

// The contents of a PEM file; INVALID_ARGUMENT naming `flag` otherwise.
absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag);

// True when HOST of HOST:PORT is a loopback address.
bool IsLoopbackAddress(const std::string& listen);

// Turns off absl::Mutex's deadlock detection for the whole process. The
// system's Abseil is built with it on, so every lock and unlock records
// which locks are held in a global graph; crosscheckd calls this at
// start-up, while the tests keep the checks.
void SetProductionMutexMode();

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_CROSSCHECK_SERVER_H_
