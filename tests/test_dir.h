#ifndef CROSSCHECK_TESTS_TEST_DIR_H_
#define CROSSCHECK_TESTS_TEST_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace crosscheck::testing {

// A fresh directory under the system temp dir, removed when it goes.
class TestDir {
 public:
  TestDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("crosscheck-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TestDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string Sub(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace crosscheck::testing

#endif  // CROSSCHECK_TESTS_TEST_DIR_H_
