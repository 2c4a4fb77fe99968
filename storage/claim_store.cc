#include "storage/claim_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/fnv1a.h"
#include "common/status_macros.h"
#include "common/wire_format.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/key_codec.h"
#include "storage/rocksdb_status.h"

namespace crosscheck::storage {
namespace {

// Don't change the order: ClaimStore's accessors index handles_ by it.
const char* const kColumnFamilies[] = {
    "default",    // meta: schema version
    "documents",  // doc id -> StoredDocument
    "claims",     // doc id, index -> reference to the fact row, or Claim
    "facts",      // story, fact key, doc id, index -> Claim (schema 3 on)
    "changes",    // position (big-endian 64 bits) -> FactChange
    "stories",    // story, doc id -> claim count, source (schema 2 on)
};
constexpr char kSchemaKey[] = "schema_version";
// The number of stored documents, in decimal (schema 2 on).
constexpr char kDocumentCountKey[] = "document_count";
// Rows an upgrade writes in one batch.
constexpr size_t kUpgradeRowsPerBatch = 10000;

// The prefix of a key through its `separators`-th separator, for keys made
// of NUL-separated parts. `name` is kept in the store's files with the
// filters built on the prefix, so it must not change.
// - Facts: two separators, "<story> NUL <fact key> NUL", the prefix that
//   names a fact. A fact's claims are read by seeking to it (FactClaims), so
//   the filter built on it lets a read of a fact that has no rows yet (most
//   facts a new document names) skip every file without touching a data
//   block.
// - Claims: one separator, the document id; a document's claims are written
//   together, in key order.
class SeparatorPrefixTransform : public rocksdb::SliceTransform {
 public:
  SeparatorPrefixTransform(const char* name, int separators)
      : name_(name), separators_(separators) {}
  const char* Name() const override { return name_; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), PrefixEnd(key));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return PrefixEnd(key) != 0;
  }

 private:
  // The length of the prefix through the last separator it takes; 0 when
  // `key` has fewer.
  size_t PrefixEnd(const rocksdb::Slice& key) const {
    int seen = 0;
    for (size_t i = 0; i < key.size(); ++i) {
      if (key[i] == kKeySeparator && ++seen == separators_) return i + 1;
    }
    return 0;
  }

  const char* const name_;
  const int separators_;
};

// Options per column family, each following how the family is read:
// - documents: point reads by id, most of them for ids not stored yet (every
//   new document is looked up before it is written), so a whole-key Bloom
//   filter answers them. The text is most of the bytes on disk: larger
//   blocks and ZSTD in the last level, where nearly all of it settles, store
//   it smaller; the upper levels keep LZ4, which is cheaper to write.
// - facts: seeks to one fact's prefix (see SeparatorPrefixTransform), with a
//   prefix filter and no whole-key filter: the only reads by whole key are
//   of a document's claims (GetClaims, a re-ingest, a delete), at keys
//   known to exist. Scans across facts and stories ask for total order.
//   The rows hold the claims (schema 3), so a fact's claims are side by
//   side and compress together. A fact's rows are a few kilobytes before
//   compression: 16 KiB blocks hold them in one block more often than 4
//   KiB ones, compress the rows of neighbouring facts together, and make
//   the index smaller (bench/README.md: the family a quarter smaller,
//   first reads no slower).
// - stories: a story's documents are read by one seek to its prefix, or all
//   of them in one scan; a few dozen bytes a document, no filter.
// - claims and changes: read only at keys known to exist (the claims rows
//   of a stored document, the log after a position). A filter could
//   only let such a read skip the levels above the one holding the key; on
//   claims it saved no block read while loading 100,000 documents and cost
//   1.3 bytes per claim (bench/README.md), so they have none.
// All families share one block cache.
std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilyDescriptors(
    const ClaimStore::Options& options) {
  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes);
  auto family = [&](const rocksdb::BlockBasedTableOptions& table) {
    rocksdb::ColumnFamilyOptions cf;
    cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    cf.compression = rocksdb::kLZ4Compression;
    return cf;
  };
  rocksdb::BlockBasedTableOptions plain;
  plain.block_cache = cache;

  rocksdb::BlockBasedTableOptions documents_table = plain;
  documents_table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  documents_table.block_size = 16 << 10;
  rocksdb::ColumnFamilyOptions documents = family(documents_table);
  documents.bottommost_compression = rocksdb::kZSTD;

  rocksdb::BlockBasedTableOptions facts_table = plain;
  facts_table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  facts_table.whole_key_filtering = false;
  facts_table.block_size = 16 << 10;
  rocksdb::ColumnFamilyOptions facts = family(facts_table);
  facts.prefix_extractor =
      std::make_shared<SeparatorPrefixTransform>("crosscheck.FactPrefix.v1", 2);
  facts.memtable_prefix_bloom_size_ratio = 0.05;
  // Inserts that follow another of the same prefix start their search in
  // the memtable where it ended: a document's claims, a fact's next row.
  facts.memtable_insert_with_hint_prefix_extractor = facts.prefix_extractor;
  rocksdb::ColumnFamilyOptions claims = family(plain);
  claims.memtable_insert_with_hint_prefix_extractor =
      std::make_shared<SeparatorPrefixTransform>("crosscheck.ClaimPrefix.v1",
                                                 1);
  // The change log's keys only grow: every insert follows the last.
  rocksdb::ColumnFamilyOptions changes = family(plain);
  changes.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewCappedPrefixTransform(0));

  // In kColumnFamilies' order.
  return {
      {kColumnFamilies[0], family(plain)}, {kColumnFamilies[1], documents},
      {kColumnFamilies[2], claims},        {kColumnFamilies[3], facts},
      {kColumnFamilies[4], changes},       {kColumnFamilies[5], family(plain)},
  };
}

rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
absl::string_view ToView(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

// Folds a length-prefixed field into both lanes.
void HashField(absl::string_view field, uint64_t* a, uint64_t* b) {
  std::string len;
  AppendBigEndian32(static_cast<uint32_t>(field.size()), &len);
  Fnv1a2(len, a, b);
  Fnv1a2(field, a, b);
}

// The bytes a claim is kept as in its fact row: without its fact key and
// document id, which the row's key holds (ParseFactRow puts them back).
std::string FactRowValue(const v1::Claim& claim, absl::string_view doc_id) {
  v1::Claim kept = claim;
  kept.clear_fact_key();
  if (kept.document_id() == doc_id) kept.clear_document_id();
  return kept.SerializeAsString();
}

// The parts of the fact row key `key`; DATA_LOSS when it is not one.
absl::Status ReadFactRowKey(absl::string_view key, FactRow* row) {
  if (!DecodeFactRowKey(key, row)) {
    return absl::DataLossError("a fact index row has a malformed key");
  }
  return absl::OkStatus();
}

// Reads the claim of the fact row `key`, `value`.
absl::Status ParseFactRow(absl::string_view key, absl::string_view value,
                          v1::Claim* claim) {
  FactRow row;
  RETURN_IF_ERROR(ReadFactRowKey(key, &row));
  if (!claim->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("a stored claim of document '",
                                            row.doc_id, "' does not parse"));
  }
  claim->set_fact_key(std::string(row.fact_key));
  if (claim->document_id().empty()) {
    claim->set_document_id(std::string(row.doc_id));
  }
  return absl::OkStatus();
}

// The claim of the fact row `key`, `value` serialized as a v1::Claim
// without being parsed: the row's value between the fields its key holds.
// The document id (Claim.document_id, field 2) goes first, so that a
// claim that names another document, which the value then holds, keeps
// its own (a field's last value wins); the fact key (field 13) goes last,
// as ParseFactRow sets it.
std::string SerializedFactRowClaim(const FactRow& row,
                                   absl::string_view value) {
  std::string out;
  out.reserve(LengthDelimitedHeadSize(row.doc_id.size()) + row.doc_id.size() +
              value.size() + LengthDelimitedHeadSize(row.fact_key.size()) +
              row.fact_key.size());
  AppendLengthDelimited(2, row.doc_id, &out);
  out.append(value.data(), value.size());
  AppendLengthDelimited(13, row.fact_key, &out);
  return out;
}

}  // namespace

std::string ClaimStore::ContentHash(const v1::Document& doc) {
  // Two independent 64-bit FNV-1a lanes (different offset bases) over
  // length-prefixed fields: a stable fingerprint across builds and machines,
  // unlike std::hash or absl::Hash.
  uint64_t a = kFnv1aBasis;
  uint64_t b = 0x84222325cbf29ce4ULL;
  for (const std::string* field :
       {&doc.source(), &doc.url(), &doc.title(), &doc.published(),
        &doc.story_id(), &doc.language(), &doc.text()}) {
    HashField(*field, &a, &b);
    Fnv1a("|", &b);
  }
  return absl::StrFormat("%016x%016x", a, b);
}

