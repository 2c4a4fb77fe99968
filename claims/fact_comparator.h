#ifndef CROSSCHECK_CLAIMS_FACT_COMPARATOR_H_
#define CROSSCHECK_CLAIMS_FACT_COMPARATOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// Compares the claims of one fact across sources:
// - values become intervals (round figures carry their rounding, "about" is
//   +-5 %, "over" is open above; dates are intervals of days; quotes are
//   their normalised words) and claims whose intervals all overlap form a
//   value group, most precise claims first;
// - status: SINGLE_SOURCE with one outlet, AGREE with one group, EVOLVING
//   when figures change in step with publication time (each day's reports
//   agree, and successive days move one way), DISAGREE otherwise;
// - documents that share the claim's sentence word for word count as one
//   independent source, and the copy is named.
// Pure and thread-safe.
v1::FactComparison CompareFact(const std::string& story_id,
                               const std::string& fact_key,
                               const std::vector<v1::Claim>& claims);
// The same as CompareFact(story_id, fact_key, claims), moving the claims
// into the value groups instead of copying them.
v1::FactComparison CompareFact(const std::string& story_id,
                               const std::string& fact_key,
                               std::vector<v1::Claim>&& claims);

// Where CompareFactWithoutClaims puts what it leaves out of a comparison,
// as indices into its claims, each in the order CompareFact lists it.
struct ClaimPlaces {
  // For each value group, the claims it holds.
  std::vector<std::vector<uint32_t>> groups;
  // For each copied sentence, the original claim, then a claim of each
  // source that repeats it.
  std::vector<std::vector<uint32_t>> copies;
};

// The comparison CompareFact(story_id, fact_key, claims) makes, with no
// claim in its value groups and no copies: `places` receives them. For
// answers whose claims are already serialized (see
// SerializeFactWithClaims), so that they are neither copied nor serialized
// again.
v1::FactComparison CompareFactWithoutClaims(
    const std::string& story_id, const std::string& fact_key,
    const std::vector<v1::Claim>& claims, ClaimPlaces* places);

// The bytes of a comparison CompareFactWithoutClaims made of `claims`, with
// its groups' claims and its copies put back: group g holds the claims
// `places.groups[g]` names, each written as claim_bytes[i], the serialized
// claim i, and each copied sentence is written from the claims it names.
// They parse to the message CompareFact makes of the same claims (the copies
// and then the groups come after the other fields, unlike in
// SerializeAsString). `*fact` is left as it was.
std::string SerializeFactWithClaims(
    v1::FactComparison* fact, const ClaimPlaces& places,
    const std::vector<v1::Claim>& claims,
    const std::vector<std::string>& claim_bytes);

// The bytes of CompareFact(story_id, fact_key, claims) for claims given
// serialized (claim_bytes[i] is claim i, as the store gives them), made
// without parsing them whole or serializing them again: each is read for
// the comparison alone (ReadClaimToCompare) and the answer carries the
// bytes themselves (SerializeFactWithClaims). `fact`, when set, receives
// the comparison without its groups' claims and without its copies.
// False, with nothing written, when some claim's bytes are not protobuf's
// wire format.
bool CompareSerializedClaims(const std::string& story_id,
                             const std::string& fact_key,
                             const std::vector<std::string>& claim_bytes,
                             std::string* answer,
                             v1::FactComparison* fact = nullptr);

// What the change log reads of a comparison, without writing one out: the
// status, the number of sources and each claim's value group, as
// CompareFact decides them. It copies no claim and compares no sentence,
// which matters because it runs on every fact a write touches, twice.
struct FactSummary {
  v1::FactStatus status = v1::FACT_STATUS_UNSPECIFIED;
  int source_count = 0;
  struct Group {
    std::string value;     // As ValueGroup.value.
    int source_count = 0;  // As ValueGroup.sources_size().
  };
  std::vector<Group> groups;  // In CompareFact's order.
  // The group of each claim, by the claims' order.
  std::vector<uint32_t> group_of;
};
// The summary of CompareFact(_, _, claims); empty for no claims. Pure and
// thread-safe.
FactSummary SummarizeFact(const std::vector<v1::Claim>& claims);

// True when two claims' values are compatible (their intervals overlap, or
// their quotes' normalised words are equal).
bool Compatible(const v1::Claim& a, const v1::Claim& b);

// The fact's description in words a person reads ("killed · people ·
// Syria").
std::string DescribeFact(const v1::Claim& claim);

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_FACT_COMPARATOR_H_
