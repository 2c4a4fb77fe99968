#include "storage/claim_store.h"

#include <fstream>
#include <functional>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/key_codec.h"
#include "tests/test_dir.h"

namespace crosscheck::storage {
namespace {

using testing::TestDir;

v1::Document Doc(const std::string& id, const std::string& text,
                 const std::string& story = "s") {
  v1::Document doc;
  doc.set_id(id);
  doc.set_source("outlet");
  doc.set_published("2015-12-15");
  doc.set_story_id(story);
  doc.set_text(text);
  return doc;
}

std::vector<v1::Claim> Claims(const std::string& doc_id,
                              std::vector<std::string> fact_keys) {
  std::vector<v1::Claim> out;
  for (size_t i = 0; i < fact_keys.size(); ++i) {
    v1::Claim claim;
    claim.set_id(doc_id + "#" + std::to_string(i));
    claim.set_document_id(doc_id);
    claim.set_fact_key(fact_keys[i]);
    out.push_back(claim);
  }
  return out;
}

std::vector<std::string> FactKeys(const ClaimStore& store,
                                  const std::string& story) {
  std::vector<std::string> keys;
  auto view = store.NewView();
  EXPECT_TRUE(view->ForEachFact(false, story, nullptr,
                                [&](const ClaimStore::FactId& id) {
                                  keys.push_back(id.fact_key);
                                  return true;
                                })
                  .ok());
  return keys;
}

// Every fact of every story, as "story/fact key".
std::vector<std::string> AllFacts(const ClaimStore& store) {
  std::vector<std::string> all;
  auto view = store.NewView();
  EXPECT_TRUE(view->ForEachFact(true, "", nullptr,
                                [&](const ClaimStore::FactId& id) {
                                  all.push_back(id.story_id + "/" +
                                                id.fact_key);
                                  return true;
                                })
                  .ok());
  return all;
}

// The story index of `story` (every story when empty), one
// "story/doc:source:claims" per document.
std::vector<std::string> StoryDocuments(const ClaimStore& store,
                                        const std::string& story) {
  std::vector<std::string> out;
  auto view = store.NewView();
  EXPECT_TRUE(view->ForEachStoryDocument(
                      story.empty(), story,
                      [&](const ClaimStore::View::StoryDocument& d) {
                        out.push_back(absl::StrCat(d.story_id, "/", d.doc_id,
                                                   ":", d.source, ":",
                                                   d.claim_count));
                      })
                  .ok());
  return out;
}

TEST(ClaimStoreTest, StoresAndReadsBackADocumentWithItsClaims) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto put = (*store)->PutDocument(Doc("a", "text"), Claims("a", {"k1", "k2"}));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->outcome, v1::INGEST_OUTCOME_CREATED);
  EXPECT_EQ(put->version, 1u);
  auto doc = (*store)->GetDocument("a");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->document().text(), "text");
  EXPECT_EQ(doc->claim_count(), 2u);
  auto claims = (*store)->GetClaims("a");
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->size(), 2u);
  EXPECT_EQ((*claims)[1].fact_key(), "k2");
  EXPECT_EQ(FactKeys(**store, "s"), (std::vector<std::string>{"k1", "k2"}));
}

TEST(ClaimStoreTest, SameContentTwiceChangesNothing) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutDocument(Doc("a", "text"), Claims("a", {"k"})).ok());
  auto stored = (*store)->GetDocument("a");
  auto again = (*store)->PutDocument(Doc("a", "text"), Claims("a", {"k"}));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, v1::INGEST_OUTCOME_UNCHANGED);
  EXPECT_EQ(again->version, 1u);
  EXPECT_EQ((*store)->GetDocument("a")->ingested(), stored->ingested());
}

TEST(ClaimStoreTest, NewContentReplacesOldVersionAndItsClaims) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)
          ->PutDocument(Doc("a", "old"), Claims("a", {"k1", "k2", "k3"}))
          .ok());
  auto put = (*store)->PutDocument(Doc("a", "new"), Claims("a", {"k9"}));
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->outcome, v1::INGEST_OUTCOME_UPDATED);
  EXPECT_EQ(put->version, 2u);
  EXPECT_EQ((*store)->GetDocument("a")->document().text(), "new");
  EXPECT_EQ((*store)->GetClaims("a")->size(), 1u);
  EXPECT_EQ(FactKeys(**store, "s"), (std::vector<std::string>{"k9"}));
}