absl::StatusOr<std::unique_ptr<ClaimStore>> ClaimStore::Open(
    const std::string& dir, const Options& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.keep_log_file_num = 5;
  if (options.statistics) {
    db_options.statistics = rocksdb::CreateDBStatistics();
  }

  const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors =
      ColumnFamilyDescriptors(options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && absl::StrContains(s.ToString(), "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory '", dir,
          "' is in use by another process (its RocksDB LOCK is held); stop "
          "that crosscheckd or choose another --data_dir"));
    }
    return FromRocksDb(s, absl::StrCat("opening data directory '", dir, "'"));
  }
  std::unique_ptr<ClaimStore> store(
      new ClaimStore(std::unique_ptr<rocksdb::DB>(raw), handles, options));
  store->statistics_ = db_options.statistics;

  std::string version;
  s = raw->Get(rocksdb::ReadOptions(), store->meta(), kSchemaKey, &version);
  if (s.IsNotFound()) {
    // A new store.
    rocksdb::WriteBatch batch;
    RETURN_IF_ERROR(FromRocksDb(
        batch.Put(store->meta(), kSchemaKey, std::to_string(kSchemaVersion)),
        "batching the schema version"));
    RETURN_IF_ERROR(
        FromRocksDb(batch.Put(store->meta(), kDocumentCountKey, "0"),
                    "batching the document count"));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    RETURN_IF_ERROR(
        FromRocksDb(raw->Write(wo, &batch), "writing the schema version"));
  } else if (!s.ok()) {
    return FromRocksDb(s, "reading the schema version");
  } else {
    uint32_t stored = 0;
    if (!absl::SimpleAtoi(version, &stored)) {
      return absl::DataLossError(
          absl::StrCat("data directory '", dir,
                       "' has an unreadable schema version '", version, "'"));
    }
    if (stored > kSchemaVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory '", dir, "' was written by schema version ", stored,
          ", newer than this crosscheckd understands (", kSchemaVersion,
          "); run a newer crosscheckd"));
    }
    if (stored < kSchemaVersion) RETURN_IF_ERROR(store->Upgrade(stored));
  }
  {
    std::string count;
    s = raw->Get(rocksdb::ReadOptions(), store->meta(), kDocumentCountKey,
                 &count);
    RETURN_IF_ERROR(FromRocksDb(s, "reading the document count"));
    uint64_t documents = 0;
    if (!absl::SimpleAtoi(count, &documents)) {
      return absl::DataLossError(
          absl::StrCat("data directory '", dir,
                       "' has an unreadable document count '", count, "'"));
    }
    store->document_count_ = documents;
  }
  {
    std::unique_ptr<rocksdb::Iterator> it(
        raw->NewIterator(rocksdb::ReadOptions(), store->changes()));
    it->SeekToLast();
    if (it->Valid()) {
      if (it->key().size() != 8) {
        return absl::DataLossError("the change log has a malformed key");
      }
      store->last_change_ = DecodeBigEndian64(ToView(it->key()));
    }
    RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the change log"));
  }
  return store;
}

absl::Status ClaimStore::Upgrade(uint32_t from) {
  // Each step writes its schema version last, with a sync, so an upgrade cut
  // short starts again at the next open from the step it was in; a step
  // done again writes the same rows again.
  if (from == 1) {
    RETURN_IF_ERROR(AddStoryIndex());
    from = 2;
  }
  if (from == 2) {
    RETURN_IF_ERROR(MoveClaimsToFacts());
    from = 3;
  }
  if (from != kSchemaVersion) {
    return absl::DataLossError(
        absl::StrCat("no upgrade from schema version ", from));
  }
  return absl::OkStatus();
}

