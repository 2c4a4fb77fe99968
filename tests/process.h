#ifndef CROSSCHECK_TESTS_PROCESS_H_
#define CROSSCHECK_TESTS_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace crosscheck::testing {

// The result of a finished command.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with its arguments, waits, and captures its output.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& stdin_text = "");

// A child process whose standard output is read line by line; killed with
// SIGKILL when destroyed if still running.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Next line of standard output without its newline; false at EOF or after
  // `timeout_ms`.
  bool ReadLine(std::string* line, int timeout_ms = 10000);
  void Signal(int signal_number);
  // Waits for exit; returns the exit code, or 128 + signal.
  int Wait();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool exited_ = false;
  int status_ = 0;
};

// Reads crosscheckd's first line ("crosscheckd listening on ... (port N)")
// and returns "127.0.0.1:N", or "" when the daemon did not start.
std::string ReadDaemonAddress(ChildProcess* daemon);

}  // namespace crosscheck::testing

#endif  // CROSSCHECK_TESTS_PROCESS_H_