TEST(ClaimStoreTest, DeleteRemovesDocumentClaimsAndFactRows) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutDocument(Doc("a", "x"), Claims("a", {"k1"})).ok());
  ASSERT_TRUE((*store)->PutDocument(Doc("b", "y"), Claims("b", {"k1"})).ok());
  auto deleted = (*store)->DeleteDocument("a");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1u);
  EXPECT_TRUE(absl::IsNotFound((*store)->GetDocument("a").status()));
  EXPECT_TRUE((*store)->GetClaims("a")->empty());
  auto view = (*store)->NewView();
  auto members = view->FactClaims({"s", "k1"});
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ((*members)[0].document_id(), "b");
  EXPECT_TRUE(absl::IsNotFound((*store)->DeleteDocument("a").status()));
}

TEST(ClaimStoreTest, DocumentsSurviveReopen) {
  TestDir dir;
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(
        (*store)->PutDocument(Doc("a", "kept"), Claims("a", {"k"})).ok());
  }
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->GetDocument("a")->document().text(), "kept");
  EXPECT_EQ((*store)->GetClaims("a")->size(), 1u);
}

TEST(ClaimStoreTest, SecondOpenOfADirectoryFailsClearly) {
  TestDir dir;
  auto first = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(first.ok());
  auto second = ClaimStore::Open(dir.path(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
}

TEST(ClaimStoreTest, ViewDoesNotSeeLaterWrites) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->PutDocument(Doc("a", "x"), Claims("a", {"k1"})).ok());
  auto view = (*store)->NewView();
  ASSERT_TRUE((*store)->PutDocument(Doc("b", "y"), Claims("b", {"k2"})).ok());
  int facts = 0;
  ASSERT_TRUE(view->ForEachFact(true, "", nullptr,
                                [&](const auto&) {
                                  ++facts;
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(facts, 1);
}

TEST(ClaimStoreTest, FactScanResumesAfterAGivenFact) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)
                  ->PutDocument(Doc("a", "x"), Claims("a", {"a1", "b2", "c3"}))
                  .ok());
  auto view = (*store)->NewView();
  ClaimStore::FactId after{"s", "a1"};
  std::vector<std::string> keys;
  ASSERT_TRUE(view->ForEachFact(false, "s", &after,
                                [&](const auto& id) {
                                  keys.push_back(id.fact_key);
                                  return true;
                                })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"b2", "c3"}));
}

TEST(ClaimStoreTest, FactScanListsEachFactOnceWhateverItsNumberOfClaims) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  // "k" is named by 9 documents, "k1" (which "k" is a prefix of) by 5, "m"
  // by 4, "n" by 3 and "z" by 1; story "t" follows with its own facts.
  const std::vector<std::pair<std::string, int>> named = {
      {"k", 9}, {"k1", 5}, {"m", 4}, {"n", 3}, {"z", 1}};
  for (int d = 0; d < 9; ++d) {
    std::vector<std::string> keys;
    for (const auto& [key, documents] : named) {
      if (d < documents) keys.push_back(key);
    }
    const std::string id = "d" + std::to_string(d);
    ASSERT_TRUE((*store)->PutDocument(Doc(id, "x"), Claims(id, keys)).ok());
    const std::string other = "t" + std::to_string(d);
    ASSERT_TRUE(
        (*store)
            ->PutDocument(Doc(other, "x", "t"), Claims(other, {"a", "k", "q"}))
            .ok());
  }
  EXPECT_EQ(FactKeys(**store, "s"),
            (std::vector<std::string>{"k", "k1", "m", "n", "z"}));
  EXPECT_EQ(AllFacts(**store),
            (std::vector<std::string>{"s/k", "s/k1", "s/m", "s/n", "s/z", "t/a",
                                      "t/k", "t/q"}));
}

