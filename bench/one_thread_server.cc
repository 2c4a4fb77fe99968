// A measurement of threads, not a server to deploy: Health/Check, GetFact
// and SearchFacts served through gRPC's async generic API from the
// completion queue of --threads threads of its own (default one), so that
// none of gRPC's callback threads run. Answers and pages are kept as
// crosscheckd keeps them (GetFactAnswer, server::SearchFacts), and
// requests are parsed and checked as crosscheckd parses and checks them;
// there are no tokens and no other methods. query_bench measures it as it
// measures crosscheckd (bench/README.md, "the tail at 16 in flight").
//
//   build/bench/one_thread_server --data_dir /tmp/cc-1m
//       [--listen 127.0.0.1:50782] [--threads N] [--flat_pages]
//
// --flat_pages keeps each page as one contiguous string, sent as one
// slice, rather than in pieces that share the kept answers.

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/status_macros.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "server/change_feed.h"
#include "server/crosscheck_server.h"
#include "server/crosscheck_service.h"
#include "server/fact_queries.h"
#include "server/grpc_status.h"
#include "storage/claim_store.h"

namespace {

using crosscheck::server::MessagePieces;

struct Call {
  grpc::GenericServerContext context;
  grpc::GenericServerAsyncReaderWriter stream{&context};
  grpc::ByteBuffer request, response;
  enum { kNew, kRead, kFinished } state = kNew;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"one_thread_server: GetFact and SearchFacts on own threads"};
  std::string data_dir, listen = "127.0.0.1:50782";
  int threads = 1;
  bool flat_pages = false;
  app.add_option("--data_dir", data_dir)->required();
  app.add_option("--listen", listen);
  app.add_option("--threads", threads)->check(CLI::Range(1, 64));
  app.add_flag("--flat_pages", flat_pages,
               "keep each page as one string, sent as one slice");
  CLI11_PARSE(app, argc, argv);
  crosscheck::server::SetProductionMutexMode();

  auto store = crosscheck::storage::ClaimStore::Open(
      data_dir, crosscheck::storage::ClaimStore::Options());
  if (!store.ok()) {
    std::fprintf(stderr, "one_thread_server: %s\n",
                 std::string(store.status().message()).c_str());
    return 1;
  }
  crosscheck::server::FactResponseCache answers(64 << 20);
  std::mutex flat_mu;
  std::map<std::string, std::shared_ptr<const std::string>> flat;

  grpc::AsyncGenericService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterAsyncGenericService(&service);
  std::unique_ptr<grpc::ServerCompletionQueue> cq =
      builder.AddCompletionQueue();
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "one_thread_server: cannot listen on '%s'\n",
                 listen.c_str());
    return 1;
  }
  std::printf("listening on %s (port %d)\n", listen.c_str(), port);
  std::fflush(stdout);

  auto await_call = [&] {
    Call* call = new Call;
    service.RequestCall(&call->context, &call->stream, cq.get(), cq.get(),
                        call);
  };
  // Answers one call's request; the status it finishes with.
  auto answer = [&](Call* call) -> absl::Status {
    const std::string& method = call->context.method();
    MessagePieces pieces;
    if (method == "/grpc.health.v1.Health/Check") {
      pieces.pieces.push_back({"\x08\x01", nullptr});  // SERVING.
    } else if (method == "/crosscheck.v1.Crosscheck/GetFact") {
      crosscheck::v1::GetFactRequest request;
      RETURN_IF_ERROR(
          crosscheck::server::ParseMessage(call->request, &request));
      ASSIGN_OR_RETURN(
          std::shared_ptr<const std::string> bytes,
          crosscheck::server::GetFactAnswer(
              **store, {request.story_id(), request.fact_key()}, &answers));
      pieces.pieces.push_back({"", std::move(bytes)});
    } else if (method == "/crosscheck.v1.Crosscheck/SearchFacts") {
      crosscheck::v1::SearchFactsRequest request;
      RETURN_IF_ERROR(
          crosscheck::server::ParseMessage(call->request, &request));
      const std::string key = flat_pages ? request.SerializeAsString() : "";
      std::shared_ptr<const std::string> page;
      if (flat_pages) {
        std::lock_guard<std::mutex> lock(flat_mu);
        auto it = flat.find(key);
        if (it != flat.end()) page = it->second;
      }
      if (page != nullptr) {
        pieces.pieces.push_back({"", std::move(page)});
      } else {
        RETURN_IF_ERROR(crosscheck::server::SearchFacts(
            **store, request, crosscheck::server::kMaxPageSize,
            [] { return false; }, &answers, &pieces));
        if (flat_pages) {
          auto whole = std::make_shared<std::string>();
          for (const MessagePieces::Piece& p : pieces.pieces) {
            whole->append(p.head);
            if (p.body != nullptr) whole->append(*p.body);
          }
          std::lock_guard<std::mutex> lock(flat_mu);
          flat[key] = std::move(whole);
        }
      }
    } else {
      return absl::UnimplementedError(method + " is not served here");
    }
    call->response = crosscheck::server::ToByteBuffer(pieces);
    return absl::OkStatus();
  };
  auto serve = [&] {
    void* tag;
    bool ok;
    while (cq->Next(&tag, &ok)) {
      Call* call = static_cast<Call*>(tag);
      switch (call->state) {
        case Call::kNew:
          if (!ok) {
            delete call;
            break;
          }
          await_call();
          call->state = Call::kRead;
          call->stream.Read(&call->request, call);
          break;
        case Call::kRead: {
          const absl::Status status =
              ok ? answer(call)
                 : absl::InvalidArgumentError("no request message");
          call->state = Call::kFinished;
          if (status.ok()) {
            call->stream.WriteAndFinish(call->response, grpc::WriteOptions(),
                                        grpc::Status::OK, call);
          } else {
            call->stream.Finish(crosscheck::server::ToGrpc(status), call);
          }
          break;
        }
        case Call::kFinished:
          delete call;
          break;
      }
    }
  };
  for (int i = 0; i < 128; ++i) await_call();
  std::vector<std::thread> others;
  for (int i = 1; i < threads; ++i) others.emplace_back(serve);
  serve();
  for (std::thread& t : others) t.join();
  return 0;
}
