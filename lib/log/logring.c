/*
 * The log ring's arithmetic: record seq lives in slot seq % capacity, and
 * the ring keeps the last `capacity` sequence numbers before next.
 */
#include "log/logring.h"

#include "base/mem.h"

void
logring_init(struct logring *r, struct log_record *slot, uint32_t capacity)
{
	r->slot = slot;
	r->capacity = capacity;
	r->next = 0;
	r->dropped = 0;
}

uint64_t
logring_oldest(const struct logring *r)
{
	return r->next > r->capacity ? r->next - r->capacity : 0;
}

/* Copies at most size - 1 bytes of s[0, len), stopping at a NUL. */
static size_t
copy_cut(char *dst, size_t size, const char *s, size_t len)
{
	size_t max = len < size - 1 ? len : size - 1, n = 0;

	/* Find the end first, then copy it in words. */
	while (n < max && s[n])
		n++;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return n;
}

struct log_record *
logring_append(struct logring *r, uint16_t kind, uint64_t pid, const char *name,
               const char *text, size_t len, uint64_t mono_ns, int64_t wall_ns)
{
	struct log_record *rec = &r->slot[r->next % r->capacity];

	if (r->next >= r->capacity)
		r->dropped++; /* rec held the oldest record */
	rec->seq = r->next++;
	rec->mono_ns = mono_ns;
	rec->wall_ns = wall_ns;
	rec->pid = pid;
	rec->kind = kind;
	copy_cut(rec->name, sizeof(rec->name), name ? name : "",
	         name ? SIZE_MAX : 0);
	rec->text_len =
	    (uint16_t)copy_cut(rec->text, sizeof(rec->text), text, len);
	return rec;
}

bool
logring_seek(const struct logring *r, uint64_t cursor, uint64_t *start,
             uint64_t *lost)
{
	uint64_t oldest = logring_oldest(r);

	if (cursor > r->next)
		return false;
	*start = cursor < oldest ? oldest : cursor;
	*lost = *start - cursor;
	return true;
}

const struct log_record *
logring_get(const struct logring *r, uint64_t seq)
{
	if (seq >= r->next || seq < logring_oldest(r))
		return NULL;
	return &r->slot[seq % r->capacity];
}