TEST(KeyCodecTest, FactRowKeysDecodeToTheirPartsAndOthersAreRefused) {
  const std::string key = FactRowKey("story", "casualty/killed", "doc-1", 258);
  FactRow row;
  ASSERT_TRUE(DecodeFactRowKey(key, &row));
  EXPECT_EQ(row.story_id, "story");
  EXPECT_EQ(row.fact_key, "casualty/killed");
  EXPECT_EQ(row.doc_id, "doc-1");
  EXPECT_EQ(row.index, 258u);
  // An index whose bytes include the separator. The row views the key,
  // which must outlive it.
  const std::string zero = FactRowKey("s", "k", "d", 0);
  ASSERT_TRUE(DecodeFactRowKey(zero, &row));
  EXPECT_EQ(row.doc_id, "d");
  EXPECT_EQ(row.index, 0u);
  EXPECT_FALSE(DecodeFactRowKey("abc", &row));
  // Two separators, four, and bytes after the third.
  EXPECT_FALSE(DecodeFactRowKey(std::string("s\0k\0d", 5) + "1234", &row));
  EXPECT_FALSE(DecodeFactRowKey(std::string("s\0k\0d\0x\0", 8) + "1234", &row));
  EXPECT_FALSE(DecodeFactRowKey(std::string("s\0k\0d\0x", 7) + "1234", &row));
}

TEST(ClaimStoreTest, FactScanKeepsToAKeyPrefix) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)
          ->PutDocument(Doc("a", "x"), Claims("a", {"a1", "b2", "c3", "b9"}))
          .ok());
  ASSERT_TRUE(
      (*store)->PutDocument(Doc("b", "y", "t"), Claims("b", {"b5"})).ok());
  auto view = (*store)->NewView();
  auto scan = [&](const ClaimStore::FactId* after) {
    std::vector<std::string> keys;
    EXPECT_TRUE(view->ForEachFact(
                        false, "s", after,
                        [&](const auto& id) {
                          keys.push_back(id.fact_key);
                          return true;
                        },
                        "b")
                    .ok());
    return keys;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(scan(nullptr), (Keys{"b2", "b9"}));
  ClaimStore::FactId before{"s", "a1"}, middle{"s", "b2"}, past{"s", "c3"};
  EXPECT_EQ(scan(&before), (Keys{"b2", "b9"}));
  EXPECT_EQ(scan(&middle), (Keys{"b9"}));
  EXPECT_EQ(scan(&past), Keys{});
}

