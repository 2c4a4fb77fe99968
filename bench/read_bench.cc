// The cost of a first read of a fact inside the server process, without
// gRPC or the network: what GetFact does when no answer is kept. Opens a
// data directory load_bench left, samples the facts of --stories stories
// (seeded), then reads each of them --rounds times, timing apart the three
// steps of a read: the fact's claims from the store (FactClaims), their
// comparison (CompareFact) and the answer's bytes (SerializeAsString).
//
//   build/bench/read_bench --data_dir /tmp/cc-100k
//
// Single-threaded, so `valgrind --tool=callgrind` over a small
// --stories/--rounds gives instruction counts that repeat.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "claims/fact_comparator.h"
#include "storage/claim_store.h"

namespace {

using crosscheck::storage::ClaimStore;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"read_bench: the steps of a first read of a fact"};
  std::string data_dir;
  int stories = 300, rounds = 20;
  uint64_t seed = 1;
  app.add_option("--data_dir", data_dir)->required();
  app.add_option("--stories", stories, "stories to sample facts from")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--rounds", rounds, "reads of each sampled fact")
      ->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);

  ClaimStore::Options options;
  auto store = ClaimStore::Open(data_dir, options);
  if (!store.ok()) {
    std::fprintf(stderr, "read_bench: %s\n",
                 std::string(store.status().message()).c_str());
    return 1;
  }
  auto view = (*store)->NewView();
  std::vector<std::string> story_ids;
  absl::Status s = view->ForEachStoryDocument(
      true, "", [&](const ClaimStore::View::StoryDocument& doc) {
        if (story_ids.empty() || story_ids.back() != doc.story_id) {
          story_ids.emplace_back(doc.story_id);
        }
      });
  if (!s.ok() || story_ids.empty()) {
    std::fprintf(stderr, "read_bench: no stories in %s\n", data_dir.c_str());
    return 1;
  }
  std::mt19937_64 random(seed);
  std::shuffle(story_ids.begin(), story_ids.end(), random);
  story_ids.resize(std::min<size_t>(story_ids.size(), stories));
  std::vector<ClaimStore::FactId> facts;
  for (const std::string& story : story_ids) {
    s = view->ForEachFact(false, story, nullptr,
                          [&](const ClaimStore::FactId& id) {
                            facts.push_back(id);
                            return true;
                          });
    if (!s.ok()) {
      std::fprintf(stderr, "read_bench: %s\n",
                   std::string(s.message()).c_str());
      return 1;
    }
  }
  std::printf("%zu stories, %zu facts sampled\n", story_ids.size(),
              facts.size());

  Clock::duration read{}, compare{}, serialize{};
  uint64_t claims = 0, bytes = 0, reads = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const ClaimStore::FactId& id : facts) {
      const Clock::time_point t0 = Clock::now();
      auto members = view->FactClaims(id);
      const Clock::time_point t1 = Clock::now();
      if (!members.ok()) {
        std::fprintf(stderr, "read_bench: %s\n",
                     std::string(members.status().message()).c_str());
        return 1;
      }
      claims += members->size();
      crosscheck::v1::FactComparison fact = crosscheck::claims::CompareFact(
          id.story_id, id.fact_key, std::move(*members));
      const Clock::time_point t2 = Clock::now();
      bytes += fact.SerializeAsString().size();
      const Clock::time_point t3 = Clock::now();
      read += t1 - t0;
      compare += t2 - t1;
      serialize += t3 - t2;
      ++reads;
    }
  }
  const double total = Seconds(read + compare + serialize);
  std::printf("%.1f claims and %.0f answer bytes a fact\n",
              static_cast<double>(claims) / reads,
              static_cast<double>(bytes) / reads);
  std::printf(
      "%.0f facts/s; per fact %.1f us: read %.1f, compare %.1f, "
      "serialize %.1f\n",
      reads / total, 1e6 * total / reads, 1e6 * Seconds(read) / reads,
      1e6 * Seconds(compare) / reads, 1e6 * Seconds(serialize) / reads);
  return 0;
}
