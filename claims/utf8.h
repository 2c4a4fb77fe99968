#ifndef CROSSCHECK_CLAIMS_UTF8_H_
#define CROSSCHECK_CLAIMS_UTF8_H_

#include <cstddef>
#include <optional>

#include "absl/strings/string_view.h"

namespace crosscheck::claims {

// Returns the byte offset of the first byte that does not start or continue
// a well-formed UTF-8 sequence (overlongs, surrogates and code points above
// U+10FFFF are ill-formed), or nullopt when `text` is valid UTF-8.
std::optional<size_t> FindInvalidUtf8(absl::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not cut a
// UTF-8 character in two.
absl::string_view Utf8Prefix(absl::string_view text, size_t max_bytes);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_UTF8_H_