// Facts are read through a prefix filter and documents through a Bloom
// filter once they are in files: reads must be the same from files at
// several levels and the memtable, for facts whose keys extend one another
// and for stories, facts and documents that are not there.
TEST(ClaimStoreTest, ReadsFromFilesAndMemoryAgreeThroughTheFilters) {
  TestDir dir;
  ClaimStore::Options options;
  options.statistics = true;
  auto store = ClaimStore::Open(dir.path(), options);
  ASSERT_TRUE(store.ok()) << store.status();
  ClaimStore& s = **store;
  ASSERT_TRUE(
      s.PutDocument(Doc("a", "x", "s1"), Claims("a", {"k1", "k10"})).ok());
  ASSERT_TRUE(s.PutDocument(Doc("b", "y", "s2"), Claims("b", {"k1"})).ok());
  ASSERT_TRUE(s.CompactAll().ok());
  ASSERT_TRUE(
      s.PutDocument(Doc("c", "z", "s1"), Claims("c", {"k1", "k2"})).ok());
  ASSERT_TRUE(s.PutDocument(Doc("e", "v", "s10"), Claims("e", {"k1"})).ok());
  ASSERT_TRUE(s.CompactAll().ok());
  ASSERT_TRUE(s.PutDocument(Doc("d", "w", "s1"), Claims("d", {"k10"})).ok());

  auto view = s.NewView();
  auto docs_of = [&](const std::string& story, const std::string& key) {
    std::vector<std::string> ids;
    auto members = view->FactClaims({story, key});
    EXPECT_TRUE(members.ok()) << members.status();
    if (members.ok()) {
      for (const auto& c : *members) ids.push_back(c.document_id());
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(docs_of("s1", "k1"), (Ids{"a", "c"}));
  EXPECT_EQ(docs_of("s1", "k10"), (Ids{"a", "d"}));
  EXPECT_EQ(docs_of("s1", "k2"), (Ids{"c"}));
  EXPECT_EQ(docs_of("s2", "k1"), (Ids{"b"}));
  EXPECT_EQ(docs_of("s2", "k10"), Ids{});
  EXPECT_EQ(docs_of("s3", "k1"), Ids{});
  EXPECT_EQ(docs_of("s10", "k1"), (Ids{"e"}));
  // A story's facts, not those of a story whose name its own begins.
  auto story_facts = [&](const std::string& story) {
    Ids out;
    auto facts = view->StoryFactClaimBytes(story);
    EXPECT_TRUE(facts.ok()) << facts.status();
    if (facts.ok()) {
      for (const auto& [key, members] : *facts) {
        out.push_back(absl::StrCat(key, ":", members.size()));
      }
    }
    return out;
  };
  EXPECT_EQ(story_facts("s1"), (Ids{"k1:2", "k10:2", "k2:1"}));
  EXPECT_EQ(story_facts("s10"), (Ids{"k1:1"}));
  EXPECT_EQ(story_facts("s"), Ids{});

  EXPECT_EQ(AllFacts(s), (Ids{"s1/k1", "s1/k10", "s1/k2", "s10/k1", "s2/k1"}));
  EXPECT_EQ(FactKeys(s, "s1"), (Ids{"k1", "k10", "k2"}));
  EXPECT_EQ(FactKeys(s, "s3"), Ids{});

  auto before = s.ReadCounters();
  ASSERT_TRUE(before.ok()) << before.status();
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(absl::IsNotFound(
        s.GetDocument("absent-" + std::to_string(i)).status()));
  }
  EXPECT_TRUE(s.GetDocument("b").ok());
  auto after = s.ReadCounters();
  ASSERT_TRUE(after.ok());
  // Absent ids are answered by the filters, not by reading blocks.
  EXPECT_GE(after->filter_skips - before->filter_skips, 20u);
}

TEST(ClaimStoreTest, CountersNeedStatistics) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->ReadCounters().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Stored fingerprints must not change between releases: a re-ingest of an
// unchanged article would otherwise count as an update.
TEST(ClaimStoreTest, ContentHashIsTheSameAsInEarlierReleases) {
  v1::Document doc = Doc("a", std::string(1000, 'x') + " caf\xC3\xA9");
  doc.set_title("Flood toll rises");
  EXPECT_EQ(ClaimStore::ContentHash(doc), "903236de22321f69ba76009bf9fe631c");
}

TEST(ClaimStoreTest, ContentHashIsStableAndSeesEveryField) {
  v1::Document a = Doc("a", "text");
  v1::Document b = a;
  EXPECT_EQ(ClaimStore::ContentHash(a), ClaimStore::ContentHash(b));
  b.set_title("a title");
  EXPECT_NE(ClaimStore::ContentHash(a), ClaimStore::ContentHash(b));
  // Field boundaries matter: moving bytes between fields changes the hash.
  v1::Document c = a, d = a;
  c.set_url("ab");
  c.set_title("c");
  d.set_url("a");
  d.set_title("bc");
  EXPECT_NE(ClaimStore::ContentHash(c), ClaimStore::ContentHash(d));
}

TEST(ClaimStoreTest, TheStoryIndexFollowsEveryWriteAndTheCountSurvives) {
  TestDir dir;
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    ClaimStore& s = **store;
    EXPECT_EQ(s.DocumentCount(), 0u);
    ASSERT_TRUE(
        s.PutDocument(Doc("a", "one", "s1"), Claims("a", {"k1", "k2"})).ok());
    // No claims: still one of the story's documents.
    ASSERT_TRUE(s.PutDocument(Doc("b", "two", "s1"), {}).ok());
    ASSERT_TRUE(
        s.PutDocument(Doc("c", "three", "s2"), Claims("c", {"k1"})).ok());
    // The same content again changes nothing.
    ASSERT_TRUE(
        s.PutDocument(Doc("c", "three", "s2"), Claims("c", {"k1"})).ok());
    EXPECT_EQ(s.DocumentCount(), 3u);
    EXPECT_EQ(StoryDocuments(s, "s1"),
              (std::vector<std::string>{"s1/a:outlet:2", "s1/b:outlet:0"}));
    EXPECT_EQ(StoryDocuments(s, "s2"),
              (std::vector<std::string>{"s2/c:outlet:1"}));
    // A story id that is a prefix of another names only its own documents.
    EXPECT_TRUE(StoryDocuments(s, "s").empty());

    // A new version moves "a" to story s2 with one claim.
    v1::Document moved = Doc("a", "one, corrected", "s2");
    moved.set_source("wire");
    ASSERT_TRUE(s.PutDocument(moved, Claims("a", {"k3"})).ok());
    EXPECT_EQ(StoryDocuments(s, "s1"),
              (std::vector<std::string>{"s1/b:outlet:0"}));
    EXPECT_EQ(StoryDocuments(s, "s2"),
              (std::vector<std::string>{"s2/a:wire:1", "s2/c:outlet:1"}));
    EXPECT_EQ(s.DocumentCount(), 3u);

    ASSERT_TRUE(s.DeleteDocument("b").ok());
    EXPECT_TRUE(StoryDocuments(s, "s1").empty());
    EXPECT_EQ(s.DocumentCount(), 2u);
    // A failed delete changes nothing.
    EXPECT_FALSE(s.DeleteDocument("b").ok());
    EXPECT_EQ(s.DocumentCount(), 2u);
  }
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->DocumentCount(), 2u);
  EXPECT_EQ(StoryDocuments(**store, ""),
            (std::vector<std::string>{"s2/a:wire:1", "s2/c:outlet:1"}));
}

