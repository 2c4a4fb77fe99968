#include "server/crosscheck_service.h"

#include <deque>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "claims/extractor.h"
#include "claims/fact_grouper.h"
#include "claims/publication_date.h"
#include "common/status_macros.h"
#include "server/fact_queries.h"
#include "server/grpc_status.h"

namespace crosscheck::server {
namespace {

// Locks two ingest stripes (one, when they are the same) in address order,
// so that two writers never wait on each other's second lock.
class StripeLocks {
 public:
  template <typename Stripe>
  StripeLocks(Stripe* a, Stripe* b)
      : first_(&(std::less<Stripe*>()(a, b) ? a : b)->mu),
        second_(&(std::less<Stripe*>()(a, b) ? b : a)->mu) {
    first_->Lock();
    if (second_ != first_) second_->Lock();
  }
  ~StripeLocks() {
    if (second_ != first_) second_->Unlock();
    first_->Unlock();
  }
  StripeLocks(const StripeLocks&) = delete;
  StripeLocks& operator=(const StripeLocks&) = delete;
  template <typename Stripe>
  bool Holds(Stripe* stripe) const {
    return &stripe->mu == first_ || &stripe->mu == second_;
  }

 private:
  absl::Mutex* first_;
  absl::Mutex* second_;
};

}  // namespace

// A fixed set of threads running queued tasks in order of arrival. The
// destructor runs what is queued, then joins the threads.
class CrosscheckService::WorkPool {
 public:
  explicit WorkPool(int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Run(); });
    }
  }
  ~WorkPool() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (std::thread& t : threads_) t.join();
  }
  void Post(std::function<void()> task) {
    absl::MutexLock lock(&mu_);
    tasks_.push_back(std::move(task));
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> task;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](WorkPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
              return p->stopping_ || !p->tasks_.empty();
            },
            this));
        if (tasks_.empty()) return;  // Stopping, and nothing left.
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

namespace {

absl::Status CheckId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("document id is empty");
  if (id.size() > 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "document id is ", id.size(), " bytes, over the limit of 256"));
  }
  return absl::OkStatus();
}

// The process's resident set size (VmRSS in /proc/self/status), or 0.
uint64_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, "VmRSS:")) {
      uint64_t kb = 0;
      std::istringstream(line.substr(6)) >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace

absl::Status ParseMessage(const grpc::ByteBuffer& buffer,
                          google::protobuf::Message* message) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer.Dump(&slices).ok()) {
    bytes.reserve(buffer.Length());
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (!message->ParseFromString(bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request is not a valid ", message->GetTypeName(),
        ": a string field holds bytes that are not UTF-8, or the bytes are not "
        "a protobuf message"));
  }
  return absl::OkStatus();
}

