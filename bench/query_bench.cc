// Query latency and throughput of a running crosscheckd: GetFact and
// SearchFacts at 1, 16 and 64 calls in flight, beside the health service's
// Check (a trivial call on the same server) as the echo baseline.
//
//   build/bench/query_bench --server 127.0.0.1:50051 [--seconds 10]
//
// Fact keys come from the server itself: the first pages of SearchFacts, or
// with --sample_stories the facts of 300 stories drawn at random from
// story-0 .. story-(N-1) (the names load_bench gives; N found by a binary
// search for the last story with facts), so that a large store is sampled
// throughout rather than at its first keys.
//
// Each row runs for --seconds in all, cut into --rounds slices: a round
// runs echo and then a slice of each row, and a row's share of echo is its
// calls over echo's in the same rounds ("vs echo"; "rounds" is the lowest
// and highest share of one round). A noisy machine then slows a row and
// the echo it is divided by alike, where one long run of each would set a
// row measured in a slow spell against an echo measured in a fast one.
//
// The load comes from one thread that keeps every call in flight going
// through a completion queue (--client async, the default; --client_threads
// N shares the calls among N such threads), or from a thread per call in
// flight, each waiting for its call (--client threads, how every figure
// before 2026-12-02 was taken).
//
// Echo, GetFact and SearchFacts take their answers as bytes, as a proxy or
// cache in front of crosscheckd would: those rows measure the server. The
// "+decode" rows also parse each answer into its message in the client,
// which on a machine shared by client and server takes CPU from the server
// too. "SearchFacts basic" asks for the facts without their claims
// (FACT_VIEW_BASIC), as a list of facts shows them. The last column is the
// mean size of an answer in bytes, which bounds a call as much as the work
// behind it. "steal" is the share of the machine's CPU time the hypervisor
// gave to other guests while the row ran (/proc/stat): a virtual CPU taken
// away for a time slice holds every call on it, so a row's p99 is read
// beside it. --per_round prints each round's rate, p99 and steal as well.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/cpu_ticks.h"
#include "client/crosscheck_client.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace {

using Clock = std::chrono::steady_clock;

using crosscheck::bench::CpuTicks;

// What one measurement (or several, merged) saw: every call's latency,
// the time it ran, its failures, the bytes of its answers and the CPU
// ticks the machine had and lost to steal meanwhile.
struct Sample {
  std::vector<double> ms;
  double seconds = 0;
  int failed = 0;
  uint64_t answer_bytes = 0;
  CpuTicks cpu;

  void Merge(const Sample& other) {
    ms.insert(ms.end(), other.ms.begin(), other.ms.end());
    seconds += other.seconds;
    failed += other.failed;
    answer_bytes += other.answer_bytes;
    cpu.total += other.cpu.total;
    cpu.steal += other.cpu.steal;
  }
  double CallsPerSecond() const {
    return seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0;
  }
};

struct Result {
  double calls_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int failed = 0;
  double answer_bytes = 0;  // The mean size of an answer.
  double steal_percent = 0;
};

Result Summarize(Sample sample) {
  std::vector<double>& all = sample.ms;
  std::sort(all.begin(), all.end());
  Result r;
  r.calls_per_s = sample.CallsPerSecond();
  r.p50_ms = all.empty() ? 0 : all[all.size() / 2];
  r.p99_ms =
      all.empty() ? 0 : all[std::min(all.size() - 1, all.size() * 99 / 100)];
  r.failed = sample.failed;
  r.answer_bytes = all.empty() ? 0
                               : static_cast<double>(sample.answer_bytes) /
                                     static_cast<double>(all.size());
  r.steal_percent = sample.cpu.StealPercent();
  return r;
}

// One kind of call: its method and how to make the request of call `i` of
// slot `slot`; `check` tells a good answer (and may parse it).
struct Row {
  const char* name;
  const char* method;
  std::function<std::string(int slot, int i)> request;
  std::function<bool(grpc::ByteBuffer* answer)> check;
};

// What the threads of one measurement share: each thread's latencies, the
// failures, and the flag that stops them.
struct Load {
  explicit Load(int threads) : ms(threads), bytes(threads) {}

  // Lets the threads run until `seconds` after `start`, stops and joins
  // them, and gathers what each recorded.
  Sample RunFor(double seconds) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    Sample sample;
    sample.seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& v : ms) sample.ms.insert(sample.ms.end(), v.begin(), v.end());
    sample.failed = failed;
    for (uint64_t b : bytes) sample.answer_bytes += b;
    return sample;
  }

  std::vector<std::vector<double>> ms;
  std::vector<uint64_t> bytes;  // Answer bytes, by thread.
  std::atomic<int> failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
};

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(10);
}