absl::Status ClaimStore::WriteSchemaVersion(uint32_t version,
                                            rocksdb::WriteBatch* batch) {
  RETURN_IF_ERROR(
      FromRocksDb(batch->Put(meta(), kSchemaKey, std::to_string(version)),
                  "batching the schema version"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocksDb(db_->Write(wo, batch),
                     "writing the upgraded schema version");
}

absl::Status ClaimStore::WriteWhenFull(rocksdb::WriteBatch* batch,
                                       uint64_t* rows, const char* what) {
  if (++*rows % kUpgradeRowsPerBatch != 0) return absl::OkStatus();
  RETURN_IF_ERROR(FromRocksDb(
      db_->Write(rocksdb::WriteOptions(), batch),
      absl::StrCat("writing ", what, " while upgrading the store")));
  batch->Clear();
  return absl::OkStatus();
}

absl::Status ClaimStore::BatchClaimOfFact(const v1::Claim& claim,
                                          absl::string_view story_id,
                                          absl::string_view doc_id,
                                          absl::string_view claim_key,
                                          rocksdb::WriteBatch* batch) const {
  const std::string reference = ClaimReference(story_id, claim.fact_key());
  RETURN_IF_ERROR(
      FromRocksDb(batch->Put(claims(), ToSlice(claim_key), reference),
                  "batching a claim reference"));
  // The fact row's key: the reference's fact prefix, then the claim's key.
  return FromRocksDb(
      batch->Put(
          facts(),
          absl::StrCat(absl::string_view(reference).substr(1), claim_key),
          FactRowValue(claim, doc_id)),
      "batching a fact row");
}

absl::Status ClaimStore::AddStoryIndex() {
  // Schema 2 adds a story row per document and the document count. One
  // scan of the documents writes them, in batches.
  rocksdb::WriteBatch batch;
  uint64_t documents = 0;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), this->documents()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::StoredDocument doc;
    if (!doc.ParseFromArray(it->value().data(),
                            static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a stored document does not parse");
    }
    RETURN_IF_ERROR(FromRocksDb(
        batch.Put(stories(),
                  StoryRowKey(doc.document().story_id(), doc.document().id()),
                  StoryRowValue(doc.claim_count(), doc.document().source())),
        "batching a story row"));
    RETURN_IF_ERROR(WriteWhenFull(&batch, &documents, "story rows"));
  }
  RETURN_IF_ERROR(FromRocksDb(it->status(), "scanning documents"));
  RETURN_IF_ERROR(FromRocksDb(
      batch.Put(meta(), kDocumentCountKey, std::to_string(documents)),
      "batching the document count"));
  return WriteSchemaVersion(2, &batch);
}

absl::Status ClaimStore::MoveClaimsToFacts() {
  // Schema 3 keeps each claim of a fact in its fact row, so that a fact's
  // claims are read by one seek, and leaves a reference in the claims row.
  // The story index names each document's story.
  rocksdb::WriteBatch batch;
  uint64_t rows = 0;
  std::unique_ptr<rocksdb::Iterator> story_rows(
      db_->NewIterator(rocksdb::ReadOptions(), stories()));
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), claims()));
  for (story_rows->SeekToFirst(); story_rows->Valid(); story_rows->Next()) {
    StoryRow row;
    if (!DecodeStoryRow(ToView(story_rows->key()), ToView(story_rows->value()),
                        &row)) {
      return absl::DataLossError("a story row is malformed");
    }
    const std::string prefix = ClaimPrefix(row.doc_id);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
         it->Next()) {
      absl::string_view fact_prefix;
      if (DecodeClaimReference(ToView(it->value()), &fact_prefix)) continue;
      v1::Claim claim;
      if (!claim.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
        return absl::DataLossError(absl::StrCat(
            "a stored claim of document '", row.doc_id, "' does not parse"));
      }
      if (claim.fact_key().empty()) continue;
      RETURN_IF_ERROR(BatchClaimOfFact(claim, row.story_id, row.doc_id,
                                       ToView(it->key()), &batch));
      RETURN_IF_ERROR(WriteWhenFull(&batch, &rows, "fact rows"));
    }
    RETURN_IF_ERROR(FromRocksDb(it->status(), "scanning claims"));
  }
  RETURN_IF_ERROR(FromRocksDb(story_rows->status(), "scanning stories"));
  return WriteSchemaVersion(3, &batch);
}

ClaimStore::ClaimStore(std::unique_ptr<rocksdb::DB> db,
                       std::vector<rocksdb::ColumnFamilyHandle*> handles,
                       const Options& options)
    : db_(std::move(db)), handles_(std::move(handles)), options_(options) {}

ClaimStore::~ClaimStore() {
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<ClaimStore::Counters> ClaimStore::ReadCounters() const {
  if (statistics_ == nullptr) {
    return absl::FailedPreconditionError(
        "the store was opened without statistics");
  }
  const rocksdb::Statistics& s = *statistics_;
  Counters c;
  c.point_lookups = s.getTickerCount(rocksdb::NUMBER_KEYS_READ) +
                    s.getTickerCount(rocksdb::NUMBER_MULTIGET_KEYS_READ);
  c.seeks = s.getTickerCount(rocksdb::NUMBER_DB_SEEK);
  c.data_block_reads = s.getTickerCount(rocksdb::BLOCK_CACHE_DATA_MISS);
  c.data_block_hits = s.getTickerCount(rocksdb::BLOCK_CACHE_DATA_HIT);
  c.filter_skips = s.getTickerCount(rocksdb::BLOOM_FILTER_USEFUL);
  c.prefix_filter_checks =
      s.getTickerCount(rocksdb::BLOOM_FILTER_PREFIX_CHECKED);
  c.prefix_filter_skips = s.getTickerCount(rocksdb::BLOOM_FILTER_PREFIX_USEFUL);
  c.bytes_flushed = s.getTickerCount(rocksdb::FLUSH_WRITE_BYTES);
  c.compaction_bytes_read = s.getTickerCount(rocksdb::COMPACT_READ_BYTES);
  c.compaction_bytes_written = s.getTickerCount(rocksdb::COMPACT_WRITE_BYTES);
  c.wal_bytes = s.getTickerCount(rocksdb::WAL_FILE_BYTES);
  return c;
}

std::string ClaimStore::Counters::ToString() const {
  const std::pair<const char*, uint64_t> rows[] = {
      {"point_lookups", point_lookups},
      {"seeks", seeks},
      {"data_block_reads", data_block_reads},
      {"data_block_hits", data_block_hits},
      {"filter_skips", filter_skips},
      {"prefix_filter_checks", prefix_filter_checks},
      {"prefix_filter_skips", prefix_filter_skips},
      {"bytes_flushed", bytes_flushed},
      {"compaction_bytes_read", compaction_bytes_read},
      {"compaction_bytes_written", compaction_bytes_written},
      {"wal_bytes", wal_bytes},
  };
  std::string out;
  for (const auto& [name, value] : rows) {
    absl::StrAppend(&out, name, " ", value, "\n");
  }
  return out;
}

absl::StatusOr<v1::StoredDocument> ClaimStore::ReadDocument(
    const rocksdb::ReadOptions& ro, absl::string_view id) const {
  std::string value;
  rocksdb::Status s = db_->Get(ro, documents(), ToSlice(id), &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat("no document with id '", id, "'"));
  }
  RETURN_IF_ERROR(FromRocksDb(s, absl::StrCat("reading document '", id, "'")));
  v1::StoredDocument doc;
  if (!doc.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("stored document '", id, "' does not parse"));
  }
  return doc;
}

