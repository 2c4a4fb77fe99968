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

}  // namespace crosscheck

#endif  // CROSSCHECK_COMMON_FNV1A_H_
