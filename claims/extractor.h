#ifndef CROSSCHECK_CLAIMS_EXTRACTOR_H_
#define CROSSCHECK_CLAIMS_EXTRACTOR_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// One document to extract from. Views must outlive the call.
struct ExtractInput {
  absl::string_view document_id;
  absl::string_view source;
  absl::string_view text;
  absl::CivilDay published;
};

struct ExtractOptions {
  // Also report every number and quantity that makes no claim (bare numbers
  // become quantities without a predicate), to score the normaliser.
  bool mentions = false;
  // Texts above this size are refused, not truncated.
  size_t max_text_bytes = 64 << 20;
};

// Extracts the checkable claims of a document: casualty figures, quantities
// with units, dates and quotes, normalised, in text order. Claim ids are
// "<document id>#<n>", stable for one text. Casualty and quantity claims get
// their fact key; dates and quotes get theirs from a FactGrouper, which sees
// the other documents of the story.
//
// Pure: no I/O, thread-safe. Fails with INVALID_ARGUMENT when the text is
// not UTF-8 or is over the size limit.
absl::StatusOr<std::vector<v1::Claim>> ExtractClaims(
    const ExtractInput& input, const ExtractOptions& options = {});

// ExtractClaims into `claims`, replacing what it held. The messages it held
// are cleared and filled again, keeping the memory of their strings: a
// caller that extracts document after document into one field (the command
// line over many files, a benchmark) allocates little after the first.
absl::Status ExtractClaimsInto(
    const ExtractInput& input, const ExtractOptions& options,
    google::protobuf::RepeatedPtrField<v1::Claim>* claims);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_EXTRACTOR_H_
