#ifndef CROSSCHECK_SERVER_CROSSCHECK_SERVICE_H_
#define CROSSCHECK_SERVER_CROSSCHECK_SERVICE_H_

#include <atomic>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "claims/document_validator.h"
#include "protos/crosscheck/v1/crosscheck.grpc.pb.h"
#include "server/change_feed.h"
#include "server/request_stats.h"
#include "server/token_store.h"
#include "storage/claim_store.h"

namespace crosscheck::server {

struct ServiceLimits {
  claims::DocumentLimits document;
  // Streams (IngestDocuments, WatchFacts) open at once; more are refused
  // with RESOURCE_EXHAUSTED.
  int max_streams = 64;
  // Facts in one SearchFacts page at most.
  int max_page_size = 500;
  // Claims of recently written facts that ingest keeps in memory (see
  // FactCache); about a kilobyte each.
  int ingest_cache_claims = 50000;
  // Bytes of serialized GetFact answers kept (see FactResponseCache).
  int64_t fact_response_cache_bytes = 64 << 20;
};

// Parses a request gRPC handed over as bytes: INVALID_ARGUMENT, saying
// so, when they are not a `message`.
absl::Status ParseMessage(const grpc::ByteBuffer& buffer,
                          google::protobuf::Message* message);

// An answer serialized already, in pieces (GetFact's and SearchFacts', from
// FactResponseCache). Each kept answer goes into its own slice, which points
// into the answer instead of copying it and holds a reference to it until
// gRPC has sent it.
grpc::ByteBuffer ToByteBuffer(const MessagePieces& message);

// The Crosscheck gRPC service on the callback API: checks the caller's
// token and every request, extracts claims server side, and stores them
// through the ClaimStore it borrows. Readers may query, writers also ingest
// and delete. The store and the token store (null: no tokens needed) must
// outlive the service. Thread-safe.
// The generated service with every method taking its messages as bytes:
// the service parses them itself, so a request gRPC could not parse (a
// string field that is not UTF-8, bytes that are not protobuf) is answered
// INVALID_ARGUMENT with a message, where gRPC would answer UNIMPLEMENTED.
using RawCrosscheckService = v1::Crosscheck::WithRawCallbackMethod_IngestDocument<
    v1::Crosscheck::WithRawCallbackMethod_GetDocument<
        v1::Crosscheck::WithRawCallbackMethod_DeleteDocument<
            v1::Crosscheck::WithRawCallbackMethod_ExtractClaims<
                v1::Crosscheck::WithRawCallbackMethod_GetFact<
                    v1::Crosscheck::WithRawCallbackMethod_SearchFacts<
                        v1::Crosscheck::WithRawCallbackMethod_CheckText<
                            v1::Crosscheck::WithRawCallbackMethod_ListSources<
                                v1::Crosscheck::WithRawCallbackMethod_BackupStore<
                                    v1::Crosscheck::WithRawCallbackMethod_GetStats<
                                        v1::Crosscheck::
                                            WithRawCallbackMethod_IngestDocuments<
                                                v1::Crosscheck::
                                                    WithRawCallbackMethod_WatchFacts<
                                                        v1::Crosscheck::
                                                            Service>>>>>>>>>>>>;

class CrosscheckService final : public RawCrosscheckService {
 public:
  ~CrosscheckService();
  CrosscheckService(storage::ClaimStore* store, const ServiceLimits& limits,
                    const TokenStore* tokens = nullptr,
                    bool log_requests = false);

  grpc::ServerUnaryReactor* IngestDocument(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetDocument(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteDocument(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ExtractClaims(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetFact(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SearchFacts(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CheckText(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSources(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BackupStore(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetStats(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* IngestDocuments(
      grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchFacts(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

  // Streams open now.
  int open_streams() const { return open_streams_.load(); }

 private:
  class IngestStream;
  class WatchStream;
  class WorkPool;

  // Checks the caller's role and takes a stream slot: PERMISSION_DENIED,
  // UNAUTHENTICATED or RESOURCE_EXHAUSTED when it may not open a stream.
  // On OK the caller must call CloseStream once the stream is done.
  absl::Status OpenStream(grpc::CallbackServerContext* context, Role required);
  void CloseStream() { --open_streams_; }

  // Authorizes the call for `required`, parses the request, runs
  // `fn(const Request*, Response*)`, records and logs the call, and finishes
  // it with its status.
  template <typename Request, typename Response, typename Fn>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context,
                                  absl::string_view method, Role required,
                                  const grpc::ByteBuffer* raw_request,
                                  grpc::ByteBuffer* raw_response, Fn&& fn);
  // Checks a document (INVALID_ARGUMENT naming the problem) and extracts its
  // claims, without fact keys for dates and quotes.
  absl::StatusOr<std::vector<v1::Claim>> CheckAndExtract(
      const v1::Document& doc) const;
  absl::Status DoIngest(const v1::IngestDocumentRequest& request,
                        v1::IngestDocumentResponse* response);
  absl::Status DoGet(const v1::GetDocumentRequest& request,
                     v1::GetDocumentResponse* response);
  absl::Status DoDelete(const v1::DeleteDocumentRequest& request,
                        v1::DeleteDocumentResponse* response);
  absl::Status DoExtract(const v1::ExtractClaimsRequest& request,
                         v1::ExtractClaimsResponse* response);

  storage::ClaimStore* store_;
  ServiceLimits limits_;
  const TokenStore* tokens_;
  RequestStats stats_;
  // Ingest and delete hold the lock of every story they write: a story's
  // date and quote fact keys depend on the claims already stored in it,
  // and its cached facts must stay what the store holds. Stories hash onto
  // stripes, so that writes to different stories run at once.
  struct IngestStripe {
    explicit IngestStripe(size_t max_claims) : cache(max_claims) {}
    absl::Mutex mu;
    FactCache cache;  // Guarded by mu.
  };
  IngestStripe& StripeOf(const std::string& story_id);
  absl::Status IngestLocked(const v1::Document& doc,
                            std::vector<v1::Claim> found,
                            const storage::ClaimStore::View& view,
                            const absl::StatusOr<v1::StoredDocument>& old,
                            v1::IngestDocumentResponse* response);
  absl::Status DeleteLocked(const v1::StoredDocument& old,
                            const storage::ClaimStore::View& view,
                            v1::DeleteDocumentResponse* response);
  static constexpr int kIngestStripes = 64;
  std::vector<std::unique_ptr<IngestStripe>> stripes_;
  FactResponseCache responses_;
  ChangeFeed feed_;
  std::atomic<int> open_streams_{0};
  // Runs the documents of IngestDocuments streams: gRPC runs reactions on
  // a few threads of its own, which should not be held by a document's
  // extraction and storing (milliseconds each). Declared last: destroyed
  // first, after it has run everything queued.
  std::unique_ptr<WorkPool> ingest_pool_;
};

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_CROSSCHECK_SERVICE_H_
