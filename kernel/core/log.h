/*
 * The kernel log ring (docs/system-services.md): one bounded ring of
 * records (lib/log/logring.h) that drops its oldest record when full.
 * The kernel's own console lines go in as pid 0, "kernel"; LogSink
 * writes go in under the caller's pid and name; LogReader reads it.
 * Levels are the schema's LogLevel (error 0 ... trace 4); a record more
 * verbose than the manifest's kernelParams.logLevel is filtered (counted,
 * not kept).
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/logring.h"

/* Records the log keeps. */
#define LOG_RING_RECORDS 256
/* Records one read answers, and the bytes of an answer they must fit
 * in (the kernel's result arena is 4 KiB, the frame and root included). */
#define LOG_READ_MAX   16u
#define LOG_READ_BYTES 3584u

struct completion;
struct kcall;

/* The level the manifest asks for (the schema's LogLevel). */
void log_set_level(uint16_t level);
uint16_t log_level(void);

/*
 * Appends a record from process pid called name; false when its level is
 * filtered.  Interrupts may be on or off.  Wakes no follower: the caller
 * does (log_wake_followers) where posting is safe.
 */
bool log_append(uint16_t level, uint64_t pid, const char *name,
                const char *text, size_t len);

/* A whole console line of the kernel's (without its newline). */
void log_kernel_line(uint16_t level, const char *text, size_t len);

/* The ring, to read with interrupts off (kprintf appends to it). */
const struct logring *log_ring(void);

/* Records refused for their level so far (a sink's or the kernel's). */
uint64_t log_filtered(void);

/*
 * How many records from start (at most max) fit in an answer of
 * LOG_READ_BYTES, each a struct of struct_words words plus its name and
 * text.
 */
uint32_t log_read_span(const struct logring *r, uint64_t start, uint32_t max,
                       uint32_t struct_words);

/*
 * LogReader.follow: the call waits until the ring holds a record at or
 * after cursor (a completion record, cancelled with its cap or ring).
 * Returns false, without waiting, when there is one already.
 */
bool log_follow(struct kcall *c, uint64_t cursor);

/* Posts every follower the ring has a record for.  Not from inside
 * kprintf: from a ring call or the timer tick. */
void log_wake_followers(void);

/* Timer interrupt: wakes followers of records the kernel's own lines
 * added since the last wake. */
void log_tick(void);

#endif
