#ifndef CROSSCHECK_CLAIMS_DOCUMENT_VALIDATOR_H_
#define CROSSCHECK_CLAIMS_DOCUMENT_VALIDATOR_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "protos/crosscheck/v1/documents.pb.h"

namespace crosscheck::claims {

struct DocumentLimits {
  size_t max_text_bytes = 4 << 20;
  size_t max_id_bytes = 256;
  size_t max_field_bytes = 4096;
};

// Checks everything about a document a caller can get wrong, and says what:
// an empty or oversized id, control characters in the id, a missing source,
// text that is not UTF-8 (with the byte offset), text over the limit, a
// publication time that does not parse. Returns INVALID_ARGUMENT.
absl::Status ValidateDocument(const v1::Document& doc,
                              const DocumentLimits& limits);

// Checks that `text` is UTF-8 and within `max_bytes`; `what` names it in the
// message ("document 'x': text").
absl::Status ValidateText(absl::string_view what, absl::string_view text,
                          size_t max_bytes);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_DOCUMENT_VALIDATOR_H_
