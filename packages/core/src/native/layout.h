// The shared-memory layout (layout.def): layout::KEPT, layout::ARG_S, ... with the same names and
// values as src/layout.generated.ts.
#pragma once
#include <cstdint>

namespace layout {
#define LAYOUT(name, value) constexpr uint32_t name = (value);
#include "layout.def"
#undef LAYOUT
}  // namespace layout
