// Writes a synthetic corpus to a folder: one text file per article and a
// manifest.jsonl for `crosscheck ingest --manifest`. Deterministic.
//
//   build/tests/make_corpus --out DIR [--docs N] [--first K] [--stories S]
//   [--corrupt I] [--style flood|news] [--seed X]
//
// --style flood (the default) writes the tests' one-shape flood stories
// (--stories of them); --style news writes bench/news_corpus.h's stories of
// 5-50 outlets with evolving tolls, disagreements and copied sentences.
// --corrupt I writes article I with invalid UTF-8, to see one bad document
// refused while the rest are stored.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/news_corpus.h"
#include "google/protobuf/util/json_util.h"
#include "tests/article_generator.h"

int main(int argc, char** argv) {
  CLI::App app{"make_corpus: synthetic news articles for benchmarks"};
  std::string out;
  int docs = 1000, first = 0, stories = 0, corrupt = -1;
  app.add_option("--out", out, "folder to write")->required();
  app.add_option("--docs", docs, "how many articles")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--first", first, "number of the first article")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--stories", stories,
                 "stories to spread them over (default docs/20)");
  app.add_option("--corrupt", corrupt,
                 "article number to write with invalid UTF-8");
  std::string style = "flood";
  uint64_t seed = 1;
  app.add_option("--style", style, "flood or news")
      ->check(CLI::IsMember({"flood", "news"}));
  app.add_option("--seed", seed, "seed of the news style");
  CLI11_PARSE(app, argc, argv);
  // The news corpus is laid out for first + docs articles, so that a later
  // --first continues the same feed.
  const crosscheck::bench::NewsCorpus news(style == "news" ? first + docs : 0,
                                           seed);
  if (stories <= 0) stories = docs / 20 > 0 ? docs / 20 : 1;
  std::filesystem::create_directories(out);
  std::ofstream manifest(out + "/manifest.jsonl");
  for (int n = first; n < first + docs; ++n) {
    crosscheck::v1::Document doc =
        style == "news" ? news.Article(n)
                        : crosscheck::testing::MakeFloodArticle(n, stories);
    if (n == corrupt) doc.set_text("Broken \xC3\x28 bytes in an article.");
    const std::string name = absl::StrFormat("%08d.txt", n);
    std::ofstream(out + "/" + name, std::ios::binary) << doc.text();
    std::string id, source;
    manifest << absl::StrCat("{\"id\":\"", doc.id(), "\",\"source\":\"",
                             doc.source(), "\",\"published\":\"",
                             doc.published(), "\",\"story\":\"", doc.story_id(),
                             "\",\"path\":\"", name, "\"}\n");
  }
  if (!manifest) {
    std::cerr << "make_corpus: cannot write " << out << "/manifest.jsonl\n";
    return 1;
  }
  std::cout << "wrote " << docs << " articles and manifest.jsonl to " << out
            << "\n";
  return 0;
}
