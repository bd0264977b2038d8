// The F8 row sweep built for one instruction set (CMakeLists.txt sets its -m flags); see intraday_f8_sweep_body.hpp.
#define QP_F8_SWEEP_ROW sweep_row_avx512
#include "intraday_f8_sweep_body.hpp"
