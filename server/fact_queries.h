#ifndef CROSSCHECK_SERVER_FACT_QUERIES_H_
#define CROSSCHECK_SERVER_FACT_QUERIES_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "claims/fact_grouper.h"
#include "protos/crosscheck/v1/crosscheck.pb.h"
#include "server/change_feed.h"
#include "storage/claim_store.h"

namespace crosscheck::server {

// The largest SearchFacts page; larger requests are served this many.
// The largest page a search serves unless the server says otherwise
// (crosscheckd --max_page_size), and the page of a request that names none.
inline constexpr int kMaxPageSize = 500;
inline constexpr int kDefaultPageSize = 50;

// Makes the stored dates and quotes of a story known to `grouper`, leaving
// out the claims of `exclude_document` (a document being replaced). Facts
// `cache` (may be null) holds are read from it rather than the store.
absl::Status PrimeGrouper(const storage::ClaimStore::View& view,
                          const std::string& story_id,
                          const std::string& exclude_document,
                          claims::FactGrouper* grouper,
                          FactCache* cache = nullptr);

// One fact's comparison; NOT_FOUND when no claim has the key.
absl::StatusOr<v1::FactComparison> LoadFact(
    const storage::ClaimStore::View& view, const std::string& story_id,
    const std::string& fact_key);

// The bytes of GetFact's answer: LoadFact's comparison with its claims
// written from their stored bytes rather than serialized again (it parses
// to LoadFact's message). With `fact`, also the comparison without the
// claims of its groups. NOT_FOUND when no claim has the key.
absl::StatusOr<std::string> LoadFactAnswer(
    const storage::ClaimStore::View& view, const std::string& story_id,
    const std::string& fact_key, v1::FactComparison* fact = nullptr);

// GetFact's answer: the one `answers` keeps for the fact, or else
// LoadFactAnswer's on a view of `store`, then kept unless a write
// overtook the read. INVALID_ARGUMENT for an empty fact key, NOT_FOUND
// when no claim has the key.
absl::StatusOr<std::shared_ptr<const std::string>> GetFactAnswer(
    const storage::ClaimStore& store, const storage::ClaimStore::FactId& id,
    FactResponseCache* answers);

// Whether the call has been cancelled (its deadline passed, or the client
// went away): scans ask between facts and stop with CANCELLED.
using CancelCheck = std::function<bool()>;

// One page of facts matching the request's filters, as the bytes of a
// SearchFactsResponse. The facts are listed from one snapshot; each fact's
// comparison comes from `answers` (GetFact's kept answers; may be null)
// when it holds it, the answer GetFact would give now, and is otherwise
// read from the snapshot and kept there. Pages hold at most
// `max_page_size` facts (a larger page_size is served as that many).
absl::Status SearchFacts(const storage::ClaimStore& store,
                         const v1::SearchFactsRequest& request,
                         int max_page_size, const CancelCheck& cancelled,
                         FactResponseCache* answers, MessagePieces* response);

// The draft's claims, each with the stored sources that agree and disagree.
absl::Status CheckText(const storage::ClaimStore& store,
                       const v1::CheckTextRequest& request,
                       size_t max_text_bytes, v1::CheckTextResponse* response);

absl::Status ListSources(const storage::ClaimStore& store,
                         const v1::ListSourcesRequest& request,
                         const CancelCheck& cancelled,
                         v1::ListSourcesResponse* response);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_FACT_QUERIES_H_
