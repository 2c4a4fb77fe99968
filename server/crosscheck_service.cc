#include "server/crosscheck_service.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "claims/extractor.h"
#include "claims/fact_grouper.h"
#include "claims/publication_date.h"
#include "common/status_macros.h"
#include "server/fact_queries.h"
#include "server/grpc_status.h"

namespace crosscheck::server {
namespace {

absl::Status CheckId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("document id is empty");
  if (id.size() > 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "document id is ", id.size(), " bytes, over the limit of 256"));
  }
  return absl::OkStatus();
}

// Runs `fn` and finishes the call with its status.
}  // namespace

template <typename Fn>
grpc::ServerUnaryReactor* CrosscheckService::Unary(
    grpc::CallbackServerContext* context, absl::string_view method,
    Role required, const google::protobuf::Message& request,
    const google::protobuf::Message* response, Fn&& fn) {
  const absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status;
  if (context->IsCancelled()) {
    status = absl::CancelledError("the call was cancelled before it ran");
  } else {
    status = Authorize(tokens_, context->client_metadata(), required);
    if (status.ok()) status = fn();
  }
  stats_.Record(method, status, absl::Now() - start, request.ByteSizeLong(),
                status.ok() ? response->ByteSizeLong() : 0);
  reactor->Finish(ToGrpc(status));
  return reactor;
}

CrosscheckService::CrosscheckService(storage::ClaimStore* store,
                                     const ServiceLimits& limits,
                                     const TokenStore* tokens,
                                     bool log_requests)
    : store_(store), limits_(limits), tokens_(tokens), stats_(log_requests) {}

absl::StatusOr<std::vector<v1::Claim>> CrosscheckService::CheckAndExtract(
    const v1::Document& doc) const {
  RETURN_IF_ERROR(claims::ValidateDocument(doc, limits_.document));
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   claims::ParsePublicationDay(doc.published()));
  return claims::ExtractClaims(
      claims::ExtractInput{doc.id(), doc.source(), doc.text(), day},
      claims::ExtractOptions{false, limits_.document.max_text_bytes});
}

absl::Status CrosscheckService::DoIngest(
    const v1::IngestDocumentRequest& request,
    v1::IngestDocumentResponse* response) {
  if (!request.has_document()) {
    return absl::InvalidArgumentError("request has no document");
  }
  const v1::Document& doc = request.document();
  ASSIGN_OR_RETURN(std::vector<v1::Claim> found, CheckAndExtract(doc));

  absl::MutexLock lock(&ingest_mu_);
  // Group this document's dates and quotes with the story's stored facts.
  claims::FactGrouper grouper;
  auto view = store_->NewView();
  RETURN_IF_ERROR(PrimeGrouper(*view, doc.story_id(), doc.id(), &grouper));
  for (v1::Claim& claim : found) grouper.Assign(&claim);

  ASSIGN_OR_RETURN(storage::ClaimStore::PutResult result,
                   store_->PutDocument(doc, found));
  response->set_id(doc.id());
  response->set_version(result.version);
  response->set_outcome(result.outcome);
  response->set_claim_count(result.claim_count);
  return absl::OkStatus();
}

absl::Status CrosscheckService::DoGet(const v1::GetDocumentRequest& request,
                                      v1::GetDocumentResponse* response) {
  RETURN_IF_ERROR(CheckId(request.id()));
  auto view = store_->NewView();
  ASSIGN_OR_RETURN(*response->mutable_document(),
                   view->GetDocument(request.id()));
  ASSIGN_OR_RETURN(std::vector<v1::Claim> found,
                   store_->GetClaims(request.id()));
  for (auto& claim : found) *response->add_claims() = std::move(claim);
  return absl::OkStatus();
}

absl::Status CrosscheckService::DoDelete(
    const v1::DeleteDocumentRequest& request,
    v1::DeleteDocumentResponse* response) {
  RETURN_IF_ERROR(CheckId(request.id()));
  absl::MutexLock lock(&ingest_mu_);
  ASSIGN_OR_RETURN(uint32_t deleted, store_->DeleteDocument(request.id()));
  response->set_id(request.id());
  response->set_claims_deleted(deleted);
  return absl::OkStatus();
}

