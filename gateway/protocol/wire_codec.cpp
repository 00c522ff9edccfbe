// The provider WebSocket protocol's codec: client frames in, server frames out (wire_codec.h).
#include "gateway/protocol/wire_codec.h"

#include <flatbuffers/idl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "engine/market/calendar.h"
#include "engine/market/codes.h"
#include "engine/market/visit_schedule.h"
#include "gateway/protocol/reply_batcher.h"
#include "gateway/protocol/strict_json.h"
#include "gateway/text_checks.h"
#include "schemas/wire_generated.h"

namespace carebroker::gateway::protocol {

extern const std::string_view kWireSchemaText;  // wire_schema_text.cpp, generated from wire.fbs

namespace {

namespace fb = flatbuffers;
namespace w = carebroker::wire;

/// Stands in a shared broadcast's base for each recipient's location (never sent as it is).
constexpr std::string_view kLocationPlaceholder = "{{carebroker:recipient-location}}";

// ---------------------------------------------------------------------------------------------
// The schema parser: one per thread and direction (Parser::ParseJson mutates the parser).

std::unique_ptr<fb::Parser> load_schema(const char* root, bool for_output) {
  fb::IDLOptions opts;
  opts.strict_json = true;                       // field names quoted, in and out
  opts.skip_unexpected_fields_in_json = false;   // an unknown field is an error
  if (for_output) {
    opts.indent_step = -1;                       // one line
    opts.output_default_scalars_in_json = true;  // "replayed": false, not an absent field
  }
  auto parser = std::make_unique<fb::Parser>(opts);
  const std::string text(kWireSchemaText);
  if (!parser->Parse(text.c_str()) || !parser->SetRootType(root))
    throw std::logic_error("the embedded schemas/wire.fbs does not load: " + parser->error_);
  return parser;
}

fb::Parser& client_parser() {
  thread_local const std::unique_ptr<fb::Parser> parser = load_schema("ClientFrame", false);
  return *parser;
}

fb::Parser& server_printer() {
  thread_local const std::unique_ptr<fb::Parser> parser = load_schema("ServerFrame", true);
  return *parser;
}

// ---------------------------------------------------------------------------------------------
// UTF-8: client strings must be UTF-8 (JSON text is; a binary frame's may not be); strings the
// server sends are made UTF-8 (invalid bytes become U+FFFD) so the JSON text can always be made.

std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1Fu; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0Fu; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07u; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string as_utf8(std::string_view s) {
  if (valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inbound.

ProtocolError refuse(std::string_view code, std::string detail, std::string request_id = {}) {
  return ProtocolError{std::string(code), std::move(detail), std::move(request_id)};
}

std::string str(const fb::String* s) { return s ? s->str() : std::string(); }

/// Every string of a verified frame must be UTF-8 (the JSON parser passes raw bytes through, and a
/// binary frame may hold anything).
bool strings_ok(std::initializer_list<const fb::String*> strings) {
  for (const fb::String* s : strings)
    if (s && !valid_utf8(s->string_view())) return false;
  return true;
}

/// A string of a command that reaches the journal: identifiers are one line, notes and reasons
/// free text (gateway/text_checks.h); the engine checks the lengths.
struct TextField {
  const char* name;
  const fb::String* value;
  TextForm form;
};

std::optional<ProtocolError> texts_ok(std::initializer_list<TextField> fields) {
  for (const TextField& f : fields)
    if (f.value)
      if (std::string problem = text_problem(f.value->string_view(), f.form, std::numeric_limits<std::size_t>::max());
          !problem.empty())
        return refuse(to_string(GatewayCode::malformed_frame), std::string("field '") + f.name + "' " + problem);
  return std::nullopt;
}

template <typename T>
std::optional<ProtocolError> command_basics(const T* m, std::string& request_id) {
  request_id = str(m->request_id());
  if (request_id.empty())
    return refuse(engine::to_string(engine::Code::request_id_missing), "request_id is required (1..64 characters)");
  return std::nullopt;
}

template <typename Command, typename T>
ClientRequest offer_command(const T* m, const std::string& provider) {
  std::string request_id;
  if (!strings_ok({m->request_id(), m->location(), m->start_date(), m->notes()}))
    return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
  if (auto e = texts_ok({{"request_id", m->request_id(), TextForm::line},
                         {"location", m->location(), TextForm::line},
                         {"notes", m->notes(), TextForm::free}}))
    return *e;
  if (auto e = command_basics(m, request_id)) return *e;
  if (m->price() <= 0)
    return refuse(engine::to_string(engine::Code::price_not_positive),
                  "price " + std::to_string(m->price()) + " is not a positive number of pence", request_id);
  const std::string start = str(m->start_date());
  const auto date = engine::parse_date(start);
  if (!date)
    return refuse(engine::to_string(engine::Code::invalid_date),
                  "start_date must be a calendar date YYYY-MM-DD; got \"" + as_utf8(start.substr(0, 40)) + "\"",
                  request_id);
  Command c;
  c.provider = provider;
  c.location = str(m->location());
  c.request_id = std::move(request_id);
  c.package = m->package();
  c.price = m->price();
  c.start_date = *date;
  c.must_meet_confirmed = m->must_meet_confirmed();
  c.notes = str(m->notes());
  if (const auto* confirmed = m->confirmed_must_meet()) {
    for (const fb::String* item : *confirmed) {
      if (!strings_ok({item})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
      if (auto e = texts_ok({{"confirmed_must_meet", item, TextForm::line}})) return *e;
      c.confirmed_must_meet.push_back(item->str());
    }
  }
  return engine::Command{std::move(c)};
}

template <typename Command, typename T>
ClientRequest package_command(const T* m, const std::string& provider) {
  std::string request_id;
  if (!strings_ok({m->request_id(), m->location()})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
  if (auto e = texts_ok({{"request_id", m->request_id(), TextForm::line}, {"location", m->location(), TextForm::line}}))
    return *e;
  if (auto e = command_basics(m, request_id)) return *e;
  Command c;
  c.provider = provider;
  c.location = str(m->location());
  c.request_id = std::move(request_id);
  c.package = m->package();
  return engine::Command{std::move(c)};
}

template <typename Command, typename T>
ClientRequest reasoned_command(const T* m, const std::string& provider) {
  if (!strings_ok({m->reason()})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
  if (auto e = texts_ok({{"reason", m->reason(), TextForm::free}})) return *e;
  ClientRequest r = package_command<Command>(m, provider);
  if (auto* c = std::get_if<engine::Command>(&r)) std::get<Command>(*c).reason = str(m->reason());
  return r;
}

ClientRequest question_command(const w::AskQuestion* m, const std::string& provider) {
  if (!strings_ok({m->question()})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
  if (auto e = texts_ok({{"question", m->question(), TextForm::free}})) return *e;
  ClientRequest r = package_command<engine::AskQuestion>(m, provider);
  if (auto* c = std::get_if<engine::Command>(&r)) std::get<engine::AskQuestion>(*c).question = str(m->question());
  return r;
}

ClientRequest explain_command(const w::ExplainOffer* m, const std::string& provider) {
  if (!strings_ok({m->explanation()})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
  if (auto e = texts_ok({{"explanation", m->explanation(), TextForm::free}})) return *e;
  ClientRequest r = package_command<engine::ExplainOffer>(m, provider);
  if (auto* c = std::get_if<engine::Command>(&r)) std::get<engine::ExplainOffer>(*c).explanation = str(m->explanation());
  return r;
}

/// The shared path: a verified ClientFrame → a request. `bytes` is 8-byte aligned.
ClientRequest decode_verified(const std::uint8_t* bytes, std::size_t size, const std::string& provider) {
  if (size < 8) return refuse(to_string(GatewayCode::malformed_frame), "a binary frame is a FlatBuffer of at least 8 bytes");
  if (!fb::BufferHasIdentifier(bytes, kWireIdentifier.data()))
    return refuse(to_string(GatewayCode::malformed_frame), "not a carebroker wire frame (file identifier \"CBW1\" expected)");
  fb::Verifier::Options options;
  options.max_depth = 8;    // ClientFrame → message → strings
  options.max_tables = 16;  // a client frame has two tables
  fb::Verifier verifier(bytes, size, options);
  if (!w::VerifyClientFrameBuffer(verifier))
    return refuse(to_string(GatewayCode::malformed_frame), "the FlatBuffer does not verify against schemas/wire.fbs (ClientFrame)");
  const w::ClientFrame* frame = w::GetClientFrame(bytes);
  switch (frame->message_type()) {
    case w::ClientMessage::Hello: {
      const w::Hello* m = frame->message_as_Hello();
      if (!m) break;
      if (!strings_ok({m->token(), m->stream_epoch()})) return refuse(to_string(GatewayCode::malformed_frame), "strings must be UTF-8");
      return HelloRequest{str(m->token()), m->resume_after(), str(m->stream_epoch())};
    }
    case w::ClientMessage::PlaceOffer:
      if (const auto* m = frame->message_as_PlaceOffer()) return offer_command<engine::PlaceOffer>(m, provider);
      break;
    case w::ClientMessage::AmendOffer:
      if (const auto* m = frame->message_as_AmendOffer()) return offer_command<engine::AmendOffer>(m, provider);
      break;
    case w::ClientMessage::WithdrawOffer:
      if (const auto* m = frame->message_as_WithdrawOffer()) return package_command<engine::WithdrawOffer>(m, provider);
      break;
    case w::ClientMessage::AcceptAward:
      if (const auto* m = frame->message_as_AcceptAward()) return package_command<engine::AcceptAward>(m, provider);
      break;
    case w::ClientMessage::DeclineAward:
      if (const auto* m = frame->message_as_DeclineAward()) return reasoned_command<engine::DeclineAward>(m, provider);
      break;
    case w::ClientMessage::HandBack:
      if (const auto* m = frame->message_as_HandBack()) return reasoned_command<engine::HandBackPackage>(m, provider);
      break;
    case w::ClientMessage::Ping:
      if (const auto* m = frame->message_as_Ping()) return PingRequest{m->nonce()};
      break;
    case w::ClientMessage::ExplainOffer:
      if (const auto* m = frame->message_as_ExplainOffer()) return explain_command(m, provider);
      break;
    case w::ClientMessage::AcceptVariation:
      if (const auto* m = frame->message_as_AcceptVariation()) return package_command<engine::AcceptVariation>(m, provider);
      break;
    case w::ClientMessage::AskQuestion:
      if (const auto* m = frame->message_as_AskQuestion()) return question_command(m, provider);
      break;
    case w::ClientMessage::NONE:
      return refuse(to_string(GatewayCode::malformed_frame), "the frame carries no message (message_type and message are required)");
  }
  // A union type this server does not know (the Verifier lets future members through), or a
  // type with no table.
  return refuse(to_string(GatewayCode::malformed_frame), "unknown or empty message type " +
                                            std::to_string(static_cast<int>(frame->message_type())));
}

/// The Verifier checks alignment relative to the buffer's start, and accessors read scalars in
/// place, so the buffer itself must be 8-byte aligned (a WebSocket library's buffer need not be).
ClientRequest decode_bytes(std::string_view bytes, const std::string& provider) {
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::uint64_t) == 0)
    return decode_verified(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), provider);
  thread_local std::vector<std::uint64_t> aligned;
  aligned.assign((bytes.size() + 7) / 8, 0);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  return decode_verified(reinterpret_cast<const std::uint8_t*>(aligned.data()), bytes.size(), provider);
}

// ---------------------------------------------------------------------------------------------
// Outbound.

constexpr std::size_t kInitialBuilderBytes = 512;

template <typename Build>
Outbound finish(w::ServerMessage type, fb::FlatBufferBuilder& b, Build message) {
  const auto frame = w::CreateServerFrame(b, type, message.Union());
  b.Finish(frame, kWireIdentifier.data());
  return Outbound(new OutboundMessage(b.Release()));
}

fb::Offset<fb::String> text(fb::FlatBufferBuilder& b, std::string_view s) { return b.CreateString(as_utf8(s)); }

fb::Offset<fb::Vector<fb::Offset<fb::String>>> texts(fb::FlatBufferBuilder& b, const std::vector<std::string>& list) {
  std::vector<fb::Offset<fb::String>> items;
  items.reserve(list.size());
  for (const auto& s : list) items.push_back(text(b, s));
  return b.CreateVector(items);
}

std::string date_text(engine::Date d) { return d == 0 ? std::string() : engine::format_date(d); }

fb::Offset<w::Clarification> clarification_table(fb::FlatBufferBuilder& b, const engine::AnsweredQuestion& q) {
  const auto question = text(b, q.question), answer = text(b, q.answer);
  return w::CreateClarification(b, q.number, question, answer);
}

fb::Offset<w::PackageBroadcast> broadcast_table(fb::FlatBufferBuilder& b, const engine::BroadcastView& v,
                                                fb::Offset<fb::String> loc) {
  const auto dps = text(b, v.dps), lot = text(b, v.lot), zone = text(b, v.zone),
             district = text(b, v.postcode_district), start = text(b, date_text(v.start_date)),
             latest = text(b, date_text(v.latest_start)), tier = text(b, v.tier);
  const auto categories = texts(b, v.categories), needs = texts(b, v.needs), outcomes = texts(b, v.outcomes),
             must_meet = texts(b, v.must_meet);
  // The fields appended for home-care orders are written only when they hold something, so a
  // view without them encodes to the bytes it always did (tests/addressed_broadcast_test.cpp).
  fb::Offset<fb::Vector<fb::Offset<w::Call>>> calls;
  if (!v.schedule.empty()) {
    std::vector<fb::Offset<w::Call>> call_list;
    call_list.reserve(v.schedule.size());
    for (const auto& c : v.schedule) {
      const auto at = text(b, engine::format_minute_of_day(c.start_minute));
      call_list.push_back(w::CreateCall(b, static_cast<w::Weekday>(c.weekday), at, c.minutes, c.carers));
    }
    calls = b.CreateVector(call_list);
  }
  fb::Offset<fb::Vector<fb::Offset<w::FundingShare>>> funding;
  if (!v.funding.empty()) {
    std::vector<fb::Offset<w::FundingShare>> share_list;
    for (const auto& f : v.funding)
      share_list.push_back(w::CreateFundingShare(b, static_cast<w::Funder>(f.funder), f.percent));
    funding = b.CreateVector(share_list);
  }
  const fb::Offset<w::WeeklyMinutes> weekly =
      v.carer_minutes == 0 ? fb::Offset<w::WeeklyMinutes>() : w::CreateWeeklyMinutes(b, v.carer_minutes, v.person_minutes);
  const fb::Offset<fb::String> end_date = v.end_date == 0 ? fb::Offset<fb::String>() : text(b, date_text(v.end_date));
  // Amendments and clarifications likewise: only a package that has them carries them.
  const fb::Offset<w::Amendment> amendment =
      v.amendments == 0 ? fb::Offset<w::Amendment>()
                        : w::CreateAmendment(b, v.amendments, text(b, v.amendment_notes), v.amended_at);
  fb::Offset<fb::Vector<fb::Offset<w::Clarification>>> clarifications;
  if (!v.clarifications.empty()) {
    std::vector<fb::Offset<w::Clarification>> list;
    list.reserve(v.clarifications.size());
    for (const auto& q : v.clarifications) list.push_back(clarification_table(b, q));
    clarifications = b.CreateVector(list);
  }
  w::PackageBroadcastBuilder t(b);
  t.add_location(loc);
  t.add_package(v.package);
  t.add_dps(dps);
  t.add_lot(lot);
  t.add_categories(categories);
  t.add_zone(zone);
  t.add_postcode_district(district);
  t.add_unit(static_cast<w::Unit>(v.unit));
  t.add_quantity(v.quantity);
  t.add_visits_per_day(v.visits.visits_per_day);
  t.add_minutes_per_visit(v.visits.minutes_per_visit);
  t.add_days_per_week(v.visits.days_per_week);
  t.add_double_handed(v.double_handed);
  t.add_start_date(start);
  t.add_latest_start(latest);
  t.add_needs(needs);
  t.add_outcomes(outcomes);
  t.add_must_meet(must_meet);
  t.add_urgency(static_cast<w::Urgency>(v.urgency));
  t.add_funder(static_cast<w::Funder>(v.funder));
  t.add_price_ceiling(v.price_ceiling);
  t.add_tier(tier);
  t.add_closes_at(v.closes_at);
  if (!calls.IsNull()) t.add_schedule(calls);
  if (!end_date.IsNull()) t.add_end_date(end_date);
  if (!weekly.IsNull()) t.add_weekly_minutes(weekly);
  if (!funding.IsNull()) t.add_funding(funding);
  if (!amendment.IsNull()) t.add_amendment(amendment);
  if (!clarifications.IsNull()) t.add_clarifications(clarifications);
  return t.Finish();
}

fb::Offset<w::PackageUpdate> update_table(fb::FlatBufferBuilder& b, const StandingUpdate& u) {
  const auto loc = text(b, u.location), reason = text(b, u.reason);
  const double score = u.own_score && std::isfinite(*u.own_score) ? *u.own_score : 0.0;
  return w::CreatePackageUpdate(b, loc, u.package, static_cast<w::Standing>(u.standing), u.own_rank.value_or(0),
                                score, u.closes_at, reason);
}

// The wire enums mirror the engine's, value for value.
static_assert(static_cast<int>(w::Unit::sessions) == static_cast<int>(engine::Unit::sessions));
static_assert(static_cast<int>(w::Urgency::planned) == static_cast<int>(engine::Urgency::planned));
static_assert(static_cast<int>(w::Funder::self_funder) == static_cast<int>(engine::Funder::self_funder));
static_assert(static_cast<int>(w::Weekday::sunday) == 6 && static_cast<int>(w::Weekday::MAX) == 6);
static_assert(static_cast<int>(w::Standing::closed) == static_cast<int>(engine::ProviderStanding::closed));
static_assert(static_cast<int>(w::Standing::awarded_elsewhere) ==
              static_cast<int>(engine::ProviderStanding::awarded_elsewhere));

}  // namespace

// ---------------------------------------------------------------------------------------------

ClientRequest decode_client_frame(std::string_view frame, bool binary, const std::string& provider) {
  if (frame.size() > kMaxClientFrame)
    return refuse(to_string(GatewayCode::frame_too_large), "frames are limited to " + std::to_string(kMaxClientFrame) + " bytes; got " +
                                              std::to_string(frame.size()));
  if (frame.empty()) return refuse(to_string(GatewayCode::malformed_frame), "empty frame");
  if (binary) return decode_bytes(frame, provider);
  const std::size_t first = frame.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || frame[first] != '{')
    return refuse(to_string(GatewayCode::malformed_frame), "a text frame is one JSON object of schemas/wire.fbs (ClientFrame)");
  if (frame.find('\0') != std::string_view::npos) return refuse(to_string(GatewayCode::malformed_frame), "NUL byte in a text frame");
  fb::Parser& parser = client_parser();
  // Strict JSON checked against the schema first (strict_json.h); FlatBuffers then parses the
  // canonical text of what was checked, so both parsers read the same bytes.
  auto canonical = canonical_client_json(frame, parser);
  if (auto* e = std::get_if<ProtocolError>(&canonical)) return std::move(*e);
  const std::string& terminated = std::get<std::string>(canonical);  // NUL-terminated, as the parser wants
  if (!parser.ParseJson(terminated.c_str())) {
    std::string why = parser.error_;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return refuse(to_string(GatewayCode::malformed_frame), "invalid JSON for schemas/wire.fbs ClientFrame: " + as_utf8(why));
  }
  // The same verified path as a binary frame: the parser's FlatBuffer is checked, not trusted.
  return decode_bytes({reinterpret_cast<const char*>(parser.builder_.GetBufferPointer()), parser.builder_.GetSize()},
                      provider);
}

std::string_view wire_schema_text() { return kWireSchemaText; }

std::string_view request_id_of(const engine::Command& command) {
  return std::visit(
      [](const auto& c) -> std::string_view {
        if constexpr (requires { c.request_id; })
          return c.request_id;
        else
          return {};
      },
      command);
}

// ---------------------------------------------------------------------------------------------

OutboundMessage::OutboundMessage(fb::DetachedBuffer buffer) : bytes_(buffer.data(), buffer.data() + buffer.size()) {}

OutboundMessage::~OutboundMessage() { delete json_.load(std::memory_order_acquire); }

/// A location id as an addressed broadcast carries it: the FlatBuffers string object (its
/// length, its bytes, a NUL, then seven NULs of which the message uses what pads the buffer to a
/// multiple of 8), and the JSON string content.
struct OutboundMessage::EncodedLocation {
  std::string binary;
  std::size_t unpadded = 0;
  std::string json;
};

const OutboundMessage::EncodedLocation* OutboundMessage::intern_location(std::string_view location) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<const EncodedLocation>> interned;
  std::lock_guard lock(mutex);
  auto& slot = interned[std::string(location)];
  if (!slot) {
    auto e = std::make_unique<EncodedLocation>();
    const std::string text = as_utf8(location);
    const auto length = static_cast<std::uint32_t>(text.size());
    for (int i = 0; i < 4; ++i) e->binary.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
    e->binary += text;
    e->binary.push_back('\0');
    e->unpadded = e->binary.size();
    e->binary.append(7, '\0');
    for (const char c : text) {
      if (c == '"' || c == '\\') e->json.push_back('\\');
      e->json.push_back(c);
    }
    slot = std::move(e);
  }
  return slot.get();
}

const OutboundMessage::JsonText& OutboundMessage::json() const {
  if (const JsonText* built = json_.load(std::memory_order_acquire)) return *built;
  auto made = std::make_unique<JsonText>();
  if (!fb::GenerateText(server_printer(), bytes_.data(), &made->text))
    // Unreachable: every string the builders write is UTF-8. Never send half a JSON text.
    made->text = R"({"message_type":"Error","message":{"code":"internal","detail":"frame not printable"}})";
  if (slot_ != 0) {  // the location is the first field printed: its first occurrence
    made->slot = made->text.find(kLocationPlaceholder);
    made->slot_size = kLocationPlaceholder.size();
  }
  const JsonText* expected = nullptr;
  if (json_.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel, std::memory_order_acquire))
    return *made.release();
  return *expected;  // another thread built it first: ours is freed
}

std::string_view OutboundMessage::body(bool binary) const {
  if (binary) return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  return json().text;
}

std::array<std::string_view, 3> OutboundMessage::addressed_parts(bool binary, const EncodedLocation& location) const {
  if (binary) {
    // The location's string object, padded so that the whole buffer (the shared bytes before the
    // slot, then these) stays a multiple of 8 bytes.
    const std::size_t padded = (slot_ + location.unpadded + 7) / 8 * 8 - slot_;
    return {std::string_view(reinterpret_cast<const char*>(bytes_.data()), slot_),
            std::string_view(location.binary).substr(0, padded), {}};
  }
  const JsonText& j = json();
  const std::string_view all(j.text);
  return {all.substr(0, j.slot), location.json, all.substr(j.slot + j.slot_size)};
}

std::string_view OutboundMessage::type_name() const {
  const auto* frame = fb::GetRoot<w::ServerFrame>(bytes_.data());
  return w::EnumNameServerMessage(frame->message_type());
}

// ---------------------------------------------------------------------------------------------

Outbound make_welcome(const std::string& provider, const std::vector<std::string>& locations,
                      const std::string& stream_epoch, bool resumed, std::uint64_t last_seq, std::string_view role) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto p = text(b, provider);
  const auto l = texts(b, locations);
  const auto e = text(b, stream_epoch);
  const auto r = text(b, role);
  return finish(w::ServerMessage::Welcome, b, w::CreateWelcome(b, p, l, e, resumed, last_seq, r));
}

Outbound make_ack(const std::string& request_id, engine::PackageId package, bool replayed) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto r = text(b, request_id);
  return finish(w::ServerMessage::Ack, b, w::CreateAck(b, r, package, replayed));
}

