#include "server/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace crosscheck::server {
namespace {
constexpr char kVersion[] = "cc1";
constexpr char kSeparator = '\0';
}  // namespace

std::string EncodePageToken(const storage::ClaimStore::FactId& last,
                            absl::string_view query_fingerprint) {
  std::string raw =
      absl::StrCat(kVersion, std::string(1, kSeparator), last.story_id,
                   std::string(1, kSeparator), last.fact_key,
                   std::string(1, kSeparator), query_fingerprint);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<storage::ClaimStore::FactId> DecodePageToken(
    absl::string_view token, absl::string_view query_fingerprint) {
  std::string raw;
  const auto invalid = absl::InvalidArgumentError(
      "page_token is not one this server issued; start again without it");
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid;
  std::vector<std::string> parts =
      absl::StrSplit(raw, absl::ByChar(kSeparator));
  if (parts.size() != 4 || parts[0] != kVersion || parts[2].empty()) {
    return invalid;
  }
  if (parts[3] != query_fingerprint) {
    return absl::InvalidArgumentError(
        "page_token was issued for a query with other filters; repeat the "
        "filters of the first page");
  }
  return storage::ClaimStore::FactId{parts[1], parts[2]};
}

}  // namespace crosscheck::server
