#include "client/crosscheck_client.h"

#include <thread>

#include "absl/strings/str_cat.h"

namespace crosscheck::client {

namespace {

std::shared_ptr<grpc::ChannelCredentials> Credentials(
    const CrosscheckClient::Options& options) {
  if (!options.tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.ca_pem;
  ssl.pem_cert_chain = options.cert_pem;
  ssl.pem_private_key = options.key_pem;
  return grpc::SslCredentials(ssl);
}

}  // namespace

CrosscheckClient::CrosscheckClient(const Options& options)
    : options_(options),
      stub_(v1::Crosscheck::NewStub(
          grpc::CreateChannel(options.target, Credentials(options)))) {}

absl::Status CrosscheckClient::FromGrpc(const grpc::Status& status) const {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::Status(
        code, absl::StrCat("cannot reach crosscheckd at ", options_.target,
                           ": ", status.error_message()));
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::Status(code, absl::StrCat("crosscheckd at ", options_.target,
                                           " did not answer within ",
                                           options_.deadline.count(), " ms"));
  }
  return absl::Status(code, status.error_message());
}

absl::StatusOr<v1::IngestDocumentResponse> CrosscheckClient::Ingest(
    const v1::Document& doc) {
  v1::IngestDocumentRequest request;
  *request.mutable_document() = doc;
  v1::IngestDocumentResponse response;
  absl::Status s =
      Call(&v1::Crosscheck::Stub::IngestDocument, request, &response);
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::GetDocumentResponse> CrosscheckClient::Get(
    const std::string& id) {
  v1::GetDocumentRequest request;
  request.set_id(id);
  v1::GetDocumentResponse response;
  absl::Status s = Call(&v1::Crosscheck::Stub::GetDocument, request, &response);
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::DeleteDocumentResponse> CrosscheckClient::Delete(
    const std::string& id) {
  v1::DeleteDocumentRequest request;
  request.set_id(id);
  v1::DeleteDocumentResponse response;
  absl::Status s =
      Call(&v1::Crosscheck::Stub::DeleteDocument, request, &response);
  if (!s.ok()) return s;
  return response;
}

absl::Status CrosscheckClient::IngestStream(
    const std::function<bool(v1::Document*)>& next,
    const std::function<void(const v1::IngestDocumentsResponse&)>& on_answer) {
  grpc::ClientContext context;
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options_.token);
  }
  auto stream = stub_->IngestDocuments(&context);
  std::thread writer([&] {
    v1::IngestDocumentRequest request;
    while (true) {
      request.Clear();
      if (!next(request.mutable_document())) break;
      if (!stream->Write(request)) return;  // The stream broke: see Finish.
    }
    stream->WritesDone();
  });
  v1::IngestDocumentsResponse answer;
  while (stream->Read(&answer)) on_answer(answer);
  // No more answers: the server finished the call or the connection broke;
  // either way a writer waiting on flow control gets false and returns.
  writer.join();
  return FromGrpc(stream->Finish());
}

absl::Status CrosscheckClient::Watch(
    const v1::WatchFactsRequest& request,
    const std::function<bool(const v1::FactChange&)>& on_change) {
  grpc::ClientContext context;
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options_.token);
  }
  auto stream = stub_->WatchFacts(&context, request);
  v1::FactChange change;
  while (stream->Read(&change)) {
    if (!on_change(change)) {
      context.TryCancel();
      stream->Finish().ok();
      return absl::OkStatus();
    }
  }
  return FromGrpc(stream->Finish());
}

}  // namespace crosscheck::client
