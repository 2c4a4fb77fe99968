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

// facts: <story id> NUL <fact key> NUL <doc id> NUL <index:4>
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
