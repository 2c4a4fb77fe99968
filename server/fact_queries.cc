#include "server/fact_queries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "claims/claim_reader.h"
#include "claims/document_validator.h"
#include "claims/extractor.h"
#include "claims/fact_comparator.h"
#include "claims/publication_date.h"
#include "common/fnv1a.h"
#include "common/status_macros.h"
#include "common/wire_format.h"
#include "server/page_token.h"

namespace crosscheck::server {
namespace {

using storage::ClaimStore;

constexpr size_t kGroupingMembersPerFact = 8;

const char* KindPrefix(v1::ClaimKind kind) {
  switch (kind) {
    case v1::CLAIM_KIND_CASUALTY:
      return "casualty/";
    case v1::CLAIM_KIND_QUANTITY:
      return "quantity/";
    case v1::CLAIM_KIND_DATE:
      return "date/";
    case v1::CLAIM_KIND_QUOTE:
      return "quote/";
    default:
      return "";
  }
}

absl::Status StoppedError() {
  return absl::CancelledError(
      "the call was cancelled or its deadline passed; the scan stopped");
}

absl::Status CheckDay(const char* field, const std::string& value) {
  if (value.empty()) return absl::OkStatus();
  auto day = claims::ParsePublicationDay(value);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", day.status().message()));
  }
  return absl::OkStatus();
}

// A stable fingerprint of every filter of a search (not the page fields).
std::string Fingerprint(const v1::SearchFactsRequest& r) {
  std::string all =
      absl::StrCat(r.story_id(), "\x1f", r.kind(), "\x1f", r.status(), "\x1f",
                   r.disputed_only(), "\x1f", r.words(), "\x1f", r.source(),
                   "\x1f", r.published_after(), "\x1f", r.published_before());
  uint64_t h = kFnv1aBasis;
  Fnv1a(all, &h);
  return absl::StrFormat("%016x", h);
}

// The head of one length-delimited field of `size` bytes.
std::string LengthDelimitedHead(int field, size_t size) {
  std::string head;
  AppendLengthDelimitedHead(field, size, &head);
  return head;
}

bool Matches(const v1::SearchFactsRequest& r, const v1::FactComparison& fact,
             const std::vector<std::string>& words) {
  if (r.status() != v1::FACT_STATUS_UNSPECIFIED &&
      fact.status() != r.status()) {
    return false;
  }
  if (r.disputed_only() && fact.status() != v1::FACT_STATUS_DISAGREE &&
      fact.status() != v1::FACT_STATUS_EVOLVING) {
    return false;
  }
  bool source_seen = r.source().empty();
  bool time_seen = r.published_after().empty() && r.published_before().empty();
  std::string text = absl::AsciiStrToLower(fact.description());
  for (const auto& group : fact.groups()) {
    for (const auto& claim : group.claims()) {
      if (!source_seen && claim.source() == r.source()) source_seen = true;
      if (!time_seen) {
        const std::string day = claim.published().substr(0, 10);
        if ((r.published_after().empty() ||
             day >= r.published_after().substr(0, 10)) &&
            (r.published_before().empty() ||
             day <= r.published_before().substr(0, 10))) {
          time_seen = true;
        }
      }
      if (!words.empty()) {
        absl::StrAppend(&text, " ", absl::AsciiStrToLower(claim.sentence()));
      }
    }
  }
  if (!source_seen || !time_seen) return false;
  for (const auto& w : words) {
    if (!absl::StrContains(text, w)) return false;
  }
  return true;
}

// The value of `key` in `map`, or null when the map is not there or does
// not hold the key.
template <typename Map>
typename Map::mapped_type* FindIn(std::optional<Map>& map,
                                  const std::string& key) {
  if (!map.has_value()) return nullptr;
  auto found = map->find(key);
  return found == map->end() ? nullptr : &found->second;
}

// The error of a fact whose stored claims do not read.
absl::Status StoredClaimLost(absl::string_view story_id,
                             absl::string_view fact_key) {
  return absl::DataLossError(absl::StrCat("a stored claim of fact '", fact_key,
                                          "' in story '", story_id,
                                          "' does not parse"));
}

// The answer of the fact `fact_key` of `story_id` from its claims' stored
// bytes, and its comparison without its groups' claims in `*fact`.
absl::StatusOr<std::string> AnswerFromClaimBytes(
    const std::string& story_id, const std::string& fact_key,
    const std::vector<std::string>& claim_bytes, v1::FactComparison* fact) {
  std::string answer;
  if (!claims::CompareSerializedClaims(story_id, fact_key, claim_bytes, &answer,
                                       fact)) {
    return StoredClaimLost(story_id, fact_key);
  }
  return answer;
}

}  // namespace

