#include "server/token_store.h"

#include <openssl/sha.h>

#include <fstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace crosscheck::server {

std::string TokenStore::Hash(absl::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  std::string hex;
  for (unsigned char b : digest) absl::StrAppendFormat(&hex, "%02x", b);
  return hex;
}

absl::StatusOr<absl::flat_hash_map<std::string, Role>> TokenStore::Parse(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read tokens file '", path, "'"));
  }
  absl::flat_hash_map<std::string, Role> roles;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    if (rest.empty() || rest[0] == '#') continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(rest, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens file '", path, "' line ", n, ": ", why));
    };
    if (parts.size() < 2) return bad("want '<role> <sha256 hex> [label]'");
    Role role;
    if (parts[0] == "reader") {
      role = Role::kReader;
    } else if (parts[0] == "writer") {
      role = Role::kWriter;
    } else if (parts[0] == "admin") {
      role = Role::kAdmin;
    } else {
      return bad("role must be reader, writer or admin");
    }
    std::string hash = absl::AsciiStrToLower(parts[1]);
    if (hash.size() != 64 ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return bad(
          "the token must be given as its SHA-256 in 64 hex digits "
          "(printf %s TOKEN | sha256sum)");
    }
    roles[hash] = role;
  }
  return roles;
}

absl::StatusOr<std::unique_ptr<TokenStore>> TokenStore::Load(
    const std::string& path) {
  std::unique_ptr<TokenStore> store(new TokenStore(path));
  absl::Status s = store->Reload();
  if (!s.ok()) return s;
  return store;
}

absl::Status TokenStore::Reload() {
  auto roles = Parse(path_);
  if (!roles.ok()) return roles.status();
  absl::MutexLock lock(&mu_);
  roles_ = std::move(*roles);
  return absl::OkStatus();
}

Role TokenStore::RoleOf(absl::string_view token) const {
  const std::string hash = Hash(token);
  absl::MutexLock lock(&mu_);
  auto it = roles_.find(hash);
  return it == roles_.end() ? Role::kNone : it->second;
}

absl::Status Authorize(
    const TokenStore* tokens,
    const std::multimap<grpc::string_ref, grpc::string_ref>& client_metadata,
    Role required) {
  if (tokens == nullptr) return absl::OkStatus();
  auto it = client_metadata.find("authorization");
  if (it == client_metadata.end()) {
    return absl::UnauthenticatedError(
        "this server needs a bearer token: pass --token or set "
        "CROSSCHECK_TOKEN");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) {
    return absl::UnauthenticatedError(
        "the authorization header must be 'Bearer <token>'");
  }
  const Role role = tokens->RoleOf(value);
  if (role == Role::kNone) {
    return absl::UnauthenticatedError("the bearer token is not known");
  }
  if (role < required) {
    static constexpr const char* kNames[] = {"none", "reader", "writer",
                                             "admin"};
    return absl::PermissionDeniedError(
        absl::StrCat("this call needs the ", kNames[static_cast<int>(required)],
                     " role; the token has ", kNames[static_cast<int>(role)]));
  }
  return absl::OkStatus();
}

}  // namespace crosscheck::server
