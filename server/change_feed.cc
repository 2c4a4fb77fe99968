#include "server/change_feed.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "claims/fact_comparator.h"
#include "claims/fact_grouper.h"
#include "common/status_macros.h"

namespace crosscheck::server {

void ChangeFeed::Subscribe(Listener* listener) {
  absl::MutexLock lock(&mu_);
  listeners_.insert(listener);
}

void ChangeFeed::Unsubscribe(Listener* listener) {
  absl::MutexLock lock(&mu_);
  listeners_.erase(listener);
}

void ChangeFeed::Notify() {
  absl::MutexLock lock(&mu_);
  for (Listener* listener : listeners_) listener->OnNewChanges();
}

using storage::ClaimStore;

std::string FactCache::Key(const ClaimStore::FactId& id) {
  std::string key = id.story_id;
  key.push_back('\0');
  key += id.fact_key;
  return key;
}

const FactCache::Entry* FactCache::Find(const ClaimStore::FactId& id) {
  auto it = slots_.find(Key(id));
  if (it == slots_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return &it->second.entry;
}

template <typename Value, template <typename...> class Map>
Value FactResponseCache::KeptShard<Value, Map>::Find(const std::string& key) {
  absl::MutexLock lock(&mu);
  auto it = slots.find(key);
  if (it == slots.end()) return nullptr;
  recency.splice(recency.begin(), recency, it->second.recency);
  return it->second.value;
}

template <typename Value, template <typename...> class Map>
uint64_t FactResponseCache::KeptShard<Value, Map>::Generation() {
  absl::MutexLock lock(&mu);
  return generation;
}

template <typename Value, template <typename...> class Map>
void FactResponseCache::KeptShard<Value, Map>::Insert(std::string key,
                                                      uint64_t read_generation,
                                                      Value value,
                                                      size_t value_bytes,
                                                      size_t max_bytes) {
  if (value_bytes > max_bytes) return;
  absl::MutexLock lock(&mu);
  if (generation != read_generation) return;  // A write came in between.
  if (auto it = slots.find(key); it != slots.end()) EraseLocked(it);
  bytes += value_bytes;
  recency.push_front(key);
  slots[std::move(key)] = Slot{std::move(value), value_bytes, recency.begin()};
  while (bytes > max_bytes) EraseLocked(slots.find(recency.back()));
}

template <typename Value, template <typename...> class Map>
void FactResponseCache::KeptShard<Value, Map>::EraseLocked(
    typename Map<std::string, Slot>::iterator it) {
  bytes -= it->second.bytes;
  recency.erase(it->second.recency);
  slots.erase(it);
}

FactResponseCache::Shard& FactResponseCache::ShardOf(const std::string& key) {
  return shards_[absl::HashOf(key) % kShards];
}

FactResponseCache::PageShard& FactResponseCache::PageShardOf(
    const std::string& story_id) {
  return page_shards_[absl::HashOf(story_id) % kShards];
}

std::shared_ptr<const std::string> FactResponseCache::Find(
    const ClaimStore::FactId& id) {
  if (max_bytes_ == 0) return nullptr;
  const std::string key = FactCache::Key(id);
  return ShardOf(key).Find(key);
}

uint64_t FactResponseCache::Generation(const ClaimStore::FactId& id) {
  return ShardOf(FactCache::Key(id)).Generation();
}

FactResponseCache::ShardGenerations FactResponseCache::Generations() {
  ShardGenerations out;
  for (size_t i = 0; i < kShards; ++i) out[i] = shards_[i].Generation();
  return out;
}

void FactResponseCache::Insert(const ClaimStore::FactId& id,
                               const ShardGenerations& generations,
                               std::shared_ptr<const std::string> bytes) {
  const size_t shard = &ShardOf(FactCache::Key(id)) - shards_;
  Insert(id, generations[shard], std::move(bytes));
}

void FactResponseCache::Insert(const ClaimStore::FactId& id,
                               uint64_t generation,
                               std::shared_ptr<const std::string> bytes) {
  std::string key = FactCache::Key(id);
  const size_t size = bytes->size();
  ShardOf(key).Insert(std::move(key), generation, std::move(bytes), size,
                      max_bytes_ / kShards);
}

void FactResponseCache::Invalidate(const ClaimStore::FactId& id) {
  {
    // The story's pages: every one whose key starts "story\0".
    PageShard& pages = PageShardOf(id.story_id);
    absl::MutexLock lock(&pages.mu);
    ++pages.generation;
    const std::string begin =
        absl::StrCat(id.story_id, absl::string_view("\0", 1));
    const std::string end =
        absl::StrCat(id.story_id, absl::string_view("\1", 1));
    for (auto it = pages.slots.lower_bound(begin);
         it != pages.slots.end() && it->first < end;) {
      pages.EraseLocked(it++);
    }
  }
  const std::string key = FactCache::Key(id);
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  ++shard.generation;
  if (auto it = shard.slots.find(key); it != shard.slots.end()) {
    shard.EraseLocked(it);
  }
}

std::shared_ptr<const MessagePieces> FactResponseCache::FindPage(
    const std::string& story_id, const std::string& page_key) {
  if (max_bytes_ == 0) return nullptr;
  return PageShardOf(story_id).Find(
      absl::StrCat(story_id, absl::string_view("\0", 1), page_key));
}

uint64_t FactResponseCache::PageGeneration(const std::string& story_id) {
  return PageShardOf(story_id).Generation();
}

void FactResponseCache::InsertPage(const std::string& story_id,
                                   const std::string& page_key,
                                   uint64_t generation,
                                   std::shared_ptr<const MessagePieces> page) {
  std::string key =
      absl::StrCat(story_id, absl::string_view("\0", 1), page_key);
  // A page counts its key and bookkeeping too, so that empty pages (of
  // stories without facts) are bounded like the rest.
  constexpr size_t kSlotOverhead = 128;
  const size_t bytes = page->ByteSize() + 2 * key.size() + kSlotOverhead;
  PageShardOf(story_id).Insert(std::move(key), generation, std::move(page),
                               bytes, max_bytes_ / 2 / kShards);
}

size_t MessagePieces::ByteSize() const {
  size_t bytes = 0;
  for (const Piece& piece : pieces) {
    bytes += piece.head.size();
    if (piece.body != nullptr) bytes += piece.body->size();
  }
  return bytes;
}

std::optional<FactCache::Entry> FactCache::Take(const ClaimStore::FactId& id) {
  auto it = slots_.find(Key(id));
  if (it == slots_.end()) return std::nullopt;
  std::optional<Entry> out = std::move(it->second.entry);
  claims_ -= out->claims.size();
  recency_.erase(it->second.recency);
  slots_.erase(it);
  return out;
}

void FactCache::Erase(const ClaimStore::FactId& id) {
  auto it = slots_.find(Key(id));
  if (it == slots_.end()) return;
  claims_ -= it->second.entry.claims.size();
  recency_.erase(it->second.recency);
  slots_.erase(it);
}

void FactCache::Put(const ClaimStore::FactId& id, Entry entry) {
  Erase(id);
  if (entry.claims.size() > max_claims_) return;
  claims_ += entry.claims.size();
  recency_.push_front(Key(id));
  slots_[recency_.front()] = Slot{std::move(entry), recency_.begin()};
  while (claims_ > max_claims_) {
    auto last = slots_.find(recency_.back());
    claims_ -= last->second.entry.claims.size();
    slots_.erase(last);
    recency_.pop_back();
  }
}

namespace {

bool IsGroupedKey(absl::string_view fact_key) {
  return std::any_of(
      std::begin(claims::kGroupedKinds), std::end(claims::kGroupedKinds),
      [&](absl::string_view kind) { return absl::StartsWith(fact_key, kind); });
}

}  // namespace

const std::vector<std::string>* FactCache::GroupedKeys(
    const std::string& story_id) {
  auto it = stories_.find(story_id);
  if (it == stories_.end()) return nullptr;
  story_recency_.splice(story_recency_.begin(), story_recency_,
                        it->second.recency);
  return &it->second.keys;
}

void FactCache::PutGroupedKeys(const std::string& story_id,
                               std::vector<std::string> keys) {
  EraseGroupedKeys(story_id);
  if (keys.size() > max_claims_) return;
  grouped_keys_ += keys.size();
  story_recency_.push_front(story_id);
  stories_[story_id] = StoryKeys{std::move(keys), story_recency_.begin()};
  while (grouped_keys_ > max_claims_) {
    const std::string oldest = story_recency_.back();
    EraseGroupedKeys(oldest);
  }
}

void FactCache::NoteWritten(const ClaimStore::FactId& id, bool exists) {
  if (!IsGroupedKey(id.fact_key)) return;
  auto it = stories_.find(id.story_id);
  if (it == stories_.end()) return;
  std::vector<std::string>& keys = it->second.keys;
  auto at = std::lower_bound(keys.begin(), keys.end(), id.fact_key);
  const bool kept = at != keys.end() && *at == id.fact_key;
  if (exists && !kept) {
    keys.insert(at, id.fact_key);
    ++grouped_keys_;
    // Rather than push out a list in use, this one goes.
    if (grouped_keys_ > max_claims_) EraseGroupedKeys(id.story_id);
  } else if (!exists && kept) {
    keys.erase(at);
    --grouped_keys_;
  }
}

void FactCache::EraseGroupedKeys(const std::string& story_id) {
  auto it = stories_.find(story_id);
  if (it == stories_.end()) return;
  grouped_keys_ -= it->second.keys.size();
  story_recency_.erase(it->second.recency);
  stories_.erase(it);
}

namespace {

bool HasSource(const std::vector<v1::Claim>& claims,
               const std::string& source) {
  return std::any_of(claims.begin(), claims.end(),
                     [&](const v1::Claim& c) { return c.source() == source; });
}

}  // namespace

absl::StatusOr<std::vector<v1::FactChange>> DiffFacts(
    const ClaimStore::View& before, const std::string& doc_id,
    const std::string& source, const std::string& old_story,
    const std::vector<v1::Claim>& old_claims, const std::string& new_story,
    const std::vector<v1::Claim>& new_claims, FactCache* old_story_cache,
    FactCache* new_story_cache, std::vector<FactAfter>* after) {
  // Every fact the write touches, with the document's new claims on it.
  std::map<ClaimStore::FactId, std::vector<const v1::Claim*>> touched;
  for (const v1::Claim& c : old_claims) {
    if (!c.fact_key().empty()) touched[{old_story, c.fact_key()}];
  }
  for (const v1::Claim& c : new_claims) {
    if (!c.fact_key().empty()) {
      touched[{new_story, c.fact_key()}].push_back(&c);
    }
  }
  std::vector<v1::FactChange> out;
  for (const auto& [id, added] : touched) {
    // The fact before the write: taken out of the cache (the write puts
    // it back as it leaves it), or read and compared.
    FactCache* cache =
        id.story_id == new_story ? new_story_cache : old_story_cache;
    std::optional<FactCache::Entry> cached =
        cache != nullptr ? cache->Take(id) : std::nullopt;
    std::vector<v1::Claim> was;
    if (cached.has_value()) {
      was = std::move(cached->claims);
    } else {
      ASSIGN_OR_RETURN(was, before.FactClaims(id));
    }
    const claims::FactSummary old_fact = cached.has_value()
                                             ? std::move(cached->summary)
                                             : claims::SummarizeFact(was);
    const bool had_claims = !was.empty();
    const bool had_source = HasSource(was, source);
    std::vector<v1::Claim> now;
    now.reserve(was.size() + added.size());
    // `was` is in document-id order (the store's, or the cache's, which
    // keeps this order); the document's own claims go where its id sorts.
    for (v1::Claim& c : was) {
      if (c.document_id() != doc_id) now.push_back(std::move(c));
    }
    const auto at =
        std::lower_bound(now.begin(), now.end(), doc_id,
                         [](const v1::Claim& c, const std::string& id) {
                           return c.document_id() < id;
                         });
    const size_t insert_at = static_cast<size_t>(at - now.begin());
    now.resize(now.size() + added.size());
    std::move_backward(now.begin() + insert_at, now.end() - added.size(),
                       now.end());
    for (size_t k = 0; k < added.size(); ++k) {
      now[insert_at + k] = *added[k];
    }
    if (!had_claims && now.empty()) {
      if (after != nullptr) after->push_back(FactAfter{id, {}});
      continue;
    }
    claims::FactSummary new_fact = claims::SummarizeFact(now);
    // The fact as the change log names it: the first of its claims after
    // the write, or before it when none is left (then `was` holds only the
    // document's own claims, none of them moved).
    const v1::Claim& named = now.empty() ? was.front() : now.front();
    // The value group of the document's claims after the write: the first,
    // in the comparison's order, that holds one of them.
    const claims::FactSummary::Group* doc_group = nullptr;
    for (size_t k = insert_at; k < insert_at + added.size(); ++k) {
      const claims::FactSummary::Group* group =
          &new_fact.groups[new_fact.group_of[k]];
      if (doc_group == nullptr || group < doc_group) doc_group = group;
    }
    auto change = [&](v1::FactChangeKind kind) {
      v1::FactChange c;
      c.set_kind(kind);
      c.set_story_id(id.story_id);
      c.set_fact_key(id.fact_key);
      c.set_claim_kind(named.kind());
      c.set_description(claims::DescribeFact(named));
      c.set_source(source);
      c.set_document_id(doc_id);
      c.set_old_status(old_fact.status);
      c.set_new_status(new_fact.status);
      c.set_source_count(new_fact.source_count);
      if (doc_group != nullptr) c.set_value(doc_group->value);
      out.push_back(std::move(c));
    };
    if (!had_claims) {
      change(v1::FACT_CHANGE_KIND_APPEARED);
    } else if (now.empty()) {
      change(v1::FACT_CHANGE_KIND_REMOVED);
    } else {
      const bool has_source = HasSource(now, source);
      if (!had_source && has_source) {
        const bool shared = doc_group != nullptr && doc_group->source_count > 1;
        change(shared ? v1::FACT_CHANGE_KIND_SOURCE_AGREES
                      : v1::FACT_CHANGE_KIND_SOURCE_DISAGREES);
      } else if (had_source && !has_source) {
        change(v1::FACT_CHANGE_KIND_SOURCE_WITHDRAWN);
      }
      if (old_fact.status != new_fact.status) {
        change(v1::FACT_CHANGE_KIND_STATUS_CHANGED);
      }
    }
    if (after != nullptr) {
      after->push_back(
          FactAfter{id, FactCache::Entry{std::move(now), std::move(new_fact)}});
    }
  }
  return out;
}

}  // namespace crosscheck::server
