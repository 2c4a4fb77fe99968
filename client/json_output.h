#ifndef CROSSCHECK_CLIENT_JSON_OUTPUT_H_
#define CROSSCHECK_CLIENT_JSON_OUTPUT_H_

#include <string>

#include "google/protobuf/message.h"

namespace crosscheck::client {

// One message as one line of proto3 JSON (lowerCamelCase names, enums by
// name), the form CONTRACT.md fixes for the CLI.
std::string ToJsonLine(const google::protobuf::Message& message);

// Like ToJsonLine, with the `bytes` field "text" of any document in the
// message shown as text rather than base64 (it was checked to be UTF-8).
std::string DocumentJsonLine(const google::protobuf::Message& message);

}  // namespace crosscheck::client

#endif  // CROSSCHECK_CLIENT_JSON_OUTPUT_H_
