#include "bench/news_corpus.h"

#include <algorithm>
#include <iterator>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace crosscheck::bench {
namespace {

constexpr int kActiveStories = 64;
constexpr int kOutletPool = 211;  // Prime, so that strides visit them all.
constexpr size_t kTargetBytes = 5000;

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
uint64_t Hash(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  return Mix(seed ^ Mix(a ^ Mix(b ^ Mix(c))));
}

template <size_t N>
const char* Pick(const char* const (&pool)[N], uint64_t h) {
  return pool[h % N];
}

constexpr const char* kFirst[] = {"Kar", "Mel", "Tor", "Ves", "Lin", "Bra",
                                  "Cor", "Dal", "Ern", "Fal", "Gor", "Hal"};
constexpr const char* kMiddle[] = {"mo", "va", "ri", "te",
                                   "lo", "na", "si", "du"};
constexpr const char* kLast[] = {"via",  "ton",  "burg", "field",
                                 "stad", "port", "vale", "mouth"};
constexpr const char* kGiven[] = {"Ana",   "Jonas", "Maria", "Tomas", "Elena",
                                  "Pavel", "Nadia", "Omar",  "Sofia", "Viktor"};
constexpr const char* kFamily[] = {"Lind",   "Kovacs", "Haddad", "Moreau",
                                   "Novak",  "Santos", "Berg",   "Okafor",
                                   "Petrov", "Walsh"};
constexpr const char* kTitle[] = {"Mayor", "Governor", "Minister",
                                  "Commissioner", "Chief"};
constexpr const char* kQuote[] = {
    "We are doing everything we can to reach the people still trapped",
    "The scale of this disaster is beyond anything we have seen",
    "Our thoughts are with the families who lost loved ones",
    "Help is on the way and we will not stop until everyone is safe",
    "We will rebuild this town together",
    "The next few days will be critical for the rescue teams",
    "We need more equipment and we need it now",
    "Every hour counts for the people waiting for help"};
constexpr const char* kFiller[] = {
    "Rescue teams worked through the night as conditions slowly improved "
    "across the area.",
    "Volunteers handed out water and blankets at a school turned into a "
    "shelter.",
    "Roads into the town remained closed on the orders of the police.",
    "Power was cut to thousands of homes, and engineers said repairs could "
    "take days.",
    "Hospitals in neighbouring districts said they had space for more "
    "patients.",
    "Residents described a sudden roar and then silence.",
    "The army sent trucks, boats and a field kitchen to the worst-hit "
    "streets.",
    "Aid agencies appealed for donations of food, clothing and medicine.",
    "Schools will stay shut for the rest of the week, the education office "
    "said.",
    "Shopkeepers began clearing mud and broken glass from their doorways.",
    "Meteorologists warned that more bad weather could follow.",
    "Phone networks were patchy, and many families had no news of their "
    "relatives.",
    "The regional council held an emergency meeting in the afternoon.",
    "Insurance companies said it was too early to estimate the losses.",
    "Neighbours formed chains to pass sandbags and supplies along the "
    "streets.",
    "A makeshift clinic treated cuts, fractures and cases of exhaustion.",
    "Footage shared online showed cars swept along what had been a main "
    "road.",
    "Officials urged people to boil water before drinking it.",
    "The national government promised emergency funds for reconstruction.",
    "Farmers in the surrounding valley feared their harvest was lost.",
    "Churches and mosques opened their doors to families with nowhere to "
    "sleep.",
    "Engineers inspected bridges and public buildings for damage.",
    "Some residents refused to leave their homes despite the warnings.",
    "Helicopters flew supplies to villages cut off by landslides."};

struct Event {
  const char* noun;  // "flood"
  const char* verb;  // "killed"
  bool evacuations;
};
constexpr Event kEvents[] = {
    {"flood", "killed", true},      {"earthquake", "killed", true},
    {"storm", "killed", true},      {"fire", "killed", true},
    {"explosion", "killed", false}, {"landslide", "killed", false}};

// A Monday: the day the first story happens, and the week's first day.
constexpr absl::CivilDay kFirstDay(2024, 1, 1);
constexpr const char* kWeekdays[] = {"Monday",   "Tuesday", "Wednesday",
                                     "Thursday", "Friday",  "Saturday",
                                     "Sunday"};
constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

}  // namespace