absl::Status PrimeGrouper(const ClaimStore::View& view,
                          const std::string& story_id,
                          const std::string& exclude_document,
                          claims::FactGrouper* grouper, FactCache* cache) {
  // Only dates and quotes are grouped across documents; their keys start
  // with their kind, so the scan reads no other rows. The cache may know
  // them without a scan.
  const std::vector<std::string>* keys =
      cache != nullptr ? cache->GroupedKeys(story_id) : nullptr;
  std::vector<std::string> scanned;
  if (keys == nullptr) {
    for (absl::string_view kind : claims::kGroupedKinds) {
      RETURN_IF_ERROR(view.ForEachFact(
          false, story_id, nullptr,
          [&](const ClaimStore::FactId& id) {
            scanned.push_back(id.fact_key);
            return true;
          },
          kind));
    }
    if (cache != nullptr) cache->PutGroupedKeys(story_id, scanned);
    keys = &scanned;
  }
  ClaimStore::FactId id{story_id, ""};
  for (const std::string& key : *keys) {
    id.fact_key = key;
    // A few members stand for a fact: grouping compares against them, and
    // reading every claim of a large story on each ingest would make
    // ingest slow down as the story grows. The cache holds a fact's claims
    // in the store's order, so the same few stand for it either way.
    const FactCache::Entry* cached =
        cache != nullptr ? cache->Find(id) : nullptr;
    std::vector<v1::Claim> read;
    if (cached == nullptr) {
      ASSIGN_OR_RETURN(read, view.FactClaims(id, kGroupingMembersPerFact));
    }
    const std::vector<v1::Claim>& members = cached ? cached->claims : read;
    for (size_t k = 0; k < members.size() && k < kGroupingMembersPerFact; ++k) {
      if (members[k].document_id() != exclude_document) {
        grouper->AddExisting(members[k]);
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::FactComparison> LoadFact(const ClaimStore::View& view,
                                            const std::string& story_id,
                                            const std::string& fact_key) {
  ASSIGN_OR_RETURN(std::vector<v1::Claim> members,
                   view.FactClaims({story_id, fact_key}));
  if (members.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no fact '", fact_key, "' in story '", story_id, "'"));
  }
  return claims::CompareFact(story_id, fact_key, std::move(members));
}

absl::StatusOr<std::string> LoadFactAnswer(const ClaimStore::View& view,
                                           const std::string& story_id,
                                           const std::string& fact_key,
                                           v1::FactComparison* fact) {
  ASSIGN_OR_RETURN(std::vector<std::string> claim_bytes,
                   view.FactClaimBytes({story_id, fact_key}));
  if (claim_bytes.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no fact '", fact_key, "' in story '", story_id, "'"));
  }
  return AnswerFromClaimBytes(story_id, fact_key, claim_bytes, fact);
}

absl::StatusOr<std::shared_ptr<const std::string>> GetFactAnswer(
    const ClaimStore& store, const ClaimStore::FactId& id,
    FactResponseCache* answers) {
  if (id.fact_key.empty()) {
    return absl::InvalidArgumentError("fact_key is empty");
  }
  std::shared_ptr<const std::string> bytes = answers->Find(id);
  if (bytes != nullptr) return bytes;
  // The generation before the read: an answer a write overtakes is not
  // kept.
  const uint64_t generation = answers->Generation(id);
  auto view = store.NewView();
  ASSIGN_OR_RETURN(std::string answer,
                   LoadFactAnswer(*view, id.story_id, id.fact_key));
  bytes = std::make_shared<const std::string>(std::move(answer));
  answers->Insert(id, generation, bytes);
  return bytes;
}

absl::Status SearchFacts(const ClaimStore& store,
                         const v1::SearchFactsRequest& request,
                         int max_page_size, const CancelCheck& cancelled,
                         FactResponseCache* answers, MessagePieces* response) {
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size ", request.page_size(),
                     " is negative; give 1 to ", max_page_size, ", or 0 for ",
                     std::min(kDefaultPageSize, max_page_size)));
  }
  if (!v1::ClaimKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind ", request.kind(), " is not a ClaimKind"));
  }
  if (!v1::FactStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("status ", request.status(), " is not a FactStatus"));
  }
  RETURN_IF_ERROR(CheckDay("published_after", request.published_after()));
  RETURN_IF_ERROR(CheckDay("published_before", request.published_before()));
  if (request.words().size() > 1000) {
    return absl::InvalidArgumentError("words is over 1000 bytes");
  }
  if (!v1::FactView_IsValid(request.view())) {
    return absl::InvalidArgumentError(
        absl::StrCat("view ", request.view(), " is not a FactView"));
  }
  const bool basic = request.view() == v1::FACT_VIEW_BASIC;
  const int page_size = request.page_size() == 0
                            ? std::min(kDefaultPageSize, max_page_size)
                            : std::min(request.page_size(), max_page_size);
  const std::string fingerprint = Fingerprint(request);
  ClaimStore::FactId after;
  bool have_after = false;
  if (!request.page_token().empty()) {
    ASSIGN_OR_RETURN(after, DecodePageToken(request.page_token(), fingerprint));
    have_after = true;
  }
  std::vector<std::string> words =
      absl::StrSplit(absl::AsciiStrToLower(request.words()),
                     absl::ByAnyChar(" \t\n"), absl::SkipEmpty());
  const std::string prefix = KindPrefix(request.kind());
  // Without filters on the content, kept answers go into the page as they
  // are, without parsing.
  const bool filtered =
      request.status() != v1::FACT_STATUS_UNSPECIFIED ||
      request.disputed_only() || !words.empty() || !request.source().empty() ||
      !request.published_after().empty() || !request.published_before().empty();

  // A page of one story that filters by nothing else but kind is kept
  // whole, under the request's kind, page size and position.
  const bool keep_page =
      answers != nullptr && !filtered && !request.story_id().empty();
  std::string page_key;
  if (keep_page) {
    page_key = absl::StrCat(request.kind(), "/", basic ? "basic/" : "",
                            page_size, "/", request.page_token());
    if (auto page = answers->FindPage(request.story_id(), page_key)) {
      *response = *page;
      return absl::OkStatus();
    }
  }
  // A search across every story reads kept answers but keeps none of its
  // own: it would push out the answers of the stories being read now for
  // ones unlikely to be asked for again soon (the store's answers are many
  // times the budget), as a scan that fills a cache does.
  const bool keep_answers = answers != nullptr && !request.story_id().empty();
  // Generations before the snapshot: an answer a write overtakes is not kept.
  const uint64_t page_generation =
      keep_page ? answers->PageGeneration(request.story_id()) : 0;
  const FactResponseCache::ShardGenerations generations =
      answers != nullptr ? answers->Generations()
                         : FactResponseCache::ShardGenerations{};
  auto view = store.NewView();
  absl::Status inner;
  ClaimStore::FactId last;
  int facts = 0;
  bool more = false;
  // The story being scanned: its facts with and without kept answers so
  // far, and its claims once read.
  std::string scanned_story;
  int kept = 0;
  int unkept = 0;
  std::optional<std::map<std::string, std::vector<v1::Claim>>> story_claims;
  std::optional<std::map<std::string, std::vector<std::string>>>
      story_claim_bytes;
  response->pieces.clear();
  RETURN_IF_ERROR(view->ForEachFact(
      request.story_id().empty(), request.story_id(),
      have_after ? &after : nullptr, [&](const ClaimStore::FactId& id) {
        if (!prefix.empty() && !absl::StartsWith(id.fact_key, prefix)) {
          return true;
        }
        if (cancelled()) {
          inner = StoppedError();
          return false;
        }
        // Unfiltered, the next fact is on the next page whatever it says:
        // no need to read it now.
        if (!filtered && facts == page_size) {
          more = true;
          return false;
        }
        if (id.story_id != scanned_story) {
          scanned_story = id.story_id;
          kept = 0;
          unkept = 0;
          story_claims.reset();
          story_claim_bytes.reset();
        }
        std::shared_ptr<const std::string> bytes =
            answers != nullptr ? answers->Find(id) : nullptr;
        if (bytes != nullptr) ++kept;
        // The comparison, once `parsed`. Read unfiltered, its groups lack
        // their claims (the answer's bytes hold them): nothing asks about
        // them then.
        v1::FactComparison fact;
        bool parsed = false;
        // Fills `story` with `read()` unless an earlier fact of the story
        // did; false, with the error in `inner`, when the read fails.
        auto read_story_once = [&](auto& story, auto read) {
          if (story.has_value()) return true;
          auto read_result = read();
          if (!read_result.ok()) {
            inner = read_result.status();
            return false;
          }
          story = std::move(*read_result);
          return true;
        };
        auto parse_kept = [&] {
          parsed = fact.ParseFromString(*bytes);
          if (!parsed) {
            inner = absl::InternalError(absl::StrCat(
                "a kept answer for fact '", id.fact_key, "' does not parse"));
          }
          return parsed;
        };
        if (bytes == nullptr || filtered) {
          if (bytes != nullptr) {
            if (!parse_kept()) return false;
          } else {
            // A story's claims are read at once, one scan of its fact
            // rows instead of a seek per fact, when more of its facts are
            // likely to need them: from its second fact with no kept
            // answer on, or from its first when none of its facts so far
            // had one and the page has room for more. Otherwise the fact
            // is read by itself.
            ++unkept;
            const bool room_for_more = filtered || facts + 1 < page_size;
            const bool whole_story =
                unkept >= 2 || (kept == 0 && room_for_more);
            // Filtered, the filters ask about the comparison's claims, so
            // it is made whole. Otherwise its claims are not needed here,
            // and the answer carries them as they were read.
            absl::StatusOr<std::string> answer;
            if (filtered) {
              if (whole_story && !read_story_once(story_claims, [&] {
                    return view->StoryFactClaims(id.story_id);
                  })) {
                return false;
              }
              absl::StatusOr<v1::FactComparison> loaded;
              if (auto* members = FindIn(story_claims, id.fact_key)) {
                loaded = claims::CompareFact(id.story_id, id.fact_key,
                                             std::move(*members));
              } else {
                loaded = LoadFact(*view, id.story_id, id.fact_key);
              }
              if (loaded.ok()) {
                fact = std::move(*loaded);
                answer = fact.SerializeAsString();
              } else {
                answer = loaded.status();
              }
            } else {
              if (whole_story && !read_story_once(story_claim_bytes, [&] {
                    return view->StoryFactClaimBytes(id.story_id);
                  })) {
                return false;
              }
              if (auto* members = FindIn(story_claim_bytes, id.fact_key)) {
                answer = AnswerFromClaimBytes(id.story_id, id.fact_key,
                                              *members, &fact);
              } else {
                answer = LoadFactAnswer(*view, id.story_id, id.fact_key, &fact);
              }
            }
            if (!answer.ok()) {
              inner = answer.status();
              return false;
            }
            parsed = true;
            bytes = std::make_shared<const std::string>(std::move(*answer));
            if (keep_answers) answers->Insert(id, generations, bytes);
          }
          if (!Matches(request, fact, words)) return true;
        }
        if (facts == page_size) {
          more = true;
          return false;
        }
        if (basic) {
          // The kept answer is the full one: the basic one is made from it.
          if (!parsed && !parse_kept()) return false;
          for (v1::ValueGroup& group : *fact.mutable_groups()) {
            group.clear_claims();
          }
          fact.clear_copies();
          bytes = std::make_shared<const std::string>(fact.SerializeAsString());
        }
        // SearchFactsResponse.facts, field 1, length-delimited.
        response->pieces.push_back(
            {LengthDelimitedHead(1, bytes->size()), std::move(bytes)});
        ++facts;
        last = id;
        return true;
      }));
  RETURN_IF_ERROR(inner);
  if (more) {
    // SearchFactsResponse.next_page_token, field 2.
    const std::string token = EncodePageToken(last, fingerprint);
    response->pieces.push_back(
        {absl::StrCat(LengthDelimitedHead(2, token.size()), token), nullptr});
  }
  if (keep_page) {
    answers->InsertPage(request.story_id(), page_key, page_generation,
                        std::make_shared<const MessagePieces>(*response));
  }
  return absl::OkStatus();
}

