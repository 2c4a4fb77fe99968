#ifndef CROSSCHECK_CLAIMS_CLAIM_READER_H_
#define CROSSCHECK_CLAIMS_CLAIM_READER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// Reads a serialized v1::Claim for a comparison (CompareFact,
// CompareFactWithoutClaims), the work of every first read of a fact: only
// the fields a comparison reads are set (source, kind, predicate,
// subject, location, number, date, quote, sentence, published,
// event_class). The others (id, document_id, span, fact_key, attribution,
// context_words) and unknown fields are skipped unread, and strings are
// not checked for UTF-8 again: the bytes must be a claim protobuf
// serialized, whose strings were checked then, as the store's are.
// Protobuf's parser does both, and sets a string for every word of
// context_words. Fields may come in any order; of a field given twice the
// last wins and messages merge, as protobuf's parser does. `*claim` is
// cleared first. Returns false when `bytes` is not protobuf's wire format.
bool ReadClaimToCompare(absl::string_view bytes, v1::Claim* claim);

// Reads each of `claim_bytes` with ReadClaimToCompare into `*claims`, by
// the same index; messages already in `*claims` are read into again, and
// keep the memory of their strings. False when one is not protobuf's wire
// format.
bool ReadClaimsToCompare(const std::vector<std::string>& claim_bytes,
                         std::vector<v1::Claim>* claims);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_CLAIM_READER_H_