TEST(ClaimStoreTest, AStorysFactClaimsAreEachFactsClaimsInOrder) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  ClaimStore& s = **store;
  // Documents written out of id order, facts shared between them, a claim
  // without a fact, another story, and a document rewritten.
  ASSERT_TRUE(s.PutDocument(Doc("c", "1"), Claims("c", {"k2", "k1", ""})).ok());
  ASSERT_TRUE(
      s.PutDocument(Doc("a", "2"), Claims("a", {"k1", "k1", "k3"})).ok());
  ASSERT_TRUE(s.PutDocument(Doc("b", "3", "other"), Claims("b", {"k1"})).ok());
  ASSERT_TRUE(s.PutDocument(Doc("d", "4"), Claims("d", {"k3"})).ok());
  ASSERT_TRUE(s.PutDocument(Doc("d", "5"), Claims("d", {"k2"})).ok());
  auto view = s.NewView();
  auto facts = view->StoryFactClaims("s");
  ASSERT_TRUE(facts.ok()) << facts.status();
  std::vector<std::string> keys;
  for (const auto& [key, members] : *facts) {
    keys.push_back(key);
    auto want = view->FactClaims({"s", key});
    ASSERT_TRUE(want.ok());
    ASSERT_EQ(members.size(), want->size()) << key;
    for (size_t i = 0; i < members.size(); ++i) {
      EXPECT_EQ(members[i].SerializeAsString(), (*want)[i].SerializeAsString())
          << key << " " << i;
    }
  }
  EXPECT_EQ(keys, FactKeys(s, "s"));
  EXPECT_EQ((*facts)["k1"].size(), 3u);
  EXPECT_EQ((*facts)["k1"][0].id(), "a#0");
  EXPECT_EQ((*facts)["k1"][2].id(), "c#1");
  auto none = view->StoryFactClaims("no-such-story");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(ClaimStoreTest, AFactsClaimBytesParseToItsClaims) {
  TestDir dir;
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  ClaimStore& s = **store;
  std::vector<v1::Claim> a = Claims("a", {"k1", "k1", "k2"});
  a[0].set_sentence("Officials said 94 people were killed.");
  // A claim naming another document keeps its own document id.
  a[1].set_document_id("elsewhere");
  ASSERT_TRUE(s.PutDocument(Doc("a", "1"), a).ok());
  ASSERT_TRUE(s.PutDocument(Doc("b", "2"), Claims("b", {"k1", ""})).ok());
  auto view = s.NewView();
  auto claims = view->FactClaims({"s", "k1"});
  auto bytes = view->FactClaimBytes({"s", "k1"});
  ASSERT_TRUE(claims.ok()) << claims.status();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_EQ(claims->size(), 3u);
  ASSERT_EQ(bytes->size(), 3u);
  for (size_t i = 0; i < claims->size(); ++i) {
    v1::Claim parsed;
    ASSERT_TRUE(parsed.ParseFromString((*bytes)[i])) << i;
    EXPECT_EQ(parsed.SerializeAsString(), (*claims)[i].SerializeAsString())
        << i;
    EXPECT_EQ(parsed.fact_key(), "k1");
  }
  EXPECT_EQ((*claims)[0].sentence(), "Officials said 94 people were killed.");
  EXPECT_EQ((*claims)[1].document_id(), "elsewhere");
  EXPECT_EQ((*claims)[2].document_id(), "b");
  auto none = view->FactClaimBytes({"s", "no-such-fact"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto facts = view->StoryFactClaims("s");
  auto story_bytes = view->StoryFactClaimBytes("s");
  ASSERT_TRUE(facts.ok()) << facts.status();
  ASSERT_TRUE(story_bytes.ok()) << story_bytes.status();
  ASSERT_EQ(story_bytes->size(), facts->size());
  for (const auto& [key, members] : *facts) {
    const std::vector<std::string>& member_bytes = (*story_bytes)[key];
    ASSERT_EQ(member_bytes.size(), members.size()) << key;
    for (size_t i = 0; i < members.size(); ++i) {
      v1::Claim parsed;
      ASSERT_TRUE(parsed.ParseFromString(member_bytes[i])) << key;
      EXPECT_EQ(parsed.SerializeAsString(), members[i].SerializeAsString())
          << key << " " << i;
    }
  }
  EXPECT_EQ((*story_bytes)["k2"].size(), 1u);
  EXPECT_TRUE(view->StoryFactClaimBytes("no-such-story")->empty());
}

}  // namespace
}  // namespace crosscheck::storage

