// A gRPC load of little CPU: one thread, a connection per call in flight,
// HTTP/2 from libnghttp2, and each connection's answer read in one recv of
// up to --read_bytes. Every call sends the same request (a gRPC frame, as
// written by bench/h2load_queries.sh) to --path and must answer
// grpc-status 0 with the same number of message bytes as the first answer.
//
//   build/bench/h2_grpc_load --server HOST:PORT --path /pkg.Service/Method
//     --body FILE [--in_flight 16] [--seconds 10] [--log_file FILE]
//
// It prints one line: calls, calls/s, p50 and p99 in ms, the answer's
// message bytes. --log_file gets a line per call counted: its start in µs
// from the run's start, its grpc-status and its latency in µs, as h2load's
// --log-file has them (with HTTP's status there). A call that fails, or
// answers a different number of bytes, stops the run with exit code 1.
//
// h2load reads an answer 8 KiB at a time: a 54 kB SearchFacts page costs
// it seven reads more than an echo's. This load reads it in one, so that
// less of the two shared CPUs goes to the load (bench/README.md).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int32_t kWindow = (1 << 30) - 1;

struct Options {
  std::string server;
  std::string path;
  std::string body;  // The request's gRPC frame.
  int in_flight = 16;
  double seconds = 10;
  size_t read_bytes = 1 << 20;
  std::string log_file;
};

struct Record {
  int64_t start_us;
  int64_t micros;
  int grpc_status;
};

class Load;

// One connection with one call at a time.
struct Connection {
  Load* load = nullptr;
  int fd = -1;
  nghttp2_session* session = nullptr;
  std::string out;  // Bytes nghttp2 has produced and the socket not taken.
  bool want_write = false;
  // The call in flight.
  int32_t stream_id = -1;
  Clock::time_point started;
  size_t body_sent = 0;
  int grpc_status = -1;
  std::string http_status;
  std::string grpc_message;
  size_t answer_bytes = 0;  // DATA bytes, the gRPC frame's five included.
};

class Load {
 public:
  explicit Load(Options options) : options_(std::move(options)) {}

  int Run();

  // nghttp2's callbacks.
  static ssize_t ReadBody(nghttp2_session* session, int32_t stream_id,
                          uint8_t* buf, size_t length, uint32_t* data_flags,
                          nghttp2_data_source* source, void* user_data);
  static int OnHeader(nghttp2_session* session, const nghttp2_frame* frame,
                      const uint8_t* name, size_t namelen, const uint8_t* value,
                      size_t valuelen, uint8_t flags, void* user_data);
  static int OnData(nghttp2_session* session, uint8_t flags, int32_t stream_id,
                    const uint8_t* data, size_t len, void* user_data);
  static int OnClose(nghttp2_session* session, int32_t stream_id,
                     uint32_t error_code, void* user_data);

 private:
  bool Connect(Connection* c, const addrinfo* address);
  bool Submit(Connection* c);
  bool Finish(Connection* c, uint32_t error_code);
  bool Flush(Connection* c);
  bool Receive(Connection* c);
  bool Fail(const std::string& message);

  Options options_;
  std::vector<Connection> connections_;
  std::vector<char> read_buffer_;
  int epoll_fd_ = -1;
  Clock::time_point start_;
  Clock::time_point deadline_;
  bool stopping_ = false;
  int open_calls_ = 0;
  std::vector<Record> records_;
  size_t expected_bytes_ = 0;
  std::string error_;
};

