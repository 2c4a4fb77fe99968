// libFuzzer target: arbitrary bytes through ReadClaimToCompare. Whatever
// protobuf's own parser takes for a claim, the reader must take too and
// give the same fields a comparison reads; anything else must end in
// false, never a crash.

#include <cstddef>
#include <cstdint>
#include <string>

#include "claims/claim_reader.h"
#include "claims/fact_comparator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  crosscheck::v1::Claim read;
  const bool ok = crosscheck::claims::ReadClaimToCompare(bytes, &read);
  crosscheck::v1::Claim parsed;
  if (!parsed.ParseFromString(bytes)) return 0;
  if (!ok) __builtin_trap();
  // What the reader leaves out: unknown fields and the fields no
  // comparison reads.
  parsed.DiscardUnknownFields();
  parsed.clear_id();
  parsed.clear_document_id();
  parsed.clear_span();
  parsed.clear_fact_key();
  parsed.clear_attribution();
  parsed.clear_context_words();
  if (parsed.SerializeAsString() != read.SerializeAsString()) {
    __builtin_trap();
  }
  // Both read the same way, the claims compare the same way.
  std::string answer;
  if (!crosscheck::claims::CompareSerializedClaims("s", "k", {bytes, bytes},
                                                   &answer)) {
    __builtin_trap();
  }
  crosscheck::v1::FactComparison from_bytes;
  if (!from_bytes.ParseFromString(answer)) __builtin_trap();
  return 0;
}
