// The crosscheck command-line client: offline extraction, and ingest and
// queries against a running crosscheckd.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "claims/extractor.h"
#include "claims/fact_grouper.h"
#include "claims/publication_date.h"
#include "claims/utf8.h"
#include "client/bulk_ingest.h"
#include "client/crosscheck_client.h"
#include "client/fact_table.h"
#include "client/json_output.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace crosscheck::client {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "crosscheck: " << status.message() << "\n";
  return 1;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct ExtractArgs {
  std::string published;
  std::string source;
  std::string id;
  bool jsonl = false;
  bool mentions = false;
  std::vector<std::string> files;
};

// Extracts every document, groups dates and quotes across them as one
// story, and prints one Claim a line.
int RunExtract(const ExtractArgs& args) {
  struct Input {
    std::string id, source, text;
    absl::CivilDay day;
  };
  std::vector<Input> inputs;
  if (args.jsonl) {
    std::string line;
    int line_number = 0;
    while (std::getline(std::cin, line)) {
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      google::protobuf::Struct json;
      if (!google::protobuf::util::JsonStringToMessage(line, &json).ok()) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "standard input line ", line_number, " is not a JSON object")));
      }
      auto field = [&](const char* name) -> std::string {
        auto it = json.fields().find(name);
        return it == json.fields().end() ? "" : it->second.string_value();
      };
      Input in{field("id"), field("source"), field("text"), {}};
      if (in.id.empty()) in.id = absl::StrCat("line-", line_number);
      std::string published = field("published");
      if (published.empty()) published = args.published;
      auto day = claims::ParsePublicationDay(published);
      if (!day.ok()) {
        return Fail(absl::InvalidArgumentError(
            absl::StrCat("standard input line ", line_number, ": ",
                         day.status().message())));
      }
      in.day = *day;
      inputs.push_back(std::move(in));
    }
  } else {
    if (args.files.empty()) {
      return Fail(absl::InvalidArgumentError(
          "extract needs FILE arguments or --jsonl"));
    }
    if (!args.id.empty() && args.files.size() > 1) {
      return Fail(absl::InvalidArgumentError(
          "--id names one document; give one FILE with it"));
    }
    auto day = claims::ParsePublicationDay(args.published);
    if (!day.ok()) return Fail(day.status());
    for (const std::string& path : args.files) {
      auto text = ReadFile(path);
      if (!text.ok()) return Fail(text.status());
      inputs.push_back(Input{args.id.empty() ? BaseName(path) : args.id,
                             args.source, std::move(*text), *day});
    }
  }
  claims::ExtractOptions options;
  options.mentions = args.mentions;
  claims::FactGrouper grouper;
  // One field for every file: each extraction reuses the messages and
  // strings the one before it left.
  google::protobuf::RepeatedPtrField<v1::Claim> found;
  for (const Input& in : inputs) {
    absl::Status status = claims::ExtractClaimsInto(
        claims::ExtractInput{in.id, in.source, in.text, in.day}, options,
        &found);
    if (!status.ok()) return Fail(status);
    for (v1::Claim& claim : found) {
      grouper.Assign(&claim);
      std::cout << ToJsonLine(claim) << "\n";
    }
  }
  std::cout.flush();
  return 0;
}

struct IngestArgs {
  std::string id, source, published, story, url, title, language, manifest;
  std::vector<std::string> files;
  bool id_given = false;  // --id was on the command line, even if empty.
};

// Exit status when the stream worked but some documents were refused.
constexpr int kSomeDocumentsFailed = 2;

// The document fields the ingest flags give (all but id and text).
v1::Document DocumentFromFlags(const IngestArgs& args) {
  v1::Document doc;
  doc.set_source(args.source);
  doc.set_published(args.published);
  doc.set_story_id(args.story);
  doc.set_url(args.url);
  doc.set_title(args.title);
  doc.set_language(args.language);
  return doc;
}