Outbound make_error(std::string_view code, std::string_view detail, std::string_view request_id) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto r = text(b, request_id), c = text(b, code), d = text(b, detail);
  return finish(w::ServerMessage::Error, b, w::CreateError(b, r, c, d));
}

Outbound make_error(const ProtocolError& error) { return make_error(error.code, error.detail, error.request_id); }

Outbound make_broadcast(const engine::BroadcastView& view, const std::string& location) {
  fb::FlatBufferBuilder b(1024);
  const auto loc = text(b, location);
  return finish(w::ServerMessage::PackageBroadcast, b, broadcast_table(b, view, loc));
}

Outbound make_shared_broadcast(const engine::BroadcastView& view) {
  fb::FlatBufferBuilder b(1024);
  // Created first, so it is the last object of the finished buffer: each recipient's frame is
  // the shared bytes before it and that recipient's own location in its place.
  const auto loc = b.CreateString(kLocationPlaceholder.data(), kLocationPlaceholder.size());
  Outbound base = finish(w::ServerMessage::PackageBroadcast, b, broadcast_table(b, view, loc));
  const auto* data = base->bytes_.data();
  const auto* placeholder = fb::GetRoot<w::ServerFrame>(data)->message_as_PackageBroadcast()->location();
  base->slot_ = static_cast<std::size_t>(reinterpret_cast<const std::uint8_t*>(placeholder) - data);
  const std::size_t string_end = base->slot_ + 4 + kLocationPlaceholder.size() + 1;
  if (base->slot_ == 0 || string_end > base->bytes_.size() || base->bytes_.size() - string_end >= 8)
    throw std::logic_error("the shared broadcast's location is not the last object of its buffer");
  return base;
}

