#ifndef CROSSCHECK_BENCH_NEWS_CORPUS_H_
#define CROSSCHECK_BENCH_NEWS_CORPUS_H_

#include <cstdint>
#include <vector>

#include "protos/crosscheck/v1/documents.pb.h"

namespace crosscheck::bench {

// A synthetic news corpus shaped like real coverage, for benchmarks at any
// size. Each story is one event (a flood, an earthquake, a fire, ...) in a
// made-up place, covered by 5 to 50 outlets over one to three days:
//   - the death toll evolves: early reports give lower figures, later ones
//     the final figure, and about one outlet in eight disagrees with a
//     figure of its own;
//   - injured and evacuated figures, the day of the event (relative,
//     "on Monday", or absolute, "on March 4"), a quote from an official
//     with the speaker named, sometimes a second one;
//   - about a third of the articles copy the wire's lead sentences word for
//     word, as outlets do;
//   - the rest of the ~5 KB is filler drawn from a pool of sentences, so
//     texts differ.
// Articles arrive interleaved over the stories being covered at the time
// (64 at once), as a newsroom feed does. Everything is deterministic in
// (documents, seed); article n is computed on its own, so threads can share
// one corpus.
class NewsCorpus {
 public:
  NewsCorpus(int documents, uint64_t seed);

  int documents() const { return static_cast<int>(schedule_.size()); }
  int stories() const { return static_cast<int>(outlets_.size()); }
  // Article n, 0 <= n < documents().
  v1::Document Article(int n) const;

 private:
  struct Slot {
    int story;
    int ordinal;  // Which of the story's articles, in time order.
  };
  uint64_t seed_;
  std::vector<Slot> schedule_;
  std::vector<int> outlets_;  // Articles per story.
};

}  // namespace crosscheck::bench

#endif  // CROSSCHECK_BENCH_NEWS_CORPUS_H_
