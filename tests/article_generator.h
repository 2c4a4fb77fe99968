#ifndef CROSSCHECK_TESTS_ARTICLE_GENERATOR_H_
#define CROSSCHECK_TESTS_ARTICLE_GENERATOR_H_

#include "protos/crosscheck/v1/documents.pb.h"

namespace crosscheck::testing {

// Document `n` of a synthetic flood story set: about 5 KB of text with a
// casualty figure, an evacuation figure, a quote and a date, spread over
// `stories` stories and 17 outlets. Deterministic in `n`.
v1::Document MakeFloodArticle(int n, int stories);

}  // namespace crosscheck::testing

#endif  // CROSSCHECK_TESTS_ARTICLE_GENERATOR_H_