Outbound make_update(const StandingUpdate& update) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  return finish(w::ServerMessage::PackageUpdate, b, update_table(b, update));
}

Outbound make_award_offered(const std::string& location, engine::PackageId package, engine::UtcMillis expires_at) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto l = text(b, location);
  return finish(w::ServerMessage::AwardOffered, b, w::CreateAwardOffered(b, l, package, expires_at));
}

Outbound make_explanation_requested(const std::string& location, engine::PackageId package, engine::Pence price,
                                    engine::Pence fair_cost, int threshold_pct) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto l = text(b, location);
  return finish(w::ServerMessage::ExplanationRequested, b,
                w::CreateExplanationRequested(b, l, package, price, fair_cost, threshold_pct));
}

Outbound make_abnormally_low_decision(const std::string& location, engine::PackageId package, bool accepted,
                                      std::string_view detail) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto l = text(b, location), d = text(b, detail);
  return finish(w::ServerMessage::AbnormallyLowDecision, b, w::CreateAbnormallyLowDecision(b, l, package, accepted, d));
}

Outbound make_clarification_answered(const std::string& location, engine::PackageId package,
                                     const engine::AnsweredQuestion& answered) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto l = text(b, location);
  const auto q = clarification_table(b, answered);
  return finish(w::ServerMessage::ClarificationAnswered, b, w::CreateClarificationAnswered(b, l, package, q));
}