absl::Status CrosscheckService::DoExtract(
    const v1::ExtractClaimsRequest& request,
    v1::ExtractClaimsResponse* response) {
  if (!request.has_document()) {
    return absl::InvalidArgumentError("request has no document");
  }
  const v1::Document& doc = request.document();
  ASSIGN_OR_RETURN(std::vector<v1::Claim> found, CheckAndExtract(doc));
  claims::FactGrouper grouper;
  for (auto& claim : found) {
    grouper.Assign(&claim);
    *response->add_claims() = std::move(claim);
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* CrosscheckService::IngestDocument(
    grpc::CallbackServerContext* context,
    const v1::IngestDocumentRequest* request,
    v1::IngestDocumentResponse* response) {
  return Unary(context, "IngestDocument", Role::kWriter, *request, response,
               [&] { return DoIngest(*request, response); });
}

grpc::ServerUnaryReactor* CrosscheckService::GetDocument(
    grpc::CallbackServerContext* context, const v1::GetDocumentRequest* request,
    v1::GetDocumentResponse* response) {
  return Unary(context, "GetDocument", Role::kReader, *request, response,
               [&] { return DoGet(*request, response); });
}

grpc::ServerUnaryReactor* CrosscheckService::DeleteDocument(
    grpc::CallbackServerContext* context,
    const v1::DeleteDocumentRequest* request,
    v1::DeleteDocumentResponse* response) {
  return Unary(context, "DeleteDocument", Role::kWriter, *request, response,
               [&] { return DoDelete(*request, response); });
}

grpc::ServerUnaryReactor* CrosscheckService::ExtractClaims(
    grpc::CallbackServerContext* context,
    const v1::ExtractClaimsRequest* request,
    v1::ExtractClaimsResponse* response) {
  return Unary(context, "ExtractClaims", Role::kReader, *request, response,
               [&] { return DoExtract(*request, response); });
}

grpc::ServerUnaryReactor* CrosscheckService::GetFact(
    grpc::CallbackServerContext* context, const v1::GetFactRequest* request,
    v1::FactComparison* response) {
  return Unary(context, "GetFact", Role::kReader, *request, response,
               [&]() -> absl::Status {
                 if (request->fact_key().empty()) {
                   return absl::InvalidArgumentError("fact_key is empty");
                 }
                 auto view = store_->NewView();
                 ASSIGN_OR_RETURN(
                     *response,
                     LoadFact(*view, request->story_id(), request->fact_key()));
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* CrosscheckService::SearchFacts(
    grpc::CallbackServerContext* context, const v1::SearchFactsRequest* request,
    v1::SearchFactsResponse* response) {
  return Unary(context, "SearchFacts", Role::kReader, *request, response, [&] {
    return server::SearchFacts(*store_, *request, response);
  });
}

grpc::ServerUnaryReactor* CrosscheckService::CheckText(
    grpc::CallbackServerContext* context, const v1::CheckTextRequest* request,
    v1::CheckTextResponse* response) {
  return Unary(context, "CheckText", Role::kReader, *request, response, [&] {
    return server::CheckText(*store_, *request, limits_.document.max_text_bytes,
                             response);
  });
}

grpc::ServerUnaryReactor* CrosscheckService::ListSources(
    grpc::CallbackServerContext* context, const v1::ListSourcesRequest* request,
    v1::ListSourcesResponse* response) {
  return Unary(context, "ListSources", Role::kReader, *request, response, [&] {
    return server::ListSources(*store_, *request, response);
  });
}

grpc::ServerUnaryReactor* CrosscheckService::BackupStore(
    grpc::CallbackServerContext* context, const v1::BackupStoreRequest* request,
    v1::BackupStoreResponse* response) {
  return Unary(context, "BackupStore", Role::kAdmin, *request, response,
               [&]() -> absl::Status {
                 ASSIGN_OR_RETURN(uint64_t documents,
                                  store_->Checkpoint(request->directory()));
                 response->set_directory(request->directory());
                 response->set_documents(documents);
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* CrosscheckService::GetStats(
    grpc::CallbackServerContext* context, const v1::GetStatsRequest* request,
    v1::GetStatsResponse* response) {
  return Unary(context, "GetStats", Role::kAdmin, *request, response,
               [&]() -> absl::Status {
                 stats_.Fill(response);
                 response->set_store_bytes(store_->ApproximateSizeBytes());
                 uint64_t documents = 0;
                 RETURN_IF_ERROR(store_->NewView()->ForEachDocument(
                     [&](const v1::StoredDocument&) { ++documents; }));
                 response->set_documents(documents);
                 return absl::OkStatus();
               });
}

}  // namespace crosscheck::server
