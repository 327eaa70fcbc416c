/*
 * The kernel log ring: the records, the level filter, and the readers
 * that follow it.  Every access is made with interrupts off, because the
 * kernel's console lines (kprintf, from any context) append to it.
 *
 * A follower is a LogReader.follow call that waits: its completion
 * record sits on `followers` with its cursor as wait_key until the ring
 * has a record at or after it.  Posting wakes a thread, which kprintf
 * must never do (it runs inside the scheduler and the completion code),
 * so a kernel line only appends; followers are posted by the next
 * LogSink.write or the next timer tick.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/wallclock.h"
#include "arch/x86_64/cpu.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"

#include "capos.capnp.h"

static struct log_record slots[LOG_RING_RECORDS];
static struct logring ring = {slots, LOG_RING_RECORDS, 0, 0};
static uint64_t filtered;
static uint16_t threshold = capos_LogLevel_info;
/* ring.next when followers were last looked at. */
static uint64_t woken_at;

static struct completion_list followers = TAILQ_HEAD_INITIALIZER(followers);

void
log_set_level(uint16_t level)
{
	threshold = level;
}

uint16_t
log_level(void)
{
	return threshold;
}

uint64_t
log_filtered(void)
{
	return filtered;
}

bool
log_append(uint16_t level, uint64_t pid, const char *name, const char *text,
           size_t len)
{
	enum wallclock_provenance prov;
	bool irq = irq_save();
	bool stored = level <= threshold;

	if (stored)
		logring_append(&ring, level, pid, name, text, len, clock_ns(),
		               wallclock_now(&prov));
	else
		filtered++;
	irq_restore(irq);
	return stored;
}

void
log_kernel_line(uint16_t level, const char *text, size_t len)
{
	log_append(level, 0, "kernel", text, len);
}

const struct logring *
log_ring(void)
{
	return &ring;
}

/* Text is stored NUL-terminated and padded to a word. */
static uint32_t
text_words(size_t len)
{
	return (uint32_t)((len + 1 + 7) / 8);
}

uint32_t
log_read_span(const struct logring *r, uint64_t start, uint32_t max,
              uint32_t struct_words)
{
	/* The list's tag word, the root struct and its pointers. */
	uint32_t words = 8, n = 0;
	const struct log_record *rec;

	while (n < max && (rec = logring_get(r, start + n))) {
		uint32_t w = struct_words + text_words(strlen(rec->name)) +
		             text_words(rec->text_len);

		if ((words + w) * 8 > LOG_READ_BYTES)
			break;
		words += w;
		n++;
	}
	return n;
}

static void
follow_withdraw(struct completion *c)
{
	TAILQ_REMOVE(&followers, c, wait_link);
}

static const struct completion_ops follow_ops = {
    .name = "LogReader.follow",
    .withdraw = follow_withdraw,
};

bool
log_follow(struct kcall *c, uint64_t cursor)
{
	bool irq = irq_save();
	struct completion *rec;

	if (cursor < ring.next) {
		irq_restore(irq);
		return false;
	}
	rec = kcall_defer(c, &follow_ops, NULL);
	rec->wait_key = cursor;
	TAILQ_INSERT_TAIL(&followers, rec, wait_link);
	irq_restore(irq);
	return true;
}

void
log_wake_followers(void)
{
	struct completion *c, *next;
	bool irq = irq_save();

	woken_at = ring.next;
	TAILQ_FOREACH_SAFE(c, &followers, wait_link, next) {
		if (c->wait_key >= ring.next)
			continue;
		TAILQ_REMOVE(&followers, c, wait_link);
		/* An empty result: the follower reads on with read. */
		completion_post(c, 0, 0);
	}
	irq_restore(irq);
}

void
log_tick(void)
{
	if (woken_at != ring.next && !TAILQ_EMPTY(&followers))
		log_wake_followers();
}
