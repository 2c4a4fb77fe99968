#include "storage/key_codec.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace crosscheck::storage {

void AppendBigEndian64(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint64_t DecodeBigEndian64(absl::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

void AppendBigEndian32(uint32_t value, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

std::string ClaimPrefix(absl::string_view doc_id) {
  std::string key(doc_id);
  key.push_back(kKeySeparator);
  return key;
}

std::string ClaimKey(absl::string_view doc_id, uint32_t index) {
  std::string key = ClaimPrefix(doc_id);
  AppendBigEndian32(index, &key);
  return key;
}

std::string ClaimReference(absl::string_view story_id,
                           absl::string_view fact_key) {
  std::string value(1, kKeySeparator);
  absl::StrAppend(&value, FactPrefix(story_id, fact_key));
  return value;
}

bool DecodeClaimReference(absl::string_view value,
                          absl::string_view* fact_prefix) {
  // NUL <story> NUL <fact key> NUL: three separators, the last at the end.
  if (value.size() < 3 || value.front() != kKeySeparator ||
      value.back() != kKeySeparator) {
    return false;
  }
  const absl::string_view prefix = value.substr(1);
  if (std::count(prefix.begin(), prefix.end(), kKeySeparator) != 2) {
    return false;
  }
  *fact_prefix = prefix;
  return true;
}

std::string StoryPrefix(absl::string_view story_id) {
  std::string key(story_id);
  key.push_back(kKeySeparator);
  return key;
}

std::string FactPrefix(absl::string_view story_id, absl::string_view fact_key) {
  std::string key = StoryPrefix(story_id);
  absl::StrAppend(&key, fact_key);
  key.push_back(kKeySeparator);
  return key;
}

std::string FactRowKey(absl::string_view story_id, absl::string_view fact_key,
                       absl::string_view doc_id, uint32_t index) {
  std::string key = FactPrefix(story_id, fact_key);
  absl::StrAppend(&key, doc_id);
  key.push_back(kKeySeparator);
  AppendBigEndian32(index, &key);
  return key;
}

std::string StoryRowKey(absl::string_view story_id, absl::string_view doc_id) {
  std::string key = StoryPrefix(story_id);
  absl::StrAppend(&key, doc_id);
  return key;
}

std::string StoryRowValue(uint32_t claim_count, absl::string_view source) {
  std::string value;
  AppendBigEndian32(claim_count, &value);
  absl::StrAppend(&value, source);
  return value;
}

bool DecodeStoryRow(absl::string_view key, absl::string_view value,
                    StoryRow* row) {
  const size_t end = key.find(kKeySeparator);
  if (end == absl::string_view::npos || end + 1 == key.size() ||
      value.size() < 4) {
    return false;
  }
  row->story_id = key.substr(0, end);
  row->doc_id = key.substr(end + 1);
  uint32_t count = 0;
  for (unsigned char c : value.substr(0, 4)) count = (count << 8) | c;
  row->claim_count = count;
  row->source = value.substr(4);
  return true;
}

bool DecodeFactRowKey(absl::string_view key, FactRow* row) {
  if (key.size() < 4) return false;
  absl::string_view index_bytes = key.substr(key.size() - 4);
  key.remove_suffix(4);
  // Exactly three separators, the last one ending the key.
  absl::string_view parts[3];
  for (absl::string_view& part : parts) {
    const size_t end = key.find(kKeySeparator);
    if (end == absl::string_view::npos) return false;
    part = key.substr(0, end);
    key.remove_prefix(end + 1);
  }
  if (!key.empty()) return false;
  row->story_id = parts[0];
  row->fact_key = parts[1];
  row->doc_id = parts[2];
  uint32_t index = 0;
  for (unsigned char c : index_bytes) index = (index << 8) | c;
  row->index = index;
  return true;
}

}  // namespace crosscheck::storage