namespace crosscheck::storage {
namespace {

// Opens the raw RocksDB of a store, runs `fn` on it and closes it.
void WithRawDb(
    const std::string& path,
    const std::function<void(rocksdb::DB*,
                             std::vector<rocksdb::ColumnFamilyHandle*>&)>& fn) {
  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const char* name :
       {"default", "documents", "claims", "facts", "changes", "stories"}) {
    cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, path, cfs, &handles, &db).ok());
  fn(db, handles);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

// Rewrites a store of this schema as schema 2 wrote it: every claim in its
// claims row, fact rows with empty values.
void MakeSchemaTwo(const std::string& path) {
  WithRawDb(path, [](rocksdb::DB* db,
                     std::vector<rocksdb::ColumnFamilyHandle*>& h) {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), h[2]));
    rocksdb::WriteBatch batch;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string key = it->key().ToString();
      const std::string value = it->value().ToString();
      absl::string_view fact_prefix;
      if (!DecodeClaimReference(value, &fact_prefix)) continue;
      const std::string fact_row = absl::StrCat(fact_prefix, key);
      std::string kept;
      ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), h[3], fact_row, &kept).ok());
      FactRow row;
      ASSERT_TRUE(DecodeFactRowKey(fact_row, &row));
      v1::Claim claim;
      ASSERT_TRUE(claim.ParseFromString(kept));
      claim.set_fact_key(std::string(row.fact_key));
      claim.set_document_id(std::string(row.doc_id));
      ASSERT_TRUE(batch.Put(h[2], key, claim.SerializeAsString()).ok());
      ASSERT_TRUE(batch.Put(h[3], fact_row, "").ok());
    }
    ASSERT_TRUE(it->status().ok());
    ASSERT_TRUE(batch.Put("schema_version", "2").ok());
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  });
}