Outbound make_person_details(const std::string& location, engine::PackageId package,
                             const person::ReleasedPerson& released) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const engine::PersonDetails& details = released.details;  // empty unless available
  const auto l = text(b, location), name = text(b, details.name), address = text(b, details.address),
             postcode = text(b, details.postcode), ref = text(b, details.case_reference),
             status = text(b, person::to_string(released.status));
  return finish(w::ServerMessage::PersonDetails, b,
                w::CreatePersonDetails(b, l, package, name, address, postcode, ref, status));
}

Outbound make_snapshot(const std::vector<LocatedBroadcast>& packages, const std::vector<StandingUpdate>& updates,
                       std::uint32_t page, std::uint32_t pages) {
  fb::FlatBufferBuilder b(1024 + 700 * packages.size());
  std::vector<fb::Offset<w::PackageBroadcast>> broadcasts;
  broadcasts.reserve(packages.size());
  for (const auto& p : packages) broadcasts.push_back(broadcast_table(b, p.view, text(b, p.location)));
  std::vector<fb::Offset<w::PackageUpdate>> standing;
  standing.reserve(updates.size());
  for (const auto& u : updates) standing.push_back(update_table(b, u));
  const auto pv = b.CreateVector(broadcasts);
  const auto uv = b.CreateVector(standing);
  return finish(w::ServerMessage::Snapshot, b, w::CreateSnapshot(b, pv, uv, page, pages));
}

