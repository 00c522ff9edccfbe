// Stable names of result codes.
#include "engine/market/codes.h"

namespace carebroker::engine {

std::string_view to_string(Code code) {
  switch (code) {
#define CAREBROKER_CODE_NAME(name) \
  case Code::name:                 \
    return #name;
    CAREBROKER_CODES(CAREBROKER_CODE_NAME)
#undef CAREBROKER_CODE_NAME
  }
  return "unknown_code";
}

}  // namespace carebroker::engine
