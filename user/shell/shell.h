/*
 * The shell (docs/shell.md): one person at the terminal, in a session
 * issued by the authority broker.  The shell holds only what init granted
 * it (the terminal, the broker, a launcher for login) and the bundle of
 * its current session; a program it starts gets exactly the caps its
 * command line names.
 *
 *   main.c      start, the prompt loop, the command table, help
 *   out.c       output through the terminal
 *   captab.c    the caps the shell holds, by name, with where each came from
 *   session.c   sessions: anonymous, login, setup, logout, whoami, session
 *   jobs.c      run, spawn, jobs, wait, kill; Ctrl-C for the foreground
 *   system.c    hostname, date, uptime, log, audit, shutdown, reboot
 */
#ifndef SHELL_H
#define SHELL_H

#include <stdbool.h>
#include <stdint.h>

#include "capos.h"
#include "shell/cmdline.h"

/* --- out.c ------------------------------------------------------------ */
void sh_write(const char *s, uint32_t n);
void sh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "CMD: WHAT: the last exception's message" (or the error's name). */
void sh_fail(const char *cmd, const char *what, int err);
/* The error of a failed call, as a person reads it. */
const char *sh_error_text(int err);

/* --- captab.c --------------------------------------------------------- */
enum cap_origin {
	ORIGIN_INIT,    /* granted by init (the manifest's shell entry) */
	ORIGIN_SESSION, /* the current session's bundle */
};

#define SHELL_CAPS_MAX 64
#define SHELL_NAME_MAX 32

struct shell_cap {
	char name[SHELL_NAME_MAX];
	capos_capid_t cap;
	uint64_t interface_id;
	enum cap_origin origin;
};

void captab_init(void);
/* Adds a cap under name; false when the table is full. */
bool captab_add(const char *name, capos_capid_t cap, uint64_t interface_id,
                enum cap_origin origin);
/* Releases and forgets every cap of an origin. */
void captab_drop(enum cap_origin origin);
const struct shell_cap *captab_find(const char *name);
/* The cap named name of interface iface, or CAPOS_CAPID_INVALID. */
capos_capid_t captab_get(const char *name, uint64_t iface);
uint32_t captab_count(void);
const struct shell_cap *captab_at(uint32_t i);
const char *captab_interface_name(uint64_t id);

/* --- session.c -------------------------------------------------------- */
/* Starts the anonymous session; false when the broker is not there. */
bool session_start_anonymous(void);
const char *session_user(void);
int cmd_login(const struct cmdline *cl);
int cmd_setup(const struct cmdline *cl);
int cmd_logout(const struct cmdline *cl);
int cmd_whoami(const struct cmdline *cl);
int cmd_session(const struct cmdline *cl);

/* --- jobs.c ----------------------------------------------------------- */
int cmd_run(const struct cmdline *cl);
int cmd_spawn(const struct cmdline *cl);
int cmd_jobs(const struct cmdline *cl);
int cmd_wait(const struct cmdline *cl);
int cmd_kill(const struct cmdline *cl);
/* Reports background programs that have ended since the last prompt. */
void jobs_reap(void);
/*
 * Waits for the call under tag (already submitted) while watching the
 * terminal for Ctrl-C.  Returns true with *cqe when the call completed,
 * false when Ctrl-C came first (the call is still outstanding).
 */
bool wait_or_interrupt(uint64_t tag, struct capos_cqe *cqe);

/* --- system.c --------------------------------------------------------- */
int cmd_hostname(const struct cmdline *cl);
int cmd_date(const struct cmdline *cl);
int cmd_uptime(const struct cmdline *cl);
int cmd_log(const struct cmdline *cl);
int cmd_audit(const struct cmdline *cl);
int cmd_shutdown(const struct cmdline *cl);
int cmd_reboot(const struct cmdline *cl);
/* Shows the motd, when the session holds SystemInfo. */
void system_motd(void);

/* The terminal the shell runs on (CapSet "terminal"). */
extern capos_capid_t shell_terminal;

#endif
