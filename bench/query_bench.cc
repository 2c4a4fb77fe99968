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
// Echo, GetFact and SearchFacts take their answers as bytes, as a proxy or
// cache in front of crosscheckd would: those rows measure the server. The
// "+decode" rows also parse each answer into its message in the client,
// which on a machine shared by client and server takes CPU from the server
// too. "SearchFacts basic" asks for the facts without their claims
// (FACT_VIEW_BASIC), as a list of facts shows them.

#include <algorithm>
#include <atomic>
#include <chrono>
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
#include "client/crosscheck_client.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  double calls_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int failed = 0;
};

// Runs `call` from `in_flight` threads for `seconds`.
Result Measure(int in_flight, double seconds,
               const std::function<bool(int thread, int i)>& call) {
  std::vector<std::vector<double>> ms(in_flight);
  std::atomic<int> failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int t = 0; t < in_flight; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const auto begin = Clock::now();
        if (!call(t, i)) ++failed;
        ms[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin)
                .count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Result r;
  r.calls_per_s = all.size() / elapsed;
  r.p50_ms = all.empty() ? 0 : all[all.size() / 2];
  r.p99_ms =
      all.empty() ? 0 : all[std::min(all.size() - 1, all.size() * 99 / 100)];
  r.failed = failed;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"query_bench: GetFact and SearchFacts against an echo call"};
  std::string server = "127.0.0.1:50051";
  double seconds = 10;
  app.add_option("--server", server);
  app.add_option("--seconds", seconds, "per measurement");
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
  std::vector<std::unique_ptr<crosscheck::v1::Crosscheck::Stub>> stubs;
  for (int i = 0; i < kMaxInFlight; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // Distinct channels, not one shared.
    channels.push_back(grpc::CreateCustomChannel(
        server, grpc::InsecureChannelCredentials(), args));
    stubs.push_back(crosscheck::v1::Crosscheck::NewStub(channels.back()));
  }
  auto deadline = [] {
    return std::chrono::system_clock::now() + std::chrono::seconds(10);
  };
  auto echo = [&](int t, int) {
    grpc::GenericStub stub(channels[t]);
    grpc::ClientContext context;
    context.set_deadline(deadline());
    grpc::Slice empty;
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/grpc.health.v1.Health/Check",
                   grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) { done.set_value(s); });
    return done.get_future().get().ok();
  };
  // One call on raw bytes; true when it succeeded with a non-empty answer.
  auto raw_call = [&](int t, const char* method,
                      const google::protobuf::Message& message) {
    grpc::Slice bytes(message.SerializeAsString());
    grpc::GenericStub stub(channels[t]);
    grpc::ClientContext context;
    context.set_deadline(deadline());
    grpc::ByteBuffer request(&bytes, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) { done.set_value(s); });
    return done.get_future().get().ok() && response.Length() > 0;
  };
  auto get_fact = [&](int t, int i) {
    const Key& k = keys[(t * 7919 + i) % keys.size()];
    crosscheck::v1::GetFactRequest request;
    request.set_story_id(k.story);
    request.set_fact_key(k.fact);
    return raw_call(t, "/crosscheck.v1.Crosscheck/GetFact", request);
  };
  auto search_story = [&](int t, int i) {
    const Key& k = keys[(t * 7919 + i) % keys.size()];
    crosscheck::v1::SearchFactsRequest request;
    request.set_story_id(k.story);
    request.set_page_size(50);
    return raw_call(t, "/crosscheck.v1.Crosscheck/SearchFacts", request);
  };
  // A story's facts without their claims, as a list of facts shows them.
  auto search_story_basic = [&](int t, int i) {
    const Key& k = keys[(t * 7919 + i) % keys.size()];
    crosscheck::v1::SearchFactsRequest request;
    request.set_story_id(k.story);
    request.set_page_size(50);
    request.set_view(crosscheck::v1::FACT_VIEW_BASIC);
    return raw_call(t, "/crosscheck.v1.Crosscheck/SearchFacts", request);
  };
  auto get_fact_decoded = [&](int t, int i) {
    const Key& k = keys[(t * 7919 + i) % keys.size()];
    crosscheck::v1::GetFactRequest request;
    request.set_story_id(k.story);
    request.set_fact_key(k.fact);
    crosscheck::v1::FactComparison response;
    grpc::ClientContext context;
    context.set_deadline(deadline());
    return stubs[t]->GetFact(&context, request, &response).ok() &&
           response.groups_size() > 0;
  };
  auto search_story_decoded = [&](int t, int i) {
    const Key& k = keys[(t * 7919 + i) % keys.size()];
    crosscheck::v1::SearchFactsRequest request;
    request.set_story_id(k.story);
    request.set_page_size(50);
    crosscheck::v1::SearchFactsResponse response;
    grpc::ClientContext context;
    context.set_deadline(deadline());
    return stubs[t]->SearchFacts(&context, request, &response).ok() &&
           response.facts_size() > 0;
  };
  std::printf("%-18s %9s %10s %9s %9s %7s %12s\n", "call", "in flight",
              "calls/s", "p50 ms", "p99 ms", "failed", "vs echo");
  for (int in_flight : in_flights) {
    const Result base = Measure(in_flight, seconds, echo);
    std::printf("%-18s %9d %10.0f %9.3f %9.3f %7d %12s\n", "echo", in_flight,
                base.calls_per_s, base.p50_ms, base.p99_ms, base.failed, "");
    for (auto [name, fn] :
         {std::pair<const char*, std::function<bool(int, int)>>{"GetFact",
                                                                get_fact},
          {"GetFact+decode", get_fact_decoded},
          {"SearchFacts", search_story},
          {"SearchFacts+decode", search_story_decoded},
          {"SearchFacts basic", search_story_basic}}) {
      if (!only.empty() &&
          std::find(only.begin(), only.end(), name) == only.end()) {
        continue;
      }
      const Result r = Measure(in_flight, seconds, fn);
      std::printf("%-18s %9d %10.0f %9.3f %9.3f %7d %11.0f%%\n", name,
                  in_flight, r.calls_per_s, r.p50_ms, r.p99_ms, r.failed,
                  100 * r.calls_per_s / base.calls_per_s);
    }
  }
  return 0;
}
