// The cost of a first read of a fact inside the server process, without
// gRPC or the network: what GetFact does when no answer is kept. Opens a
// data directory load_bench left, samples the facts of --stories stories
// (seeded), then reads each of them --rounds times each way, timing apart
// the steps of a read: the fact's claims from the store (FactClaims),
// their comparison, the answer's bytes, and freeing what the read made.
// Two ways are timed, in alternate rounds: the claims parsed whole
// (FactClaims), compared (CompareFact) and serialized (SerializeAsString);
// and the claims' stored bytes (FactClaimBytes) read for the comparison
// alone (ReadClaimToCompare), compared without their claims
// (CompareFactWithoutClaims) and written with those bytes
// (SerializeFactWithClaims), as crosscheckd answers.
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
#include "claims/claim_reader.h"
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

  // The two ways of reading a fact, in alternate rounds so that both see
  // the machine in the same state: its claims parsed whole, compared and
  // serialized (`message`), and its claims' stored bytes read for the
  // comparison alone and carried into the answer as they are (`stored
  // bytes`, what crosscheckd does).
  struct Steps {
    Clock::duration read{}, compare{}, write{}, free{};
    uint64_t claims = 0, bytes = 0, reads = 0;
  };
  Steps ways[2];
  for (int round = 0; round < 2 * rounds; ++round) {
    const bool from_bytes = round % 2 == 1;
    Steps& steps = ways[from_bytes ? 1 : 0];
    for (const ClaimStore::FactId& id : facts) {
      Clock::time_point t0, t1, t2, t3;
      {
        t0 = Clock::now();
        std::vector<crosscheck::v1::Claim> members;
        std::vector<std::string> claim_bytes;
        if (from_bytes) {
          auto read = view->FactClaimBytes(id);
          if (read.ok()) claim_bytes = std::move(*read);
          if (!crosscheck::claims::ReadClaimsToCompare(claim_bytes, &members)) {
            std::fprintf(stderr, "read_bench: a claim does not parse\n");
            return 1;
          }
        } else {
          auto read = view->FactClaims(id);
          if (read.ok()) members = std::move(*read);
        }
        t1 = Clock::now();
        if (members.empty()) {
          std::fprintf(stderr, "read_bench: fact %s of %s is gone\n",
                       id.fact_key.c_str(), id.story_id.c_str());
          return 1;
        }
        steps.claims += members.size();
        std::string answer;
        if (from_bytes) {
          crosscheck::claims::ClaimPlaces places;
          crosscheck::v1::FactComparison fact =
              crosscheck::claims::CompareFactWithoutClaims(
                  id.story_id, id.fact_key, members, &places);
          t2 = Clock::now();
          answer = crosscheck::claims::SerializeFactWithClaims(
              &fact, places, members, claim_bytes);
        } else {
          crosscheck::v1::FactComparison fact = crosscheck::claims::CompareFact(
              id.story_id, id.fact_key, std::move(members));
          t2 = Clock::now();
          answer = fact.SerializeAsString();
        }
        t3 = Clock::now();
        steps.bytes += answer.size();
      }
      const Clock::time_point t4 = Clock::now();
      steps.read += t1 - t0;
      steps.compare += t2 - t1;
      steps.write += t3 - t2;
      steps.free += t4 - t3;
      ++steps.reads;
    }
  }
  std::printf("%.1f claims and %.0f answer bytes a fact\n",
              static_cast<double>(ways[0].claims) / ways[0].reads,
              static_cast<double>(ways[0].bytes) / ways[0].reads);
  for (int way = 0; way < 2; ++way) {
    const Steps& steps = ways[way];
    const double total =
        Seconds(steps.read + steps.compare + steps.write + steps.free);
    const double n = static_cast<double>(steps.reads);
    std::printf(
        "%-13s %.0f facts/s; per fact %.1f us: read %.1f, compare %.1f, "
        "write %.1f, free %.1f\n",
        way == 0 ? "message" : "stored bytes", n / total, 1e6 * total / n,
        1e6 * Seconds(steps.read) / n, 1e6 * Seconds(steps.compare) / n,
        1e6 * Seconds(steps.write) / n, 1e6 * Seconds(steps.free) / n);
  }
  return 0;
}
