#ifndef CROSSCHECK_SERVER_TOKEN_STORE_H_
#define CROSSCHECK_SERVER_TOKEN_STORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/string_ref.h"

namespace crosscheck::server {

// What a caller may do. Each role includes the ones below it.
enum class Role { kNone = 0, kReader = 1, kWriter = 2, kAdmin = 3 };

// Bearer tokens and their roles, read from a file of lines
//
//     <role> <sha256 of the token, hex> [label]
//
// (`#` starts a comment). Only hashes are kept, in the file and in memory,
// so neither the file nor a memory dump gives a token away; tokens are
// never logged. Thread-safe; Reload() swaps the whole table at once.
class TokenStore {
 public:
  // Reads `path`; INVALID_ARGUMENT names the first bad line.
  static absl::StatusOr<std::unique_ptr<TokenStore>> Load(
      const std::string& path);

  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // Reads the file again (on SIGHUP). On error the old table stays.
  absl::Status Reload();

  // The role of a presented token, kNone when it is unknown.
  Role RoleOf(absl::string_view token) const;

  // Lower-case hex SHA-256 of `token`.
  static std::string Hash(absl::string_view token);

 private:
  explicit TokenStore(std::string path) : path_(std::move(path)) {}
  static absl::StatusOr<absl::flat_hash_map<std::string, Role>> Parse(
      const std::string& path);

  const std::string path_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Role> roles_ ABSL_GUARDED_BY(mu_);
};

// Checks the call's "authorization: Bearer <token>" metadata against
// `tokens` (no checks when `tokens` is null): UNAUTHENTICATED when the
// token is missing or unknown, PERMISSION_DENIED when its role is below
// `required`.
absl::Status Authorize(
    const TokenStore* tokens,
    const std::multimap<grpc::string_ref, grpc::string_ref>& client_metadata,
    Role required);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_TOKEN_STORE_H_
