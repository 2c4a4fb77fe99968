#ifndef CROSSCHECK_COMMON_FNV1A_H_
#define CROSSCHECK_COMMON_FNV1A_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace crosscheck {

// The 64-bit FNV-1a offset basis: the usual starting state.
inline constexpr uint64_t kFnv1aBasis = 14695981039346656037ULL;

// Folds `bytes` into the 64-bit FNV-1a state `*h`. Stable across builds and
// machines (unlike std::hash or absl::Hash), so it may fingerprint stored
// content and page tokens; it is not a cryptographic hash.
inline void Fnv1a(absl::string_view bytes, uint64_t* h) {
  for (unsigned char c : bytes) {
    *h ^= c;
    *h *= 1099511628211ULL;
  }
}

// Fnv1a(bytes, a) and Fnv1a(bytes, b) in one pass: the two multiplications
// of each byte run side by side.
inline void Fnv1a2(absl::string_view bytes, uint64_t* a, uint64_t* b) {
  uint64_t x = *a, y = *b;
  for (unsigned char c : bytes) {
    x = (x ^ c) * 1099511628211ULL;
    y = (y ^ c) * 1099511628211ULL;
  }
  *a = x;
  *b = y;
}

}  // namespace crosscheck

#endif  // CROSSCHECK_COMMON_FNV1A_H_
