#ifndef CROSSCHECK_CLIENT_CROSSCHECK_CLIENT_H_
#define CROSSCHECK_CLIENT_CROSSCHECK_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "protos/crosscheck/v1/crosscheck.grpc.pb.h"

namespace crosscheck::client {

// A connection to a crosscheckd. Every call carries a deadline. Thread-safe
// (gRPC channels and stubs are).
class CrosscheckClient {
 public:
  struct Options {
    std::string target = "127.0.0.1:50051";
    std::chrono::milliseconds deadline{10000};
    // Sent as "authorization: Bearer <token>" when not empty.
    std::string token;
    // TLS, verifying the server against `ca_pem` (system roots when empty);
    // `cert_pem`/`key_pem` present a client certificate when set.
    bool tls = false;
    std::string ca_pem;
    std::string cert_pem;
    std::string key_pem;
  };

  explicit CrosscheckClient(const Options& options);

  absl::StatusOr<v1::IngestDocumentResponse> Ingest(const v1::Document& doc);
  absl::StatusOr<v1::GetDocumentResponse> Get(const std::string& id);
  absl::StatusOr<v1::DeleteDocumentResponse> Delete(const std::string& id);

  // Streams documents through IngestDocuments: `next` fills the next
  // document and returns false when there are no more; `on_answer` gets each
  // document's answer as it arrives (on this thread). Documents are read
  // from `next` on another thread, as the stream's flow control allows.
  // Returns the stream's status (OK when every document was answered, even
  // if some were refused: their answers carry the errors).
  absl::Status IngestStream(
      const std::function<bool(v1::Document*)>& next,
      const std::function<void(const v1::IngestDocumentsResponse&)>& on_answer);

  // Follows WatchFacts, calling `on_change` for each change until it returns
  // false (then OK) or the stream ends (its status). No deadline.
  absl::Status Watch(
      const v1::WatchFactsRequest& request,
      const std::function<bool(const v1::FactChange&)>& on_change);

  // Any unary RPC of the service, with this client's deadline:
  // `Call(&Stub::GetFact, request, &response)`.
  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (v1::Crosscheck::Stub::*method)(
                        grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.deadline);
    if (!options_.token.empty()) {
      context.AddMetadata("authorization", "Bearer " + options_.token);
    }
    return FromGrpc((stub_.get()->*method)(&context, request, response));
  }

  // A gRPC status as an absl::Status, keeping code and message; an
  // unreachable server says which address was tried.
  absl::Status FromGrpc(const grpc::Status& status) const;

 private:
  Options options_;
  std::unique_ptr<v1::Crosscheck::Stub> stub_;
};

}  // namespace crosscheck::client

#endif  // CROSSCHECK_CLIENT_CROSSCHECK_CLIENT_H_
