/*
 * progtest: runs the programs a shell user runs (user/programs: hello,
 * echo, cat, spin, now) with a scripted "stdio" and checks what each
 * wrote and its exit code, with and without the caps it needs (services
 * suite case programs, system/tests/programs.capnp).
 *
 * Each case spawns a fresh stdio_script (user/tests/stdio_script.c) with
 * a StdIO endpoint, writes the case's input to it (our first call makes
 * us its driver), spawns the program with the client facet under
 * "stdio" and the case's other caps, waits for its exit, then reads back
 * what it wrote and kills the script.  Output is matched against a
 * pattern: '#' one or more digits (all of them), '~' one hex digit, '*'
 * any run of characters within a line, '%' everything to the end;
 * everything else stands for itself.
 *
 * Checks: ipc.programs.CASE.exit and, for cases with stdio,
 * ipc.programs.CASE.output.  What goes to the Console instead (hello and
 * the "no stdio cap" lines) is checked by tests/boot/services.sh.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define WAIT_NS     (10000ull * 1000000ull)
#define POLL_NS     (50ull * 1000000ull)
#define SPIN_POLLS  100
#define OUT_MAX     8192
#define TIMED_OUT   1000 /* an exit code no case expects */
#define EXIT_KILLED (-9)
#define SHOWN_MAX   160 /* bytes of output a failure line shows */

enum {
	C_STDIO = 1 << 0,
	C_CONSOLE = 1 << 1,
	C_WALLCLOCK = 1 << 2,
	C_TIMER = 1 << 3,
	C_SYSINFO = 1 << 4,
	C_ENTROPY = 1 << 5,
};

struct prog_case {
	const char *name;
	const char *binary;
	unsigned caps;
	const char *input;
	const char *want; /* a pattern; NULL without stdio */
	int exit;
	bool spins; /* runs until killed, once its output came */
};

static const struct prog_case cases[] = {
    {"hello_stdio", "hello", C_STDIO, "",
     "Hello from capOS!\nhello from capOS process #\nmy capabilities:\n"
     "  stdio      cap 0x* interface 0x~~~~~~~~~~~~~~~~\n%",
     0, false},
    {"hello_console", "hello", C_CONSOLE, NULL, NULL, 0, false},
    {"hello_no_caps", "hello", 0, NULL, NULL, 2, false},
    {"echo_lines", "echo", C_STDIO, "hello\rworld\r\n\n.\rnot echoed\r",
     "hello\nworld\n\n", 0, false},
    {"echo_ctrl_d", "echo", C_STDIO, "one, two\nthree\x04unread\r",
     "one, two\nthree\n", 0, false},
    {"echo_read_fails", "echo", C_STDIO, "abc\r", "abc\n", 3, false},
    {"echo_no_stdio", "echo", C_CONSOLE, NULL, NULL, 2, false},
    {"cat_bytes", "cat", C_STDIO, "ab\rc\r\nd e\tf\x04zz", "ab\nc\nd e\tf", 0,
     false},
    {"cat_read_fails", "cat", C_STDIO, "x\r\ny", "x\ny", 0, false},
    {"cat_no_stdio", "cat", 0, NULL, NULL, 2, false},
    {"spin_banner", "spin", C_STDIO, "", "spinning; Ctrl-C stops me\n",
     EXIT_KILLED, true},
    {"now_all", "now", C_STDIO | C_WALLCLOCK | C_SYSINFO | C_ENTROPY, "",
     "time:    #-~~-~~ ~~:~~:~~ UTC (rtc)\nuptime:  #.# s\n"
     "random:  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n",
     0, false},
    {"now_timer_only", "now", C_STDIO | C_TIMER, "",
     "now: no wallclock cap\nuptime:  #.# s\nnow: no entropy cap\n", 0, false},
    {"now_no_caps", "now", C_STDIO, "",
     "now: no wallclock cap\nnow: no sysinfo or timer cap\n"
     "now: no entropy cap\n",
     3, false},
    {"now_no_output", "now", C_WALLCLOCK | C_TIMER | C_ENTROPY, NULL, NULL, 2,
     false},
};

static capos_capid_t launcher, timer;
static capos_capid_t kernel_caps[6]; /* by bit of C_*, 0 for stdio */
static const char *const cap_names[6] = {
    "stdio", "console", "wallclock", "timer", "sysinfo", "entropy",
};

/* Whether s matches the pattern p (the rules above). */
static bool
matches(const char *p, const char *s)
{
	const char *t;

	for (; *p; p++, s++) {
		switch (*p) {
		case '%':
			return true;
		case '*':
			for (t = s;; t++) {
				if (matches(p + 1, t))
					return true;
				if (!*t || *t == '\n')
					return false;
			}
		case '#':
			if (*s < '0' || *s > '9')
				return false;
			while (s[1] >= '0' && s[1] <= '9')
				s++;
			break;
		case '~':
			if (!((*s >= '0' && *s <= '9') ||
			      (*s >= 'a' && *s <= 'f')))
				return false;
			break;
		default:
			if (*s != *p)
				return false;
		}
	}
	return !*s;
}

