#ifndef CROSSCHECK_SERVER_CHANGE_FEED_H_
#define CROSSCHECK_SERVER_CHANGE_FEED_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
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

// The fact changes a write makes: document `doc_id` from `source` goes from
// `old_claims` (in story `old_story`; none for a new document) to
// `new_claims` (in `new_story`; none for a deletion). `before` is the store
// as it is before the write. Compares every touched fact before and after.
absl::StatusOr<std::vector<v1::FactChange>> DiffFacts(
    const storage::ClaimStore::View& before, const std::string& doc_id,
    const std::string& source, const std::string& old_story,
    const std::vector<v1::Claim>& old_claims, const std::string& new_story,
    const std::vector<v1::Claim>& new_claims);

}  // namespace crosscheck::server

#endif  // CROSSCHECK_SERVER_CHANGE_FEED_H_