// Every claim of the store, by document, then by fact, as serialized.
std::vector<std::string> EveryClaim(const ClaimStore& store,
                                    const std::vector<std::string>& docs) {
  std::vector<std::string> out;
  for (const std::string& id : docs) {
    auto claims = store.GetClaims(id);
    EXPECT_TRUE(claims.ok()) << claims.status();
    if (!claims.ok()) continue;
    for (const v1::Claim& claim : *claims) {
      out.push_back(claim.SerializeAsString());
    }
  }
  auto view = store.NewView();
  for (const std::string& fact : AllFacts(store)) {
    const size_t slash = fact.find('/');
    auto claims =
        view->FactClaims({fact.substr(0, slash), fact.substr(slash + 1)});
    EXPECT_TRUE(claims.ok()) << claims.status();
    if (!claims.ok()) continue;
    for (const v1::Claim& claim : *claims) {
      out.push_back(claim.SerializeAsString());
    }
  }
  return out;
}

TEST(ClaimStoreTest, AStoreOfSchemaTwoIsUpgradedAtOpen) {
  TestDir dir;
  std::vector<std::string> docs, before;
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 0; i < 30; ++i) {
      const std::string id = absl::StrCat("d", i);
      docs.push_back(id);
      std::vector<v1::Claim> claims =
          Claims(id, {"casualty/killed", absl::StrCat("date/", i % 4), ""});
      claims[0].set_sentence(absl::StrCat("At least ", i, " were killed."));
      claims[0].set_source(i % 3 ? "wire" : "daily");
      ASSERT_TRUE((*store)
                      ->PutDocument(Doc(id, id, i % 2 ? "odd" : "even"), claims)
                      .ok());
    }
    before = EveryClaim(**store, docs);
  }
  MakeSchemaTwo(dir.path());
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(EveryClaim(**store, docs), before);
    auto facts = (*store)->NewView()->FactClaims({"odd", "casualty/killed"});
    ASSERT_TRUE(facts.ok());
    ASSERT_EQ(facts->size(), 15u);
    EXPECT_EQ((*facts)[0].document_id(), "d1");
    EXPECT_EQ((*facts)[0].sentence(), "At least 1 were killed.");
    // Deletes after the upgrade take the moved rows with them.
    ASSERT_TRUE((*store)->DeleteDocument("d1").ok());
    EXPECT_EQ(
        (*store)->NewView()->FactClaims({"odd", "casualty/killed"})->size(),
        14u);
  }
  WithRawDb(dir.path(), [](rocksdb::DB* db,
                           std::vector<rocksdb::ColumnFamilyHandle*>& h) {
    std::string version;
    ASSERT_TRUE(
        db->Get(rocksdb::ReadOptions(), "schema_version", &version).ok());
    EXPECT_EQ(version, "3");
    // A claim of a fact is a reference now; a claim of none stays whole.
    std::string value;
    ASSERT_TRUE(
        db->Get(rocksdb::ReadOptions(), h[2], ClaimKey("d2", 0), &value).ok());
    absl::string_view fact_prefix;
    ASSERT_TRUE(DecodeClaimReference(value, &fact_prefix));
    EXPECT_EQ(fact_prefix, FactPrefix("even", "casualty/killed"));
    ASSERT_TRUE(
        db->Get(rocksdb::ReadOptions(), h[2], ClaimKey("d2", 2), &value).ok());
    EXPECT_FALSE(DecodeClaimReference(value, &fact_prefix));
    v1::Claim claim;
    ASSERT_TRUE(claim.ParseFromString(value));
    EXPECT_EQ(claim.id(), "d2#2");
  });
}

