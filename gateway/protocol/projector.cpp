// Who hears what: the market's events → each provider's notifications (projector.h).
#include "gateway/protocol/projector.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/market/overloaded.h"

namespace carebroker::gateway::protocol {
namespace {

using engine::LocationIndex;
using engine::overloaded;
using engine::PackageId;
using engine::ProviderStanding;

PackageId package_of(const engine::Event& event) {
  return std::visit(
      [](const auto& e) -> PackageId {
        if constexpr (requires { e.package; })
          return e.package;
        else
          return 0;
      },
      event);
}

/// The name of the tier a package's step broadcasts to ("all" when the DPS broadcasts at once).
std::string tier_name(const engine::Market& market, const engine::Package& p, int step) {
  if (p.route_tiers.empty()) return "all";
  const std::size_t at = std::min<std::size_t>(static_cast<std::size_t>(std::max(step, 0)), p.route_tiers.size() - 1);
  return market.dps(p.dps).tiers[p.route_tiers[at]];
}

/// What a tier's invited are told when it ends without a placement (PackageUpdate's reason,
/// words kept from before the reason was an enum): only "no acceptable offer" is told apart.
std::string_view tier_end_notice(engine::TierEndReason reason) {
  switch (reason) {
    case engine::TierEndReason::no_acceptable_offer: return "no acceptable offer";
    case engine::TierEndReason::no_eligible_location:
    case engine::TierEndReason::every_acceptable_offer_declined:
    case engine::TierEndReason::unexpected_deadline: return "cascaded";
  }
  return "cascaded";
}

}  // namespace

/// One batch's projection: each event with the market exactly as it left it.
class Projector::Batch {
 public:
  Batch(std::uint64_t batch, const person::PersonKeys& keys) : batch_(batch), keys_(keys) {}

  void on_event(const engine::Event& event, const engine::Market& market) {
    market_ = &market;
    std::visit([this](const auto& e) { on(e); }, event);
  }

  Notifications take() { return std::move(out_); }

 private:
  // ---- events that tell providers something ----

  void on(const engine::TierOpened& e) {
    const engine::Package* p = live(e.package);
    if (!p) return;
    // The package's description is fixed at posting; the tier and the window are this step's.
    engine::BroadcastView view = market().broadcast_view(*p);
    view.tier = tier_name(market(), *p, e.step);
    view.closes_at = e.closes_at;
    // Encoded once; each invited location receives the shared body addressed to it, which costs
    // no allocation (message_ref.h).
    const Outbound shared = make_shared_broadcast(view);
    shared->set_batch(batch_);
    for (LocationIndex l : *e.invited) notify(l, MessageRef::addressed(shared, location_id(l)));
  }

  void on(const engine::ShortlistFormed& e) {
    for (const auto& entry : e.shortlist)
      update(entry.location, e.package, ProviderStanding::best_and_final, e.closes_at,
             "shortlisted: you may improve your offer once", entry.rank);
  }

  void on(const engine::WindowClosed& e) {
    for (LocationIndex l : invited(e.package))
      update(l, e.package, ProviderStanding::closed_for_bidding, 0, "bidding closed; evaluation under way");
  }

  void on(const engine::TierEnded& e) {
    const std::string_view notice = tier_end_notice(e.reason);
    for (LocationIndex l : invited(e.package)) closed(l, e.package, std::string(notice));
  }

  void on(const engine::AwardOffered& e) {
    send(e.location, make_award_offered(location_id(e.location), e.package, e.expires_at));
  }

  void on(const engine::AwardDeclined& e) {
    update(e.location, e.package, ProviderStanding::closed, 0,
           e.timed_out ? "the award lapsed unanswered" : "you declined the award");
  }

  void on(const engine::AwardAccepted& e) {
    const engine::Package* p = live(e.package);
    if (!p) return;
    // Own rank and score after the award: the ranking of the offers this award came from.
    const engine::Ranking ranking = market().ranking(e.package, false);
    const auto own = [&](LocationIndex l, std::optional<int>& rank, std::optional<double>& score) {
      if (const engine::RankedOffer* r = ranking.find(l); r && r->acceptable) {
        rank = r->rank;
        score = r->score;
      }
    };
    {
      std::optional<int> rank;
      std::optional<double> score;
      own(e.location, rank, score);
      send(e.location, make_update({location_id(e.location), e.package, ProviderStanding::placed_with_you, rank,
                                    score, 0, "you accepted the award"}));
      if (const engine::SealedPerson* person = market().person(e.package))
        send(e.location, make_person_details(location_id(e.location), e.package, released(e.package, *person)));
    }
    for (LocationIndex l : *p->ever_invited) {
      if (l == e.location) continue;
      std::optional<int> rank;
      std::optional<double> score;
      own(l, rank, score);
      send(l, make_update({location_id(l), e.package, ProviderStanding::awarded_elsewhere, rank, score, 0,
                           "placed with another provider"}));
    }
  }

