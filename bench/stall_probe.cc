// How much time this machine's CPUs are taken from a running program: one
// thread per CPU, pinned to it, reads the clock in a loop for --seconds,
// and every jump of the clock between two reads is a time the thread did
// not run. A call in flight on a CPU at such a time waits as long, so the
// jumps of a millisecond or more set a floor under the p99 of calls that
// take half a millisecond (bench/README.md, "what the machine takes").
//
//   build/bench/stall_probe [--seconds 10] [--threshold_ms 1]
//
// A jump counts as "another task ran" when the thread was switched out
// meanwhile (its context switches, getrusage), and as "no switch" when it
// was not: the virtual CPU itself stopped, or an interrupt ran long. Steal
// is the hypervisor's own count of time given to other guests
// (/proc/stat). Run it with nothing else busy: it keeps every CPU busy.

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/cpu_ticks.h"

namespace {

using Clock = std::chrono::steady_clock;

// Jumps of the clock at or over the threshold, one kind of them.
struct Jumps {
  int count = 0;
  double ms = 0;
  double longest_ms = 0;

  void Add(double jump_ms) {
    ++count;
    ms += jump_ms;
    longest_ms = std::max(longest_ms, jump_ms);
  }
};

struct CpuReport {
  int cpu = 0;
  bool pinned = false;
  Jumps switched;           // Another task ran on the CPU.
  Jumps not_switched;       // The thread was never switched out.
  int64_t short_jumps = 0;  // From 0.1 ms to the threshold.
};

int64_t ContextSwitches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

// Reads the clock on `cpu` until `seconds` have passed.
CpuReport Probe(int cpu, double seconds, double threshold_ms) {
  CpuReport report;
  report.cpu = cpu;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  report.pinned =
      pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds));
  int64_t switches = ContextSwitches();
  Clock::time_point last = Clock::now();
  while (last < end) {
    const Clock::time_point now = Clock::now();
    const double jump_ms =
        std::chrono::duration<double, std::milli>(now - last).count();
    last = now;
    if (jump_ms < 0.1) continue;
    const int64_t after = ContextSwitches();
    const bool switched = after != switches;
    switches = after;
    if (jump_ms < threshold_ms) {
      ++report.short_jumps;
    } else if (switched) {
      report.switched.Add(jump_ms);
    } else {
      report.not_switched.Add(jump_ms);
    }
    last = Clock::now();  // Not the time getrusage took.
  }
  return report;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "stall_probe: how often and how long each CPU is taken from a "
      "running thread"};
  double seconds = 10;
  app.add_option("--seconds", seconds, "how long to probe")
      ->check(CLI::Range(0.1, 3600.0));
  double threshold_ms = 1;
  app.add_option("--threshold_ms", threshold_ms,
                 "the shortest jump of the clock counted as a stall")
      ->check(CLI::Range(0.1, 1000.0));
  CLI11_PARSE(app, argc, argv);

  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
    std::perror("stall_probe: sched_getaffinity");
    return 1;
  }
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  std::vector<CpuReport> reports(cpus.size());
  const crosscheck::bench::CpuTicks before = crosscheck::bench::ReadCpuTicks();
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < cpus.size(); ++i) {
      threads.emplace_back(
          [&, i] { reports[i] = Probe(cpus[i], seconds, threshold_ms); });
    }
    for (auto& t : threads) t.join();
  }
  const crosscheck::bench::CpuTicks ticks = crosscheck::bench::TicksBetween(
      before, crosscheck::bench::ReadCpuTicks());

  std::printf(
      "%zu CPUs, %.1f s each; stalls are jumps of the clock of %.1f ms "
      "or more\n",
      cpus.size(), seconds, threshold_ms);
  std::printf("%4s %8s %10s %9s %12s %10s %12s %10s %9s\n", "cpu", "stalls",
              "stalled ms", "of time", "longest ms", "task ran", "task ran ms",
              "no switch", "0.1 ms+");
  double stalled_ms = 0;
  int stalls = 0;
  for (const CpuReport& r : reports) {
    const int count = r.switched.count + r.not_switched.count;
    const double ms = r.switched.ms + r.not_switched.ms;
    stalls += count;
    stalled_ms += ms;
    std::printf("%3d%s %8d %10.1f %8.2f%% %12.2f %10d %12.1f %10d %9lld\n",
                r.cpu, r.pinned ? " " : "?", count, ms,
                100 * ms / (seconds * 1000),
                std::max(r.switched.longest_ms, r.not_switched.longest_ms),
                r.switched.count, r.switched.ms, r.not_switched.count,
                static_cast<long long>(r.short_jumps));
  }
  std::printf(
      "all: %d stalls, %.1f ms, %.2f%% of the CPUs' time; steal %.1f%%\n",
      stalls, stalled_ms, 100 * stalled_ms / (seconds * 1000 * cpus.size()),
      ticks.StealPercent());
  return 0;
}
