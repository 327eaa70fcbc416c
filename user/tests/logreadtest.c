/*
 * logreadtest: the kernel's own lines in the log (boot suite case
 * user-log, run=logreadtest,nop; no manifest, so the level is info).
 * nop runs beside it; the kernel's line about nop's exit must reach the
 * log as a record of pid 0, "kernel", level info, without its timestamp
 * or newline.  Following the log until it arrives checks that a kernel
 * line wakes a follower (the timer tick does).  capos_log writes a
 * formatted record under this program's own name.
 */
#include "capos.h"

#include "capos.capnp.client.h"

#define MS 1000000ull

static struct capos_log_record recs[CAPOS_LOG_READ_MAX];
static capos_capid_t reader;

static bool
contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncmp(s, needle, n) == 0)
			return true;
	return false;
}

/* Reads from *cursor on for a record whose text contains needle, and
 * follows the log (at most `follows` waits) until one comes. */
static bool
wait_for(uint64_t *cursor, const char *needle, int follows,
         struct capos_log_record *out)
{
	static struct capos_log_follow f;
	uint64_t next, lost, tag;
	struct capos_cqe cqe;
	uint32_t n, i;

	for (;;) {
		if (capos_log_read(reader, *cursor, CAPOS_LOG_READ_MAX, recs,
		                   &n, &next, &lost))
			return false;
		for (i = 0; i < n; i++)
			if (contains(recs[i].text, needle)) {
				*out = recs[i];
				*cursor = recs[i].seq + 1;
				return true;
			}
		*cursor = next;
		if (n)
			continue;
		if (follows-- == 0)
			return false;
		tag = capos_next_tag();
		if (capos_log_follow_submit(&f, reader, *cursor, tag) ||
		    capos_wait(tag, 5000 * MS, &cqe) || cqe.result != 0)
			return false;
	}
}

int
main(void)
{
	struct capos_log_record r = {0};
	struct capos_log_stats s = {0};
	uint64_t cursor = 0;
	int err;

	ktest_prefix("logread.");
	if (capos_LogReader_find("logread", &reader)) {
		printf("KTEST not ok logread.capset: no logread\n");
		return 1;
	}
	err = capos_log_stats(reader, &s);
	ktest_check(err == 0 && s.level == capos_LogLevel_info,
	            "level_info_without_manifest", "%s, level %d",
	            capos_strerror(err), s.level);
	ktest_check(wait_for(&cursor, "(nop) exited with code 0", 100, &r) &&
	                r.pid == 0 && strcmp(r.source, "kernel") == 0 &&
	                r.kind == capos_LogLevel_info &&
	                strncmp(r.text, "process ", 8) == 0 &&
	                !contains(r.text, "\n"),
	            "kernel_line_in_log", "'%s' pid %lu source '%s' level %d",
	            r.text, (unsigned long)r.pid, r.source, r.kind);
	err = capos_log(capos_LogLevel_info, "logreadtest says %d\n", 42);
	ktest_check(err == 0 && wait_for(&cursor, "logreadtest says", 0, &r) &&
	                strcmp(r.text, "logreadtest says 42") == 0 &&
	                strcmp(r.source, "logreadtest") == 0 &&
	                r.pid == capos_pid(),
	            "capos_log_formats_one_record", "%s, '%s' from '%s'",
	            capos_strerror(err), r.text, r.source);
	printf("logread test: %d failures\n", ktest_failures());
	return ktest_failures();
}