  void on(const engine::PackageCancelled& e) {
    for (LocationIndex l : invited(e.package)) closed(l, e.package, "cancelled");
  }
  void on(const engine::PackageUnsourced& e) {
    for (LocationIndex l : invited(e.package)) closed(l, e.package, "unsourced");
  }
  void on(const engine::PackageClosedForDirectPayment& e) {
    for (LocationIndex l : invited(e.package)) closed(l, e.package, "closed for a direct payment");
  }

  void on(const engine::PackageHeld& e) {
    for (LocationIndex l : invited(e.package))
      update(l, e.package, ProviderStanding::closed_for_bidding, 0, "on hold");
  }

  void on(const engine::PackageReleased& e) {
    const engine::Package* p = live(e.package);
    if (!p) return;
    if (p->held_from == engine::PackageStatus::best_and_final) {
      for (const auto& entry : p->shortlist)
        update(entry.location, e.package, ProviderStanding::best_and_final, e.closes_at, "released from hold",
               entry.rank);
      return;
    }
    for (LocationIndex l : p->invited) update(l, e.package, ProviderStanding::open, e.closes_at, "released from hold");
  }

  void on(const engine::PackageHandedBack& e) { closed(e.location, e.package, "handed back"); }

  /// An offer placed or amended under the abnormally-low threshold: its location is asked to
  /// explain (each time, as the price it is asked about may have changed).
  void on(const engine::OfferPlaced& e) {
    if (!e.abnormally_low) return;
    const engine::Package* p = live(e.package);
    if (!p) return;
    const engine::DpsConfig& config = market().dps(p->dps);
    send(e.location, make_explanation_requested(location_id(e.location), e.package, e.price,
                                                config.lots[p->lot].fair_cost, config.ranking.abnormally_low_pct));
  }

  /// The officer's decision, without the officer's own words.
  void on(const engine::AbnormallyLowDecided& e) {
    send(e.location, make_abnormally_low_decision(location_id(e.location), e.package, e.accepted,
                                                  e.accepted ? "explanation accepted: your offer stays in the ranking"
                                                             : "explanation rejected: your offer leaves the ranking"));
  }

  // Live placements: the placement's provider hears of its hand-back, a variation to answer,
  // and its placement's end. (The package that re-procures it is broadcast as any other.)
  void on(const engine::PlacementHandedBack& e) {
    update(e.location, e.package, ProviderStanding::placed_with_you, 0,
           "handed back: your placement continues until its replacement starts or the notice ends on " +
               engine::format_date(e.notice_ends));
  }
  void on(const engine::VariationProposed& e) {
    const engine::Placement* placement = market().find_placement(e.package);
    if (!placement) return;
    std::string what = "variation proposed: " + std::to_string(e.quantity) +
                       (placement->unit == engine::Unit::hours ? " minutes a week" : " a week");
    if (e.visits.visits_per_day > 0)
      what += " (" + std::to_string(e.visits.visits_per_day) + " visits a day of " +
              std::to_string(e.visits.minutes_per_visit) + " minutes, " + std::to_string(e.visits.days_per_week) +
              " days a week)";
    what += " from " + engine::format_date(e.effective) + ": " + e.reason + "; accept with AcceptVariation";
    update(placement->location, e.package, ProviderStanding::placed_with_you, 0, std::move(what));
  }
  void on(const engine::VariationSentToMarket& e) {
    if (const engine::Placement* placement = market().find_placement(e.package))
      update(placement->location, e.package, ProviderStanding::placed_with_you, 0,
             "the variation goes to market as package " + std::to_string(e.replacement) +
                 "; your placement continues until its placement starts");
  }
  void on(const engine::PlacementEnded& e) {
    if (const engine::Placement* placement = market().find_placement(e.package))
      closed(placement->location, e.package,
             "placement ended on " + engine::format_date(e.ended_on) + ": " + std::string(engine::to_string(e.reason)));
  }

