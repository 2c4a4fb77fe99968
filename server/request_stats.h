#ifndef CROSSCHECK_SERVER_REQUEST_STATS_H_
#define CROSSCHECK_SERVER_REQUEST_STATS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "protos/crosscheck/v1/crosscheck.pb.h"

namespace crosscheck::server {

// Counts calls per RPC (calls, errors, latency, bytes) and, when asked,
// writes one structured line per call to standard error:
//
//   rpc method=IngestDocument status=OK latency_ms=0.84 request_bytes=5210
//       response_bytes=12
//
// The line carries no document text and no token. Thread-safe.
class RequestStats {
 public:
  explicit RequestStats(bool log) : log_(log), started_(absl::Now()) {}

  void Record(absl::string_view method, const absl::Status& status,
              absl::Duration latency, size_t request_bytes,
              size_t response_bytes);

  // Fills the per-method part of a stats response, and the uptime.
  void Fill(v1::GetStatsResponse* response) const;

 private:
  struct Counters {
    uint64_t calls = 0;
    uint64_t errors = 0;
    double total_ms = 0;
    double max_ms = 0;
    uint64_t request_bytes = 0;
    uint64_t response_bytes = 0;
  };
  const bool log_;
  const absl::Time started_;
  mutable absl::Mutex mu_;
  std::map<std::string, Counters, std::less<>> counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_REQUEST_STATS_H_
