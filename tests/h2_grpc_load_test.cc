// The benchmarks' HTTP/2 load (bench/h2_grpc_load.cc) against the real
// crosscheckd: it counts only answers with grpc-status 0, and stops on any
// other status or on a request that is not a gRPC frame.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
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
const std::string kLoad = H2_GRPC_LOAD_PATH;

// A length-delimited protobuf field (short values only).
std::string Field(int number, const std::string& value) {
  return std::string(1, static_cast<char>(number << 3 | 2)) +
         static_cast<char>(value.size()) + value;
}

// The gRPC frame of `message`: uncompressed, its length big-endian.
std::string Frame(const std::string& message) {
  const uint32_t n = message.size();
  std::string frame(1, '\0');
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  return frame + message;
}

// The number after `key` in the load's line ("calls 12 calls/s ...").
int64_t Figure(const std::string& out, const std::string& key) {
  std::vector<std::string> words = absl::StrSplit(out, ' ');
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    double value = 0;
    if (words[i] == key && absl::SimpleAtod(words[i + 1], &value)) {
      return static_cast<int64_t>(value);
    }
  }
  return -1;
}

class H2GrpcLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        kDaemon, "--listen", "127.0.0.1:0", "--data_dir", dir_.Sub("data"),
        "--no_log_requests"});
    server_ = testing::ReadDaemonAddress(daemon_.get());
    ASSERT_FALSE(server_.empty());
    const std::string article = dir_.Write(
        "a.txt",
        "Flood toll rises\nThe flood killed at least 40 people in Dhaka on "
        "Monday, officials said.");
    CommandResult ingest = RunCommand(
        {kCli, "--server", server_, "ingest", "--id", "flood-1", "--story",
         "flood", "--source", "Daily", "--published", "2024-07-02", article});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }

  CommandResult Load(const std::string& path, const std::string& body,
                     const std::string& log_file = "") {
    std::vector<std::string> argv = {kLoad,
                                     "--server",
                                     server_,
                                     "--path",
                                     path,
                                     "--body",
                                     dir_.Write("body.bin", body),
                                     "--in_flight",
                                     "4",
                                     "--seconds",
                                     "0.5"};
    if (!log_file.empty()) {
      argv.push_back("--log_file");
      argv.push_back(log_file);
    }
    return RunCommand(argv);
  }

  TestDir dir_;
  std::unique_ptr<ChildProcess> daemon_;
  std::string server_;
};

TEST_F(H2GrpcLoadTest, CountsAnswersOfTheStoredPageAndLogsEachCall) {
  const std::string log = dir_.Sub("calls.log");
  CommandResult page = Load("/crosscheck.v1.Crosscheck/SearchFacts",
                            Frame(Field(1, "flood")), log);
  ASSERT_EQ(page.exit_code, 0) << page.err;
  const int64_t calls = Figure(page.out, "calls");
  EXPECT_GT(calls, 0) << page.out;
  // The page holds the flood's fact: more than an empty answer's bytes.
  EXPECT_GT(Figure(page.out, "message_bytes"), 40) << page.out;
  std::ifstream in(log);
  std::string line;
  int64_t lines = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_EQ(fields.size(), 3u) << line;
    EXPECT_EQ(fields[1], "0") << "grpc-status of a counted call";
    ++lines;
  }
  EXPECT_EQ(lines, calls);

  CommandResult echo = Load("/grpc.health.v1.Health/Check", Frame(""));
  ASSERT_EQ(echo.exit_code, 0) << echo.err;
  EXPECT_EQ(Figure(echo.out, "message_bytes"), 2) << "status SERVING";
}

TEST_F(H2GrpcLoadTest, StopsOnAnAnswerThatIsNotOk) {
  CommandResult missing = Load("/crosscheck.v1.Crosscheck/GetFact",
                               Frame(Field(1, "flood") + Field(2, "no-such")));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("grpc-status 5"), std::string::npos)
      << missing.err;
  CommandResult unknown = Load("/crosscheck.v1.Crosscheck/NoSuch", Frame(""));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("grpc-status 12"), std::string::npos)
      << unknown.err;
}

TEST_F(H2GrpcLoadTest, RefusesABodyThatIsNotAGrpcFrame) {
  CommandResult bad = Load("/grpc.health.v1.Health/Check", "not a frame");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not one uncompressed gRPC frame"), std::string::npos)
      << bad.err;
}

}  // namespace
}  // namespace crosscheck
