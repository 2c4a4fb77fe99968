// libFuzzer target: arbitrary bytes through extraction, fact grouping and
// comparison. Invalid UTF-8 must end in a status, never a crash.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "claims/extractor.h"
#include "claims/fact_comparator.h"
#include "claims/fact_grouper.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The first byte picks the publication day, so dates resolve around
  // month and year ends too.
  const absl::CivilDay day =
      absl::CivilDay(2015, 12, 15) + (size > 0 ? data[0] : 0);
  for (bool mentions : {false, true}) {
    crosscheck::claims::ExtractOptions options;
    options.mentions = mentions;
    auto claims =
        crosscheck::claims::ExtractClaims({"doc", "src", text, day}, options);
    if (!claims.ok()) continue;
    crosscheck::claims::FactGrouper grouper;
    for (auto& claim : *claims) {
      grouper.Assign(&claim);
      // Every claim's span lies inside the text and its strings are UTF-8:
      // serialising would otherwise log a protobuf error.
      if (claim.span().begin() > claim.span().end() ||
          claim.span().end() > text.size()) {
        __builtin_trap();
      }
    }
    auto fact = crosscheck::claims::CompareFact("s", "k", *claims);
    std::string bytes;
    if (!fact.SerializeToString(&bytes)) __builtin_trap();
  }
  return 0;
}