  // During a mini-competition: an amendment is the amended package broadcast again to every
  // invited location, with a notice that asks those with an earlier offer to confirm it; an
  // answered question goes to every invited location, without who asked.
  void on(const engine::PackageAmended& e) {
    const engine::Package* p = live(e.package);
    if (!p) return;
    engine::BroadcastView view = market().broadcast_view(*p);
    const Outbound shared = make_shared_broadcast(view);
    shared->set_batch(batch_);
    const std::string notice = "amended (" + std::to_string(view.amendments) + "): " + e.notes;
    for (LocationIndex l : p->invited) {
      notify(l, MessageRef::addressed(shared, location_id(l)));
      const engine::Offer* offer = p->offer_of(l);
      update(l, e.package, ProviderStanding::open, p->closes_at,
             offer && !offer->withdrawn && engine::made_before_amendment(*p, *offer)
                 ? notice + "; your offer was made before this amendment: confirm it (AmendOffer, the same price "
                            "will do) or withdraw it"
                 : notice);
    }
  }
  void on(const engine::QuestionAnswered& e) {
    const engine::Package* p = live(e.package);
    if (!p) return;
    const engine::ClarificationQuestion& q = p->records->questions.at(static_cast<std::size_t>(e.question) - 1);
    const engine::AnsweredQuestion answered{e.question, q.question, q.answer};
    for (LocationIndex l : p->invited) send(l, make_clarification_answered(location_id(l), e.package, answered));
  }

  void on(const engine::PersonErased& e) {
    // The placed location holds the details: it is told they are erased, and to delete its copy.
    const engine::Package* p = live(e.package);
    if (!p || p->status != engine::PackageStatus::placed || !p->has_award) return;
    send(p->award_location, make_person_details(location_id(p->award_location), e.package,
                                                {person::PersonStatus::erased, {}}));
  }

  template <typename E>
  void on(const E&) {}  // nothing to tell anyone

  // ---- helpers ----

  const engine::Market& market() const { return *market_; }

  /// The person opened for release; a key lost or bytes altered is logged (never the details).
  person::ReleasedPerson released(PackageId id, const engine::SealedPerson& sealed) const {
    person::ReleasedPerson r = person::release(sealed, keys_);
    if (r.status == person::PersonStatus::key_missing || r.status == person::PersonStatus::tampered)
      std::fprintf(stderr, "carebroker: the person of package %llu cannot be released: %s\n",
                   static_cast<unsigned long long>(id), std::string(person::to_string(r.status)).c_str());
    return r;
  }

  /// The package, unless it left memory (retired): nothing more is said about it then.
  const engine::Package* live(PackageId id) const {
    const engine::Package* p = market().find_package(id);
    return p && !p->retired ? p : nullptr;
  }

  /// Who is invited to the package's current step, as of this event.
  const std::vector<LocationIndex>& invited(PackageId id) const {
    static const std::vector<LocationIndex> kNobody;
    const engine::Package* p = live(id);
    return p ? p->invited : kNobody;
  }

  const std::string& location_id(LocationIndex l) const { return market().location(l).id; }

  void send(LocationIndex l, Outbound message) {
    message->set_batch(batch_);
    notify(l, std::move(message));
  }

  /// REQUIRES: the message is stamped with this batch.
  void notify(LocationIndex l, MessageRef message) {
    out_.push_back({market().location(l).provider_id, std::move(message)});
  }

  void update(LocationIndex l, PackageId package, ProviderStanding standing, engine::UtcMillis closes_at,
              std::string reason, std::optional<int> rank = std::nullopt) {
    send(l, make_update({location_id(l), package, standing, rank, std::nullopt, closes_at, std::move(reason)}));
  }

  /// "closed", at most once per location and package in a batch (a tier ending and the package
  /// becoming unsourced are one piece of news).
  void closed(LocationIndex l, PackageId package, std::string reason) {
    if (!closed_sent_.insert({package, l}).second) return;
    update(l, package, ProviderStanding::closed, 0, std::move(reason));
  }

