// Extraction throughput, single-threaded: all four claim kinds over whole
// news articles. Files come from CROSSCHECK_BENCH_FILES (colon-separated) or
// the seeds in ../shared and the examples. Rates are on wall-clock time, as
// bench/peers/speed.js measures the peers: a thread's CPU time leaves out
// the moments the machine gives to others.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "claims/extractor.h"
#include "claims/fact_grouper.h"

namespace {

std::vector<std::string> LoadTexts() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("CROSSCHECK_BENCH_FILES")) {
    paths = absl::StrSplit(env, ':', absl::SkipEmpty());
  }
  std::vector<std::string> texts;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!buffer.str().empty()) texts.push_back(buffer.str());
  }
  return texts;
}

const std::vector<std::string>& Texts() {
  static const auto* texts = new std::vector<std::string>(LoadTexts());
  return *texts;
}

// The texts to extract from; nullptr, with the benchmark marked skipped,
// when there are none.
const std::vector<std::string>* TextsOrSkip(benchmark::State& state) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("set CROSSCHECK_BENCH_FILES to article files");
    return nullptr;
  }
  return &texts;
}

// Document after document into one field of claims, as `crosscheck
// extract` does over many files: each extraction reuses the messages the
// one before it left.
void BM_ExtractArticles(benchmark::State& state) {
  const auto* texts = TextsOrSkip(state);
  if (texts == nullptr) return;
  size_t bytes = 0, claims = 0;
  google::protobuf::RepeatedPtrField<crosscheck::v1::Claim> found;
  for (auto _ : state) {
    for (const auto& text : *texts) {
      absl::Status status = crosscheck::claims::ExtractClaimsInto(
          {"doc", "src", text, absl::CivilDay(2015, 12, 15)}, {}, &found);
      if (!status.ok()) {
        state.SkipWithError(std::string(status.message()).c_str());
        return;
      }
      claims += static_cast<size_t>(found.size());
      bytes += text.size();
      benchmark::DoNotOptimize(found);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["claims_per_round"] =
      static_cast<double>(claims) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ExtractArticles)->MinTime(2.0)->UseRealTime();

// Each document's claims in a new vector, made and destroyed: ExtractClaims
// as the server's ingest calls it.
void BM_ExtractArticlesNewClaims(benchmark::State& state) {
  const auto* texts = TextsOrSkip(state);
  if (texts == nullptr) return;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& text : *texts) {
      auto found = crosscheck::claims::ExtractClaims(
          {"doc", "src", text, absl::CivilDay(2015, 12, 15)});
      bytes += text.size();
      benchmark::DoNotOptimize(found);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ExtractArticlesNewClaims)->MinTime(2.0)->UseRealTime();

// Extraction plus grouping into facts, as ingest does for a story.
void BM_ExtractAndGroup(benchmark::State& state) {
  const auto* texts = TextsOrSkip(state);
  if (texts == nullptr) return;
  size_t bytes = 0;
  for (auto _ : state) {
    crosscheck::claims::FactGrouper grouper;
    for (const auto& text : *texts) {
      auto found = crosscheck::claims::ExtractClaims(
          {"doc", "src", text, absl::CivilDay(2015, 12, 15)});
      for (auto& claim : *found) grouper.Assign(&claim);
      bytes += text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ExtractAndGroup)->MinTime(2.0)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