absl::Status CheckText(const ClaimStore& store,
                       const v1::CheckTextRequest& request,
                       size_t max_text_bytes, v1::CheckTextResponse* response) {
  RETURN_IF_ERROR(
      claims::ValidateText("draft text", request.text(), max_text_bytes));
  if (request.published().empty()) {
    return absl::InvalidArgumentError(
        "published is required to resolve the draft's relative dates");
  }
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   claims::ParsePublicationDay(request.published()));
  ASSIGN_OR_RETURN(
      std::vector<v1::Claim> found,
      claims::ExtractClaims({"draft", "draft", request.text(), day},
                            {false, max_text_bytes}));
  auto view = store.NewView();
  claims::FactGrouper grouper;
  RETURN_IF_ERROR(PrimeGrouper(*view, request.story_id(), "", &grouper));
  for (v1::Claim& claim : found) {
    grouper.Assign(&claim);
    v1::CheckedClaim* checked = response->add_claims();
    checked->set_fact_key(claim.fact_key());
    std::vector<v1::Claim> members;
    if (!claim.fact_key().empty()) {
      ASSIGN_OR_RETURN(
          members, view->FactClaims({request.story_id(), claim.fact_key()}));
    }
    std::set<std::string> agree, disagree;
    for (const v1::Claim& stored : members) {
      (claims::Compatible(claim, stored) ? agree : disagree)
          .insert(stored.source());
    }
    for (const auto& s : agree) checked->add_agreeing_sources(s);
    for (const auto& s : disagree) checked->add_disagreeing_sources(s);
    members.push_back(claim);
    checked->set_status_with_draft(claims::SummarizeFact(members).status);
    *checked->mutable_claim() = std::move(claim);
  }
  return absl::OkStatus();
}

