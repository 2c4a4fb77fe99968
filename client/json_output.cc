#include "client/json_output.h"

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace crosscheck::client {
namespace {

// Replaces the base64 "text" of the document in `json` with its bytes.
void DecodeText(const google::protobuf::Message& message,
                google::protobuf::Struct* json);

}  // namespace

std::string ToJsonLine(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string DocumentJsonLine(const google::protobuf::Message& message) {
  google::protobuf::Struct json;
  if (!google::protobuf::util::JsonStringToMessage(ToJsonLine(message), &json)
           .ok()) {
    return ToJsonLine(message);
  }
  DecodeText(message, &json);
  return ToJsonLine(json);
}

namespace {

bool Base64Decode(const std::string& in, std::string* out) {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out->clear();
  int val = 0, bits = -8;
  for (char c : in) {
    if (c == '=') break;
    size_t pos = kChars.find(c);
    if (pos == std::string::npos) return false;
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out->push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return true;
}

void DecodeText(const google::protobuf::Message&,
                google::protobuf::Struct* json) {
  for (auto& [name, value] : *json->mutable_fields()) {
    if (name == "document" && value.has_struct_value()) {
      auto* doc = value.mutable_struct_value();
      // StoredDocument nests the Document one level deeper.
      auto it = doc->mutable_fields()->find("document");
      if (it != doc->mutable_fields()->end() && it->second.has_struct_value()) {
        doc = it->second.mutable_struct_value();
      }
      auto text = doc->mutable_fields()->find("text");
      if (text != doc->mutable_fields()->end() &&
          text->second.has_string_value()) {
        std::string decoded;
        if (Base64Decode(text->second.string_value(), &decoded)) {
          text->second.set_string_value(decoded);
        }
      }
    }
  }
}

}  // namespace

}  // namespace crosscheck::client
