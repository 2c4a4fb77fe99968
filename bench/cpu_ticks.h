// The machine's CPU time so far, from /proc/stat, for benchmarks that say
// how much of it the hypervisor gave to other guests while they ran.

#ifndef CROSSCHECK_BENCH_CPU_TICKS_H_
#define CROSSCHECK_BENCH_CPU_TICKS_H_

#include <cstdint>
#include <fstream>
#include <string>

namespace crosscheck::bench {

// Clock ticks of all CPUs: in all, and the part the hypervisor ran other
// guests in ("steal").
struct CpuTicks {
  uint64_t total = 0;
  uint64_t steal = 0;

  // The share of `total` that was stolen, in percent; 0 without ticks.
  double StealPercent() const {
    return total > 0
               ? 100.0 * static_cast<double>(steal) / static_cast<double>(total)
               : 0;
  }
};

// The ticks so far; zeros where /proc/stat cannot be read, so that steal
// then shows as 0.
inline CpuTicks ReadCpuTicks() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  // user nice system idle iowait irq softirq steal; guest time is already
  // in user and nice.
  uint64_t field[8] = {};
  in >> cpu;
  for (uint64_t& f : field) in >> f;
  CpuTicks ticks;
  if (!in || cpu != "cpu") return ticks;
  for (uint64_t f : field) ticks.total += f;
  ticks.steal = field[7];
  return ticks;
}

// The ticks from `before` to `after`.
inline CpuTicks TicksBetween(const CpuTicks& before, const CpuTicks& after) {
  return {after.total - before.total, after.steal - before.steal};
}

}  // namespace crosscheck::bench

#endif  // CROSSCHECK_BENCH_CPU_TICKS_H_
