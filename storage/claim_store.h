#ifndef CROSSCHECK_STORAGE_CLAIM_STORE_H_
#define CROSSCHECK_STORAGE_CLAIM_STORE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "protos/crosscheck/v1/claims.pb.h"
#include "protos/crosscheck/v1/crosscheck.pb.h"
#include "protos/crosscheck/v1/documents.pb.h"
#include "rocksdb/db.h"

namespace crosscheck::storage {

// The schema this build reads and writes. A data directory written by a
// newer schema is refused at open rather than misread; one written by an
// older schema is brought up to this one at open.
// - 1: documents, claims, facts, changes.
// - 2: adds the stories family (each story's documents, with their source
//   and claim count) and the document count in the meta family.
// - 3: a claim of a fact is kept in its fact row, so that a fact's claims
//   are read by one seek; its claims row holds a reference to it.
inline constexpr uint32_t kSchemaVersion = 3;

// A ClaimStore is the persistent home of documents, the claims extracted
// from them, and the fact index that groups claims across documents of a
// story. It owns one RocksDB database in a directory; only one process may
// open a directory at a time.
//
// Every change to a document (its row, its claims and its fact index rows)
// is one atomic WriteBatch, so a reader never sees half a document, and a
// crash leaves either the old version or the new one.
//
// Thread-safe: reads run concurrently; writes are serialised internally.
class ClaimStore {
 public:
  struct Options {
    // fsync the WAL on every write. Without it, an acknowledged write is in
    // the WAL in the OS page cache: it survives a process crash, not a power
    // loss.
    bool sync = false;
    size_t block_cache_bytes = 64 << 20;
    // Count RocksDB's block reads, filter checks and compaction bytes (see
    // Counters()); costs a few percent of throughput.
    bool statistics = false;
  };

  // What the store has asked of RocksDB since it opened: how benchmarks see
  // which reads the filters saved and what compaction costs.
  struct Counters {
    uint64_t point_lookups = 0;         // Get and MultiGet keys
    uint64_t seeks = 0;                 // iterator seeks
    uint64_t data_block_reads = 0;      // data blocks not in the block cache
    uint64_t data_block_hits = 0;       // data blocks found in the cache
    uint64_t filter_skips = 0;          // lookups a whole-key filter answered
    uint64_t prefix_filter_checks = 0;  // seeks that asked a prefix filter
    uint64_t prefix_filter_skips = 0;   // seeks it answered
    uint64_t bytes_flushed = 0;
    uint64_t compaction_bytes_read = 0;
    uint64_t compaction_bytes_written = 0;
    uint64_t wal_bytes = 0;
    // One line per counter, "name value".
    std::string ToString() const;
  };

  struct PutResult {
    uint64_t version = 0;
    v1::IngestOutcome outcome = v1::INGEST_OUTCOME_UNSPECIFIED;
    uint32_t claim_count = 0;
  };

  // A fact as the index knows it: its story and key.
  struct FactId {
    std::string story_id;
    std::string fact_key;
    bool operator==(const FactId& o) const {
      return story_id == o.story_id && fact_key == o.fact_key;
    }
    bool operator<(const FactId& o) const {
      return story_id != o.story_id ? story_id < o.story_id
                                    : fact_key < o.fact_key;
    }
  };

  // Opens (creating if missing) the store in `dir`. Fails with
  // FAILED_PRECONDITION when another process holds the directory or when it
  // was written by a newer schema.
  static absl::StatusOr<std::unique_ptr<ClaimStore>> Open(
      const std::string& dir, const Options& options);

  ClaimStore(const ClaimStore&) = delete;
  ClaimStore& operator=(const ClaimStore&) = delete;
  ~ClaimStore();

  // Stores `doc` with its `claims` (whose ids, document ids and fact keys the
  // caller has set). Same id and same content: nothing is written and the
  // outcome is UNCHANGED. New content under a known id: the old version and
  // every row derived from it are replaced in one batch.
  // `changes` (may be null) are the fact changes this write makes: they go
  // into the change log in the same batch, numbered and time-stamped here
  // (their `position` and `recorded` are set), unless nothing is written.
  absl::StatusOr<PutResult> PutDocument(
      const v1::Document& doc, const std::vector<v1::Claim>& claims,
      std::vector<v1::FactChange>* changes = nullptr);