// Many documents (files, folders or a manifest) over the IngestDocuments
// stream, with progress on standard error and a summary at the end.
int RunBulkIngest(CrosscheckClient& client, const IngestArgs& args, bool json) {
  absl::StatusOr<std::vector<IngestItem>> items;
  if (!args.manifest.empty()) {
    if (!args.files.empty()) {
      return Fail(
          absl::InvalidArgumentError("give --manifest or FILES, not both"));
    }
    items = ReadManifest(args.manifest);
  } else {
    if (args.files.empty()) {
      return Fail(absl::InvalidArgumentError(
          "ingest needs FILES or folders, or --manifest FILE.jsonl"));
    }
    if (args.source.empty() || args.published.empty()) {
      return Fail(absl::InvalidArgumentError(
          "ingesting files needs --source and --published (or a --manifest "
          "that gives them per document)"));
    }
    items = ListFiles(args.files, DocumentFromFlags(args));
  }
  if (!items.ok()) return Fail(items.status());
  BulkIngestOptions options;
  options.json = json;
  options.progress_bar = !json && isatty(2);
  auto summary = BulkIngest(client, *items, options, std::cout, std::cerr);
  if (!summary.ok()) return Fail(summary.status());
  PrintSummary(*summary, json ? std::cerr : std::cout);
  return summary->failures.empty() ? 0 : kSomeDocumentsFailed;
}

int RunIngest(CrosscheckClient& client, const IngestArgs& args, bool json) {
  if (!args.id_given || args.files.size() != 1 || !args.manifest.empty()) {
    return RunBulkIngest(client, args, json);
  }
  if (args.source.empty() || args.published.empty()) {
    return Fail(
        absl::InvalidArgumentError("ingest needs --source and --published"));
  }
  auto text = ReadFile(args.files[0]);
  if (!text.ok()) return Fail(text.status());
  v1::Document doc = DocumentFromFlags(args);
  doc.set_id(args.id);
  doc.set_text(*text);
  auto response = client.Ingest(doc);
  if (!response.ok()) return Fail(response.status());
  if (json) {
    std::cout << ToJsonLine(*response) << "\n";
  } else {
    const char* outcome =
        response->outcome() == v1::INGEST_OUTCOME_CREATED   ? "stored"
        : response->outcome() == v1::INGEST_OUTCOME_UPDATED ? "updated"
                                                            : "unchanged";
    std::cout << response->id() << ": " << outcome << ", version "
              << response->version() << ", " << response->claim_count()
              << " claims\n";
  }
  return 0;
}

const char* ChangeWord(v1::FactChangeKind kind) {
  switch (kind) {
    case v1::FACT_CHANGE_KIND_APPEARED:
      return "appeared";
    case v1::FACT_CHANGE_KIND_SOURCE_AGREES:
      return "agrees";
    case v1::FACT_CHANGE_KIND_SOURCE_DISAGREES:
      return "DISAGREES";
    case v1::FACT_CHANGE_KIND_STATUS_CHANGED:
      return "status";
    case v1::FACT_CHANGE_KIND_SOURCE_WITHDRAWN:
      return "withdrawn";
    case v1::FACT_CHANGE_KIND_REMOVED:
      return "removed";
    default:
      return "changed";
  }
}

std::string StatusWord(v1::FactStatus status) {
  std::string name = v1::FactStatus_Name(status);
  return absl::AsciiStrToLower(name.substr(sizeof("FACT_STATUS_") - 1));
}

