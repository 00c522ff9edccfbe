// REST route for a lot's fair cost of care (GET /api/v1/dps/{code}/lots/{lot}/fair-cost): the
// cost model's inputs, its cost per contact hour line by line with the arithmetic, and what
// follows from it — the fair cost, the abnormally-low threshold and the suggested rate ceiling.
// A lot configured with a single fair_cost figure answers with that figure and no breakdown.
// The cost model is set with the DPS configuration (PUT /api/v1/dps/{code}, lots[].cost_model).
#include "engine/market/cost_model.h"
#include "gateway/error_codes.h"
#include "gateway/rest/route_context.h"

namespace carebroker::gateway::rest {

using namespace carebroker::engine;

json::value cost_model_json(const CostModel& m) {
  if (!m.present()) return nullptr;
  return json::object{{"wage_per_hour", m.wage_per_hour},
                      {"travel_minutes_per_contact_hour", m.travel_minutes_per_contact_hour},
                      {"miles_per_100_contact_hours", m.miles_per_100_contact_hours},
                      {"pence_per_mile", m.pence_per_mile},
                      {"holiday_bp", m.holiday_bp},
                      {"training_bp", m.training_bp},
                      {"supervision_bp", m.supervision_bp},
                      {"employer_ni_bp", m.employer_ni_bp},
                      {"pension_bp", m.pension_bp},
                      {"office_per_contact_hour", m.office_per_contact_hour},
                      {"management_per_contact_hour", m.management_per_contact_hour},
                      {"surplus_bp", m.surplus_bp},
                      {"ceiling_pct", m.ceiling_pct}};
}

json::object fair_cost_json(const DpsConfig& dps, const Lot& lot) {
  const int pct = dps.ranking.abnormally_low_pct;
  json::object out{{"dps", dps.code},
                   {"lot", lot.code},
                   {"unit", to_string(lot.unit)},
                   {"source", lot.cost_model.present() ? "cost_model" : lot.fair_cost > 0 ? "fair_cost" : "none"},
                   {"fair_cost", lot.fair_cost},
                   {"abnormally_low_pct", pct},
                   {"abnormally_low_below", abnormally_low_below(lot.fair_cost, pct)},
                   {"rate_min", lot.rate_min},
                   {"rate_max", lot.rate_max},
                   {"cost_model", cost_model_json(lot.cost_model)}};
  if (!lot.cost_model.present()) {
    out["suggested_ceiling"] = nullptr;
    out["breakdown"] = nullptr;
    return out;
  }
  const CostBreakdown b = cost_per_contact_hour(lot.cost_model);
  json::array lines;
  for (const CostLine& l : b.lines)
    lines.push_back(json::object{{"item", l.item}, {"pence", l.pence}, {"arithmetic", l.arithmetic}});
  out["suggested_ceiling"] = suggested_ceiling(b.total, lot.cost_model.ceiling_pct);
  out["breakdown"] = json::object{{"lines", std::move(lines)},
                                  {"gross_pay", b.gross_pay},
                                  {"direct_cost", b.direct_cost},
                                  {"cost_per_contact_hour", b.total}};
  return out;
}

void get_fair_cost(RestContext& ctx) {
  run_read(ctx, [code = ctx.param("code"), lot_code = ctx.param("lot")](const Market& m) {
    const int d = m.find_dps(code);
    if (d < 0) return error_response(engine::Code::unknown_dps, "no DPS " + code);
    const DpsConfig& dps = m.dps(d);
    const int lot = dps.lot_index(lot_code);
    if (lot < 0) return error_response(engine::Code::unknown_lot, "DPS " + code + " has no lot " + lot_code);
    return json_response(200, fair_cost_json(dps, dps.lots[lot]));
  });
}

}  // namespace carebroker::gateway::rest