absl::StatusOr<std::vector<v1::Claim>> ClaimStore::ReadClaims(
    const rocksdb::ReadOptions& ro, absl::string_view id) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, claims()));
  std::vector<v1::Claim> out;
  const std::string prefix = ClaimPrefix(id);
  // Claims kept in place are read now; those kept in their fact rows, in
  // one batched read after.
  std::vector<std::string> fact_rows;
  std::vector<size_t> slots;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    v1::Claim& claim = out.emplace_back();
    absl::string_view fact_prefix;
    if (DecodeClaimReference(ToView(it->value()), &fact_prefix)) {
      fact_rows.push_back(absl::StrCat(fact_prefix, ToView(it->key())));
      slots.push_back(out.size() - 1);
    } else if (!claim.ParseFromArray(it->value().data(),
                                     static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("a stored claim of document '", id, "' does not parse"));
    }
  }
  RETURN_IF_ERROR(FromRocksDb(it->status(), "scanning claims"));
  if (fact_rows.empty()) return out;
  std::vector<rocksdb::Slice> keys(fact_rows.begin(), fact_rows.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(ro, facts(), keys.size(), keys.data(), values.data(),
                statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      return absl::DataLossError(absl::StrCat("a claim of document '", id,
                                              "' has lost its fact index row"));
    }
    RETURN_IF_ERROR(
        FromRocksDb(statuses[i], "reading a claim from its fact row"));
    RETURN_IF_ERROR(
        ParseFactRow(fact_rows[i], ToView(values[i]), &out[slots[i]]));
  }
  return out;
}

absl::Status ClaimStore::DeleteDerivedRows(const v1::StoredDocument& old,
                                           rocksdb::WriteBatch* batch) const {
  const std::string& id = old.document().id();
  RETURN_IF_ERROR(FromRocksDb(
      batch->Delete(stories(), StoryRowKey(old.document().story_id(), id)),
      "batching a story row deletion"));
  // Each claims row, and the fact row it names or its claim's fact row.
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), claims()));
  const std::string prefix = ClaimPrefix(id);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    absl::string_view fact_prefix;
    std::string fact_row;
    if (DecodeClaimReference(ToView(it->value()), &fact_prefix)) {
      fact_row = absl::StrCat(fact_prefix, ToView(it->key()));
    } else {
      v1::Claim claim;
      if (!claim.ParseFromArray(it->value().data(),
                                static_cast<int>(it->value().size()))) {
        return absl::DataLossError(absl::StrCat("a stored claim of document '",
                                                id, "' does not parse"));
      }
      if (!claim.fact_key().empty()) {
        fact_row = absl::StrCat(
            FactPrefix(old.document().story_id(), claim.fact_key()),
            ToView(it->key()));
      }
    }
    RETURN_IF_ERROR(FromRocksDb(batch->Delete(claims(), it->key()),
                                "batching a claim deletion"));
    if (!fact_row.empty()) {
      RETURN_IF_ERROR(FromRocksDb(batch->Delete(facts(), fact_row),
                                  "batching a fact row deletion"));
    }
  }
  return FromRocksDb(it->status(), "scanning claims");
}

absl::Status ClaimStore::BatchChanges(std::vector<v1::FactChange>* log,
                                      rocksdb::WriteBatch* batch,
                                      uint64_t* last) const {
  *last = last_change_.load();
  if (log == nullptr) return absl::OkStatus();
  const std::string now =
      absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone());
  for (v1::FactChange& change : *log) {
    ++*last;
    change.set_position(std::to_string(*last));
    change.set_recorded(now);
    std::string key;
    AppendBigEndian64(*last, &key);
    RETURN_IF_ERROR(
        FromRocksDb(batch->Put(changes(), key, change.SerializeAsString()),
                    "batching a fact change"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::FactChange>> ClaimStore::ReadChanges(
    uint64_t after, size_t max) const {
  std::vector<v1::FactChange> out;
  std::string start;
  AppendBigEndian64(after + 1, &start);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), changes()));
  for (it->Seek(start); it->Valid() && out.size() < max; it->Next()) {
    v1::FactChange change;
    if (it->key().size() != 8 ||
        !change.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError("a stored fact change does not parse");
    }
    change.set_position(std::to_string(DecodeBigEndian64(ToView(it->key()))));
    out.push_back(std::move(change));
  }
  RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the change log"));
  return out;
}

