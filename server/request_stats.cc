#include "server/request_stats.h"

#include <algorithm>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace crosscheck::server {

void RequestStats::Record(absl::string_view method, const absl::Status& status,
                          absl::Duration latency, size_t request_bytes,
                          size_t response_bytes) {
  const double ms = absl::ToDoubleMilliseconds(latency);
  {
    absl::MutexLock lock(&mu_);
    auto it = counters_.find(method);
    if (it == counters_.end()) {
      it = counters_.emplace(std::string(method), Counters()).first;
    }
    Counters& c = it->second;
    ++c.calls;
    if (!status.ok()) ++c.errors;
    c.total_ms += ms;
    c.max_ms = std::max(c.max_ms, ms);
    c.request_bytes += request_bytes;
    c.response_bytes += response_bytes;
  }
  if (log_) {
    // One write per line, so concurrent calls do not interleave.
    std::string line = absl::StrFormat(
        "rpc method=%s status=%s latency_ms=%.3f request_bytes=%u "
        "response_bytes=%u\n",
        method, absl::StatusCodeToString(status.code()), ms, request_bytes,
        response_bytes);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

void RequestStats::Fill(v1::GetStatsResponse* response) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [method, c] : counters_) {
    v1::MethodStats* m = response->add_methods();
    m->set_method(method);
    m->set_calls(c.calls);
    m->set_errors(c.errors);
    m->set_mean_ms(c.calls ? c.total_ms / c.calls : 0);
    m->set_max_ms(c.max_ms);
    m->set_request_bytes(c.request_bytes);
    m->set_response_bytes(c.response_bytes);
  }
  response->set_uptime_seconds(absl::ToDoubleSeconds(absl::Now() - started_));
}

}  // namespace crosscheck::server
