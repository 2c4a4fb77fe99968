#ifndef CROSSCHECK_SERVER_PAGE_TOKEN_H_
#define CROSSCHECK_SERVER_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/claim_store.h"

namespace crosscheck::server {

// SearchFacts page tokens: opaque to clients, they hold the last fact a
// page returned (pages continue after it in key order, so a fact present
// throughout a paged read is returned exactly once whatever is written
// meanwhile) and a fingerprint of the query's filters, so a token cannot be
// reused with different filters.
std::string EncodePageToken(const storage::ClaimStore::FactId& last,
                            absl::string_view query_fingerprint);

// INVALID_ARGUMENT for a token this server did not issue or one issued for
// other filters.
absl::StatusOr<storage::ClaimStore::FactId> DecodePageToken(
    absl::string_view token, absl::string_view query_fingerprint);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_PAGE_TOKEN_H_