namespace {
/// About how many bytes a package takes in a snapshot page (its strings plus the fixed fields).
std::size_t estimated_bytes(const LocatedBroadcast& p) {
  const engine::BroadcastView& v = p.view;
  std::size_t n = 256 + p.location.size() + v.dps.size() + v.lot.size() + v.zone.size() + v.postcode_district.size() +
                  v.tier.size();
  for (const auto* list : {&v.categories, &v.needs, &v.outcomes, &v.must_meet})
    for (const auto& s : *list) n += s.size() + 8;
  n += 32 * v.schedule.size() + 16 * v.funding.size();
  return n;
}
}  // namespace

std::vector<Outbound> make_snapshot_pages(const std::vector<LocatedBroadcast>& packages,
                                          const std::vector<StandingUpdate>& updates, std::size_t per_page) {
  per_page = std::max<std::size_t>(per_page, 1);
  // Where each page starts: at most per_page packages and about kSnapshotPageBytes a page (a
  // package larger than that has a page of its own).
  std::vector<std::size_t> starts{0};
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const std::size_t n = estimated_bytes(packages[i]);
    if (i > starts.back() && (i - starts.back() == per_page || bytes + n > kSnapshotPageBytes)) {
      starts.push_back(i);
      bytes = 0;
    }
    bytes += n;
  }
  const auto pages = static_cast<std::uint32_t>(starts.size());
  std::vector<Outbound> out;
  out.reserve(pages);
  for (std::uint32_t page = 0; page < pages; ++page) {
    const std::size_t from = starts[page];
    const std::size_t to = page + 1 < pages ? starts[page + 1] : std::max(packages.size(), updates.size());
    const auto slice = [&](const auto& all) {
      const std::size_t a = std::min(from, all.size()), b = std::min(to, all.size());
      return std::vector(all.begin() + static_cast<std::ptrdiff_t>(a), all.begin() + static_cast<std::ptrdiff_t>(b));
    };
    out.push_back(make_snapshot(slice(packages), slice(updates), page + 1, pages));
  }
  return out;
}

