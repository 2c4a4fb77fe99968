#ifndef CROSSCHECK_CLIENT_FACT_TABLE_H_
#define CROSSCHECK_CLIENT_FACT_TABLE_H_

#include <string>

#include "protos/crosscheck/v1/claims.pb.h"
#include "protos/crosscheck/v1/crosscheck.pb.h"

namespace crosscheck::client {

// A fact as a person reads it: status (disputed facts marked, in colour on
// a terminal), description, sources, and per value group its value, its
// sources and a short quote of the evidence.
std::string FormatFact(const v1::FactComparison& fact, bool color);

// A checked draft claim: its value, and who agrees and disagrees.
std::string FormatCheckedClaim(const v1::CheckedClaim& checked, bool color);

// Per-outlet statistics as an aligned table.
std::string FormatSources(const v1::ListSourcesResponse& sources);

}  // namespace crosscheck::client

#endif  // CROSSCHECK_CLIENT_FACT_TABLE_H_
