/*
 * Cap'n Proto wire-format runtime: the one header to include.
 * See docs/capnp.md.
 */
#ifndef CAPNP_CAPNP_H
#define CAPNP_CAPNP_H

#include "capnp/types.h"
#include "capnp/read.h"
#include "capnp/build.h"
#include "capnp/frame.h"
#include "capnp/pack.h"

#endif
