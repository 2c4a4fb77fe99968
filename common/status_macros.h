#ifndef CROSSCHECK_COMMON_STATUS_MACROS_H_
#define CROSSCHECK_COMMON_STATUS_MACROS_H_

// Debian's Abseil (20220623) ships absl::Status without the propagation
// macros; these are the two the project uses.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CROSSCHECK_CONCAT_INNER_(a, b) a##b
#define CROSSCHECK_CONCAT_(a, b) CROSSCHECK_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::absl::Status status_macro_ = (expr);         \
    if (!status_macro_.ok()) return status_macro_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, F())` declares x from F()'s value, or returns
// F()'s error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(CROSSCHECK_CONCAT_(statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // CROSSCHECK_COMMON_STATUS_MACROS_H_
