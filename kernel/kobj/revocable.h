/*
 * Revocable capabilities (CapabilityManager.revocable, kobj/capmgr.c): a
 * forwarder object that stands for a target object until its revoker
 * revokes it.
 */
#ifndef KOBJ_REVOCABLE_H
#define KOBJ_REVOCABLE_H

#include <stdint.h>

#include "core/kerr.h"

struct kobject;

/* Forwarders of forwarders: how deep a chain may be (each link is one
 * more call frame on the kernel stack when a call goes through it). */
#define REVOCABLE_DEPTH_MAX 8

/*
 * Makes a forwarder to target (which it keeps a reference to) carrying
 * interface_id, and its revoker; one reference each, for the caller to
 * install.  KERR_BAD_ARG when target is a chain of REVOCABLE_DEPTH_MAX
 * forwarders already, KERR_NOMEM when memory is short; nothing is made
 * then.
 */
enum kerr revocable_create(struct kobject *target, uint64_t interface_id,
                           struct kobject **forwarder,
                           struct kobject **revoker);

#endif
