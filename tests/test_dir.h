#ifndef CROSSCHECK_TESTS_TEST_DIR_H_
#define CROSSCHECK_TESTS_TEST_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  // Writes `bytes` to the file `name` in the directory; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string path = Sub(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace crosscheck::testing

#endif  // CROSSCHECK_TESTS_TEST_DIR_H_