ssize_t Load::ReadBody(nghttp2_session* /*session*/, int32_t /*stream_id*/,
                       uint8_t* buf, size_t length, uint32_t* data_flags,
                       nghttp2_data_source* source, void* /*user_data*/) {
  auto* c = static_cast<Connection*>(source->ptr);
  const std::string& body = c->load->options_.body;
  const size_t n = std::min(length, body.size() - c->body_sent);
  std::memcpy(buf, body.data() + c->body_sent, n);
  c->body_sent += n;
  if (c->body_sent == body.size()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

int Load::OnHeader(nghttp2_session* /*session*/, const nghttp2_frame* frame,
                   const uint8_t* name, size_t namelen, const uint8_t* value,
                   size_t valuelen, uint8_t /*flags*/, void* user_data) {
  auto* c = static_cast<Connection*>(user_data);
  if (frame->hd.type != NGHTTP2_HEADERS ||
      frame->hd.stream_id != c->stream_id) {
    return 0;
  }
  const std::string_view key(reinterpret_cast<const char*>(name), namelen);
  const std::string_view text(reinterpret_cast<const char*>(value), valuelen);
  if (key == ":status") {
    c->http_status = text;
  } else if (key == "grpc-status") {
    c->grpc_status = 0;
    for (char ch : text) {
      if (ch < '0' || ch > '9') {
        c->grpc_status = -2;
        break;
      }
      c->grpc_status = c->grpc_status * 10 + (ch - '0');
    }
  } else if (key == "grpc-message") {
    c->grpc_message = text;
  }
  return 0;
}

int Load::OnData(nghttp2_session* /*session*/, uint8_t /*flags*/,
                 int32_t stream_id, const uint8_t* /*data*/, size_t len,
                 void* user_data) {
  auto* c = static_cast<Connection*>(user_data);
  if (stream_id == c->stream_id) c->answer_bytes += len;
  return 0;
}

int Load::OnClose(nghttp2_session* /*session*/, int32_t stream_id,
                  uint32_t error_code, void* user_data) {
  auto* c = static_cast<Connection*>(user_data);
  if (stream_id != c->stream_id) return 0;
  return c->load->Finish(c, error_code) ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE;
}

bool Load::Fail(const std::string& message) {
  if (error_.empty()) error_ = message;
  return false;
}

bool Load::Connect(Connection* c, const addrinfo* address) {
  c->fd = socket(address->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c->fd < 0) return Fail(std::string("socket: ") + std::strerror(errno));
  if (connect(c->fd, address->ai_addr, address->ai_addrlen) != 0) {
    return Fail("connect to " + options_.server + ": " + std::strerror(errno));
  }
  const int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);

  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Load::OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                            &Load::OnData);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                         &Load::OnClose);
  const int rv = nghttp2_session_client_new(&c->session, callbacks, c);
  nghttp2_session_callbacks_del(callbacks);
  if (rv != 0) return Fail(nghttp2_strerror(rv));
  // Windows large enough that no answer waits for a WINDOW_UPDATE.
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kWindow},
  };
  nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings,
                          std::size(settings));
  nghttp2_session_set_local_window_size(c->session, NGHTTP2_FLAG_NONE, 0,
                                        kWindow);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = c;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd, &event) != 0) {
    return Fail(std::string("epoll_ctl: ") + std::strerror(errno));
  }
  return true;
}

bool Load::Submit(Connection* c) {
  auto header = [](const char* name, const std::string& value) {
    return nghttp2_nv{
        reinterpret_cast<uint8_t*>(const_cast<char*>(name)),
        reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
        std::strlen(name), value.size(), NGHTTP2_NV_FLAG_NO_COPY_NAME};
  };
  static const std::string kPost = "POST";
  static const std::string kHttp = "http";
  static const std::string kGrpc = "application/grpc";
  static const std::string kTrailers = "trailers";
  const nghttp2_nv headers[] = {
      header(":method", kPost),       header(":scheme", kHttp),
      header(":path", options_.path), header(":authority", options_.server),
      header("content-type", kGrpc),  header("te", kTrailers),
  };
  nghttp2_data_provider body{};
  body.source.ptr = c;
  body.read_callback = &Load::ReadBody;
  c->body_sent = 0;
  c->grpc_status = -1;
  c->http_status.clear();
  c->grpc_message.clear();
  c->answer_bytes = 0;
  c->started = Clock::now();
  c->stream_id = nghttp2_submit_request(c->session, nullptr, headers,
                                        std::size(headers), &body, nullptr);
  if (c->stream_id < 0) return Fail(nghttp2_strerror(c->stream_id));
  ++open_calls_;
  return true;
}

