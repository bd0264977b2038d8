#pragma once
#include <string>

#include "qp_native.h"

namespace qp {
qp_status fail(qp_status code, std::string message);
void clear_error();

// Runs body, turning any C++ exception into a status so none crosses the C ABI.
template <typename F>
qp_status guarded(F&& body) noexcept {
  try {
    clear_error();
    return body();
  } catch (const std::exception& e) {
    return fail(QP_INTERNAL_ERROR, e.what());
  } catch (...) {
    return fail(QP_INTERNAL_ERROR, "unknown native error");
  }
}
}  // namespace qp
