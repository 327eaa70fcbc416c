/* soak_long: soak with the counts of `make soak`. */
#define SOAK_SPAWNS 10000
#define SOAK_CALLS  1000000
#include "soak.c"