// A fact row whose claim no longer parses is data loss for FactClaims;
// FactClaimBytes hands the bytes on unparsed (its reader refuses them), and
// the store's other facts read as before.
TEST(ClaimStoreTest, AFactRowThatDoesNotParseIsDataLoss) {
  TestDir dir;
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(
        (*store)->PutDocument(Doc("a", "1"), Claims("a", {"k1", "k2"})).ok());
  }
  WithRawDb(dir.path(),
            [](rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*>& h) {
              std::unique_ptr<rocksdb::Iterator> it(
                  db->NewIterator(rocksdb::ReadOptions(), h[3]));
              it->Seek(FactPrefix("s", "k1"));
              ASSERT_TRUE(it->Valid());
              ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), h[3], it->key(),
                                  std::string("\x0B", 1))
                              .ok());
            });
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  auto view = (*store)->NewView();
  auto claims = view->FactClaims({"s", "k1"});
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(claims.status().message().find("document 'a'"), std::string::npos)
      << claims.status();
  auto bytes = view->FactClaimBytes({"s", "k1"});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(bytes->size(), 1u);
  auto other = view->FactClaims({"s", "k2"});
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->size(), 1u);
}

TEST(KeyCodecTest, ClaimReferencesAreNeverClaims) {
  absl::string_view prefix;
  const std::string reference = ClaimReference("story", "date/signing");
  ASSERT_TRUE(DecodeClaimReference(reference, &prefix));
  EXPECT_EQ(prefix, FactPrefix("story", "date/signing"));
  v1::Claim claim;
  claim.set_id("d#0");
  claim.set_fact_key("date/signing");
  EXPECT_FALSE(DecodeClaimReference(claim.SerializeAsString(), &prefix));
  EXPECT_FALSE(DecodeClaimReference("", &prefix));
  EXPECT_FALSE(DecodeClaimReference(std::string("\0s\0", 3), &prefix));
  EXPECT_FALSE(DecodeClaimReference(std::string("\0s\0k\0x\0", 7), &prefix));
}

TEST(ClaimStoreTest, AStoreOfSchemaOneIsUpgradedAtOpen) {
  TestDir dir;
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 0; i < 25; ++i) {
      const std::string id = absl::StrCat("d", i);
      ASSERT_TRUE((*store)
                      ->PutDocument(Doc(id, id, i % 2 ? "odd" : "even"),
                                    Claims(id, {"k"}))
                      .ok());
    }
  }
  // Make it what schema 1 wrote: claims in their rows, no story rows, no
  // document count.
  MakeSchemaTwo(dir.path());
  WithRawDb(dir.path(), [](rocksdb::DB* db,
                           std::vector<rocksdb::ColumnFamilyHandle*>& h) {
    ASSERT_TRUE(
        db->DeleteRange(rocksdb::WriteOptions(), h[5], "", "\xff").ok());
    ASSERT_TRUE(db->Delete(rocksdb::WriteOptions(), "document_count").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "schema_version", "1").ok());
  });
  {
    auto store = ClaimStore::Open(dir.path(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->DocumentCount(), 25u);
    EXPECT_EQ(StoryDocuments(**store, "odd").size(), 12u);
    EXPECT_EQ(StoryDocuments(**store, "even").size(), 13u);
    EXPECT_EQ(StoryDocuments(**store, "even").front(), "even/d0:outlet:1");
    // Writes after the upgrade keep the index.
    ASSERT_TRUE((*store)->DeleteDocument("d0").ok());
    EXPECT_EQ(StoryDocuments(**store, "even").size(), 12u);
  }
  WithRawDb(dir.path(), [](rocksdb::DB* db,
                           std::vector<rocksdb::ColumnFamilyHandle*>&) {
    std::string version, count;
    ASSERT_TRUE(
        db->Get(rocksdb::ReadOptions(), "schema_version", &version).ok());
    EXPECT_EQ(version, std::to_string(kSchemaVersion));
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "document_count", &count).ok());
    EXPECT_EQ(count, "24");
  });
}

TEST(ClaimStoreTest, RefusesADirectoryFromANewerSchema) {
  testing::TestDir dir;
  { ASSERT_TRUE(ClaimStore::Open(dir.path(), {}).ok()); }
  // Rewrite the schema record as a newer build would.
  WithRawDb(dir.path(), [](rocksdb::DB* db,
                           std::vector<rocksdb::ColumnFamilyHandle*>&) {
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "schema_version", "99").ok());
  });
  auto store = ClaimStore::Open(dir.path(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos);
}

}  // namespace
}  // namespace crosscheck::storage
