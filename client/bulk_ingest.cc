#include "client/bulk_ingest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/json_output.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace crosscheck::client {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// "12,345".
std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Clock(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

}  // namespace

absl::StatusOr<std::vector<IngestItem>> ReadManifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read manifest '", path, "'"));
  }
  const fs::path folder = fs::path(path).parent_path();
  std::vector<IngestItem> items;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    IngestItem item;
    google::protobuf::Struct json;
    if (!google::protobuf::util::JsonStringToMessage(line, &json).ok()) {
      item.doc.set_id(absl::StrCat("manifest line ", number));
      item.error =
          absl::StrCat("manifest line ", number, " is not a JSON object");
      items.push_back(std::move(item));
      continue;
    }
    auto field = [&](const char* name) -> std::string {
      auto it = json.fields().find(name);
      return it == json.fields().end() ? "" : it->second.string_value();
    };
    item.doc.set_id(field("id"));
    item.doc.set_source(field("source"));
    item.doc.set_published(field("published"));
    item.doc.set_story_id(field("story"));
    item.doc.set_url(field("url"));
    item.doc.set_title(field("title"));
    item.doc.set_language(field("language"));
    const std::string file = field("path");
    if (file.empty()) {
      if (item.doc.id().empty()) {
        item.doc.set_id(absl::StrCat("manifest line ", number));
      }
      item.error = absl::StrCat("manifest line ", number, " has no \"path\"");
    } else {
      item.path =
          fs::path(file).is_absolute() ? file : (folder / file).string();
    }
    items.push_back(std::move(item));
  }
  return items;
}

absl::StatusOr<std::vector<IngestItem>> ListFiles(
    const std::vector<std::string>& paths, const v1::Document& defaults) {
  std::vector<IngestItem> items;
  auto add = [&](const fs::path& file, const std::string& id) {
    IngestItem item;
    item.doc = defaults;
    item.doc.set_id(id);
    item.path = file.string();
    items.push_back(std::move(item));
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(absl::StrCat("'", path, "' does not exist"));
    }
    if (!fs::is_directory(status)) {
      add(path, fs::path(path).filename().string());
      continue;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) found.push_back(it->path());
    }
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot list '", path, "': ", ec.message()));
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& file : found) {
      add(file, fs::relative(file, path).string());
    }
  }
  return items;
}

absl::StatusOr<IngestSummary> BulkIngest(CrosscheckClient& client,
                                         const std::vector<IngestItem>& items,
                                         const BulkIngestOptions& options,
                                         std::ostream& out,
                                         std::ostream& progress) {
  IngestSummary summary;
  summary.documents = items.size();
  const absl::Time start = absl::Now();
  // Which item each stream position carries, and failures found before
  // sending; the writer thread appends, the reading thread looks up.
  std::mutex mu;
  std::vector<size_t> sent;
  std::vector<std::string> local_failures;
  size_t next_item = 0;
  auto next = [&](v1::Document* doc) {
    while (next_item < items.size()) {
      const IngestItem& item = items[next_item++];
      if (!item.error.empty()) {
        std::lock_guard<std::mutex> lock(mu);
        local_failures.push_back(absl::StrCat(item.doc.id(), ": ", item.error));
        continue;
      }
      auto text = ReadText(item.path);
      if (!text.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        local_failures.push_back(
            absl::StrCat(item.doc.id(), ": ", text.status().message()));
        continue;
      }
      *doc = item.doc;
      doc->set_text(std::move(*text));
      std::lock_guard<std::mutex> lock(mu);
      sent.push_back(next_item - 1);
      return true;
    }
    return false;
  };

  uint64_t answered = 0, refused = 0;
  absl::Time last_report = start;
  auto report = [&](bool final) {
    const absl::Time now = absl::Now();
    const double elapsed = absl::ToDoubleSeconds(now - start);
    size_t local = 0;
    {
      std::lock_guard<std::mutex> lock(mu);
      local = local_failures.size();
    }
    const uint64_t done = answered + local;
    const double rate = elapsed > 0 ? answered / elapsed : 0;
    const double eta =
        rate > 0 ? static_cast<double>(items.size() - done) / rate : 0;
    if (options.progress_bar) {
      constexpr int kWidth = 30;
      const int filled = items.empty()
                             ? kWidth
                             : static_cast<int>(kWidth * done / items.size());
      progress << "\r[" << std::string(filled, '#')
               << std::string(kWidth - filled, ' ') << "] " << Thousands(done)
               << "/" << Thousands(items.size())
               << absl::StrFormat(" docs  %.0f docs/s  ", rate)
               << Thousands(summary.claims) << " claims  "
               << Thousands(refused + local) << " errors  ETA " << Clock(eta)
               << "   " << (final ? "\n" : "") << std::flush;
    } else {
      progress << "ingest: " << Thousands(done) << "/"
               << Thousands(items.size()) << " documents, "
               << absl::StrFormat("%.0f", rate) << "/s, "
               << Thousands(summary.claims) << " claims, "
               << Thousands(refused + local) << " errors\n"
               << std::flush;
    }
    last_report = now;
  };

  absl::Status status =
      client.IngestStream(next, [&](const v1::IngestDocumentsResponse& answer) {
        ++answered;
        if (options.json) out << ToJsonLine(answer) << "\n";
        if (answer.error_code() != 0) {
          ++refused;
          std::string id = answer.id();
          {
            std::lock_guard<std::mutex> lock(mu);
            if (answer.sequence() >= 1 && answer.sequence() <= sent.size()) {
              const IngestItem& item = items[sent[answer.sequence() - 1]];
              id = absl::StrCat(item.doc.id(), " (", item.path, ")");
            }
          }
          summary.failures.push_back(
              absl::StrCat(id, ": ", answer.error_message()));
        } else {
          summary.claims += answer.claim_count();
          switch (answer.outcome()) {
            case v1::INGEST_OUTCOME_CREATED:
              ++summary.created;
              break;
            case v1::INGEST_OUTCOME_UPDATED:
              ++summary.updated;
              break;
            default:
              ++summary.unchanged;
          }
        }
        if (!options.json) {
          const absl::Duration every =
              options.progress_bar ? absl::Milliseconds(100) : absl::Seconds(5);
          if (absl::Now() - last_report >= every) report(false);
        }
      });
  if (!options.json && status.ok()) report(true);
  if (!status.ok()) return status;
  summary.failures.insert(summary.failures.end(), local_failures.begin(),
                          local_failures.end());
  summary.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return summary;
}

void PrintSummary(const IngestSummary& s, std::ostream& out) {
  const uint64_t stored = s.created + s.updated + s.unchanged;
  out << Thousands(s.documents) << " documents: " << Thousands(stored)
      << " stored (" << Thousands(s.created) << " new, " << Thousands(s.updated)
      << " updated, " << Thousands(s.unchanged) << " unchanged), "
      << Thousands(s.failures.size()) << " failed; " << Thousands(s.claims)
      << " claims; "
      << absl::StrFormat("%.1f s (%.0f documents/s)", s.seconds,
                         s.seconds > 0 ? stored / s.seconds : 0.0)
      << "\n";
  for (const std::string& failure : s.failures) {
    out << "  failed " << failure << "\n";
  }
}

}  // namespace crosscheck::client
