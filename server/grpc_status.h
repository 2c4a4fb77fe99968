#ifndef CROSSCHECK_SERVER_GRPC_STATUS_H_
#define CROSSCHECK_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace crosscheck::server {

// The one place an absl::Status becomes a grpc::Status: same code, same
// message.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_GRPC_STATUS_H_
