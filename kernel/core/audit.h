/*
 * The audit trail (docs/system-services.md): security events in a
 * bounded ring of records (lib/log/logring.h), appended by the kernel
 * (each ProcessSpawner.spawn) and by AuditWriter holders, read only
 * through AuditLog.  Nothing edits or removes a record; when the ring is
 * full the oldest is dropped, and a reader behind it is told how many it
 * lost.  Event kinds are the schema's AuditEvent.
 */
#ifndef CORE_AUDIT_H
#define CORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "log/logring.h"

/* Records the trail keeps. */
#define AUDIT_RING_RECORDS 128

struct process;

/* Appends an event caused by process p; interrupts on or off. */
void audit_append(uint16_t event, const struct process *p, const char *detail,
                  size_t len);

/* The ring, to read with interrupts off. */
const struct logring *audit_ring(void);

#endif
