// Everything is in include/cspawn.h; SwiftPM wants one source file in a C target.
#include "cspawn.h"
