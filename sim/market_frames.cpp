// Provider-protocol frames in both encodings (market_frames.h).
#include "sim/market_frames.h"

#include <boost/json.hpp>

#include "schemas/wire_generated.h"

namespace carebroker::sim {

namespace json = boost::json;

namespace {

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

std::string finish(flatbuffers::FlatBufferBuilder& b, wire::ClientMessage type, flatbuffers::Offset<void> body) {
  b.Finish(wire::CreateClientFrame(b, type, body), "CBW1");
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::string json_frame(const char* type, json::object message) {
  return json::serialize(json::object{{"message_type", type}, {"message", std::move(message)}});
}

Inbound from_binary(std::string_view data) {
  Inbound in;
  if (data.size() < 8) {
    in.kind = Inbound::Kind::malformed;
    in.error_detail = "a frame shorter than its 8-byte prefix";
    return in;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data()) + 8;
  flatbuffers::Verifier verifier(bytes, data.size() - 8, 64, 10'000'000);
  if (!verifier.VerifyBuffer<wire::ServerFrame>("CBW1")) {
    in.kind = Inbound::Kind::malformed;
    in.error_detail = "a frame that fails the Verifier";
    return in;
  }
  const auto* frame = flatbuffers::GetRoot<wire::ServerFrame>(bytes);
  switch (frame->message_type()) {
    case wire::ServerMessage::Welcome: in.kind = Inbound::Kind::welcome; break;
    case wire::ServerMessage::Snapshot: {
      const auto* s = frame->message_as_Snapshot();
      in.kind = s->page() >= s->pages() ? Inbound::Kind::snapshot_done : Inbound::Kind::snapshot_page;
      break;
    }
    case wire::ServerMessage::PackageBroadcast: {
      const auto* p = frame->message_as_PackageBroadcast();
      in.kind = Inbound::Kind::broadcast;
      in.package = p->package();
      in.location = str(p->location());
      in.tier = str(p->tier());
      in.start_date = str(p->start_date());
      in.quantity = p->quantity();
      in.closes_at = p->closes_at();
      if (p->must_meet())
        for (const auto* m : *p->must_meet()) in.must_meet.push_back(m->str());
      break;
    }
    case wire::ServerMessage::AwardOffered: {
      const auto* a = frame->message_as_AwardOffered();
      in.kind = Inbound::Kind::award_offered;
      in.package = a->package();
      in.location = str(a->location());
      in.closes_at = a->expires_at();
      break;
    }
    case wire::ServerMessage::Ack:
      in.kind = Inbound::Kind::replies;
      in.acked.push_back(str(frame->message_as_Ack()->request_id()));
      break;
    case wire::ServerMessage::Error: {
      const auto* e = frame->message_as_Error();
      in.kind = Inbound::Kind::replies;
      in.refused.emplace_back(str(e->request_id()), str(e->code()));
      in.error_detail = str(e->detail());
      break;
    }
    case wire::ServerMessage::Replies: {
      const auto* r = frame->message_as_Replies();
      in.kind = Inbound::Kind::replies;
      if (r->acks())
        for (const auto* a : *r->acks()) in.acked.push_back(str(a->request_id()));
      if (r->errors())
        for (const auto* e : *r->errors()) in.refused.emplace_back(str(e->request_id()), str(e->code()));
      break;
    }
    case wire::ServerMessage::PackageChanged: {
      const auto* c = frame->message_as_PackageChanged();
      in.kind = Inbound::Kind::package_changed;
      in.package = c->package();
      in.status = str(c->status());
      in.what = str(c->what());
      break;
    }
    default: break;
  }
  return in;
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
std::int64_t number(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return 0;
}

Inbound from_json(std::string_view data) {
  Inbound in;
  boost::system::error_code ec;
  const json::value v = json::parse(data, ec);
  const json::object* frame = nullptr;
  if (!ec && v.is_object())
    if (const auto* f = v.as_object().if_contains("frame"); f && f->is_object()) frame = &f->as_object();
  const json::object* m = nullptr;
  if (frame)
    if (const auto* mm = frame->if_contains("message"); mm && mm->is_object()) m = &mm->as_object();
  if (!frame || !m) {
    in.kind = Inbound::Kind::malformed;
    in.error_detail = "a JSON frame without frame.message";
    return in;
  }
  const std::string type = text(*frame, "message_type");
  auto replies_from = [&](const json::object& r) {
    if (const auto* acks = r.if_contains("acks"); acks && acks->is_array())
      for (const auto& a : acks->as_array())
        if (a.is_object()) in.acked.push_back(text(a.as_object(), "request_id"));
    if (const auto* errors = r.if_contains("errors"); errors && errors->is_array())
      for (const auto& e : errors->as_array())
        if (e.is_object()) in.refused.emplace_back(text(e.as_object(), "request_id"), text(e.as_object(), "code"));
  };
  if (type == "Welcome") in.kind = Inbound::Kind::welcome;
  else if (type == "Snapshot") {
    const auto page = number(*m, "page"), pages = number(*m, "pages");
    in.kind = page >= pages ? Inbound::Kind::snapshot_done : Inbound::Kind::snapshot_page;
  } else if (type == "PackageBroadcast") {
    in.kind = Inbound::Kind::broadcast;
    in.package = static_cast<std::uint64_t>(number(*m, "package"));
    in.location = text(*m, "location");
    in.tier = text(*m, "tier");
    in.start_date = text(*m, "start_date");
    in.quantity = number(*m, "quantity");
    in.closes_at = number(*m, "closes_at");
    if (const auto* mm = m->if_contains("must_meet"); mm && mm->is_array())
      for (const auto& s : mm->as_array())
        if (s.is_string()) in.must_meet.emplace_back(s.as_string());
  } else if (type == "AwardOffered") {
    in.kind = Inbound::Kind::award_offered;
    in.package = static_cast<std::uint64_t>(number(*m, "package"));
    in.location = text(*m, "location");
    in.closes_at = number(*m, "expires_at");
  } else if (type == "Ack") {
    in.kind = Inbound::Kind::replies;
    in.acked.push_back(text(*m, "request_id"));
  } else if (type == "Error") {
    in.kind = Inbound::Kind::replies;
    in.refused.emplace_back(text(*m, "request_id"), text(*m, "code"));
    in.error_detail = text(*m, "detail");
  } else if (type == "Replies") {
    in.kind = Inbound::Kind::replies;
    replies_from(*m);
  } else if (type == "PackageChanged") {
    in.kind = Inbound::Kind::package_changed;
    in.package = static_cast<std::uint64_t>(number(*m, "package"));
    in.status = text(*m, "status");
    in.what = text(*m, "what");
  }
  return in;
}

}  // namespace

Inbound read_server_frame(std::string_view data, bool binary) { return binary ? from_binary(data) : from_json(data); }

std::string hello(Encoding e, const std::string& token) {
  if (e == Encoding::json) return json_frame("Hello", {{"token", token}});
  flatbuffers::FlatBufferBuilder b;
  return finish(b, wire::ClientMessage::Hello, wire::CreateHelloDirect(b, token.c_str(), 0, "").Union());
}

std::string place_offer(Encoding e, const std::string& request_id, const std::string& location, std::uint64_t package,
                        std::int64_t price, const std::string& start_date, const std::vector<std::string>& must_meet) {
  if (e == Encoding::json) {
    json::array confirmed;
    for (const auto& m : must_meet) confirmed.emplace_back(m);
    return json_frame("PlaceOffer", {{"request_id", request_id},
                                     {"location", location},
                                     {"package", package},
                                     {"price", price},
                                     {"start_date", start_date},
                                     {"confirmed_must_meet", std::move(confirmed)}});
  }
  flatbuffers::FlatBufferBuilder b(256);
  std::vector<flatbuffers::Offset<flatbuffers::String>> confirmed;
  for (const auto& m : must_meet) confirmed.push_back(b.CreateString(m));
  auto body = wire::CreatePlaceOfferDirect(b, request_id.c_str(), location.c_str(), package, price, start_date.c_str(),
                                           false, "", &confirmed);
  return finish(b, wire::ClientMessage::PlaceOffer, body.Union());
}

std::string answer_award(Encoding e, bool accept, const std::string& request_id, const std::string& location,
                         std::uint64_t package) {
  if (e == Encoding::json) {
    json::object m{{"request_id", request_id}, {"location", location}, {"package", package}};
    if (!accept) m["reason"] = "no carers free in the area";
    return json_frame(accept ? "AcceptAward" : "DeclineAward", std::move(m));
  }
  flatbuffers::FlatBufferBuilder b(128);
  if (accept)
    return finish(b, wire::ClientMessage::AcceptAward,
                  wire::CreateAcceptAwardDirect(b, request_id.c_str(), location.c_str(), package).Union());
  return finish(b, wire::ClientMessage::DeclineAward,
                wire::CreateDeclineAwardDirect(b, request_id.c_str(), location.c_str(), package, "no carers free in the area")
                    .Union());
}

}  // namespace carebroker::sim