/* s, with control bytes escaped, cut to SHOWN_MAX bytes. */
static const char *
shown(const char *s)
{
	static char buf[SHOWN_MAX + 8];
	size_t n = 0;

	for (; *s && n < SHOWN_MAX; s++) {
		if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			n += fmt_snprintf(buf + n, 5, "\\x%02x",
			                  (unsigned char)*s);
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = 0;
	return buf;
}

/* The process's exit code, killing it after timeout_ns (TIMED_OUT). */
static int32_t
exit_code(capos_capid_t handle, uint64_t timeout_ns)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int32_t code = TIMED_OUT;
	bool late;
	int err;

	err = capos_handle_wait_submit(&d, handle, buf, sizeof(buf), tag);
	if (err)
		return TIMED_OUT;
	err = capos_wait(tag, timeout_ns, &cqe);
	late = err == CAPOS_E_TIMED_OUT;
	if (late) {
		capos_handle_kill(handle);
		err = capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	}
	if (!err)
		err = capos_handle_wait_complete(&d, &cqe, &code);
	return late || err ? TIMED_OUT : code;
}

/* StdIO.write of text through the script's client facet. */
static int
script_write(capos_capid_t script, const char *text)
{
	static struct capos_call c;

	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), text,
	                                  (uint32_t)strlen(text));
	return capos_StdIO_write_send(&c, script);
}

/* Appends what the program wrote so far to out (NUL-terminated). */
static int
script_collect(capos_capid_t script, char *out, uint32_t *len)
{
	static struct capos_call c;
	struct capnp_data d;
	int err;

	do {
		capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&c),
		                                OUT_MAX);
		err = capos_StdIO_read_send(&c, script);
		if (err)
			return err;
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&c));
		if (d.len > OUT_MAX - 1 - *len)
			return CAPOS_E_TOO_LONG;
		memcpy(out + *len, d.ptr, d.len);
		*len += (uint32_t)d.len;
	} while (d.len);
	out[*len] = 0;
	return 0;
}

static void
run_case(const struct prog_case *k)
{
	static const struct capos_spawn_endpoint ep = {"stdio",
	                                               capos_StdIO_TYPE_ID};
	static char out[OUT_MAX];
	struct capos_spawn_grant grants[6];
	capos_capid_t script_handle = 0, script = 0, handle;
	uint32_t ngrants = 0, len = 0, i;
	char name[64];
	int32_t code = TIMED_OUT;
	int err = 0;

	out[0] = 0;
	if (k->caps & C_STDIO) {
		err =
		    capos_spawn(launcher, "stdio_script", "stdio_script", NULL,
		                0, &ep, 1, NULL, &script_handle, &script);
		if (!err)
			err = script_write(script, k->input);
		kernel_caps[0] = script;
	}
	for (i = 0; i < 6; i++)
		if (k->caps & (1u << i))
			grants[ngrants++] = (struct capos_spawn_grant){
			    cap_names[i], kernel_caps[i]};
	if (!err)
		err = capos_spawn(launcher, k->binary, k->binary, grants,
		                  ngrants, NULL, 0, NULL, &handle, NULL);
	if (!err && k->spins) {
		/* It runs until stopped: stop it once it has spoken. */
		for (i = 0; i < SPIN_POLLS && !err && !len; i++) {
			capos_timer_sleep(timer, POLL_NS);
			err = script_collect(script, out, &len);
		}
		capos_handle_kill(handle);
	}
	if (!err) {
		code = exit_code(handle, WAIT_NS);
		capos_release_sync(handle);
	}
	if (!err && script)
		err = script_collect(script, out, &len);
	if (script_handle) {
		capos_handle_kill(script_handle);
		exit_code(script_handle, WAIT_NS);
		capos_release_sync(script_handle);
		capos_release_sync(script);
	}
	fmt_snprintf(name, sizeof(name), "%s.exit", k->name);
	ktest_check(!err && code == k->exit, name,
	            "%s, exit code %d, wanted %d", capos_strerror(err), code,
	            k->exit);
	if (k->want) {
		fmt_snprintf(name, sizeof(name), "%s.output", k->name);
		ktest_check(!err && matches(k->want, out), name,
		            "%s, wrote \"%s\"", capos_strerror(err),
		            shown(out));
	}
}

int
main(void)
{
	uint32_t i;

	ktest_prefix("ipc.programs.");
	if (capos_ProcessSpawner_find("launcher", &launcher) ||
	    capos_Console_find("console", &kernel_caps[1]) ||
	    capos_WallClock_find("wallclock", &kernel_caps[2]) ||
	    capos_Timer_find("timer", &kernel_caps[3]) ||
	    capos_SystemInfo_find("sysinfo", &kernel_caps[4]) ||
	    capos_EntropySource_find("entropy", &kernel_caps[5])) {
		printf("progtest: missing launcher, console, wallclock, timer, "
		       "sysinfo or entropy\n");
		return 1;
	}
	timer = kernel_caps[3];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	printf("progtest: %d failures\n", ktest_failures());
	return ktest_failures();
}
