// TLS end to end with a CA made at test time by the openssl command.

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/crosscheck_client.h"
#include "gtest/gtest.h"
#include "server/crosscheck_server.h"
#include "tests/process.h"
#include "tests/test_dir.h"

namespace crosscheck::server {
namespace {

using testing::RunCommand;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string d = dir_.path();
    auto openssl = [&](std::vector<std::string> args) {
      args.insert(args.begin(), "/usr/bin/openssl");
      auto r = RunCommand(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    // A CA, and a certificate for 127.0.0.1 signed by it.
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=crosscheck test CA", "-keyout", d + "/ca.key",
             "-out", d + "/ca.pem"});
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
             "-keyout", d + "/server.key", "-out", d + "/server.csr"});
    // A CA the server's certificate has nothing to do with.
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=another CA", "-keyout", d + "/other.key", "-out",
             d + "/other.pem"});
    std::ofstream(d + "/ext.cnf") << "subjectAltName=IP:127.0.0.1\n";
    openssl({"x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem",
             "-CAkey", d + "/ca.key", "-CAcreateserial", "-days", "1",
             "-extfile", d + "/ext.cnf", "-out", d + "/server.pem"});
  }

  std::string Read(const std::string& name) {
    std::ifstream in(dir_.Sub(name));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  testing::TestDir dir_;
};

TEST_F(TlsTest, ClientWithTheCaTalksAndAPlaintextClientCannot) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("data");
  options.tls_cert = dir_.Sub("server.pem");
  options.tls_key = dir_.Sub("server.key");
  auto server = CrosscheckServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  client::CrosscheckClient::Options o;
  o.target = absl::StrCat("127.0.0.1:", (*server)->port());
  o.deadline = std::chrono::milliseconds(3000);
  o.tls = true;
  o.ca_pem = Read("ca.pem");
  EXPECT_EQ(client::CrosscheckClient(o).Get("x").status().code(),
            absl::StatusCode::kNotFound)
      << "the call reached the service over TLS";
  o.tls = false;
  EXPECT_EQ(client::CrosscheckClient(o).Get("x").status().code(),
            absl::StatusCode::kUnavailable);
  o.tls = true;
  o.ca_pem = Read("other.pem");  // Another CA: verification fails.
  EXPECT_EQ(client::CrosscheckClient(o).Get("x").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsTest, TlsMayListenBeyondLoopbackAndBadFilesAreNamed) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.data_dir = dir_.Sub("data");
  options.tls_cert = dir_.Sub("server.pem");
  options.tls_key = dir_.Sub("missing.key");
  auto bad = CrosscheckServer::Start(options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--tls_key"), std::string::npos);
  options.tls_key = dir_.Sub("server.key");
  auto server = CrosscheckServer::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
}

}  // namespace
}  // namespace crosscheck::server