absl::StatusOr<ClaimStore::PutResult> ClaimStore::PutDocument(
    const v1::Document& doc, const std::vector<v1::Claim>& claim_list,
    std::vector<v1::FactChange>* changes) {
  absl::MutexLock lock(&write_mu_);
  const std::string hash = ContentHash(doc);
  PutResult result;
  rocksdb::WriteBatch batch;
  auto old = ReadDocument(rocksdb::ReadOptions(), doc.id());
  if (old.ok()) {
    if (old->content_hash() == hash) {
      result.version = old->version();
      result.outcome = v1::INGEST_OUTCOME_UNCHANGED;
      result.claim_count = old->claim_count();
      return result;
    }
    RETURN_IF_ERROR(DeleteDerivedRows(*old, &batch));
    result.version = old->version() + 1;
    result.outcome = v1::INGEST_OUTCOME_UPDATED;
  } else if (absl::IsNotFound(old.status())) {
    result.version = 1;
    result.outcome = v1::INGEST_OUTCOME_CREATED;
  } else {
    return old.status();
  }
  result.claim_count = static_cast<uint32_t>(claim_list.size());

  v1::StoredDocument stored;
  *stored.mutable_document() = doc;
  stored.set_version(result.version);
  stored.set_content_hash(hash);
  stored.set_claim_count(result.claim_count);
  stored.set_ingested(
      absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()));
  RETURN_IF_ERROR(
      FromRocksDb(batch.Put(documents(), doc.id(), stored.SerializeAsString()),
                  "batching a document"));
  RETURN_IF_ERROR(
      FromRocksDb(batch.Put(stories(), StoryRowKey(doc.story_id(), doc.id()),
                            StoryRowValue(result.claim_count, doc.source())),
                  "batching a story row"));
  uint64_t documents = document_count_.load();
  if (result.outcome == v1::INGEST_OUTCOME_CREATED) {
    ++documents;
    RETURN_IF_ERROR(FromRocksDb(
        batch.Put(meta(), kDocumentCountKey, std::to_string(documents)),
        "batching the document count"));
  }
  // A claim of a fact is kept in its fact row, with a reference to it in
  // the claims row; a claim of no fact, in the claims row.
  for (uint32_t i = 0; i < claim_list.size(); ++i) {
    const v1::Claim& claim = claim_list[i];
    const std::string key = ClaimKey(doc.id(), i);
    if (claim.fact_key().empty()) {
      RETURN_IF_ERROR(
          FromRocksDb(batch.Put(claims(), key, claim.SerializeAsString()),
                      "batching a claim"));
      continue;
    }
    RETURN_IF_ERROR(
        BatchClaimOfFact(claim, doc.story_id(), doc.id(), key, &batch));
  }
  uint64_t last = 0;
  RETURN_IF_ERROR(BatchChanges(changes, &batch, &last));
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  RETURN_IF_ERROR(
      FromRocksDb(db_->Write(wo, &batch),
                  absl::StrCat("writing document '", doc.id(), "'")));
  last_change_ = last;
  document_count_ = documents;
  return result;
}

absl::StatusOr<v1::StoredDocument> ClaimStore::GetDocument(
    absl::string_view id) const {
  return ReadDocument(rocksdb::ReadOptions(), id);
}

absl::StatusOr<std::vector<v1::Claim>> ClaimStore::GetClaims(
    absl::string_view id) const {
  return ReadClaims(rocksdb::ReadOptions(), id);
}

absl::StatusOr<uint32_t> ClaimStore::DeleteDocument(
    absl::string_view id, std::vector<v1::FactChange>* changes) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(v1::StoredDocument old,
                   ReadDocument(rocksdb::ReadOptions(), id));
  rocksdb::WriteBatch batch;
  RETURN_IF_ERROR(DeleteDerivedRows(old, &batch));
  RETURN_IF_ERROR(FromRocksDb(batch.Delete(documents(), ToSlice(id)),
                              "batching a document deletion"));
  const uint64_t documents = document_count_.load() - 1;
  RETURN_IF_ERROR(FromRocksDb(
      batch.Put(meta(), kDocumentCountKey, std::to_string(documents)),
      "batching the document count"));
  uint64_t last = 0;
  RETURN_IF_ERROR(BatchChanges(changes, &batch, &last));
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  RETURN_IF_ERROR(FromRocksDb(db_->Write(wo, &batch),
                              absl::StrCat("deleting document '", id, "'")));
  last_change_ = last;
  document_count_ = documents;
  return old.claim_count();
}

