#include "tests/article_generator.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace crosscheck::testing {

v1::Document MakeFloodArticle(int n, int stories) {
  v1::Document doc;
  doc.set_id(absl::StrCat("doc-", n));
  doc.set_source(absl::StrCat("outlet-", n % 17));
  doc.set_published("2024-07-02");
  doc.set_story_id(absl::StrCat("story-", n % stories));
  std::string text = absl::StrCat(
      "Floods in region ", n % stories, "\nThe flood killed ", 10 + n % 7,
      " people in Town", n % stories, "ville on Monday, officials said. About ",
      1000 + n % 3 * 100, " residents were evacuated. “We will rebuild”, ",
      "said Mayor Ana Lind.\n");
  while (text.size() < 5000) {
    absl::StrAppend(&text, "Rescue teams worked through the night as water ",
                    "levels slowly fell across the valley. ");
  }
  doc.set_text(text);
  return doc;
}

}  // namespace crosscheck::testing