bool Load::Finish(Connection* c, uint32_t error_code) {
  const Clock::time_point now = Clock::now();
  --open_calls_;
  c->stream_id = -1;
  if (error_code != NGHTTP2_NO_ERROR) {
    return Fail(std::string("stream reset: ") +
                nghttp2_http2_strerror(error_code));
  }
  if (c->grpc_status != 0) {
    return Fail("HTTP status " + c->http_status + ", grpc-status " +
                std::to_string(c->grpc_status) + " " + c->grpc_message);
  }
  if (expected_bytes_ == 0) expected_bytes_ = c->answer_bytes;
  if (c->answer_bytes != expected_bytes_ || c->answer_bytes < 5) {
    return Fail("an answer of " + std::to_string(c->answer_bytes) +
                " bytes, where the first had " +
                std::to_string(expected_bytes_));
  }
  if (now <= deadline_) {
    records_.push_back(
        {std::chrono::duration_cast<std::chrono::microseconds>(c->started -
                                                               start_)
             .count(),
         std::chrono::duration_cast<std::chrono::microseconds>(now - c->started)
             .count(),
         c->grpc_status});
  } else {
    stopping_ = true;
  }
  if (!stopping_) return Submit(c);
  return true;
}

bool Load::Flush(Connection* c) {
  for (;;) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(c->session, &data);
    if (n < 0) return Fail(nghttp2_strerror(static_cast<int>(n)));
    if (n == 0) break;
    c->out.append(reinterpret_cast<const char*>(data), n);
  }
  size_t sent = 0;
  while (sent < c->out.size()) {
    const ssize_t n =
        send(c->fd, c->out.data() + sent, c->out.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      return Fail(std::string("send: ") + std::strerror(errno));
    }
    sent += static_cast<size_t>(n);
  }
  c->out.erase(0, sent);
  const bool want_write = !c->out.empty();
  if (want_write != c->want_write) {
    epoll_event event{};
    event.events = want_write ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
    event.data.ptr = c;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &event);
    c->want_write = want_write;
  }
  return true;
}

bool Load::Receive(Connection* c) {
  for (;;) {
    const ssize_t n = recv(c->fd, read_buffer_.data(), read_buffer_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      return Fail(std::string("recv: ") + std::strerror(errno));
    }
    if (n == 0) return Fail("the server closed a connection");
    const ssize_t used = nghttp2_session_mem_recv(
        c->session, reinterpret_cast<const uint8_t*>(read_buffer_.data()), n);
    if (used < 0) {
      return Fail(error_.empty() ? nghttp2_strerror(static_cast<int>(used))
                                 : error_);
    }
    // A short read means the socket is empty: no second recv to learn it.
    if (static_cast<size_t>(n) < read_buffer_.size()) return true;
  }
}

