/*
 * A bounded ring of log records: appending to a full ring overwrites the
 * oldest record and counts it as dropped.  Records are numbered from 0 by
 * a sequence number that never repeats, so a reader's cursor (the next
 * sequence number it wants) stays meaningful across overwrites: a cursor
 * older than the oldest record kept says how many records it lost.
 *
 * Pure code: the kernel keeps two rings (the log, kernel/core/log.c, and
 * the audit trail, kernel/core/audit.c) and does the locking; host tests
 * (tests/host/logring_test.c) drive the arithmetic.
 */
#ifndef LOG_LOGRING_H
#define LOG_LOGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A record's source name (a process name) and text, NUL included. */
#define LOGRING_NAME_SIZE 32u
#define LOGRING_TEXT_SIZE 120u

struct log_record {
	uint64_t seq;
	uint64_t mono_ns; /* the monotonic clock when it was appended */
	int64_t wall_ns;  /* the wall clock then */
	uint64_t pid;     /* its source; 0 is the kernel */
	uint16_t kind;    /* a level (log) or an event kind (audit) */
	uint16_t text_len;
	char name[LOGRING_NAME_SIZE];
	char text[LOGRING_TEXT_SIZE];
};

struct logring {
	struct log_record *slot; /* capacity records */
	uint32_t capacity;
	uint64_t next;    /* the sequence number the next record gets */
	uint64_t dropped; /* records overwritten while still the oldest */
};

/* An empty ring over slot[0, capacity); capacity >= 1. */
void logring_init(struct logring *r, struct log_record *slot,
                  uint32_t capacity);

/* The oldest sequence number still kept (== next when empty). */
uint64_t logring_oldest(const struct logring *r);

/*
 * Appends a record and returns it, with its sequence number set.  Its
 * name and text are copied and cut to fit (NUL-terminated); text holds
 * len bytes and need not be terminated.
 */
struct log_record *logring_append(struct logring *r, uint16_t kind,
                                  uint64_t pid, const char *name,
                                  const char *text, size_t len,
                                  uint64_t mono_ns, int64_t wall_ns);

/*
 * Where a read from cursor starts: false for a cursor beyond the next
 * sequence number (no reader was ever handed one).  Otherwise *start is
 * the first record to read (the cursor, or the oldest kept when the
 * cursor is older) and *lost how many records between cursor and *start
 * were overwritten before the reader came.
 */
bool logring_seek(const struct logring *r, uint64_t cursor, uint64_t *start,
                  uint64_t *lost);

/* The record with sequence number seq, or NULL when it is not kept. */
const struct log_record *logring_get(const struct logring *r, uint64_t seq);

#endif
