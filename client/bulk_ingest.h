#ifndef CROSSCHECK_CLIENT_BULK_INGEST_H_
#define CROSSCHECK_CLIENT_BULK_INGEST_H_

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/crosscheck_client.h"
#include "protos/crosscheck/v1/documents.pb.h"

namespace crosscheck::client {

// One document to send: its fields (text not yet read) and where its text
// is, or why it cannot be sent.
struct IngestItem {
  v1::Document doc;
  std::string path;
  // Set when the item is refused before sending (a bad manifest line).
  std::string error;
};

// Items from a JSON-lines manifest: one object per line with "id",
// "source", "published", "path" (relative to the manifest's folder unless
// absolute) and optional "story", "url", "title", "language". A line that
// is not such an object becomes an item with its error. Fails only when the
// manifest cannot be read.
absl::StatusOr<std::vector<IngestItem>> ReadManifest(const std::string& path);

// Items from files and folders (each folder's regular files, recursively,
// in name order, hidden ones skipped), every one carrying the `defaults`'
// fields; the id is the path below the folder, or the file's name.
absl::StatusOr<std::vector<IngestItem>> ListFiles(
    const std::vector<std::string>& paths, const v1::Document& defaults);

struct IngestSummary {
  uint64_t documents = 0;
  uint64_t created = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t claims = 0;
  double seconds = 0;
  // "id: reason" for each document that was not stored.
  std::vector<std::string> failures;
};

struct BulkIngestOptions {
  // Redraw one progress line in place (a terminal); otherwise print a plain
  // progress line every few seconds.
  bool progress_bar = false;
  // Print each answer as a JSON line on `out` instead of progress.
  bool json = false;
};

// Streams `items` through IngestDocuments, reporting progress on `progress`
// and answers (with --json) on `out`. Fails when the stream itself fails;
// refused documents are in the summary's failures.
absl::StatusOr<IngestSummary> BulkIngest(CrosscheckClient& client,
                                         const std::vector<IngestItem>& items,
                                         const BulkIngestOptions& options,
                                         std::ostream& out,
                                         std::ostream& progress);

// The summary in words: counts, rate, then one line per failure.
void PrintSummary(const IngestSummary& summary, std::ostream& out);

}  // namespace crosscheck::client

#endif  // CROSSCHECK_CLIENT_BULK_INGEST_H_
