#include "claims/claim_reader.h"

#include <cstdint>
#include <cstring>

namespace crosscheck::claims {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "fixed-width fields are read little-endian");

// Wire types (protobuf's encoding guide).
enum WireType : int {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// Reads fields of protobuf's wire format from a buffer it does not own.
class WireReader {
 public:
  explicit WireReader(absl::string_view bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool Done() const { return p_ == end_; }

  // The next field's number and wire type. As protobuf reads a tag: at
  // most five bytes, cut to 32 bits.
  bool ReadTag(uint32_t* field, int* type) {
    uint32_t tag = 0;
    for (int i = 0;; ++i) {
      if (i == 5 || p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      tag |= static_cast<uint32_t>(byte & 0x7Fu) << (7 * i);
      if (byte < 0x80) break;
    }
    *field = tag >> 3;
    *type = static_cast<int>(tag & 7);
    return *field != 0;
  }

  bool ReadVarint(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= uint64_t{byte & 0x7Fu} << shift;
      if (byte < 0x80) {
        *value = result;
        return true;
      }
    }
    return false;
  }

  bool ReadDouble(double* value) {
    if (end_ - p_ < 8) return false;
    std::memcpy(value, p_, 8);
    p_ += 8;
    return true;
  }

  bool ReadLengthDelimited(absl::string_view* value) {
    uint64_t size;
    if (!ReadVarint(&size) || size > static_cast<uint64_t>(end_ - p_)) {
      return false;
    }
    *value = absl::string_view(p_, size);
    p_ += size;
    return true;
  }

  // Passes over the field `field` of wire type `type` whose tag was read.
  bool Skip(uint32_t field, int type, int depth = 0) {
    uint64_t varint;
    absl::string_view bytes;
    switch (type) {
      case kVarint:
        return ReadVarint(&varint);
      case kFixed64:
        return Advance(8);
      case kLengthDelimited:
        return ReadLengthDelimited(&bytes);
      case kStartGroup:
        // A group (long deprecated) runs to the end tag of its own field;
        // groups nest no deeper than protobuf's recursion limit.
        if (depth == kMaxDepth) return false;
        for (;;) {
          uint32_t inner;
          int inner_type;
          if (!ReadTag(&inner, &inner_type)) return false;
          if (inner_type == kEndGroup) return inner == field;
          if (!Skip(inner, inner_type, depth + 1)) return false;
        }
      case kFixed32:
        return Advance(4);
      default:  // An end tag with no group open, or no wire type at all.
        return false;
    }
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  static constexpr int kMaxDepth = 100;

  const char* p_;
  const char* end_;
};

// One field as read: its number, wire type and value.
struct Field {
  uint32_t number = 0;
  int type = 0;
  uint64_t varint = 0;      // kVarint.
  double fixed64 = 0;       // kFixed64, as a double.
  absl::string_view bytes;  // kLengthDelimited.
};

// Calls `set(field)` for each field of `bytes` with a value of a wire type
// the messages below use (varint, fixed 64 bits, length-delimited), in
// order; fields of other wire types are skipped, as protobuf treats a
// field it does not know. False at bytes that are not wire format, or
// when `set` returns false.
template <typename Set>
bool ReadFields(absl::string_view bytes, Set set) {
  WireReader in(bytes);
  while (!in.Done()) {
    Field f;
    if (!in.ReadTag(&f.number, &f.type)) return false;
    bool read;
    switch (f.type) {
      case kVarint:
        read = in.ReadVarint(&f.varint);
        break;
      case kFixed64:
        read = in.ReadDouble(&f.fixed64);
        break;
      case kLengthDelimited:
        read = in.ReadLengthDelimited(&f.bytes);
        break;
      default:
        if (!in.Skip(f.number, f.type)) return false;
        continue;
    }
    if (!read || !set(f)) return false;
  }
  return true;
}

// An enum's varint cut to 32 bits, as protobuf reads it.
int32_t EnumValue(const Field& f) { return static_cast<int32_t>(f.varint); }

// Each message below sets the fields a comparison reads, when they come
// with the wire type their declaration gives, and passes over the rest.

bool ReadNumber(absl::string_view bytes, v1::NumberValue* number) {
  return ReadFields(bytes, [number](const Field& f) {
    if (f.type == kFixed64) {
      if (f.number == 1) number->set_value(f.fixed64);
      if (f.number == 3) number->set_high(f.fixed64);
      if (f.number == 5) number->set_low(f.fixed64);
      if (f.number == 6) number->set_upper(f.fixed64);
    } else if (f.type == kVarint && f.number == 2) {
      number->set_qualifier(static_cast<v1::Qualifier>(EnumValue(f)));
    } else if (f.type == kLengthDelimited) {
      if (f.number == 4) number->set_unit(f.bytes.data(), f.bytes.size());
      if (f.number == 7) number->set_text(f.bytes.data(), f.bytes.size());
    }
    return true;
  });
}

bool ReadDate(absl::string_view bytes, v1::DateValue* date) {
  return ReadFields(bytes, [date](const Field& f) {
    if (f.type == kLengthDelimited) {
      if (f.number == 1) date->set_start(f.bytes.data(), f.bytes.size());
      if (f.number == 2) date->set_end(f.bytes.data(), f.bytes.size());
      if (f.number == 5) date->set_text(f.bytes.data(), f.bytes.size());
    } else if (f.type == kVarint) {
      if (f.number == 3) {
        date->set_granularity(static_cast<v1::Granularity>(EnumValue(f)));
      }
      if (f.number == 4) date->set_relative(f.varint != 0);
    }
    return true;
  });
}

bool ReadQuote(absl::string_view bytes, v1::QuoteValue* quote) {
  return ReadFields(bytes, [quote](const Field& f) {
    if (f.type == kLengthDelimited) {
      if (f.number == 1) quote->set_text(f.bytes.data(), f.bytes.size());
      if (f.number == 2) quote->set_speaker(f.bytes.data(), f.bytes.size());
    }
    return true;
  });
}

// Sets the length-delimited field `field` of a claim to `bytes` when a
// comparison reads it; false when it is a message that does not read.
bool ReadClaimField(uint32_t field, absl::string_view bytes, v1::Claim* claim) {
  // Claim's field numbers (claims.proto).
  switch (field) {
    case 3:
      claim->set_source(bytes.data(), bytes.size());
      return true;
    case 5:
      claim->set_predicate(bytes.data(), bytes.size());
      return true;
    case 6:
      claim->set_subject(bytes.data(), bytes.size());
      return true;
    case 7:
      claim->set_location(bytes.data(), bytes.size());
      return true;
    case 8:
      return ReadNumber(bytes, claim->mutable_number());
    case 9:
      return ReadDate(bytes, claim->mutable_date());
    case 10:
      return ReadQuote(bytes, claim->mutable_quote());
    case 12:
      claim->set_sentence(bytes.data(), bytes.size());
      return true;
    case 15:
      claim->set_published(bytes.data(), bytes.size());
      return true;
    case 16:
      claim->set_event_class(bytes.data(), bytes.size());
      return true;
    default:
      // id, document_id, span, fact_key, attribution, context_words, and
      // fields this build does not know.
      return true;
  }
}

}  // namespace

bool ReadClaimToCompare(absl::string_view bytes, v1::Claim* claim) {
  claim->Clear();
  return ReadFields(bytes, [claim](const Field& f) {
    if (f.type == kVarint && f.number == 4) {
      claim->set_kind(static_cast<v1::ClaimKind>(EnumValue(f)));
    } else if (f.type == kLengthDelimited) {
      return ReadClaimField(f.number, f.bytes, claim);
    }
    return true;
  });
}

bool ReadClaimsToCompare(const std::vector<std::string>& claim_bytes,
                         std::vector<v1::Claim>* claims) {
  claims->resize(claim_bytes.size());
  for (size_t i = 0; i < claim_bytes.size(); ++i) {
    if (!ReadClaimToCompare(claim_bytes[i], &(*claims)[i])) return false;
  }
  return true;
}

}  // namespace crosscheck::claims
