#ifndef CROSSCHECK_SERVER_CHANGE_FEED_H_
#define CROSSCHECK_SERVER_CHANGE_FEED_H_

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "claims/fact_comparator.h"
#include "protos/crosscheck/v1/crosscheck.pb.h"
#include "storage/claim_store.h"

namespace crosscheck::server {

// Tells watchers that the change log has grown. Thread-safe.
class ChangeFeed {
 public:
  class Listener {
   public:
    // Called with the feed's lock held: must not call back into the feed.
    virtual void OnNewChanges() = 0;

   protected:
    ~Listener() = default;
  };

  void Subscribe(Listener* listener);
  // After this returns, `listener` is never called again.
  void Unsubscribe(Listener* listener);
  void Notify();

 private:
  absl::Mutex mu_;
  absl::flat_hash_set<Listener*> listeners_ ABSL_GUARDED_BY(mu_);
};

// The claims and comparison summary of facts the write path touched lately,
// so that ingesting into a story that is being covered does not read every
// claim of each of its facts back from the store and compare them again. Holds
// at most `max_claims` claims, least recently used out first; 0 turns it off.
// Not thread-safe: the service keeps one per ingest stripe and uses it
// under that stripe's lock, which every write to the stripe's stories
// holds, so entries stay what the store holds.
class FactCache {
 public:
  struct Entry {
    std::vector<v1::Claim> claims;  // In document-id order.
    claims::FactSummary summary;    // Of `claims`; empty when there are none.
  };

  explicit FactCache(size_t max_claims) : max_claims_(max_claims) {}

  // The entry of `id`, or null.
  const Entry* Find(const storage::ClaimStore::FactId& id);
  // Removes the entry of `id` and returns it, if there is one.
  std::optional<Entry> Take(const storage::ClaimStore::FactId& id);
  void Put(const storage::ClaimStore::FactId& id, Entry entry);
  void Erase(const storage::ClaimStore::FactId& id);
  // "story\0fact_key".
  static std::string Key(const storage::ClaimStore::FactId& id);

  // The keys of a story's grouped facts (claims::kGroupedKinds) in key
  // order, or null when they are not kept: the facts a new document's dates
  // and quotes are grouped with, known without scanning the store. Kept
  // lists hold at most `max_claims` keys in all, least recently used out
  // first.
  const std::vector<std::string>* GroupedKeys(const std::string& story_id);
  void PutGroupedKeys(const std::string& story_id,
                      std::vector<std::string> keys);
  // After a stored write: fact `id` now has claims (`exists`) or none. A
  // kept list of its story follows.
  void NoteWritten(const storage::ClaimStore::FactId& id, bool exists);
  void EraseGroupedKeys(const std::string& story_id);

 private:
  struct Slot {
    Entry entry;
    std::list<std::string>::iterator recency;
  };
  struct StoryKeys {
    std::vector<std::string> keys;
    std::list<std::string>::iterator recency;
  };
  const size_t max_claims_;
  size_t claims_ = 0;
  std::list<std::string> recency_;  // Most recent first.
  absl::flat_hash_map<std::string, Slot> slots_;
  size_t grouped_keys_ = 0;
  std::list<std::string> story_recency_;  // Most recent first.
  absl::flat_hash_map<std::string, StoryKeys> stories_;
};

// The bytes of a message in pieces sent one after another. Each piece is a
// few bytes of its own (a field's tag and length) followed by a kept answer,
// which is sent from where it is kept rather than copied.
struct MessagePieces {
  struct Piece {
    std::string head;
    std::shared_ptr<const std::string> body;  // May be null.
  };
  std::vector<Piece> pieces;

