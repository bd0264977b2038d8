#include "status.hpp"

namespace {
thread_local std::string g_last_error;
}

namespace qp {
qp_status fail(qp_status code, std::string message) {
  g_last_error = std::move(message);
  return code;
}
void clear_error() { g_last_error.clear(); }
}  // namespace qp

extern "C" const char* qp_last_error(void) { return g_last_error.c_str(); }
extern "C" int32_t qp_abi_version(void) { return 4; }