uint64_t ClaimStore::ApproximateSizeBytes() const {
  uint64_t total = 0;
  for (auto* handle : handles_) {
    uint64_t size = 0;
    if (db_->GetIntProperty(handle, "rocksdb.total-sst-files-size", &size)) {
      total += size;
    }
    if (db_->GetIntProperty(handle, "rocksdb.size-all-mem-tables", &size)) {
      total += size;
    }
  }
  return total;
}

std::vector<std::pair<std::string, uint64_t>> ClaimStore::ColumnFamilySizes()
    const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (size_t i = 0; i < handles_.size(); ++i) {
    uint64_t size = 0;
    db_->GetIntProperty(handles_[i], "rocksdb.total-sst-files-size", &size);
    out.emplace_back(kColumnFamilies[i], size);
  }
  return out;
}

absl::Status ClaimStore::CompactAll() {
  RETURN_IF_ERROR(FromRocksDb(db_->Flush(rocksdb::FlushOptions(), handles_),
                              "flushing the memtables"));
  for (auto* handle : handles_) {
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction =
        rocksdb::BottommostLevelCompaction::kForce;
    RETURN_IF_ERROR(FromRocksDb(
        db_->CompactRange(options, handle, nullptr, nullptr), "compacting"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ClaimStore::Checkpoint(const std::string& dir) const {
  if (dir.empty()) {
    return absl::InvalidArgumentError("backup directory is empty");
  }
  rocksdb::Checkpoint* raw = nullptr;
  RETURN_IF_ERROR(FromRocksDb(rocksdb::Checkpoint::Create(db_.get(), &raw),
                              "preparing a checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  rocksdb::Status s = checkpoint->CreateCheckpoint(dir);
  if (!s.ok()) {
    if (s.IsInvalidArgument() && absl::StrContains(s.ToString(), "exists")) {
      return absl::AlreadyExistsError(absl::StrCat(
          "backup directory '", dir, "' already exists; name a new one"));
    }
    return FromRocksDb(s, absl::StrCat("writing a checkpoint to '", dir, "'"));
  }
  // Open the copy read-only and count its documents: the backup is known to
  // open, and the count is the copy's, not the live store's.
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kColumnFamilies) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* copy = nullptr;
  RETURN_IF_ERROR(
      FromRocksDb(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir,
                                               descriptors, &handles, &copy),
                  absl::StrCat("opening the checkpoint in '", dir, "'")));
  std::string count;
  rocksdb::Status read =
      copy->Get(rocksdb::ReadOptions(), handles[0], kDocumentCountKey, &count);
  for (auto* handle : handles) copy->DestroyColumnFamilyHandle(handle);
  delete copy;
  RETURN_IF_ERROR(FromRocksDb(read, "reading the checkpoint's document count"));
  uint64_t documents = 0;
  if (!absl::SimpleAtoi(count, &documents)) {
    return absl::DataLossError(absl::StrCat(
        "the checkpoint has an unreadable document count '", count, "'"));
  }
  return documents;
}

std::unique_ptr<ClaimStore::View> ClaimStore::NewView() const {
  return std::unique_ptr<View>(new View(this, db_->GetSnapshot()));
}

ClaimStore::View::View(const ClaimStore* store,
                       const rocksdb::Snapshot* snapshot)
    : store_(store), snapshot_(snapshot) {}

ClaimStore::View::~View() { store_->db_->ReleaseSnapshot(snapshot_); }

absl::Status ClaimStore::View::ForEachFact(
    bool all_stories, absl::string_view story_id, const FactId* after,
    const std::function<bool(const FactId&)>& fn,
    absl::string_view fact_key_prefix) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  // The scan crosses facts, so it can't use the per-fact prefix filter.
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db_->NewIterator(ro, store_->facts()));
  const std::string prefix =
      all_stories ? "" : absl::StrCat(StoryPrefix(story_id), fact_key_prefix);
  if (after != nullptr) {
    // The first row past every row of `after`: its prefix with the separator
    // bumped to the next byte value.
    std::string seek = FactPrefix(after->story_id, after->fact_key);
    seek.back() = '\x01';
    it->Seek(std::max(seek, prefix));
  } else {
    it->Seek(prefix);
  }
  // A fact has a row per claim. The scan steps over the first few rows of
  // each fact and seeks past the rest: a seek costs a few steps, and facts
  // named by many sources have tens of rows.
  constexpr int kStepsBeforeSeek = 4;
  FactId last;
  bool have_last = false;
  int steps = 0;
  while (it->Valid() && it->key().starts_with(prefix)) {
    FactRow row;
    RETURN_IF_ERROR(ReadFactRowKey(ToView(it->key()), &row));
    if (have_last && row.story_id == last.story_id &&
        row.fact_key == last.fact_key) {
      if (++steps < kStepsBeforeSeek) {
        it->Next();
      } else {
        std::string past = FactPrefix(last.story_id, last.fact_key);
        past.back() = '\x01';
        it->Seek(past);
      }
      continue;
    }
    last = FactId{std::string(row.story_id), std::string(row.fact_key)};
    have_last = true;
    steps = 0;
    if (!fn(last)) break;
    it->Next();
  }
  return FromRocksDb(it->status(), "scanning the fact index");
}

template <typename Fn>
absl::Status ClaimStore::View::ScanFactRows(absl::string_view prefix,
                                            bool across_facts,
                                            absl::string_view what,
                                            Fn fn) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  ro.total_order_seek = across_facts;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db_->NewIterator(ro, store_->facts()));
  for (it->Seek(ToSlice(prefix));
       it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    absl::StatusOr<bool> more = fn(ToView(it->key()), ToView(it->value()));
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  return FromRocksDb(it->status(), what);
}

absl::StatusOr<std::vector<v1::Claim>> ClaimStore::View::FactClaims(
    const FactId& id, size_t limit) const {
  // The fact's rows hold its claims, side by side.
  std::vector<v1::Claim> out;
  if (limit == 0) return out;
  RETURN_IF_ERROR(ScanFactRows(
      FactPrefix(id.story_id, id.fact_key), false, "scanning a fact",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(ParseFactRow(key, value, &out.emplace_back()));
        return out.size() < limit;
      }));
  return out;
}