namespace {

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

grpc::ByteBuffer ToByteBuffer(const MessagePieces& message) {
  std::vector<grpc::Slice> slices;
  slices.reserve(2 * message.pieces.size());
  for (const MessagePieces::Piece& piece : message.pieces) {
    if (!piece.head.empty()) slices.emplace_back(piece.head);
    if (piece.body == nullptr || piece.body->empty()) continue;
    auto* held = new std::shared_ptr<const std::string>(piece.body);
    slices.emplace_back(
        const_cast<char*>((*held)->data()), (*held)->size(),
        [](void* p) {
          delete static_cast<std::shared_ptr<const std::string>*>(p);
        },
        held);
  }
  return grpc::ByteBuffer(slices.data(), slices.size());
}

template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* CrosscheckService::Unary(
    grpc::CallbackServerContext* context, absl::string_view method,
    Role required, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response, Fn&& fn) {
  const absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Request request;
  Response response;
  absl::Status status;
  if (context->IsCancelled()) {
    status = absl::CancelledError("the call was cancelled before it ran");
  } else {
    status = Authorize(tokens_, context->client_metadata(), required);
    if (status.ok()) status = ParseMessage(*raw_request, &request);
    if (status.ok()) status = fn(&request, &response);
  }
  size_t response_bytes = 0;
  if (status.ok()) {
    *raw_response = ToByteBuffer(response);
    response_bytes = raw_response->Length();
  }
  stats_.Record(method, status, absl::Now() - start, raw_request->Length(),
                response_bytes);
  reactor->Finish(ToGrpc(status));
  return reactor;
}

CrosscheckService::CrosscheckService(storage::ClaimStore* store,
                                     const ServiceLimits& limits,
                                     const TokenStore* tokens,
                                     bool log_requests)
    : store_(store),
      limits_(limits),
      tokens_(tokens),
      stats_(log_requests),
      responses_(static_cast<size_t>(limits.fact_response_cache_bytes)) {
  ingest_pool_ = std::make_unique<WorkPool>(
      std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  stripes_.reserve(kIngestStripes);
  for (int i = 0; i < kIngestStripes; ++i) {
    stripes_.push_back(std::make_unique<IngestStripe>(
        static_cast<size_t>(limits.ingest_cache_claims) / kIngestStripes));
  }
}

CrosscheckService::~CrosscheckService() = default;

CrosscheckService::IngestStripe& CrosscheckService::StripeOf(
    const std::string& story_id) {
  return *stripes_[absl::HashOf(story_id) % stripes_.size()];
}

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
  // A stored version of the document may be in another story, which the
  // write changes too; which one is known only by reading it. So: read,
  // lock both stories, read again under the locks, and start over in the
  // rare case that it moved in between.
  std::string guess;
  if (auto peek = store_->GetDocument(doc.id()); peek.ok()) {
    guess = peek->document().story_id();
  } else if (!absl::IsNotFound(peek.status())) {
    return peek.status();
  }
  while (true) {
    // A new document (no guess) locks its own story only.
    StripeLocks lock(&StripeOf(doc.story_id()),
                     &StripeOf(guess.empty() ? doc.story_id() : guess));
    auto view = store_->NewView();
    auto old = view->GetDocument(doc.id());
    if (!old.ok() && !absl::IsNotFound(old.status())) return old.status();
    if (old.ok() && !lock.Holds(&StripeOf(old->document().story_id()))) {
      guess = old->document().story_id();
      continue;
    }
    return IngestLocked(doc, std::move(found), *view, old, response);
  }
}

absl::Status CrosscheckService::IngestLocked(
    const v1::Document& doc, std::vector<v1::Claim> found,
    const storage::ClaimStore::View& view,
    const absl::StatusOr<v1::StoredDocument>& old,
    v1::IngestDocumentResponse* response) {
  if (old.ok() &&
      old->content_hash() == storage::ClaimStore::ContentHash(doc)) {
    response->set_id(doc.id());
    response->set_version(old->version());
    response->set_outcome(v1::INGEST_OUTCOME_UNCHANGED);
    response->set_claim_count(old->claim_count());
    return absl::OkStatus();
  }
  FactCache* new_cache = &StripeOf(doc.story_id()).cache;
  // Group this document's dates and quotes with the story's stored facts.
  claims::FactGrouper grouper;
  RETURN_IF_ERROR(
      PrimeGrouper(view, doc.story_id(), doc.id(), &grouper, new_cache));
  for (v1::Claim& claim : found) grouper.Assign(&claim);

  // What the write changes on each fact it touches, logged with it.
  std::string old_story;
  std::vector<v1::Claim> old_claims;
  if (old.ok()) {
    old_story = old->document().story_id();
    ASSIGN_OR_RETURN(old_claims, store_->GetClaims(doc.id()));
  }
  FactCache* old_cache = old.ok() ? &StripeOf(old_story).cache : new_cache;
  std::vector<FactAfter> after;
  ASSIGN_OR_RETURN(
      std::vector<v1::FactChange> changes,
      DiffFacts(view, doc.id(), doc.source(), old_story, old_claims,
                doc.story_id(), found, old_cache, new_cache, &after));

  auto stored = store_->PutDocument(doc, found, &changes);
  // The caches follow the store: the facts as written, or none of them
  // when the write did not happen.
  for (FactAfter& fact : after) {
    responses_.Invalidate(fact.id);
    FactCache* cache =
        fact.id.story_id == doc.story_id() ? new_cache : old_cache;
    if (stored.ok() && stored->outcome != v1::INGEST_OUTCOME_UNCHANGED) {
      cache->NoteWritten(fact.id, !fact.entry.claims.empty());
      cache->Put(fact.id, std::move(fact.entry));
    } else {
      cache->Erase(fact.id);
      cache->EraseGroupedKeys(fact.id.story_id);
    }
  }
  ASSIGN_OR_RETURN(storage::ClaimStore::PutResult result, std::move(stored));
  if (!changes.empty()) feed_.Notify();
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
  // As in DoIngest: read the story, lock it, read again under the lock.
  ASSIGN_OR_RETURN(v1::StoredDocument peek, store_->GetDocument(request.id()));
  std::string story = peek.document().story_id();
  while (true) {
    StripeLocks lock(&StripeOf(story), &StripeOf(story));
    auto view = store_->NewView();
    ASSIGN_OR_RETURN(v1::StoredDocument old, view->GetDocument(request.id()));
    if (!lock.Holds(&StripeOf(old.document().story_id()))) {
      story = old.document().story_id();
      continue;
    }
    return DeleteLocked(old, *view, response);
  }
}

absl::Status CrosscheckService::DeleteLocked(
    const v1::StoredDocument& old, const storage::ClaimStore::View& view,
    v1::DeleteDocumentResponse* response) {
  const std::string& id = old.document().id();
  FactCache* cache = &StripeOf(old.document().story_id()).cache;
  ASSIGN_OR_RETURN(std::vector<v1::Claim> old_claims, store_->GetClaims(id));
  std::vector<FactAfter> after;
  ASSIGN_OR_RETURN(
      std::vector<v1::FactChange> changes,
      DiffFacts(view, id, old.document().source(), old.document().story_id(),
                old_claims, "", {}, cache, cache, &after));
  auto deleted_or = store_->DeleteDocument(id, &changes);
  for (FactAfter& fact : after) {
    responses_.Invalidate(fact.id);
    if (deleted_or.ok()) {
      cache->NoteWritten(fact.id, !fact.entry.claims.empty());
      cache->Put(fact.id, std::move(fact.entry));
    } else {
      cache->Erase(fact.id);
      cache->EraseGroupedKeys(fact.id.story_id);
    }
  }
  ASSIGN_OR_RETURN(uint32_t deleted, std::move(deleted_or));
  if (!changes.empty()) feed_.Notify();
  response->set_id(id);
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
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::IngestDocumentRequest, v1::IngestDocumentResponse>(
      context, "IngestDocument", Role::kWriter, raw_request, raw_response,
      [&](const v1::IngestDocumentRequest* request,
          v1::IngestDocumentResponse* response) {
        return DoIngest(*request, response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::GetDocument(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::GetDocumentRequest, v1::GetDocumentResponse>(
      context, "GetDocument", Role::kReader, raw_request, raw_response,
      [&](const v1::GetDocumentRequest* request,
          v1::GetDocumentResponse* response) {
        return DoGet(*request, response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::DeleteDocument(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::DeleteDocumentRequest, v1::DeleteDocumentResponse>(
      context, "DeleteDocument", Role::kWriter, raw_request, raw_response,
      [&](const v1::DeleteDocumentRequest* request,
          v1::DeleteDocumentResponse* response) {
        return DoDelete(*request, response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::ExtractClaims(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::ExtractClaimsRequest, v1::ExtractClaimsResponse>(
      context, "ExtractClaims", Role::kReader, raw_request, raw_response,
      [&](const v1::ExtractClaimsRequest* request,
          v1::ExtractClaimsResponse* response) {
        return DoExtract(*request, response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::GetFact(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::GetFactRequest, MessagePieces>(
      context, "GetFact", Role::kReader, raw_request, raw_response,
      [&](const v1::GetFactRequest* request,
          MessagePieces* response) -> absl::Status {
        ASSIGN_OR_RETURN(
            std::shared_ptr<const std::string> bytes,
            GetFactAnswer(*store_, {request->story_id(), request->fact_key()},
                          &responses_));
        response->pieces.push_back({"", std::move(bytes)});
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CrosscheckService::SearchFacts(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::SearchFactsRequest, MessagePieces>(
      context, "SearchFacts", Role::kReader, raw_request, raw_response,
      [&](const v1::SearchFactsRequest* request,
          MessagePieces* response) -> absl::Status {
        return server::SearchFacts(
            *store_, *request, limits_.max_page_size,
            [context] { return context->IsCancelled(); }, &responses_,
            response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::CheckText(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::CheckTextRequest, v1::CheckTextResponse>(
      context, "CheckText", Role::kReader, raw_request, raw_response,
      [&](const v1::CheckTextRequest* request,
          v1::CheckTextResponse* response) {
        return server::CheckText(*store_, *request,
                                 limits_.document.max_text_bytes, response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::ListSources(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::ListSourcesRequest, v1::ListSourcesResponse>(
      context, "ListSources", Role::kReader, raw_request, raw_response,
      [&](const v1::ListSourcesRequest* request,
          v1::ListSourcesResponse* response) {
        return server::ListSources(
            *store_, *request, [context] { return context->IsCancelled(); },
            response);
      });
}

grpc::ServerUnaryReactor* CrosscheckService::BackupStore(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::BackupStoreRequest, v1::BackupStoreResponse>(
      context, "BackupStore", Role::kAdmin, raw_request, raw_response,
      [&](const v1::BackupStoreRequest* request,
          v1::BackupStoreResponse* response) -> absl::Status {
        ASSIGN_OR_RETURN(uint64_t documents,
                         store_->Checkpoint(request->directory()));
        response->set_directory(request->directory());
        response->set_documents(documents);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* CrosscheckService::GetStats(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* raw_request,
    grpc::ByteBuffer* raw_response) {
  return Unary<v1::GetStatsRequest, v1::GetStatsResponse>(
      context, "GetStats", Role::kAdmin, raw_request, raw_response,
      [&](const v1::GetStatsRequest*,
          v1::GetStatsResponse* response) -> absl::Status {
        stats_.Fill(response);
        response->set_store_bytes(store_->ApproximateSizeBytes());
        response->set_last_change_position(store_->LastChangePosition());
        response->set_open_streams(open_streams_.load());
        response->set_resident_bytes(ResidentBytes());
        response->set_documents(store_->DocumentCount());
        return absl::OkStatus();
      });
}

absl::Status CrosscheckService::OpenStream(grpc::CallbackServerContext* context,
                                           Role required) {
  RETURN_IF_ERROR(Authorize(tokens_, context->client_metadata(), required));
  if (++open_streams_ > limits_.max_streams) {
    --open_streams_;
    return absl::ResourceExhaustedError(
        absl::StrCat("too many open streams (the limit is ",
                     limits_.max_streams, "); retry later"));
  }
  return absl::OkStatus();
}

// One IngestDocuments stream. Documents are stored one at a time, in the
// order they came, by one task of the service's pool at a time, and each is
// answered in that order. While one is stored the stream already reads the
// next: the pool's thread goes on to it without waiting for gRPC, and a
// thread that would sleep between documents is not woken for each. At most
// kWindow documents are held (read and not yet answered), so a client that
// writes faster than the server stores is still held back by gRPC flow
// control.
class CrosscheckService::IngestStream
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  IngestStream(CrosscheckService* service, grpc::CallbackServerContext* context)
      : service_(service), start_(absl::Now()) {
    absl::Status status = service_->OpenStream(context, Role::kWriter);
    if (!status.ok()) {
      service_->stats_.Record("IngestDocuments", status, absl::Now() - start_,
                              0, 0);
      Finish(ToGrpc(status));
      return;
    }
    opened_ = true;
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
    }
    StartRead(&read_buffer_);
  }

  void OnReadDone(bool ok) override {
    bool post = false;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        // The client has sent its last document, or went away.
        read_closed_ = true;
      } else if (!failed_) {
        request_bytes_ += read_buffer_.Length();
        // ByteBuffer has no move: swapping hands the slices over.
        inbox_.emplace_back();
        inbox_.back().Swap(&read_buffer_);
        ++held_;
        if (!ingesting_) post = ingesting_ = true;
      }
    }
    if (post) service_->ingest_pool_->Post([this] { Drain(); });
    Next();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      --held_;
      if (!ok && !failed_) {
        failed_ = true;
        status_ = absl::CancelledError("the client stopped reading answers");
      }
    }
    Next();
  }

  void OnDone() override {
    if (opened_) service_->CloseStream();
    delete this;
  }

 private:
  // Documents read and not yet answered, at most.
  static constexpr int kWindow = 4;

  // Runs on the pool: stores the documents read so far, one after another,
  // until none is waiting.
  void Drain() {
    while (true) {
      grpc::ByteBuffer raw;
      uint64_t sequence;
      {
        absl::MutexLock lock(&mu_);
        if (inbox_.empty() || failed_) {
          ingesting_ = false;
          held_ -= static_cast<int>(inbox_.size());
          inbox_.clear();
          break;
        }
        raw.Swap(&inbox_.front());
        inbox_.pop_front();
        sequence = ++sequence_;
      }
      grpc::ByteBuffer answer = Ingest(raw, sequence);
      {
        absl::MutexLock lock(&mu_);
        response_bytes_ += answer.Length();
        outbox_.emplace_back();
        outbox_.back().Swap(&answer);
      }
      Next();
    }
    Next();
  }

  // Stores one document and returns its answer.
  grpc::ByteBuffer Ingest(const grpc::ByteBuffer& raw, uint64_t sequence) {
    response_.Clear();
    response_.set_sequence(sequence);
    v1::IngestDocumentResponse stored;
    request_.Clear();
    absl::Status status = ParseMessage(raw, &request_);
    if (status.ok()) {
      status = service_->DoIngest(request_, &stored);
    } else {
      request_.Clear();  // What did parse may hold the bytes that did not.
    }
    if (status.ok()) {
      response_.set_id(stored.id());
      response_.set_version(stored.version());
      response_.set_outcome(stored.outcome());
      response_.set_claim_count(stored.claim_count());
    } else {
      response_.set_id(request_.document().id());
      response_.set_error_code(static_cast<int>(status.code()));
      response_.set_error_message(std::string(status.message()));
    }
    return ToByteBuffer(response_);
  }

  // Starts what the stream's state allows: the next read, the next write,
  // or, once nothing is left to do, the end of the call. Operations are
  // started outside the lock.
  void Next() {
    bool read = false, write = false, finish = false;
    absl::Status status;
    {
      absl::MutexLock lock(&mu_);
      if (!writing_ && !outbox_.empty() && !failed_) {
        writing_ = write = true;
        write_buffer_.Swap(&outbox_.front());
        outbox_.pop_front();
      }
      if (!reading_ && !read_closed_ && !failed_ && held_ < kWindow) {
        reading_ = read = true;
      }
      // A read may still be outstanding at the end: it completes with
      // !ok once the call is finished.
      const bool done = (read_closed_ || failed_) && !ingesting_ && !writing_ &&
                        (outbox_.empty() || failed_);
      if (done && !finished_) {
        finished_ = finish = true;
        status = status_;
        service_->stats_.Record("IngestDocuments", status, absl::Now() - start_,
                                request_bytes_, response_bytes_);
      }
    }
    if (write) StartWrite(&write_buffer_);
    if (read) StartRead(&read_buffer_);
    if (finish) Finish(ToGrpc(status));
  }

  CrosscheckService* service_;
  const absl::Time start_;
  bool opened_ = false;
  // Used by the pool's task only.
  v1::IngestDocumentRequest request_;
  v1::IngestDocumentsResponse response_;

  absl::Mutex mu_;
  // The read in progress fills read_buffer_; the write in progress sends
  // write_buffer_.
  grpc::ByteBuffer read_buffer_;
  grpc::ByteBuffer write_buffer_;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool ingesting_ ABSL_GUARDED_BY(mu_) = false;
  bool read_closed_ ABSL_GUARDED_BY(mu_) = false;
  bool failed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::deque<grpc::ByteBuffer> inbox_ ABSL_GUARDED_BY(mu_);
  std::deque<grpc::ByteBuffer> outbox_ ABSL_GUARDED_BY(mu_);
  int held_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t sequence_ ABSL_GUARDED_BY(mu_) = 0;
  size_t request_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  size_t response_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
CrosscheckService::IngestDocuments(grpc::CallbackServerContext* context) {
  return new IngestStream(this, context);
}

// One WatchFacts stream: sends the change log from its position on, one
// change at a time, and waits on the feed when it has caught up.
class CrosscheckService::WatchStream
    : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
      public ChangeFeed::Listener {
 public:
  WatchStream(CrosscheckService* service, grpc::CallbackServerContext* context,
              const grpc::ByteBuffer& raw_request)
      : service_(service), start_(absl::Now()) {
    absl::Status status = ParseMessage(raw_request, &request_);
    absl::StatusOr<uint64_t> start = 0;
    if (status.ok()) {
      start = StartPosition();
      status = start.status();
    }
    if (status.ok()) status = service_->OpenStream(context, Role::kReader);
    if (!status.ok()) {
      service_->stats_.Record("WatchFacts", status, absl::Now() - start_,
                              raw_request.Length(), 0);
      Finish(ToGrpc(status));
      return;
    }
    opened_ = true;
    {
      absl::MutexLock lock(&mu_);
      position_ = *start;
    }
    service_->feed_.Subscribe(this);
    Pump();
  }

  void OnNewChanges() override { Pump(); }

  void OnWriteDone(bool ok) override {
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok || cancelled_) finish = !finished_;
      if (finish) finished_ = true;
    }
    if (finish) {
      End(absl::CancelledError("the watcher went away"));
      return;
    }
    Pump();
  }

  void OnCancel() override {
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
      if (!writing_ && !finished_) finish = finished_ = true;
    }
    if (finish) End(absl::CancelledError("the watcher went away"));
  }

  void OnDone() override {
    if (opened_) {
      service_->feed_.Unsubscribe(this);
      service_->CloseStream();
    }
    delete this;
  }

 private:
  // Checks the request; returns the position to send changes after.
  absl::StatusOr<uint64_t> StartPosition() const {
    const uint64_t last = service_->store_->LastChangePosition();
    uint64_t position = 0;
    if (!request_.after_position().empty()) {
      if (request_.from_start()) {
        return absl::InvalidArgumentError(
            "give after_position or from_start, not both");
      }
      if (!absl::SimpleAtoi(request_.after_position(), &position)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "after_position '", request_.after_position().substr(0, 40),
            "' is not a position from a FactChange"));
      }
      if (position > last) {
        return absl::OutOfRangeError(absl::StrCat(
            "after_position ", position, " is past the newest change (", last,
            "); was the store restored from an older backup?"));
      }
    } else {
      position = request_.from_start() ? 0 : last;
    }
    if (request_.story_id().size() > 256) {
      return absl::InvalidArgumentError("story_id is over 256 bytes");
    }
    if (!v1::ClaimKind_IsValid(request_.kind())) {
      return absl::InvalidArgumentError(
          absl::StrCat("kind ", request_.kind(), " is not a claim kind"));
    }
    return position;
  }

  bool Wanted(const v1::FactChange& change) const {
    return (request_.story_id().empty() ||
            change.story_id() == request_.story_id()) &&
           (request_.kind() == v1::CLAIM_KIND_UNSPECIFIED ||
            change.claim_kind() == request_.kind());
  }

  // Starts the next write when none is in flight and a change is waiting.
  void Pump() {
    absl::Status error;
    {
      absl::MutexLock lock(&mu_);
      if (writing_ || finished_ || cancelled_) return;
      while (pending_.empty()) {
        auto batch = service_->store_->ReadChanges(position_, 256);
        if (!batch.ok()) {
          error = batch.status();
          break;
        }
        if (batch->empty()) return;  // Caught up: the feed wakes us.
        for (v1::FactChange& change : *batch) {
          uint64_t position = 0;
          if (!absl::SimpleAtoi(change.position(), &position)) continue;
          position_ = position;
          if (Wanted(change)) pending_.push_back(std::move(change));
        }
      }
      if (error.ok()) {
        current_ = ToByteBuffer(pending_.front());
        pending_.pop_front();
        writing_ = true;
        sent_bytes_ += current_.Length();
      } else {
        finished_ = true;
      }
    }
    if (!error.ok()) {
      End(error);
      return;
    }
    StartWrite(&current_);
  }

  // Records the stream and finishes it; called without mu_ held.
  void End(const absl::Status& status) {
    size_t sent = 0;
    {
      absl::MutexLock lock(&mu_);
      sent = sent_bytes_;
    }
    service_->stats_.Record("WatchFacts", status, absl::Now() - start_,
                            request_.ByteSizeLong(), sent);
    Finish(ToGrpc(status));
  }

  CrosscheckService* service_;
  const absl::Time start_;
  v1::WatchFactsRequest request_;
  bool opened_ = false;
  absl::Mutex mu_;
  uint64_t position_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<v1::FactChange> pending_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer current_;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  size_t sent_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

grpc::ServerWriteReactor<grpc::ByteBuffer>* CrosscheckService::WatchFacts(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new WatchStream(this, context, *request);
}

}  // namespace crosscheck::server
