#include "claims/document_validator.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "claims/publication_date.h"
#include "claims/utf8.h"

namespace crosscheck::claims {

absl::Status ValidateText(absl::string_view what, absl::string_view text,
                          size_t max_bytes) {
  if (text.size() > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is ", text.size(),
                                                   " bytes, over the limit of ",
                                                   max_bytes, " bytes"));
  }
  if (auto bad = FindInvalidUtf8(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is not valid UTF-8 at byte ", *bad));
  }
  return absl::OkStatus();
}

absl::Status ValidateDocument(const v1::Document& doc,
                              const DocumentLimits& limits) {
  if (doc.id().empty()) {
    return absl::InvalidArgumentError("document id is empty");
  }
  if (doc.id().size() > limits.max_id_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("document id is ", doc.id().size(),
                     " bytes, over the limit of ", limits.max_id_bytes));
  }
  for (unsigned char c : doc.id()) {
    if (c < 0x20 || c == 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat("document id '", absl::CEscape(doc.id()),
                       "' holds a control character; ids are printable text"));
    }
  }
  const std::string who = absl::StrCat("document '", doc.id(), "'");
  if (doc.source().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, ": source (the outlet) is empty"));
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"source", &doc.source()},     {"url", &doc.url()},
      {"title", &doc.title()},       {"story_id", &doc.story_id()},
      {"language", &doc.language()}, {"published", &doc.published()}};
  for (const auto& [name, value] : fields) {
    if (value->size() > limits.max_field_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": ", name, " is ", value->size(),
                       " bytes, over the limit of ", limits.max_field_bytes));
    }
    for (unsigned char c : *value) {
      if (c == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(who, ": ", name, " holds a NUL byte"));
      }
    }
  }
  if (auto status = ValidateText(absl::StrCat(who, ": text"), doc.text(),
                                 limits.max_text_bytes);
      !status.ok()) {
    return status;
  }
  if (auto day = ParsePublicationDay(doc.published()); !day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, ": ", day.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace crosscheck::claims