  // The bytes of all pieces together.
  size_t ByteSize() const;
};

// Serialized GetFact answers, so that reading a fact that has not changed
// since it was last read costs a lookup instead of reading and comparing
// all its claims. Holds at most `max_bytes` of answers, least recently
// used out first; 0 turns it off. Thread-safe.
//
// Staleness is ruled out by generations: a reader takes Generation(id)
// before it reads the store, and Insert keeps its answer only if no write
// has invalidated a fact of the same shard since; a writer calls
// Invalidate(id) after its write is stored. A reader of many facts takes
// every shard's generation at once (Generations) before it reads.
//
// It also keeps SearchFacts pages of single stories, in up to half as many
// bytes again (their answers are mostly the ones kept above, shared). Any
// Invalidate of a fact of a story drops every kept page of the story; a
// reader of a page takes PageGeneration(story) before it reads the store.
class FactResponseCache {
 public:
  static constexpr size_t kShards = 16;
  using ShardGenerations = std::array<uint64_t, kShards>;

  explicit FactResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> Find(
      const storage::ClaimStore::FactId& id);
  uint64_t Generation(const storage::ClaimStore::FactId& id);
  ShardGenerations Generations();
  void Insert(const storage::ClaimStore::FactId& id, uint64_t generation,
              std::shared_ptr<const std::string> bytes);
  // Insert with the generation `generations` holds for the fact's shard.
  void Insert(const storage::ClaimStore::FactId& id,
              const ShardGenerations& generations,
              std::shared_ptr<const std::string> bytes);
  void Invalidate(const storage::ClaimStore::FactId& id);

  // The page of story `story_id` that `page_key` names (the request's
  // filters and position), or null.
  std::shared_ptr<const MessagePieces> FindPage(const std::string& story_id,
                                                const std::string& page_key);
  uint64_t PageGeneration(const std::string& story_id);
  void InsertPage(const std::string& story_id, const std::string& page_key,
                  uint64_t generation,
                  std::shared_ptr<const MessagePieces> page);

 private:
  // One shard of kept values (answers or pages), under one lock: least
  // recently used out first, and a generation that writers bump.
  template <typename Value, template <typename...> class Map>
  struct KeptShard {
    struct Slot {
      Value value;
      size_t bytes = 0;
      std::list<std::string>::iterator recency;
    };
    absl::Mutex mu;
    uint64_t generation ABSL_GUARDED_BY(mu) = 0;
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
    std::list<std::string> recency ABSL_GUARDED_BY(mu);  // Most recent first.
    Map<std::string, Slot> slots ABSL_GUARDED_BY(mu);

    // The value kept under `key`, or null.
    Value Find(const std::string& key);
    uint64_t Generation();
    // Keeps `value`, counted as `value_bytes`, under `key` unless a write
    // came in since `generation` was read; then drops the least recently
    // used over `max_bytes`.
    void Insert(std::string key, uint64_t generation, Value value,
                size_t value_bytes, size_t max_bytes);
    void EraseLocked(typename Map<std::string, Slot>::iterator it)
        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  };
  using Shard =
      KeptShard<std::shared_ptr<const std::string>, absl::flat_hash_map>;
  // Pages keyed "story\0page_key", so that a story's pages are one range.
  using PageShard = KeptShard<std::shared_ptr<const MessagePieces>, std::map>;

  Shard& ShardOf(const std::string& key);
  PageShard& PageShardOf(const std::string& story_id);
  const size_t max_bytes_;
  Shard shards_[kShards];
  PageShard page_shards_[kShards];
};

// A fact as a write leaves it, for FactCache::Put once the write is stored.
struct FactAfter {
  storage::ClaimStore::FactId id;
  FactCache::Entry entry;
};

// The fact changes a write makes: document `doc_id` from `source` goes from
// `old_claims` (in story `old_story`; none for a new document) to
// `new_claims` (in `new_story`; none for a deletion). `before` is the store
// as it is before the write. Compares every touched fact before and after,
// taking the "before" from the cache of the fact's story when it holds the
// fact (the caches may be null); `after` (may be null) receives every
// touched fact as the write leaves it.
absl::StatusOr<std::vector<v1::FactChange>> DiffFacts(
    const storage::ClaimStore::View& before, const std::string& doc_id,
    const std::string& source, const std::string& old_story,
    const std::vector<v1::Claim>& old_claims, const std::string& new_story,
    const std::vector<v1::Claim>& new_claims,
    FactCache* old_story_cache = nullptr, FactCache* new_story_cache = nullptr,
    std::vector<FactAfter>* after = nullptr);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_CHANGE_FEED_H_
