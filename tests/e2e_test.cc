// End-to-end: the real crosscheckd and crosscheck binaries.

#include <signal.h>

#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/process.h"
#include "tests/test_dir.h"

namespace crosscheck {
namespace {

using testing::ChildProcess;
using testing::CommandResult;
using testing::RunCommand;
using testing::TestDir;

const std::string kDaemon = CROSSCHECKD_PATH;
const std::string kCli = CROSSCHECK_PATH;
const std::string kShared = SHARED_DIR;
const std::string kMakeCorpus = MAKE_CORPUS_PATH;

constexpr char kArticle[] =
    "Flood toll rises\nThe flood killed at least 40 people in Dhaka on "
    "Monday, officials said.";

TEST(EndToEndTest, IngestGetAndRestartKeepsTheDocument) {
  TestDir dir;
  const std::string data = dir.Sub("data");
  const std::string file = dir.Write("a.txt", kArticle);
  std::string server;
  {
    ChildProcess daemon(
        {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", data});
    server = testing::ReadDaemonAddress(&daemon);
    ASSERT_FALSE(server.empty());
    CommandResult ingest =
        RunCommand({kCli, "--server", server, "ingest", "--id", "flood-1",
                    "--source", "Daily", "--published", "2024-07-02", file});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    EXPECT_NE(ingest.out.find("stored, version 1"), std::string::npos);
    daemon.Signal(SIGTERM);
    EXPECT_EQ(daemon.Wait(), 0);
  }
  ChildProcess daemon({kDaemon, "--listen", "127.0.0.1:0", "--data_dir", data});
  server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  CommandResult get = RunCommand({kCli, "--server", server, "get", "flood-1"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_NE(get.out.find("\"text\":\"Flood toll rises\\nThe flood killed"),
            std::string::npos)
      << get.out;
  EXPECT_NE(get.out.find("\"predicate\":\"killed\""), std::string::npos);
  EXPECT_NE(get.out.find("\"start\":\"2024-07-01\""), std::string::npos)
      << "Monday before Tuesday 2024-07-02";
  // The facts table quotes each value's evidence; --basic lists the facts
  // without their claims, so it has values and sources but no quotation.
  CommandResult facts = RunCommand({kCli, "--server", server, "facts"});
  ASSERT_EQ(facts.exit_code, 0) << facts.err;
  EXPECT_NE(facts.out.find("at least 40"), std::string::npos) << facts.out;
  EXPECT_NE(facts.out.find("\u201C"), std::string::npos) << facts.out;
  CommandResult basic =
      RunCommand({kCli, "--server", server, "facts", "--basic"});
  ASSERT_EQ(basic.exit_code, 0) << basic.err;
  EXPECT_NE(basic.out.find("at least 40"), std::string::npos) << basic.out;
  EXPECT_NE(basic.out.find("Daily"), std::string::npos) << basic.out;
  EXPECT_EQ(basic.out.find("\u201C"), std::string::npos) << basic.out;
  CommandResult basic_json =
      RunCommand({kCli, "--server", server, "--json", "facts", "--basic"});
  ASSERT_EQ(basic_json.exit_code, 0) << basic_json.err;
  EXPECT_NE(basic_json.out.find("\"sources\":[\"Daily\"]"), std::string::npos)
      << basic_json.out;
  EXPECT_EQ(basic_json.out.find("\"claims\""), std::string::npos)
      << basic_json.out;
  // The story index and the document count were kept across the restart.
  CommandResult sources = RunCommand({kCli, "--server", server, "sources"});
  ASSERT_EQ(sources.exit_code, 0) << sources.err;
  EXPECT_NE(sources.out.find("Daily"), std::string::npos) << sources.out;
  CommandResult stats =
      RunCommand({kCli, "--server", server, "admin", "stats"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(stats.out.rfind("1 documents,", 0), 0u) << stats.out;
}

// `facts` asks for each next page while it prints the last one: every
// fact comes once, in the store's order, whatever the page size.
TEST(EndToEndTest, FactsPrintsEveryFactOnceAcrossPages) {
  TestDir dir;
  ChildProcess daemon(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  std::vector<std::string> ingest = {kCli,          "--server",  server,
                                     "ingest",      "--source",  "Wire",
                                     "--published", "2024-07-02"};
  for (const auto& entry :
       std::filesystem::directory_iterator(kShared + "/seeds")) {
    if (entry.path().extension() == ".txt") ingest.push_back(entry.path());
  }
  ASSERT_EQ(ingest.size(), 13u) << "the five seed articles";
  CommandResult stored = RunCommand(ingest);
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  std::string whole;
  for (const char* page_size : {"500", "7", "1"}) {
    CommandResult facts = RunCommand({kCli, "--server", server, "--json",
                                      "facts", "--page_size", page_size});
    ASSERT_EQ(facts.exit_code, 0) << facts.err;
    if (whole.empty()) {
      whole = facts.out;
      std::set<std::string> keys;
      const std::vector<std::string> lines =
          absl::StrSplit(whole, '\n', absl::SkipEmpty());
      ASSERT_GT(lines.size(), 7u) << "more than one page of 7";
      for (const std::string& line : lines) {
        const size_t at = line.find("\"factKey\":\"");
        ASSERT_NE(at, std::string::npos) << line;
        EXPECT_TRUE(
            keys.insert(line.substr(at, line.find('"', at + 11) - at)).second)
            << "printed twice: " << line;
      }
    } else {
      EXPECT_EQ(facts.out, whole) << "--page_size " << page_size;
    }
  }
}

// A sentence three outlets carry word for word is one copied sentence:
// its first source, its words, and each outlet that repeated it once,
// in the JSON and in the table; the copies count once as a source.
TEST(EndToEndTest, ACopiedSentenceIsNamedOnceWithTheSourcesThatRepeatIt) {
  TestDir dir;
  ChildProcess daemon(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  const std::string copied = "Rescue teams say 30 people are missing.";
  struct Article {
    const char* id;
    const char* source;
    const char* published;
    std::string text;
  };
  // Post carries the sentence in two documents, after Ledger; Wire has
  // its own words.
  const Article articles[] = {
      {"post-1", "Post", "2024-03-13", copied},
      {"ledger-1", "Ledger", "2024-03-12", copied},
      {"courier-1", "Courier", "2024-03-14", copied},
      {"post-2", "Post", "2024-03-15", copied},
      {"wire-1", "Wire", "2024-03-13",
       "The fire service said 30 people were missing."},
  };
  for (const Article& a : articles) {
    const std::string file = dir.Write(std::string(a.id) + ".txt",
                                       absl::StrCat("Dam breach\n", a.text));
    CommandResult ingest = RunCommand(
        {kCli, "--server", server, "ingest", "--id", a.id, "--source", a.source,
         "--published", a.published, "--story", "dam", file});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }
  CommandResult json = RunCommand(
      {kCli, "--server", server, "--json", "facts", "--story", "dam"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"sourceCount\":4,\"independentSourceCount\":2"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find(absl::StrCat(
                "\"copies\":[{\"originalSource\":\"Ledger\",\"sentence\":\"",
                copied, "\",\"copySources\":[\"Post\",\"Courier\"]}]")),
            std::string::npos)
      << json.out;
  CommandResult table =
      RunCommand({kCli, "--server", server, "facts", "--story", "dam"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("[4 sources, 2 independent]"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Courier (copy), Ledger, Post (copy), Wire"),
            std::string::npos)
      << table.out;
}

TEST(EndToEndTest, StoreStatisticsArePrintedAtShutdown) {
  TestDir dir;
  ChildProcess daemon({kDaemon, "--listen", "127.0.0.1:0", "--data_dir",
                       dir.Sub("data"), "--store_statistics"});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  const std::string file = dir.Write("a.txt", kArticle);
  ASSERT_EQ(RunCommand({kCli, "--server", server, "ingest", "--id", "flood-1",
                        "--source", "Daily", "--published", "2024-07-02", file})
                .exit_code,
            0);
  daemon.Signal(SIGTERM);
  std::string line, lookups;
  while (daemon.ReadLine(&line)) {
    if (line.rfind("point_lookups ", 0) == 0) lookups = line;
  }
  EXPECT_EQ(daemon.Wait(), 0);
  // The ingest looked the new id up before writing it.
  ASSERT_FALSE(lookups.empty());
  EXPECT_NE(lookups, "point_lookups 0");
}

TEST(EndToEndTest, BadInputsFailWithAMessageAndChangeNothing) {
  TestDir dir;
  ChildProcess daemon({kDaemon, "--listen", "127.0.0.1:0", "--data_dir",
                       dir.Sub("data"), "--max_document_bytes", "200"});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  const std::string good = dir.Write("good.txt", kArticle);
  ASSERT_EQ(RunCommand({kCli, "--server", server, "ingest", "--id", "d",
                        "--source", "S", "--published", "2024-07-02", good})
                .exit_code,
            0);
  struct Case {
    std::string id, file, published, message;
  };
  const Case cases[] = {
      {"d", dir.Write("bad.txt", "ok \xFF bytes"), "2024-07-02",
       "not valid UTF-8 at byte 3"},
      {"d", dir.Write("big.txt", std::string(201, 'x')), "2024-07-02",
       "over the limit of 200"},
      {"", good, "2024-07-02", "id is empty"},
      {"d", good, "July 2nd", "does not parse"},
  };
  for (const Case& c : cases) {
    CommandResult r =
        RunCommand({kCli, "--server", server, "ingest", "--id", c.id,
                    "--source", "Other", "--published", c.published, c.file});
    EXPECT_NE(r.exit_code, 0) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  CommandResult get = RunCommand({kCli, "--server", server, "get", "d"});
  ASSERT_EQ(get.exit_code, 0);
  EXPECT_NE(get.out.find("\"source\":\"S\""), std::string::npos);
  EXPECT_NE(get.out.find("\"version\":\"1\""), std::string::npos) << get.out;
  CommandResult missing = RunCommand({kCli, "--server", server, "get", "zz"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("no document with id 'zz'"), std::string::npos);
}

TEST(EndToEndTest, TokensAreCheckedAndReloadedOnSighup) {
  TestDir dir;
  // Token hashes as an operator makes them: printf %s TOKEN | sha256sum.
  CommandResult hash_w = RunCommand({"/usr/bin/sha256sum"}, "w-token");
  CommandResult hash_r = RunCommand({"/usr/bin/sha256sum"}, "r-token");
  ASSERT_EQ(hash_w.exit_code, 0);
  dir.Write("tokens", "writer " + hash_w.out.substr(0, 64) + " newsroom-bot\n");
  ChildProcess daemon({kDaemon, "--listen", "127.0.0.1:0", "--data_dir",
                       dir.Sub("data"), "--tokens_file", dir.Sub("tokens")});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  const std::string file = dir.Write("a.txt", kArticle);
  const std::vector<std::string> ingest = {
      kCli,       "--server", server,        "ingest",     "--id", "a",
      "--source", "S",        "--published", "2024-07-02", file};
  CommandResult none = RunCommand(ingest);
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("needs a bearer token"), std::string::npos)
      << none.err;
  std::vector<std::string> with_token = ingest;
  with_token.insert(with_token.begin() + 1, {"--token", "w-token"});
  EXPECT_EQ(RunCommand(with_token).exit_code, 0);
  // The reader token works once the file names it and SIGHUP rereads it.
  const std::vector<std::string> get = {
      kCli, "--server", server, "--token", "r-token", "get", "a"};
  EXPECT_NE(RunCommand(get).exit_code, 0);
  dir.Write("tokens", "writer " + hash_w.out.substr(0, 64) + "\nreader " +
                          hash_r.out.substr(0, 64) + "\n");
  daemon.Signal(SIGHUP);
  std::string line;
  ASSERT_TRUE(daemon.ReadLine(&line));
  EXPECT_NE(line.find("tokens reloaded"), std::string::npos) << line;
  EXPECT_EQ(RunCommand(get).exit_code, 0);
  std::vector<std::string> reader_ingest = ingest;
  reader_ingest.insert(reader_ingest.begin() + 1, {"--token", "r-token"});
  CommandResult denied = RunCommand(reader_ingest);
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_NE(denied.err.find("needs the writer role"), std::string::npos)
      << denied.err;
}

TEST(EndToEndTest, UnreachableServerIsAOneLineError) {
  CommandResult r = RunCommand(
      {kCli, "--server", "127.0.0.1:1", "--deadline_ms", "2000", "get", "x"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
}

TEST(EndToEndTest, SecondDaemonOnTheSameDataDirIsRefused) {
  TestDir dir;
  ChildProcess daemon(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  ASSERT_FALSE(testing::ReadDaemonAddress(&daemon).empty());
  CommandResult second = RunCommand(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.err.find("in use by another process"), std::string::npos)
      << second.err;
}

// Position of the newest fact change, from `crosscheck admin stats --json`.
uint64_t LastChange(const std::string& server) {
  CommandResult stats =
      RunCommand({kCli, "--server", server, "admin", "stats", "--json"});
  std::smatch m;
  if (!std::regex_search(stats.out, m,
                         std::regex("\"lastChangePosition\":\"(\\d+)\""))) {
    return 0;
  }
  return std::stoull(m[1]);
}

// Reads `crosscheck watch --json` lines until the change at `last`; appends
// each position seen to `positions`.
void ReadChangesUntil(ChildProcess* watcher, uint64_t last,
                      std::vector<uint64_t>* positions) {
  std::string line;
  const std::regex position("\"position\":\"(\\d+)\"");
  while ((positions->empty() || positions->back() < last) &&
         watcher->ReadLine(&line, 30000)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, position)) << line;
    positions->push_back(std::stoull(m[1]));
  }
}

// The proof: 10,000 generated documents through `crosscheck ingest
// --manifest`, one corrupt; a watcher started before it sees every change
// once, also across a restart of crosscheckd in the middle.
TEST(EndToEndTest, BulkIngestOfTenThousandWithAWatcherAcrossARestart) {
  TestDir dir;
  const std::string corpus = dir.Sub("corpus");
  ASSERT_EQ(RunCommand({kMakeCorpus, "--out", corpus, "--docs", "10000",
                        "--corrupt", "4321"})
                .exit_code,
            0);
  const std::string data = dir.Sub("data");
  auto daemon = std::make_unique<ChildProcess>(std::vector<std::string>{
      kDaemon, "--listen", "127.0.0.1:0", "--data_dir", data});
  const std::string server = testing::ReadDaemonAddress(daemon.get());
  ASSERT_FALSE(server.empty());

  ChildProcess watcher(
      {kCli, "--server", server, "watch", "--json", "--after", "0"});
  CommandResult ingest = RunCommand({kCli, "--server", server, "ingest",
                                     "--manifest", corpus + "/manifest.jsonl"});
  EXPECT_EQ(ingest.exit_code, 2) << ingest.err;
  EXPECT_NE(ingest.out.find("10,000 documents: 9,999 stored (9,999 new, 0 "
                            "updated, 0 unchanged), 1 failed"),
            std::string::npos)
      << ingest.out;
  EXPECT_NE(ingest.out.find("failed doc-4321 ("), std::string::npos);
  EXPECT_NE(ingest.out.find("not valid UTF-8"), std::string::npos);
  EXPECT_NE(ingest.err.find("ingest: 10,000/10,000 documents"),
            std::string::npos)
      << ingest.err;
  EXPECT_EQ(RunCommand({kCli, "--server", server, "get", "doc-9999"}).exit_code,
            0);
  EXPECT_NE(RunCommand({kCli, "--server", server, "get", "doc-4321"}).exit_code,
            0);

  std::vector<uint64_t> positions;
  const uint64_t first_last = LastChange(server);
  ASSERT_GT(first_last, 10000u);
  ReadChangesUntil(&watcher, first_last, &positions);

  // Restart the server: the watcher loses its connection, reconnects and
  // resumes after the last change it printed.
  daemon->Signal(SIGTERM);
  ASSERT_EQ(daemon->Wait(), 0);
  daemon = std::make_unique<ChildProcess>(std::vector<std::string>{
      kDaemon, "--listen", server, "--data_dir", data});
  ASSERT_EQ(testing::ReadDaemonAddress(daemon.get()), server);
  // New stories, so the new documents make new facts.
  ASSERT_EQ(RunCommand({kMakeCorpus, "--out", dir.Sub("more"), "--docs", "50",
                        "--first", "10000", "--stories", "100000"})
                .exit_code,
            0);
  CommandResult more =
      RunCommand({kCli, "--server", server, "ingest", "--manifest",
                  dir.Sub("more/manifest.jsonl")});
  ASSERT_EQ(more.exit_code, 0) << more.out << more.err;
  ASSERT_EQ(
      RunCommand({kCli, "--server", server, "delete", "doc-10003"}).exit_code,
      0);
  const uint64_t last = LastChange(server);
  ASSERT_GT(last, first_last);
  ReadChangesUntil(&watcher, last, &positions);

  ASSERT_EQ(positions.size(), last);
  for (uint64_t i = 0; i < positions.size(); ++i) {
    ASSERT_EQ(positions[i], i + 1) << "each change once, in order";
  }
}

TEST(EndToEndTest, IngestDrawsAProgressBarOnATerminal) {
  TestDir dir;
  ASSERT_EQ(RunCommand({kMakeCorpus, "--out", dir.Sub("c"), "--docs", "200"})
                .exit_code,
            0);
  ChildProcess daemon(
      {kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir.Sub("data")});
  const std::string server = testing::ReadDaemonAddress(&daemon);
  ASSERT_FALSE(server.empty());
  // script(1) gives the client a terminal.
  CommandResult tty =
      RunCommand({"/usr/bin/script", "-qec",
                  kCli + " --server " + server + " ingest --manifest " +
                      dir.Sub("c/manifest.jsonl"),
                  "/dev/null"});
  ASSERT_EQ(tty.exit_code, 0) << tty.out;
  EXPECT_NE(tty.out.find("\r["), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("200/200 docs"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("docs/s"), std::string::npos);
  EXPECT_NE(tty.out.find("ETA"), std::string::npos);
  EXPECT_NE(tty.out.find("200 documents: 200 stored"), std::string::npos);
}

}  // namespace
}  // namespace crosscheck