  // NOT_FOUND when there is no such document.
  absl::StatusOr<v1::StoredDocument> GetDocument(absl::string_view id) const;
  absl::StatusOr<std::vector<v1::Claim>> GetClaims(absl::string_view id) const;

  // Removes the document, its claims and its fact index rows. Returns how
  // many claims went; NOT_FOUND when there is no such document.
  absl::StatusOr<uint32_t> DeleteDocument(
      absl::string_view id, std::vector<v1::FactChange>* changes = nullptr);

  // The change log: up to `max` changes after position `after`, oldest
  // first, each with its position set.
  absl::StatusOr<std::vector<v1::FactChange>> ReadChanges(uint64_t after,
                                                          size_t max) const;
  // The position of the newest change; 0 when there is none.
  uint64_t LastChangePosition() const { return last_change_.load(); }
  // How many documents are stored (kept with every write, not counted).
  uint64_t DocumentCount() const { return document_count_.load(); }

  // The content fingerprint the store keeps to recognise a re-ingest.
  static std::string ContentHash(const v1::Document& doc);

  // A consistent view of the store: reads through one View see one moment,
  // whatever is written meanwhile. Its reads may run on several threads at
  // once (each makes its own iterator).
  class View {
   public:
    ~View();
    View(const View&) = delete;
    View& operator=(const View&) = delete;

    // Calls `fn` for each fact of `story_id` (every story when
    // `all_stories`) in key order, starting after `after` (when set), until
    // `fn` returns false. With `fact_key_prefix`, only the facts of one
    // story whose keys start with it.
    absl::Status ForEachFact(bool all_stories, absl::string_view story_id,
                             const FactId* after,
                             const std::function<bool(const FactId&)>& fn,
                             absl::string_view fact_key_prefix = "") const;
    // The claims of one fact, in document-id order; at most `limit` of them
    // when a limit is given.
    absl::StatusOr<std::vector<v1::Claim>> FactClaims(
        const FactId& id, size_t limit = SIZE_MAX) const;
    // The claims of every fact of one story, by fact key, each fact's in
    // FactClaims' order, read by one scan of the story's fact rows.
    absl::StatusOr<std::map<std::string, std::vector<v1::Claim>>>
    StoryFactClaims(absl::string_view story_id) const;
    // FactClaims without parsing: each claim serialized as a v1::Claim,
    // made of its stored row and the fields the row's key holds, so that
    // an answer can carry it as it is. The bytes parse to the claim
    // FactClaims gives; their fields may come in another order than
    // SerializeAsString's.
    absl::StatusOr<std::vector<std::string>> FactClaimBytes(
        const FactId& id) const;
    // StoryFactClaims without parsing: each fact's claims as FactClaimBytes
    // gives them, by fact key.
    absl::StatusOr<std::map<std::string, std::vector<std::string>>>
    StoryFactClaimBytes(absl::string_view story_id) const;
    absl::StatusOr<v1::StoredDocument> GetDocument(absl::string_view id) const;
    // A document as the story index knows it, without its text.
    struct StoryDocument {
      absl::string_view story_id;
      absl::string_view doc_id;
      absl::string_view source;
      uint32_t claim_count = 0;
    };
    // Calls `fn` for each document of `story_id` (every document when
    // `all_stories`), in story then document-id order. The views live
    // until `fn` returns.
    absl::Status ForEachStoryDocument(
        bool all_stories, absl::string_view story_id,
        const std::function<void(const StoryDocument&)>& fn) const;

   private:
    friend class ClaimStore;
    View(const ClaimStore* store, const rocksdb::Snapshot* snapshot);
    // Calls fn(key, value) on the view's fact rows under `prefix`, in key
    // order, until it returns an error or false (absl::StatusOr<bool>).
    // `across_facts` for a prefix wider than one fact, which the per-fact
    // prefix filter cannot serve; `what` names the scan in an error.
    template <typename Fn>
    absl::Status ScanFactRows(absl::string_view prefix, bool across_facts,
                              absl::string_view what, Fn fn) const;
    const ClaimStore* store_;
    const rocksdb::Snapshot* snapshot_;
  };
  std::unique_ptr<View> NewView() const;