Outbound make_pong(std::uint64_t nonce) {
  fb::FlatBufferBuilder b(64);
  return finish(w::ServerMessage::Pong, b, w::CreatePong(b, nonce));
}

Outbound make_reply_batch(const std::vector<CommandReply>& replies) {
  fb::FlatBufferBuilder b(256 + 96 * replies.size());
  std::vector<fb::Offset<w::Ack>> acks;
  std::vector<fb::Offset<w::Error>> errors;
  for (const CommandReply& r : replies) {
    if (r.ok) {
      const auto id = text(b, r.request_id);
      acks.push_back(w::CreateAck(b, id, r.package, r.replayed));
    } else {
      const auto id = text(b, r.request_id), code = text(b, r.code), detail = text(b, r.detail);
      errors.push_back(w::CreateError(b, id, code, detail));
    }
  }
  const auto av = b.CreateVector(acks);
  const auto ev = b.CreateVector(errors);
  return finish(w::ServerMessage::Replies, b, w::CreateReplies(b, av, ev));
}

Outbound make_package_changed(engine::PackageId package, std::string_view status, std::string_view what,
                              std::uint32_t offers) {
  fb::FlatBufferBuilder b(kInitialBuilderBytes);
  const auto s = text(b, status), w_ = text(b, what);
  return finish(w::ServerMessage::PackageChanged, b, w::CreatePackageChanged(b, package, s, w_, offers));
}

}  // namespace carebroker::gateway::protocol