// Thread-per-call load: `in_flight` threads, each making one call at a
// time through the callback API and waiting for it, on channel `slot`.
Sample MeasureThreads(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int in_flight,
    double seconds, const Row& row) {
  Load load(in_flight);
  for (int t = 0; t < in_flight; ++t) {
    load.threads.emplace_back([&, t] {
      grpc::GenericStub stub(channels[t]);
      for (int i = 0; !load.stop; ++i) {
        grpc::Slice bytes(row.request(t, i));
        const auto begin = Clock::now();
        grpc::ClientContext context;
        context.set_deadline(Deadline());
        grpc::ByteBuffer request(&bytes, 1), response;
        std::promise<grpc::Status> done;
        stub.UnaryCall(&context, row.method, grpc::StubOptions(), &request,
                       &response, [&](grpc::Status s) { done.set_value(s); });
        const bool answered = done.get_future().get().ok();
        // Before the check, which may parse the answer and empty it.
        load.bytes[t] += response.Length();
        if (!answered || !row.check(&response)) ++load.failed;
        load.ms[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin)
                .count());
      }
    });
  }
  return load.RunFor(seconds);
}

// Asynchronous load, as gRPC's own benchmarks drive a server:
// `client_threads` threads, each with a completion queue that keeps its
// share of the `in_flight` calls going (slot k on channel k), starting the
// next call of a slot as soon as its answer is in. The client spends no
// thread switch per call, so more of the machine is left to the server.
// On two cores, two such threads busy both: the server's threads then wait
// for a time slice, and every kind of call, echo too, gets a p99 of about
// 4 ms (bench/README.md); one thread leaves a core to the server.
Sample MeasureAsync(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                    int in_flight, double seconds, int client_threads,
                    const Row& row) {
  const int workers = std::max(1, std::min(in_flight, client_threads));
  struct Call {
    int slot = 0;
    int i = 0;
    Clock::time_point begin;
    std::unique_ptr<grpc::ClientContext> context;
    grpc::ByteBuffer response;
    grpc::Status status;
    std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  };
  Load load(workers);
  for (int w = 0; w < workers; ++w) {
    load.threads.emplace_back([&, w] {
      grpc::CompletionQueue cq;
      std::vector<grpc::GenericStub> stubs;
      std::vector<Call> calls;
      for (int slot = w; slot < in_flight; slot += workers) {
        stubs.emplace_back(channels[slot]);
        calls.emplace_back().slot = slot;
      }
      auto begin_call = [&](size_t k) {
        Call& call = calls[k];
        grpc::Slice bytes(row.request(call.slot, call.i++));
        grpc::ByteBuffer request(&bytes, 1);
        call.context = std::make_unique<grpc::ClientContext>();
        call.context->set_deadline(Deadline());
        call.response.Clear();
        call.begin = Clock::now();
        call.reader = stubs[k].PrepareUnaryCall(call.context.get(), row.method,
                                                request, &cq);
        call.reader->StartCall();
        call.reader->Finish(&call.response, &call.status,
                            reinterpret_cast<void*>(k));
      };
      for (size_t k = 0; k < calls.size(); ++k) begin_call(k);
      size_t outstanding = calls.size();
      void* tag;
      bool ok;
      while (outstanding > 0 && cq.Next(&tag, &ok)) {
        const size_t k = reinterpret_cast<size_t>(tag);
        Call& call = calls[k];
        load.ms[w].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - call.begin)
                .count());
        load.bytes[w] += call.response.Length();
        if (!ok || !call.status.ok() || !row.check(&call.response))
          ++load.failed;
        if (load.stop) {
          --outstanding;
        } else {
          begin_call(k);
        }
      }
      cq.Shutdown();
      while (cq.Next(&tag, &ok)) {
      }
    });
  }
  return load.RunFor(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"query_bench: GetFact and SearchFacts against an echo call"};
  std::string server = "127.0.0.1:50051";
  double seconds = 10;
  app.add_option("--server", server);
  app.add_option("--seconds", seconds,
                 "each row's time, shared among the rounds");
  bool sample_stories = false;
  app.add_flag("--sample_stories", sample_stories,
               "sample facts from 300 random stories story-0..story-(N-1)");
  std::vector<std::string> only;
  app.add_option(
      "--calls", only,
      "measure only these rows (echo, GetFact, GetFact+decode, "
      "SearchFacts, SearchFacts+decode, SearchFacts basic); echo always "
      "runs");
  std::vector<int> in_flights = {1, 16, 64};
  app.add_option("--in_flight", in_flights, "calls in flight to measure at")
      ->check(CLI::Range(1, 64));
  std::string client_mode = "async";
  app.add_option("--client", client_mode,
                 "async: completion queues (as gRPC's own benchmarks load a "
                 "server); threads: a thread per call in flight (the "
                 "figures before 2026-12-02)")
      ->check(CLI::IsMember({"async", "threads"}));
  int client_threads = 1;
  app.add_option("--client_threads", client_threads,
                 "threads of the async load, each with its completion queue")
      ->check(CLI::Range(1, 64));
  int rounds = 5;
  app.add_option("--rounds", rounds,
                 "rounds that each run echo and then every row for "
                 "seconds/rounds; a row's share of echo is over the same "
                 "rounds")
      ->check(CLI::Range(1, 1000));
  bool per_round = false;
  app.add_flag("--per_round", per_round,
               "also print each round of each row: calls/s, p99 and steal");
  CLI11_PARSE(app, argc, argv);

  crosscheck::client::CrosscheckClient::Options options;
  options.target = server;
  crosscheck::client::CrosscheckClient client(options);
  struct Key {
    std::string story, fact;
  };
  std::vector<Key> keys;
  auto has_facts = [&](int story) {
    crosscheck::v1::SearchFactsRequest request;
    request.set_story_id(absl::StrCat("story-", story));
    request.set_page_size(1);
    crosscheck::v1::SearchFactsResponse response;
    return client
               .Call(&crosscheck::v1::Crosscheck::Stub::SearchFacts, request,
                     &response)
               .ok() &&
           response.facts_size() > 0;
  };
  int stories = 0;
  if (sample_stories) {
    int lo = 0, hi = 1 << 24;  // has_facts(lo); not has_facts(hi).
    if (!has_facts(0)) {
      std::fprintf(stderr, "query_bench: no story-0\n");
      return 1;
    }
    while (hi - lo > 1) {
      const int mid = lo + (hi - lo) / 2;
      (has_facts(mid) ? lo : hi) = mid;
    }
    stories = lo + 1;
    std::printf("%d stories\n", stories);
  }
  crosscheck::v1::SearchFactsRequest search;
  search.set_page_size(500);
  std::mt19937 pick(1);
  for (int page = 0; page < (stories > 0 ? 300 : 4); ++page) {
    if (stories > 0) {
      search.set_story_id(absl::StrCat(
          "story-", std::uniform_int_distribution<int>(0, stories - 1)(pick)));
    }
    crosscheck::v1::SearchFactsResponse response;
    absl::Status s = client.Call(&crosscheck::v1::Crosscheck::Stub::SearchFacts,
                                 search, &response);
    if (!s.ok()) {
      std::fprintf(stderr, "query_bench: %s\n",
                   std::string(s.message()).c_str());
      return 1;
    }
    for (const auto& f : response.facts())
      keys.push_back({f.story_id(), f.fact_key()});
    if (stories > 0) continue;
    if (response.next_page_token().empty()) break;
    search.set_page_token(response.next_page_token());
  }
  if (keys.empty()) {
    std::fprintf(stderr, "query_bench: the server has no facts\n");
    return 1;
  }
  std::printf("%zu fact keys sampled\n", keys.size());

  // One channel per thread slot, as separate clients would have.
  constexpr int kMaxInFlight = 64;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < kMaxInFlight; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // Distinct channels, not one shared.
    channels.push_back(grpc::CreateCustomChannel(
        server, grpc::InsecureChannelCredentials(), args));
  }
  auto key = [&](int slot, int i) -> const Key& {
    return keys[(slot * 7919 + i) % keys.size()];
  };
  auto fact_request = [&](int slot, int i) {
    crosscheck::v1::GetFactRequest request;
    request.set_story_id(key(slot, i).story);
    request.set_fact_key(key(slot, i).fact);
    return request.SerializeAsString();
  };
  auto story_request = [&](crosscheck::v1::FactView view) {
    return [&, view](int slot, int i) {
      crosscheck::v1::SearchFactsRequest request;
      request.set_story_id(key(slot, i).story);
      request.set_page_size(50);
      request.set_view(view);
      return request.SerializeAsString();
    };
  };
  // Answers are taken as bytes unless the row decodes them.
  auto not_empty = [](grpc::ByteBuffer* answer) {
    return answer->Length() > 0;
  };
  const char* kGetFact = "/crosscheck.v1.Crosscheck/GetFact";
  const char* kSearchFacts = "/crosscheck.v1.Crosscheck/SearchFacts";
  const Row echo{"echo", "/grpc.health.v1.Health/Check",
                 [](int, int) { return std::string(); }, not_empty};
  const std::vector<Row> rows = {
      {"GetFact", kGetFact, fact_request, not_empty},
      {"GetFact+decode", kGetFact, fact_request,
       [](grpc::ByteBuffer* answer) {
         crosscheck::v1::FactComparison fact;
         return grpc::SerializationTraits<
                    crosscheck::v1::FactComparison>::Deserialize(answer, &fact)
                    .ok() &&
                fact.groups_size() > 0;
       }},
      {"SearchFacts", kSearchFacts,
       story_request(crosscheck::v1::FACT_VIEW_UNSPECIFIED), not_empty},
      {"SearchFacts+decode", kSearchFacts,
       story_request(crosscheck::v1::FACT_VIEW_UNSPECIFIED),
       [](grpc::ByteBuffer* answer) {
         crosscheck::v1::SearchFactsResponse page;
         return grpc::SerializationTraits<
                    crosscheck::v1::SearchFactsResponse>::Deserialize(answer,
                                                                      &page)
                    .ok() &&
                page.facts_size() > 0;
       }},
      // A story's facts without their claims, as a list of facts shows
      // them.
      {"SearchFacts basic", kSearchFacts,
       story_request(crosscheck::v1::FACT_VIEW_BASIC), not_empty},
  };
  // What each row runs for in one round (the rounds: top of this file).
  const double slice = seconds / rounds;
  auto measure = [&](int in_flight, const Row& row) {
    const CpuTicks before = crosscheck::bench::ReadCpuTicks();
    Sample sample =
        client_mode == "threads"
            ? MeasureThreads(channels, in_flight, slice, row)
            : MeasureAsync(channels, in_flight, slice, client_threads, row);
    sample.cpu = crosscheck::bench::TicksBetween(
        before, crosscheck::bench::ReadCpuTicks());
    return sample;
  };
  if (client_mode == "threads") {
    std::printf("load: a thread per call in flight");
  } else {
    std::printf("load: %d thread(s), each with a completion queue",
                client_threads);
  }
  std::printf("; %d round(s) of %.2f s a row\n", rounds, slice);
  std::vector<const Row*> measured = {&echo};
  for (const Row& row : rows) {
    if (only.empty() ||
        std::find(only.begin(), only.end(), row.name) != only.end()) {
      measured.push_back(&row);
    }
  }
  std::printf("%-18s %9s %10s %9s %9s %7s %8s %13s %9s %6s\n", "call",
              "in flight", "calls/s", "p50 ms", "p99 ms", "failed", "vs echo",
              "rounds", "bytes", "steal");
  for (int in_flight : in_flights) {
    // By row, as `measured`: every round's calls, and each round's share of
    // that round's echo.
    std::vector<Sample> total(measured.size());
    std::vector<std::vector<double>> shares(measured.size());
    for (int round = 0; round < rounds; ++round) {
      double echo_rate = 0;
      for (size_t k = 0; k < measured.size(); ++k) {
        const Sample sample = measure(in_flight, *measured[k]);
        if (per_round) {
          const Result r = Summarize(sample);
          std::printf("  round %d %-18s %9d %10.0f %9.3f steal %.1f%%\n",
                      round + 1, measured[k]->name, in_flight, r.calls_per_s,
                      r.p99_ms, r.steal_percent);
        }
        if (k == 0) echo_rate = sample.CallsPerSecond();
        if (echo_rate > 0) {
          shares[k].push_back(100 * sample.CallsPerSecond() / echo_rate);
        }
        total[k].Merge(sample);
      }
    }
    const double echo_rate = total[0].CallsPerSecond();
    for (size_t k = 0; k < measured.size(); ++k) {
      const Result r = Summarize(total[k]);
      std::string share, range;
      if (k > 0 && echo_rate > 0) {
        share = absl::StrFormat("%.0f%%", 100 * r.calls_per_s / echo_rate);
        const auto [low, high] =
            std::minmax_element(shares[k].begin(), shares[k].end());
        if (rounds > 1 && low != shares[k].end()) {
          range = absl::StrFormat("%.0f-%.0f%%", *low, *high);
        }
      }
      std::printf("%-18s %9d %10.0f %9.3f %9.3f %7d %8s %13s %9.0f %5.1f%%\n",
                  measured[k]->name, in_flight, r.calls_per_s, r.p50_ms,
                  r.p99_ms, r.failed, share.c_str(), range.c_str(),
                  r.answer_bytes, r.steal_percent);
    }
  }
  return 0;
}