  // FAILED_PRECONDITION unless the store was opened with `statistics`.
  absl::StatusOr<Counters> ReadCounters() const;

  // Approximate on-disk bytes of all column families.
  uint64_t ApproximateSizeBytes() const;
  // Bytes in SST files per column family, by name.
  std::vector<std::pair<std::string, uint64_t>> ColumnFamilySizes() const;
  // Flushes the memtables and compacts every column family (benchmarks and
  // maintenance; reads and writes go on meanwhile).
  absl::Status CompactAll();

  // Writes a consistent copy of the store into `dir`, which must not
  // exist, while reads and writes go on (a RocksDB checkpoint: hard links
  // to the immutable files where the file system allows). The copy is a
  // data directory crosscheckd can open. Returns how many documents it has.
  absl::StatusOr<uint64_t> Checkpoint(const std::string& dir) const;

 private:
  ClaimStore(std::unique_ptr<rocksdb::DB> db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles,
             const Options& options);

  absl::StatusOr<v1::StoredDocument> ReadDocument(
      const rocksdb::ReadOptions& ro, absl::string_view id) const;
  absl::StatusOr<std::vector<v1::Claim>> ReadClaims(
      const rocksdb::ReadOptions& ro, absl::string_view id) const;
  // Adds to `batch` the deletion of every row derived from `old`.
  absl::Status DeleteDerivedRows(const v1::StoredDocument& old,
                                 rocksdb::WriteBatch* batch) const;

  rocksdb::ColumnFamilyHandle* meta() const { return handles_[0]; }
  rocksdb::ColumnFamilyHandle* documents() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* claims() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* facts() const { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* changes() const { return handles_[4]; }
  rocksdb::ColumnFamilyHandle* stories() const { return handles_[5]; }
  // Brings a store written by schema `from` up to kSchemaVersion, one step
  // at a time.
  absl::Status Upgrade(uint32_t from);
  absl::Status AddStoryIndex();      // 1 to 2
  absl::Status MoveClaimsToFacts();  // 2 to 3
  // Counts a row added to `batch` during an upgrade, and writes the batch
  // (then empties it) every kUpgradeRowsPerBatch rows.
  absl::Status WriteWhenFull(rocksdb::WriteBatch* batch, uint64_t* rows,
                             const char* what);
  // Adds to `batch` the rows of `claim`, which names a fact: the claim in
  // its fact row, and a reference to that row at `claim_key`.
  absl::Status BatchClaimOfFact(const v1::Claim& claim,
                                absl::string_view story_id,
                                absl::string_view doc_id,
                                absl::string_view claim_key,
                                rocksdb::WriteBatch* batch) const;
  // Adds the schema `version` to `batch` and writes it, synced.
  absl::Status WriteSchemaVersion(uint32_t version, rocksdb::WriteBatch* batch);
  // Numbers `log` after the newest position and adds them to `batch`;
  // last_change_ moves only once the batch is written (see Commit).
  absl::Status BatchChanges(std::vector<v1::FactChange>* log,
                            rocksdb::WriteBatch* batch, uint64_t* last) const;

  std::unique_ptr<rocksdb::DB> db_;
  // Order matches kColumnFamilies in claim_store.cc: don't change the order
  // of the column families, or the handles will be mismatched.
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  Options options_;
  std::shared_ptr<rocksdb::Statistics> statistics_;
  // Serialises read-modify-write of documents.
  absl::Mutex write_mu_;
  // Position of the newest change written.
  std::atomic<uint64_t> last_change_{0};
  // Documents stored; changed under write_mu_, in the same batch as the
  // document rows.
  std::atomic<uint64_t> document_count_{0};
};

}  // namespace crosscheck::storage

#endif  // CROSSCHECK_STORAGE_CLAIM_STORE_H_
