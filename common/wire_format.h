#ifndef CROSSCHECK_COMMON_WIRE_FORMAT_H_
#define CROSSCHECK_COMMON_WIRE_FORMAT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace crosscheck {

// Bytes of protobuf's wire format written by hand, where a message is
// assembled from pieces that are already serialized (a stored claim, a
// kept answer) instead of being parsed and serialized again. Protobuf
// parsers accept a message's fields in any order, and the elements of a
// repeated field in the order they come.

// The size of `value` as a varint.
inline size_t VarintSize(size_t value) {
  size_t size = 1;
  for (; value >= 0x80; value >>= 7) ++size;
  return size;
}

// Appends the head of one length-delimited field (a message, a string or
// bytes) numbered `field` (1 to 15, whose tag is one byte) of `size`
// bytes: its tag (wire type 2), then the length as a varint.
inline void AppendLengthDelimitedHead(int field, size_t size,
                                      std::string* out) {
  out->push_back(static_cast<char>(field << 3 | 2));
  for (; size >= 0x80; size >>= 7) {
    out->push_back(static_cast<char>((size & 0x7F) | 0x80));
  }
  out->push_back(static_cast<char>(size));
}

// The size AppendLengthDelimitedHead(field, size) appends.
inline size_t LengthDelimitedHeadSize(size_t size) {
  return 1 + VarintSize(size);
}

// Appends the length-delimited field `field` (1 to 15) holding `bytes`.
inline void AppendLengthDelimited(int field, absl::string_view bytes,
                                  std::string* out) {
  AppendLengthDelimitedHead(field, bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

}  // namespace crosscheck

#endif  // CROSSCHECK_COMMON_WIRE_FORMAT_H_
