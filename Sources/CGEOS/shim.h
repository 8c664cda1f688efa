#ifndef CORDON_CGEOS_SHIM_H
#define CORDON_CGEOS_SHIM_H
/* One GEOS context per thread: only the re-entrant API is visible. */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#endif
