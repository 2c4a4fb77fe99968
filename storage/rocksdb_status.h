#ifndef CROSSCHECK_STORAGE_ROCKSDB_STATUS_H_
#define CROSSCHECK_STORAGE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace crosscheck::storage {

// Converts a RocksDB status into an absl::Status at the storage boundary;
// `context` says what the store was doing ("reading document 'x'").
absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context);

}  // namespace crosscheck::storage

#endif  // CROSSCHECK_STORAGE_ROCKSDB_STATUS_H_
