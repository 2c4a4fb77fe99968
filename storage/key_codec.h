#ifndef CROSSCHECK_STORAGE_KEY_CODEC_H_
#define CROSSCHECK_STORAGE_KEY_CODEC_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace crosscheck::storage {

// Row keys of the store. Parts are joined by a NUL byte, which document
// ids, story ids and fact keys never contain (the validator refuses it), so
// a part followed by NUL is an unambiguous prefix. Integers are big-endian so
// that byte order is numeric order.
inline constexpr char kKeySeparator = '\0';

// claims: <doc id> NUL <index:4>
std::string ClaimKey(absl::string_view doc_id, uint32_t index);
std::string ClaimPrefix(absl::string_view doc_id);

// The value of a claims row whose claim is kept in its fact row (schema 3
// on): NUL, then FactPrefix(story, fact key). The fact row's key is that
// prefix followed by the claims row's key. A serialized Claim never starts
// with NUL (no field has number 0), so a reference can't be mistaken for a
// claim kept in place (the claims of no fact).
std::string ClaimReference(absl::string_view story_id,
                           absl::string_view fact_key);
// True when `value` is a claim reference; `fact_prefix` then views its
// FactPrefix.
bool DecodeClaimReference(absl::string_view value,
                          absl::string_view* fact_prefix);

// facts: <story id> NUL <fact key> NUL <doc id> NUL <index:4>, that is
// FactPrefix(story, fact key) followed by ClaimKey(doc id, index).
std::string FactRowKey(absl::string_view story_id, absl::string_view fact_key,
                       absl::string_view doc_id, uint32_t index);
std::string FactPrefix(absl::string_view story_id, absl::string_view fact_key);
std::string StoryPrefix(absl::string_view story_id);

// stories: <story id> NUL <doc id> -> StoryRowValue: the documents of a
// story, each with what ListSources counts, without reading the text.
std::string StoryRowKey(absl::string_view story_id, absl::string_view doc_id);
// <claim count:4> <source>.
std::string StoryRowValue(uint32_t claim_count, absl::string_view source);
struct StoryRow {
  absl::string_view story_id;
  absl::string_view doc_id;
  absl::string_view source;
  uint32_t claim_count = 0;
};
// Returns false when `key` and `value` are not a story row. `row` views
// them.
bool DecodeStoryRow(absl::string_view key, absl::string_view value,
                    StoryRow* row);

// The parts of a fact row key, viewing the key they were decoded from.
struct FactRow {
  absl::string_view story_id;
  absl::string_view fact_key;
  absl::string_view doc_id;
  uint32_t index = 0;
};
// Returns false when `key` is not a fact row key. `row` views `key`.
bool DecodeFactRowKey(absl::string_view key, FactRow* row);

void AppendBigEndian32(uint32_t value, std::string* out);
void AppendBigEndian64(uint64_t value, std::string* out);
// Reads the first 8 bytes of `bytes` (which must hold at least 8).
uint64_t DecodeBigEndian64(absl::string_view bytes);

}  // namespace crosscheck::storage

#endif  // CROSSCHECK_STORAGE_KEY_CODEC_H_