absl::Status ListSources(const ClaimStore& store,
                         const v1::ListSourcesRequest& request,
                         const CancelCheck& cancelled,
                         v1::ListSourcesResponse* response) {
  auto view = store.NewView();
  std::map<std::string, v1::SourceStats> stats;
  const bool all = request.story_id().empty();
  // The story index gives each document's source and claim count without
  // reading any other story's documents, or any text; and the stories.
  std::vector<std::string> stories;
  RETURN_IF_ERROR(view->ForEachStoryDocument(
      all, request.story_id(), [&](const ClaimStore::View::StoryDocument& doc) {
        if (stories.empty() || stories.back() != doc.story_id) {
          stories.emplace_back(doc.story_id);
        }
        v1::SourceStats& s = stats[std::string(doc.source)];
        if (s.source().empty()) s.set_source(std::string(doc.source));
        s.set_documents(s.documents() + 1);
        s.set_claims(s.claims() + doc.claim_count);
      }));
  // Each story's facts, from its documents' claims: a seek per document
  // rather than a lookup per claim. The summary of a fact names its groups
  // as the comparison does, without copying claims or comparing sentences.
  // Stories are independent: over many of them (every story of a large
  // store), as many threads as cores take every n-th story each, each
  // counting into its own tally, and the tallies are added up at the end.
  struct Tally {
    // Per source: facts shared with another source, and those in the
    // majority group.
    std::map<std::string, std::pair<int, int>> counts;
    absl::Status status;
  };
  constexpr size_t kStoriesPerThread = 64;
  const size_t threads =
      std::clamp<size_t>(stories.size() / kStoriesPerThread, 1,
                         std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Tally> tallies(threads);
  auto count = [&](size_t first, Tally* tally) {
    // One fact's claims at a time, in messages reused from fact to fact.
    std::vector<v1::Claim> members;
    for (size_t k = first; k < stories.size(); k += threads) {
      if (cancelled()) {
        tally->status = StoppedError();
        return;
      }
      // The summary reads only what a comparison reads: the claims are
      // read from their stored bytes for that alone.
      auto facts = view->StoryFactClaimBytes(stories[k]);
      if (!facts.ok()) {
        tally->status = facts.status();
        return;
      }
      for (const auto& [key, claim_bytes] : *facts) {
        if (!claims::ReadClaimsToCompare(claim_bytes, &members)) {
          tally->status = StoredClaimLost(stories[k], key);
          return;
        }
        const claims::FactSummary summary = claims::SummarizeFact(members);
        if (summary.source_count < 2) continue;
        std::set<absl::string_view> majority, speaking;
        for (size_t i = 0; i < members.size(); ++i) {
          speaking.insert(members[i].source());
          if (summary.group_of[i] == 0) majority.insert(members[i].source());
        }
        for (absl::string_view source : speaking) {
          std::pair<int, int>& c = tally->counts[std::string(source)];
          ++c.first;
          if (majority.count(source) > 0) ++c.second;
        }
      }
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) {
    helpers.emplace_back(count, t, &tallies[t]);
  }
  count(0, &tallies[0]);
  for (std::thread& helper : helpers) helper.join();
  for (const Tally& tally : tallies) {
    RETURN_IF_ERROR(tally.status);
    for (const auto& [source, c] : tally.counts) {
      v1::SourceStats& s = stats[source];
      s.set_source(source);
      s.set_shared_facts(s.shared_facts() + c.first);
      s.set_in_majority(s.in_majority() + c.second);
    }
  }
  for (auto& [name, s] : stats) *response->add_sources() = std::move(s);
  return absl::OkStatus();
}

}  // namespace crosscheck::server
