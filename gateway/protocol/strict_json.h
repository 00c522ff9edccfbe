// The strict reading of a JSON text frame, before FlatBuffers' own JSON parser sees it.
//
// FlatBuffers' JSON parser is lenient in ways a market cannot afford: it reads "2850", "+3333",
// " 3001", "0003003" and "0xB22" as numbers, and a hand-written scan in front of it could be
// dodged with an escaped key ("pri\u0063e"). So a text frame is read twice, by two parsers that
// must agree on the same bytes:
//   1. Boost.JSON parses it as strict RFC 8259 (no comments, no trailing commas, valid UTF-8,
//      small depth), refusing duplicate keys;
//   2. the value is walked against the FlatBuffers schema itself (flatbuffers::Parser's
//      StructDef / FieldDef / Type for the root table and, through unions, every member table):
//      every scalar must be a JSON value of its kind — integers for integer types (no strings, no
//      fractions, no exponents, in range), numbers for floats, true/false for bools, strings for
//      strings and enum / union type names; unknown fields are refused; a money field (named
//      "price") must be a JSON integer ≥ 1, else price_not_whole_pence / price_not_positive /
//      price_outside_rate_band with the frame's request id;
//   3. the canonical re-serialisation (boost::json::serialize) is what FlatBuffers then parses,
//      so both parsers read exactly the same text.
//
// Threading: a pure function of its arguments; the schema parser is only read.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "gateway/protocol/wire_codec.h"

namespace flatbuffers {
class Parser;
}

namespace carebroker::gateway::protocol {

/// The canonical JSON text of `frame` when it is a strictly valid JSON object of the schema's
/// root table (`schema.root_struct_def_`), else why not (a ProtocolError with its code).
std::variant<std::string, ProtocolError> canonical_client_json(std::string_view frame, const flatbuffers::Parser& schema);

}  // namespace carebroker::gateway::protocol