int Load::Run() {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  const size_t colon = options_.server.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "h2_grpc_load: --server takes HOST:PORT\n");
    return 2;
  }
  const std::string host = options_.server.substr(0, colon);
  const std::string port = options_.server.substr(colon + 1);
  addrinfo* addresses = nullptr;
  if (const int rv =
          getaddrinfo(host.c_str(), port.c_str(), &hints, &addresses);
      rv != 0) {
    std::fprintf(stderr, "h2_grpc_load: %s: %s\n", options_.server.c_str(),
                 gai_strerror(rv));
    return 2;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> held(addresses,
                                                          &freeaddrinfo);
  read_buffer_.resize(options_.read_bytes);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  connections_.resize(options_.in_flight);
  bool ok = true;
  for (Connection& c : connections_) {
    c.load = this;
    ok = ok && Connect(&c, addresses);
  }
  start_ = Clock::now();
  deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(options_.seconds));
  for (Connection& c : connections_) ok = ok && Submit(&c) && Flush(&c);

  std::vector<epoll_event> events(connections_.size());
  while (ok && open_calls_ > 0) {
    const int n = epoll_wait(epoll_fd_, events.data(),
                             static_cast<int>(events.size()), 1000);
    if (n < 0 && errno != EINTR) {
      ok = Fail(std::string("epoll_wait: ") + std::strerror(errno));
    }
    for (int i = 0; ok && i < n; ++i) {
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        ok = Receive(c);
      }
      ok = ok && Flush(c);
    }
    if (n == 0 && Clock::now() > deadline_ + std::chrono::seconds(10)) {
      ok = Fail(std::to_string(open_calls_) +
                " call(s) unanswered 10 s after the end");
    }
  }
  for (Connection& c : connections_) {
    if (c.session != nullptr) nghttp2_session_del(c.session);
    if (c.fd >= 0) close(c.fd);
  }
  close(epoll_fd_);
  if (!ok) {
    std::fprintf(stderr, "h2_grpc_load: %s %s: %s\n", options_.server.c_str(),
                 options_.path.c_str(), error_.c_str());
    return 1;
  }

  if (!options_.log_file.empty()) {
    std::ofstream log(options_.log_file);
    for (const Record& r : records_) {
      log << r.start_us << '\t' << r.grpc_status << '\t' << r.micros << '\n';
    }
    if (!log) {
      std::fprintf(stderr, "h2_grpc_load: cannot write %s\n",
                   options_.log_file.c_str());
      return 1;
    }
  }
  std::vector<int64_t> micros;
  micros.reserve(records_.size());
  for (const Record& r : records_) micros.push_back(r.micros);
  std::sort(micros.begin(), micros.end());
  auto percentile_ms = [&](size_t p) {
    if (micros.empty()) return 0.0;
    return micros[std::min(micros.size() - 1, micros.size() * p / 100)] /
           1000.0;
  };
  std::printf(
      "calls %zu calls/s %.1f p50_ms %.3f p99_ms %.3f message_bytes %zu\n",
      micros.size(), micros.size() / options_.seconds, percentile_ms(50),
      percentile_ms(99), expected_bytes_ >= 5 ? expected_bytes_ - 5 : 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string body_file;
  CLI::App app{"A gRPC load of little CPU over HTTP/2 (libnghttp2)"};
  app.add_option("--server", options.server, "HOST:PORT")->required();
  app.add_option("--path", options.path, "/package.Service/Method")->required();
  app.add_option("--body", body_file,
                 "the request as a gRPC frame: a zero byte, the message's "
                 "length in 4 bytes (big-endian), the message")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--in_flight", options.in_flight,
                 "connections, each with one call in flight")
      ->check(CLI::Range(1, 4096));
  app.add_option("--seconds", options.seconds, "how long to make calls")
      ->check(CLI::Range(0.1, 86400.0));
  app.add_option("--read_bytes", options.read_bytes, "the most one recv reads")
      ->check(CLI::Range(size_t{4096}, size_t{64} << 20));
  app.add_option("--log_file", options.log_file,
                 "a line per call: start µs, grpc-status, latency µs");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(body_file, std::ios::binary);
  options.body.assign(std::istreambuf_iterator<char>(in), {});
  const auto& b = options.body;
  if (b.size() < 5 || b[0] != 0 ||
      ((static_cast<uint32_t>(static_cast<uint8_t>(b[1])) << 24) |
       (static_cast<uint32_t>(static_cast<uint8_t>(b[2])) << 16) |
       (static_cast<uint32_t>(static_cast<uint8_t>(b[3])) << 8) |
       static_cast<uint32_t>(static_cast<uint8_t>(b[4]))) != b.size() - 5) {
    std::fprintf(stderr,
                 "h2_grpc_load: %s is not one uncompressed gRPC frame (a zero "
                 "byte, a 4-byte length, that many bytes)\n",
                 body_file.c_str());
    return 2;
  }
  return Load(std::move(options)).Run();
}
