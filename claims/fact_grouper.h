#ifndef CROSSCHECK_CLAIMS_FACT_GROUPER_H_
#define CROSSCHECK_CLAIMS_FACT_GROUPER_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "protos/crosscheck/v1/claims.pb.h"

namespace crosscheck::claims {

// How the keys of the facts a FactGrouper groups start: the kinds of fact
// whose claims it groups across documents.
inline constexpr absl::string_view kGroupedKinds[] = {"date/", "quote/"};

// The event class of a date that only says when a source spoke ("said on
// Friday"); such dates join no fact.
inline constexpr char kReportingDate[] = "report";

// The fact key of a casualty or quantity claim: predicate, subject class
// and place ("casualty/killed/people/syria").
std::string NumberFactKey(const v1::Claim& claim);

// Assigns fact keys to the dates and quotes of one story, so that claims of
// different documents about one fact share a key. Dates join a fact of the
// same event class at the same place ("talks on Friday in NY" and "the next
// meeting ... in New York City on December 18"), or, without a place, one
// whose surrounding words they share; quotes join a fact whose words they
// share (two renderings of one statement), whoever the document names as
// speaker. Values play no part: grouping must not decide agreement.
//
// Not thread-safe; one grouper serves one story at a time.
class FactGrouper {
 public:
  // Makes a stored claim (with its fact key) known to the grouper.
  void AddExisting(const v1::Claim& claim);
  // Sets the claim's fact key, joining a known fact or starting one, and
  // makes it known. Claims whose key extraction set already are kept.
  void Assign(v1::Claim* claim);

 private:
  struct Member {
    std::string key;
    v1::ClaimKind kind;
    std::string event_class;
    std::string place;
    std::vector<std::string> words;
    // Two dates of one sentence are two events: they never share a fact.
    std::string document_id;
    std::string sentence;
    // The word that names the event ("talks", "failed").
    std::string head;
  };
  std::string NewKey(const v1::Claim& claim, const std::string& place);
  // The normalised place of a location, worked out once per location: the
  // claims of one fact mostly name the same place.
  const std::string& PlaceOf(const std::string& location);

  std::vector<Member> members_;
  absl::flat_hash_set<std::string> keys_;
  absl::flat_hash_map<std::string, std::string> places_;
};

}  // namespace crosscheck::claims

#endif  // CROSSCHECK_CLAIMS_FACT_GROUPER_H_