  const std::uint64_t batch_;
  const person::PersonKeys& keys_;
  const engine::Market* market_ = nullptr;
  std::set<std::pair<PackageId, LocationIndex>> closed_sent_;
  Notifications out_;
};

namespace {

/// The staff stream's notices of a batch: one PackageChanged per package it touched, in the
/// order the packages first appear.
void add_staff_notices(const std::vector<engine::Event>& events, const engine::Market& market, std::uint64_t batch,
                       Notifications& out) {
  std::vector<std::pair<PackageId, std::string>> touched;
  for (const auto& e : events) {
    const PackageId id = package_of(e);
    if (id == 0) continue;
    auto it = std::find_if(touched.begin(), touched.end(), [id](const auto& t) { return t.first == id; });
    if (it == touched.end()) it = touched.insert(touched.end(), {id, std::string()});
    const std::string_view name = engine::event_name(e);
    if (("," + it->second + ",").find("," + std::string(name) + ",") == std::string::npos)
      it->second += (it->second.empty() ? "" : ",") + std::string(name);
  }
  for (const auto& [id, what] : touched) {
    const engine::Package* p = market.find_package(id);
    if (!p || p->retired) continue;
    std::uint32_t offers = 0;
    for (const auto& o : p->offers) offers += o.withdrawn ? 0 : 1;
    Outbound message = make_package_changed(id, engine::to_string(p->status), what, offers);
    message->set_batch(batch);
    out.push_back({std::string(kStaffStream), std::move(message)});
  }
}

}  // namespace

Projector::Projector(Sink sink, const person::PersonKeys& keys) : sink_(std::move(sink)), keys_(keys) {}
Projector::~Projector() = default;

void Projector::batch_begins(const replica::DurableBatch& batch) { batch_ = std::make_unique<Batch>(batch.last_seq, keys_); }

void Projector::event_applied(const engine::Event& event, const engine::Market& after) {
  if (batch_ && package_of(event) != 0) batch_->on_event(event, after);
}

void Projector::batch_applied(const replica::DurableBatch& batch, const engine::Market& market) {
  if (!batch_) return;
  Notifications out = batch_->take();
  batch_.reset();
  add_staff_notices(*batch.events, market, batch.last_seq, out);  // the market as the batch left it
  if (!out.empty()) sink_(std::make_shared<const Notifications>(std::move(out)));
}

std::shared_ptr<const Notifications> project(replica::Replica& replica, const replica::DurableBatch& batch,
                                             const person::PersonKeys& keys) {
  std::shared_ptr<const Notifications> heard;
  Projector projector([&](std::shared_ptr<const Notifications> n) { heard = std::move(n); }, keys);
  if (std::string error = replica.apply(batch, &projector); !error.empty()) throw std::logic_error(error);
  return heard;
}

std::vector<std::string> locations_of(const engine::Market& market, const std::string& provider) {
  std::vector<std::string> out;
  if (const engine::Provider* p = market.find_provider(provider))
    for (LocationIndex l : p->locations) out.push_back(market.location(l).id);
  return out;
}

ProviderSnapshot snapshot_for(const engine::Market& market, const std::string& provider, std::uint64_t applied_seq) {
  ProviderSnapshot snapshot;
  snapshot.batch = applied_seq;
  std::vector<LocatedBroadcast> packages;
  std::vector<StandingUpdate> updates;
  const engine::Provider* who = market.find_provider(provider);
  for (PackageId id = 1; who && id <= market.package_count(); ++id) {
    const engine::Package* p = market.find_package(id);
    if (!p || p->retired || engine::is_closed(p->status)) continue;
    for (LocationIndex l : who->locations) {
      if (!std::binary_search(p->ever_invited->begin(), p->ever_invited->end(), l) &&
          !(p->has_award && p->award_location == l))
        continue;
      const std::string& location = market.location(l).id;
      auto view = market.provider_view(id, location);
      if (!view) continue;
      const ProviderStanding s = view->standing;
      if (s != ProviderStanding::open && s != ProviderStanding::best_and_final &&
          s != ProviderStanding::closed_for_bidding && s != ProviderStanding::award_offered)
        continue;
      const engine::UtcMillis closes_at = s == ProviderStanding::award_offered ? p->award_expires
                                          : s == ProviderStanding::closed_for_bidding ? 0
                                                                                      : p->closes_at;
      updates.push_back({location, id, s, view->own_rank, view->own_score, closes_at, {}});
      packages.push_back({location, std::move(view->package)});
    }
  }
  for (auto& page : make_snapshot_pages(packages, updates)) snapshot.pages.push_back(std::move(page));
  return snapshot;
}

}  // namespace carebroker::gateway::protocol