NewsCorpus::NewsCorpus(int documents, uint64_t seed) : seed_(seed) {
  schedule_.reserve(documents);
  std::mt19937_64 rng(seed);
  // Stories being covered, and how many of their articles are out.
  std::vector<std::pair<int, int>> active;
  auto open_story = [&] {
    const int story = static_cast<int>(outlets_.size());
    outlets_.push_back(5 + static_cast<int>(Hash(seed_, story, 1) % 46));
    active.emplace_back(story, 0);
  };
  while (static_cast<int>(schedule_.size()) < documents) {
    while (static_cast<int>(active.size()) < kActiveStories) open_story();
    const size_t pick = rng() % active.size();
    auto& [story, done] = active[pick];
    schedule_.push_back(Slot{story, done});
    if (++done == outlets_[story]) {
      active[pick] = active.back();
      active.pop_back();
    }
  }
}

v1::Document NewsCorpus::Article(int n) const {
  const Slot slot = schedule_[n];
  const int s = slot.story;
  const int k = outlets_[s];
  const int j = slot.ordinal;
  const uint64_t hs = Hash(seed_, s, 2);
  const uint64_t ha = Hash(seed_, s, 3, j);

  const Event& event = kEvents[hs % std::size(kEvents)];
  const std::string place = absl::StrCat(
      Pick(kFirst, hs >> 8), Pick(kMiddle, hs >> 16), Pick(kLast, hs >> 24));
  const std::string region =
      absl::StrCat(Pick(kFirst, hs >> 32), Pick(kLast, hs >> 40), " province");
  // About twenty new stories a day from 2024-01-01; each is covered for up
  // to three days after the event.
  const absl::CivilDay event_day = kFirstDay + s / 20;
  const absl::CivilDay published = event_day + (3 * j) / k;
  const int outlet = static_cast<int>(
      (hs % kOutletPool + static_cast<uint64_t>(j) * (1 + hs % 97)) %
      kOutletPool);

  // The final toll, what this outlet reports at its time, and the early
  // figure the wire put out first.
  const int toll = 10 + static_cast<int>(hs % 490);
  const int early_span = std::max(1, k / 3);
  auto reported_at = [&](int ordinal) {
    if (ordinal >= early_span) return toll;
    return toll * (40 + 60 * ordinal / early_span) / 100;
  };
  int reported = reported_at(j);
  if (j >= early_span && ha % 8 == 0) reported = toll + toll / 4 + 3;
  const int injured = 2 * toll + static_cast<int>(hs % 50);
  const int evacuated = 1000 + static_cast<int>((hs >> 12) % 90) * 100;

  const std::string when =
      published - event_day < 7 && published != event_day
          ? absl::StrCat("on ", kWeekdays[(event_day - kFirstDay) % 7])
          : absl::StrCat("on ", kMonths[event_day.month() - 1], " ",
                         event_day.day());
  const std::string title = Pick(kTitle, hs >> 44);
  const std::string speaker =
      absl::StrCat(Pick(kGiven, hs >> 48), " ", Pick(kFamily, hs >> 52));

  std::string text =
      j < early_span
          ? absl::StrCat("Deadly ", event.noun, " in ", place, ": toll rises\n")
          : absl::StrCat("Deadly ", event.noun, " in ", place,
                         ": toll stands at ", reported, "\n");
  if (ha % 3 == 0) {
    // Copied from the wire's first report, word for word and with its
    // early figure.
    absl::StrAppend(&text, place, " (Wire) - The ", event.noun, " ", event.verb,
                    " ", reported_at(0), " people in ", place, " ", when,
                    ", officials said. ");
  } else {
    absl::StrAppend(&text, "The ", event.noun, " ", event.verb, " ", reported,
                    " people in ", place, " in ", region, " ", when,
                    ", officials said. ");
  }
  absl::StrAppend(&text, "At least ", injured, " people were injured. ");
  if (event.evacuations) {
    absl::StrAppend(&text, "About ", evacuated / 1000, ",",
                    absl::StrFormat("%03d", evacuated % 1000),
                    " residents were evacuated. ");
  }
  absl::StrAppend(&text, "\u201C", Pick(kQuote, hs >> 56), "\u201D, said ",
                  title, " ", speaker, ".\n");
  if (ha % 4 == 1) {
    absl::StrAppend(&text, "\u201C", Pick(kQuote, ha >> 8),
                    "\u201D, said a spokesman for the ", region, ".\n");
  }
  for (uint64_t f = 0; text.size() < kTargetBytes; ++f) {
    absl::StrAppend(&text, Pick(kFiller, Hash(seed_, s, j, f)), " ");
    if (f % 5 == 4) text.back() = '\n';
  }

  v1::Document doc;
  doc.set_id(absl::StrCat("news-", n));
  doc.set_source(absl::StrCat("outlet-", outlet));
  doc.set_published(absl::FormatCivilTime(published));
  doc.set_story_id(absl::StrCat("story-", s));
  doc.set_text(std::move(text));
  return doc;
}

}  // namespace crosscheck::bench