// Prints changes as they come; on a dropped connection waits a second and
// resumes after the last change printed, so none is lost or repeated.
int RunWatch(CrosscheckClient& client, v1::WatchFactsRequest request,
             int64_t count, bool reconnect, bool json) {
  int64_t seen = 0;
  while (true) {
    absl::Status status =
        client.Watch(request, [&](const v1::FactChange& change) {
          if (json) {
            std::cout << ToJsonLine(change) << "\n";
          } else {
            std::cout << "#" << change.position() << " " << change.story_id()
                      << " " << change.fact_key() << ": "
                      << ChangeWord(change.kind());
            if (!change.source().empty()) std::cout << " " << change.source();
            if (!change.value().empty()) {
              std::cout << " (" << change.value() << ")";
            }
            if (change.kind() == v1::FACT_CHANGE_KIND_STATUS_CHANGED) {
              std::cout << " " << StatusWord(change.old_status()) << " -> "
                        << StatusWord(change.new_status());
            }
            std::cout << ", " << change.source_count() << " sources\n";
          }
          std::cout.flush();
          request.set_after_position(change.position());
          request.set_from_start(false);
          return count <= 0 || ++seen < count;
        });
    if (status.ok()) return 0;
    const bool transient = status.code() == absl::StatusCode::kUnavailable ||
                           status.code() == absl::StatusCode::kCancelled;
    if (!reconnect || !transient) return Fail(status);
    std::cerr << "crosscheck: watch interrupted (" << status.message()
              << "); reconnecting\n";
    sleep(1);
  }
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"crosscheck: compare what news outlets report, fact by fact"};
  app.require_subcommand(1);
  // Global options (--server, --json, ...) may also follow the command.
  app.fallthrough();
  CrosscheckClient::Options client_options;
  int deadline_ms = 10000;
  bool json = false;
  app.add_option("--server", client_options.target,
                 "crosscheckd address HOST:PORT")
      ->capture_default_str();
  auto* deadline_option =
      app.add_option("--deadline_ms", deadline_ms,
                     "deadline of each call (`sources` without --story: "
                     "600000, as it compares every fact in the store)")
          ->capture_default_str()
          ->check(CLI::Range(1, 3600000));
  app.add_flag("--json", json, "print JSON Lines");
  app.add_option("--token", client_options.token,
                 "bearer token (default: $CROSSCHECK_TOKEN)");
  std::string ca_file, cert_file, key_file;
  app.add_flag("--tls", client_options.tls, "connect with TLS");
  app.add_option("--ca", ca_file, "PEM CA to verify the server with (--tls)");
  app.add_option("--cert", cert_file, "PEM client certificate (--tls)");
  app.add_option("--key", key_file, "PEM client key (--tls)");

  ExtractArgs extract;
  auto* extract_cmd = app.add_subcommand(
      "extract", "print the claims of files, offline (no server)");
  extract_cmd->add_option("--published", extract.published,
                          "publication date YYYY-MM-DD");
  extract_cmd->add_option("--source", extract.source, "outlet name");
  extract_cmd->add_option("--id", extract.id, "document id (one FILE)");
  extract_cmd->add_flag("--jsonl", extract.jsonl,
                        "read {id,text,published,source} lines from stdin");
  extract_cmd->add_flag("--mentions", extract.mentions,
                        "also print every number and date recognised");
  extract_cmd->add_option("files", extract.files, "text files");

  IngestArgs ingest;
  auto* ingest_cmd = app.add_subcommand(
      "ingest",
      "store documents: one FILE with --id, or FILES and folders, or "
      "--manifest FILE.jsonl, streamed with progress (exit 2 when some "
      "documents were refused)");
  ingest_cmd->add_option("--id", ingest.id, "document id (one FILE)");
  ingest_cmd->add_option("--manifest", ingest.manifest,
                         "JSON lines: id, source, published, story, path");
  ingest_cmd->add_option("--source", ingest.source, "outlet");
  ingest_cmd->add_option("--published", ingest.published,
                         "YYYY-MM-DD or RFC 3339 time");
  ingest_cmd->add_option("--story", ingest.story, "story id");
  ingest_cmd->add_option("--url", ingest.url, "article URL");
  ingest_cmd->add_option("--title", ingest.title, "headline");
  ingest_cmd->add_option("--language", ingest.language, "language code");
  ingest_cmd->add_option("files", ingest.files, "text files or folders");

  v1::WatchFactsRequest watch;
  std::string watch_kind;
  int64_t watch_count = 0;
  bool watch_once = false, watch_from_start = false;
  auto* watch_cmd = app.add_subcommand(
      "watch",
      "print fact changes as documents arrive; reconnects and resumes "
      "where it left off until Ctrl-C");
  watch_cmd->add_option("--story", *watch.mutable_story_id(), "story id");
  watch_cmd
      ->add_option("--kind", watch_kind, "casualty, quantity, date or quote")
      ->check(CLI::IsMember({"casualty", "quantity", "date", "quote"}));
  watch_cmd->add_option("--after", *watch.mutable_after_position(),
                        "resume after this position");
  watch_cmd->add_flag("--from_start", watch_from_start,
                      "replay every stored change first");
  watch_cmd->add_option("--count", watch_count, "stop after this many changes");
  watch_cmd->add_flag("--no_reconnect", watch_once,
                      "stop when the connection drops");

  std::string get_id;
  auto* get_cmd = app.add_subcommand("get", "print a stored document as JSON");
  get_cmd->add_option("id", get_id, "document id")->required();

  std::string delete_id;
  auto* delete_cmd =
      app.add_subcommand("delete", "remove a document and its claims");
  delete_cmd->add_option("id", delete_id, "document id")->required();

  v1::SearchFactsRequest search;
  bool disputed = false;
  std::string kind_name, status_name;
  auto* facts_cmd = app.add_subcommand(
      "facts", "every fact of a story (of all stories without --story)");
  facts_cmd->add_option("--story", *search.mutable_story_id(), "story id");
  facts_cmd
      ->add_option("--kind", kind_name, "casualty, quantity, date or quote")
      ->check(CLI::IsMember({"casualty", "quantity", "date", "quote"}));
  facts_cmd
      ->add_option("--status", status_name,
                   "agree, disagree, single_source or evolving")
      ->check(
          CLI::IsMember({"agree", "disagree", "single_source", "evolving"}));
  facts_cmd->add_flag("--disputed", disputed, "only DISAGREE and EVOLVING");
  facts_cmd->add_option("--words", *search.mutable_words(),
                        "words every fact must contain");
  facts_cmd->add_option("--source", *search.mutable_source(),
                        "facts this outlet speaks to");
  facts_cmd->add_option("--after", *search.mutable_published_after(),
                        "claims published on or after YYYY-MM-DD");
  facts_cmd->add_option("--before", *search.mutable_published_before(),
                        "claims published on or before YYYY-MM-DD");
  int page_size = 100;
  facts_cmd->add_option("--page_size", page_size, "facts per request")
      ->check(CLI::Range(1, 500));
  bool basic = false;
  facts_cmd->add_flag("--basic", basic,
                      "facts without their claims and copied sentences "
                      "(values and sources only; lighter)");

  v1::GetFactRequest fact_request;
  auto* fact_cmd = app.add_subcommand("fact", "one fact by its key");
  fact_cmd->add_option("key", *fact_request.mutable_fact_key(), "fact key")
      ->required();
  fact_cmd->add_option("--story", *fact_request.mutable_story_id(), "story id");

  v1::CheckTextRequest check;
  std::string check_file;
  auto* check_cmd = app.add_subcommand(
      "check", "compare a draft with what the sources reported (not stored)");
  check_cmd->add_option("file", check_file, "draft text file")->required();
  check_cmd
      ->add_option("--published", *check.mutable_published(),
                   "the draft's date YYYY-MM-DD")
      ->required();
  check_cmd->add_option("--story", *check.mutable_story_id(), "story id");

  v1::ListSourcesRequest sources_request;
  auto* sources_cmd =
      app.add_subcommand("sources", "per-outlet documents, claims, agreement");
  sources_cmd->add_option("--story", *sources_request.mutable_story_id(),
                          "story id");

  auto* admin_cmd =
      app.add_subcommand("admin", "operator commands (admin role)");
  admin_cmd->require_subcommand(1);
  v1::BackupStoreRequest backup;
  auto* backup_cmd = admin_cmd->add_subcommand(
      "backup", "online copy of the store into a new directory on the server");
  backup_cmd
      ->add_option("dir", *backup.mutable_directory(),
                   "directory on the server's machine (must not exist)")
      ->required();
  auto* stats_cmd = admin_cmd->add_subcommand(
      "stats", "request counts, latencies, store size");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // A report over every story compares every fact in the store: seconds
  // per hundred thousand documents.
  if (*sources_cmd && sources_request.story_id().empty() &&
      deadline_option->count() == 0) {
    deadline_ms = 600000;
  }
  client_options.deadline = std::chrono::milliseconds(deadline_ms);
  for (auto [path, pem] : {std::pair{&ca_file, &client_options.ca_pem},
                           std::pair{&cert_file, &client_options.cert_pem},
                           std::pair{&key_file, &client_options.key_pem}}) {
    if (path->empty()) continue;
    auto text = ReadFile(*path);
    if (!text.ok()) return Fail(text.status());
    *pem = *text;
    client_options.tls = true;
  }
  if (client_options.token.empty()) {
    if (const char* env = std::getenv("CROSSCHECK_TOKEN")) {
      client_options.token = env;
    }
  }

  if (*extract_cmd) return RunExtract(extract);
  CrosscheckClient client(client_options);
  if (*ingest_cmd) {
    ingest.id_given = ingest_cmd->count("--id") > 0;
    return RunIngest(client, ingest, json);
  }
  if (*watch_cmd) {
    watch.set_from_start(watch_from_start);
    if (!watch_kind.empty()) {
      v1::ClaimKind kind = v1::CLAIM_KIND_UNSPECIFIED;
      v1::ClaimKind_Parse("CLAIM_KIND_" + absl::AsciiStrToUpper(watch_kind),
                          &kind);
      watch.set_kind(kind);
    }
    return RunWatch(client, watch, watch_count, !watch_once, json);
  }
  if (*get_cmd) {
    auto response = client.Get(get_id);
    if (!response.ok()) return Fail(response.status());
    std::cout << DocumentJsonLine(*response) << "\n";
    return 0;
  }
  const bool color = isatty(1) && getenv("NO_COLOR") == nullptr;
  if (*facts_cmd) {
    if (!kind_name.empty()) {
      v1::ClaimKind kind = v1::CLAIM_KIND_UNSPECIFIED;
      v1::ClaimKind_Parse("CLAIM_KIND_" + absl::AsciiStrToUpper(kind_name),
                          &kind);
      search.set_kind(kind);
    }
    if (!status_name.empty()) {
      v1::FactStatus status = v1::FACT_STATUS_UNSPECIFIED;
      v1::FactStatus_Parse("FACT_STATUS_" + absl::AsciiStrToUpper(status_name),
                           &status);
      search.set_status(status);
    }
    search.set_disputed_only(disputed);
    search.set_page_size(page_size);
    search.set_view(basic ? v1::FACT_VIEW_BASIC : v1::FACT_VIEW_FULL);
    int shown = 0;
    // The next page is asked for while this one is printed: printing JSON
    // takes about as long as answering, and overlapping the two cut a read
    // of a million-document store from 123 s to 55 s (bench/README.md).
    struct Page {
      absl::Status status;
      v1::SearchFactsResponse response;
    };
    auto fetch = [&client](const v1::SearchFactsRequest& request) {
      Page page;
      page.status = client.Call(&v1::Crosscheck::Stub::SearchFacts, request,
                                &page.response);
      return page;
    };
    std::future<Page> next = std::async(std::launch::async, fetch, search);
    while (next.valid()) {
      Page page = next.get();
      if (!page.status.ok()) return Fail(page.status);
      if (!page.response.next_page_token().empty()) {
        search.set_page_token(page.response.next_page_token());
        next = std::async(std::launch::async, fetch, search);
      }
      for (const auto& fact : page.response.facts()) {
        std::cout << (json ? ToJsonLine(fact) + "\n" : FormatFact(fact, color));
        ++shown;
      }
    }
    if (!json && shown == 0) std::cout << "no facts match\n";
    return 0;
  }
  if (*fact_cmd) {
    v1::FactComparison fact;
    absl::Status s =
        client.Call(&v1::Crosscheck::Stub::GetFact, fact_request, &fact);
    if (!s.ok()) return Fail(s);
    std::cout << (json ? ToJsonLine(fact) + "\n" : FormatFact(fact, color));
    return 0;
  }
  if (*check_cmd) {
    auto text = ReadFile(check_file);
    if (!text.ok()) return Fail(text.status());
    check.set_text(*text);
    v1::CheckTextResponse response;
    absl::Status s =
        client.Call(&v1::Crosscheck::Stub::CheckText, check, &response);
    if (!s.ok()) return Fail(s);
    for (const auto& claim : response.claims()) {
      std::cout << (json ? ToJsonLine(claim) + "\n"
                         : FormatCheckedClaim(claim, color));
    }
    return 0;
  }
  if (*sources_cmd) {
    v1::ListSourcesResponse response;
    absl::Status s = client.Call(&v1::Crosscheck::Stub::ListSources,
                                 sources_request, &response);
    if (!s.ok()) return Fail(s);
    if (json) {
      for (const auto& src : response.sources()) {
        std::cout << ToJsonLine(src) << "\n";
      }
    } else {
      std::cout << FormatSources(response);
    }
    return 0;
  }
  if (*backup_cmd) {
    v1::BackupStoreResponse response;
    absl::Status s =
        client.Call(&v1::Crosscheck::Stub::BackupStore, backup, &response);
    if (!s.ok()) return Fail(s);
    if (json) {
      std::cout << ToJsonLine(response) << "\n";
    } else {
      std::cout << "backup of " << response.documents() << " documents in "
                << response.directory() << "\n";
    }
    return 0;
  }
  if (*stats_cmd) {
    v1::GetStatsResponse response;
    absl::Status s = client.Call(&v1::Crosscheck::Stub::GetStats,
                                 v1::GetStatsRequest(), &response);
    if (!s.ok()) return Fail(s);
    if (json) {
      std::cout << ToJsonLine(response) << "\n";
      return 0;
    }
    std::printf(
        "%llu documents, %.1f MB in the store, up %.0f s, %.1f MB resident, "
        "%d streams open, change log at %llu\n",
        static_cast<unsigned long long>(response.documents()),
        response.store_bytes() / 1e6, response.uptime_seconds(),
        response.resident_bytes() / 1e6, response.open_streams(),
        static_cast<unsigned long long>(response.last_change_position()));
    std::printf("%-16s %8s %7s %9s %9s\n", "method", "calls", "errors",
                "mean ms", "max ms");
    for (const auto& m : response.methods()) {
      std::printf("%-16s %8llu %7llu %9.3f %9.3f\n", m.method().c_str(),
                  static_cast<unsigned long long>(m.calls()),
                  static_cast<unsigned long long>(m.errors()), m.mean_ms(),
                  m.max_ms());
    }
    return 0;
  }
  if (*delete_cmd) {
    auto response = client.Delete(delete_id);
    if (!response.ok()) return Fail(response.status());
    if (json) {
      std::cout << ToJsonLine(*response) << "\n";
    } else {
      std::cout << response->id() << ": deleted with "
                << response->claims_deleted() << " claims\n";
    }
    return 0;
  }
  return 1;
}

}  // namespace crosscheck::client

int main(int argc, char** argv) { return crosscheck::client::Main(argc, argv); }