absl::StatusOr<std::vector<std::string>> ClaimStore::View::FactClaimBytes(
    const FactId& id) const {
  std::vector<std::string> out;
  RETURN_IF_ERROR(ScanFactRows(
      FactPrefix(id.story_id, id.fact_key), false, "scanning a fact",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<bool> {
        FactRow row;
        RETURN_IF_ERROR(ReadFactRowKey(key, &row));
        out.push_back(SerializedFactRowClaim(row, value));
        return true;
      }));
  return out;
}

absl::StatusOr<std::map<std::string, std::vector<std::string>>>
ClaimStore::View::StoryFactClaimBytes(absl::string_view story_id) const {
  std::map<std::string, std::vector<std::string>> facts;
  std::vector<std::string>* members = nullptr;
  absl::string_view members_key;
  RETURN_IF_ERROR(ScanFactRows(
      StoryPrefix(story_id), true, "scanning a story's facts",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<bool> {
        FactRow row;
        RETURN_IF_ERROR(ReadFactRowKey(key, &row));
        if (members == nullptr || members_key != row.fact_key) {
          auto [entry, added] = facts.try_emplace(std::string(row.fact_key));
          members = &entry->second;
          members_key = entry->first;
        }
        members->push_back(SerializedFactRowClaim(row, value));
        return true;
      }));
  return facts;
}

absl::StatusOr<v1::StoredDocument> ClaimStore::View::GetDocument(
    absl::string_view id) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  return store_->ReadDocument(ro, id);
}

absl::StatusOr<std::map<std::string, std::vector<v1::Claim>>>
ClaimStore::View::StoryFactClaims(absl::string_view story_id) const {
  // The story's fact rows in key order: each fact's claims in FactClaims'
  // order.
  std::map<std::string, std::vector<v1::Claim>> facts;
  std::vector<v1::Claim>* members = nullptr;
  RETURN_IF_ERROR(
      ScanFactRows(StoryPrefix(story_id), true, "scanning a story's facts",
                   [&](absl::string_view key,
                       absl::string_view value) -> absl::StatusOr<bool> {
                     v1::Claim claim;
                     RETURN_IF_ERROR(ParseFactRow(key, value, &claim));
                     if (members == nullptr ||
                         members->front().fact_key() != claim.fact_key()) {
                       members = &facts[claim.fact_key()];
                     }
                     members->push_back(std::move(claim));
                     return true;
                   }));
  return facts;
}

absl::Status ClaimStore::View::ForEachStoryDocument(
    bool all_stories, absl::string_view story_id,
    const std::function<void(const StoryDocument&)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db_->NewIterator(ro, store_->stories()));
  const std::string prefix = all_stories ? "" : StoryPrefix(story_id);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    StoryRow row;
    if (!DecodeStoryRow(ToView(it->key()), ToView(it->value()), &row)) {
      return absl::DataLossError("a story row is malformed");
    }
    fn(StoryDocument{row.story_id, row.doc_id, row.source, row.claim_count});
  }
  return FromRocksDb(it->status(), "scanning the story index");
}

}  // namespace crosscheck::storage
