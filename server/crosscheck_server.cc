#include "server/crosscheck_server.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"

namespace crosscheck::server {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read '", path, "'"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (buffer.str().find("-----BEGIN ") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": '", path, "' holds no PEM data"));
  }
  return buffer.str();
}

bool IsLoopbackAddress(const std::string& listen) {
  size_t colon = listen.rfind(':');
  std::string host =
      colon == std::string::npos ? listen : listen.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || absl::StartsWith(host, "127.") || host == "::1";
}

absl::StatusOr<std::unique_ptr<CrosscheckServer>> CrosscheckServer::Start(
    const ServerOptions& options) {
  const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty())) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls_cert and --tls_key");
  }
  if (!options.tls_client_ca.empty() && !tls) {
    return absl::InvalidArgumentError(
        "--tls_client_ca needs --tls_cert and --tls_key");
  }
  if (!tls && !options.allow_insecure_remote &&
      !IsLoopbackAddress(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve plaintext on non-loopback address '", options.listen,
        "'; give --tls_cert and --tls_key, listen on 127.0.0.1, or pass "
        "--allow_insecure_remote"));
  }
  std::unique_ptr<CrosscheckServer> server(new CrosscheckServer());
  storage::ClaimStore::Options store_options;
  store_options.sync = options.sync;
  store_options.block_cache_bytes = options.block_cache_bytes;
  store_options.statistics = options.store_statistics;
  auto store = storage::ClaimStore::Open(options.data_dir, store_options);
  if (!store.ok()) return store.status();
  server->store_ = std::move(*store);
  if (!options.tokens_file.empty()) {
    auto tokens = TokenStore::Load(options.tokens_file);
    if (!tokens.ok()) return tokens.status();
    server->tokens_ = std::move(*tokens);
  }
  server->service_ = std::make_unique<CrosscheckService>(
      server->store_.get(), options.limits, server->tokens_.get(),
      options.log_requests);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::InsecureServerCredentials();
  if (tls) {
    grpc::SslServerCredentialsOptions ssl;
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    auto cert = ReadPem(options.tls_cert, "--tls_cert");
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(options.tls_key, "--tls_key");
    if (!key.ok()) return key.status();
    pair.cert_chain = *cert;
    pair.private_key = *key;
    ssl.pem_key_cert_pairs.push_back(pair);
    if (!options.tls_client_ca.empty()) {
      auto ca = ReadPem(options.tls_client_ca, "--tls_client_ca");
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
      ssl.client_certificate_request =
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  }
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on '", options.listen,
                     "' (address in use or not valid HOST:PORT)"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

void CrosscheckServer::Shutdown(int grace_ms) {
  if (shut_down_) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(grace_ms));
}

void CrosscheckServer::Wait() { server_->Wait(); }

absl::Status CrosscheckServer::ReloadTokens() {
  if (tokens_ == nullptr) {
    return absl::FailedPreconditionError("no --tokens_file to reload");
  }
  return tokens_->Reload();
}

CrosscheckServer::~CrosscheckServer() {
  if (server_ != nullptr) {
    Shutdown();
    server_->Wait();
  }
}

void SetProductionMutexMode() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace crosscheck::server
