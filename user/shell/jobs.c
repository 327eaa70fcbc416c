/*
 * Programs started from the shell.  `run` waits for the program in the
 * foreground, with the terminal watched for Ctrl-C (which kills it);
 * `spawn` leaves it in the background as a job, reported when it ends.
 * Either way the child gets exactly the caps its command line names,
 * under the names it gives them, and is started through the session's
 * launcher: the session decides which programs may run at all.
 */
#include "shell.h"

#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

#define JOBS_MAX 8

struct job {
	unsigned id; /* 0: a free slot */
	char name[SHELL_NAME_MAX];
	capos_capid_t handle;
	uint64_t tag; /* its outstanding ProcessHandle.wait */
	struct capos_call_desc wait;
	uint8_t buf[256] __attribute__((aligned(8)));
};

static struct job jobs[JOBS_MAX];
static unsigned next_job_id = 1;

bool
wait_or_interrupt(uint64_t tag, struct capos_cqe *cqe)
{
	static struct capos_call_desc d;
	static uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_cqe wcqe;
	struct capos_reply r;
	struct capnp_msg m;
	uint64_t tags[2] = {tag, capos_next_tag()};
	uint32_t which;
	bool interrupted = false;

	d = (struct capos_call_desc){
	    .cap = shell_terminal,
	    .method = capos_TerminalSession_METHOD_watchInterrupt,
	    .interface_id = capos_TerminalSession_TYPE_ID,
	    .result = buf,
	    .result_cap = sizeof(buf),
	};
	if (capos_call_submit(&d, tags[1]))
		return capos_wait(tag, CAPOS_TIMEOUT_INFINITE, cqe) == 0;
	if (capos_wait_any(tags, 2, CAPOS_TIMEOUT_INFINITE, &which, cqe))
		return false;
	if (which == 0) {
		/* Done first: end the watch, and take its answer. */
		(void)capos_call_empty(shell_terminal,
		                       capos_TerminalSession_TYPE_ID,
		                       capos_TerminalSession_METHOD_stopWatch);
		(void)capos_wait(tags[1], CAPOS_TIMEOUT_INFINITE, &wcqe);
		return true;
	}
	wcqe = *cqe;
	if (!capos_call_complete(&d, &wcqe, &r) &&
	    !capos_msg_read(&m, buf, r.len))
		interrupted =
		    capos_TerminalSession_watchInterrupt_Results_get_interrupted(
		        capos_TerminalSession_watchInterrupt_Results_read_root(
		            &m));
	if (interrupted)
		return false;
	/* The watch ended without Ctrl-C (or the terminal cannot watch):
	 * wait for the call alone. */
	return capos_wait(tag, CAPOS_TIMEOUT_INFINITE, cqe) == 0;
}

/* Starts the command line's program with its grants; 0 with *handle. */
static int
start(const char *cmd, const struct cmdline *cl, capos_capid_t *handle)
{
	struct capos_spawn_grant grants[CMDLINE_GRANTS_MAX];
	capos_capid_t launcher =
	    captab_get("launcher", capos_ProcessSpawner_TYPE_ID);
	const char *prog;
	unsigned i;
	int err;

	if (cl->nargs != 1) {
		sh_printf(
		    "%s: usage: %s \"program\" with { name: @cap, ... }\n", cmd,
		    cmd);
		return -1;
	}
	prog = cl->args[0];
	if (launcher == CAPOS_CAPID_INVALID) {
		sh_printf("%s: this session may not start programs (no "
		          "launcher)\n",
		          cmd);
		return -1;
	}
	for (i = 0; i < cl->ngrants; i++) {
		const struct shell_cap *c = captab_find(cl->grants[i].source);

		if (!c) {
			sh_printf("%s: no cap named @%s in this session (see "
			          "`caps`)\n",
			          cmd, cl->grants[i].source);
			return -1;
		}
		grants[i] =
		    (struct capos_spawn_grant){cl->grants[i].name, c->cap};
	}
	err = capos_spawn(launcher, prog, prog, grants, cl->ngrants, NULL, 0,
	                  NULL, handle, NULL);
	if (err) {
		sh_fail(cmd, prog, err);
		return -1;
	}
	return 0;
}

static void
report_exit(const char *name, int32_t code)
{
	if (code >= 128)
		sh_printf("%s: killed (%d)\n", name, code);
	else if (code)
		sh_printf("%s: exited with %d\n", name, code);
}

/* Waits for the program in the foreground; Ctrl-C kills it. */
static int
foreground(const char *name, capos_capid_t handle)
{
	struct capos_call_desc d;
	uint8_t buf[256] __attribute__((aligned(8)));
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int32_t code = -1;
	int err;

	err = capos_handle_wait_submit(&d, handle, buf, sizeof(buf), tag);
	if (err) {
		sh_fail("run", name, err);
		capos_release(handle);
		return 1;
	}
	if (!wait_or_interrupt(tag, &cqe)) {
		(void)capos_handle_kill(handle);
		(void)capos_wait(tag, CAPOS_TIMEOUT_INFINITE, &cqe);
		sh_printf("%s: stopped by Ctrl-C\n", name);
		capos_release(handle);
		return 130;
	}
	err = capos_handle_wait_complete(&d, &cqe, &code);
	capos_release(handle);
	if (err) {
		sh_fail("run", name, err);
		return 1;
	}
	report_exit(name, code);
	return code;
}

int
cmd_run(const struct cmdline *cl)
{
	capos_capid_t handle;

	if (start("run", cl, &handle))
		return 1;
	return foreground(cl->args[0], handle);
}

static struct job *
job_find(const struct cmdline *cl, const char *cmd)
{
	unsigned i, id = 0;
	const char *s;

	if (cl->nargs != 1) {
		sh_printf("%s: usage: %s JOB (see `jobs`)\n", cmd, cmd);
		return NULL;
	}
	for (s = cl->args[0]; *s >= '0' && *s <= '9' && id < 1000000; s++)
		id = id * 10 + (unsigned)(*s - '0');
	for (i = 0; id && !*s && i < JOBS_MAX; i++)
		if (jobs[i].id == id)
			return &jobs[i];
	sh_printf("%s: no job %s (see `jobs`)\n", cmd, cl->args[0]);
	return NULL;
}

static void
job_free(struct job *j)
{
	capos_release(j->handle);
	j->id = 0;
}

int
cmd_spawn(const struct cmdline *cl)
{
	struct job *j = NULL;
	capos_capid_t handle;
	unsigned i;
	int err;

	for (i = 0; i < JOBS_MAX && !j; i++)
		if (!jobs[i].id)
			j = &jobs[i];
	if (!j) {
		sh_printf("spawn: %u jobs already; wait for one first\n",
		          JOBS_MAX);
		return 1;
	}
	if (start("spawn", cl, &handle))
		return 1;
	j->tag = capos_next_tag();
	err = capos_handle_wait_submit(&j->wait, handle, j->buf, sizeof(j->buf),
	                               j->tag);
	if (err) {
		sh_fail("spawn", cl->args[0], err);
		capos_release(handle);
		return 1;
	}
	j->id = next_job_id++;
	j->handle = handle;
	str_copy(j->name, cl->args[0], sizeof(j->name));
	sh_printf("[%u] %s\n", j->id, j->name);
	return 0;
}

/* A job whose wait completed: report it and free its slot. */
static void
job_done(struct job *j, const struct capos_cqe *cqe)
{
	int32_t code = -1;
	int err = capos_handle_wait_complete(&j->wait, cqe, &code);

	if (err)
		sh_printf("[%u] %s: %s\n", j->id, j->name, sh_error_text(err));
	else
		sh_printf("[%u] %s: done, exit code %d\n", j->id, j->name,
		          code);
	job_free(j);
}

void
jobs_reap(void)
{
	uint64_t tags[JOBS_MAX];
	struct capos_cqe cqe;
	uint32_t which, i;

	for (;;) {
		for (i = 0; i < JOBS_MAX; i++)
			tags[i] = jobs[i].id ? jobs[i].tag : 0;
		if (capos_wait_any(tags, JOBS_MAX, 0, &which, &cqe))
			return;
		job_done(&jobs[which], &cqe);
	}
}

int
cmd_jobs(const struct cmdline *cl)
{
	unsigned i, n = 0;

	(void)cl;
	jobs_reap();
	for (i = 0; i < JOBS_MAX; i++)
		if (jobs[i].id) {
			sh_printf("[%u] %s: running\n", jobs[i].id,
			          jobs[i].name);
			n++;
		}
	if (!n)
		sh_printf("no jobs\n");
	return 0;
}

int
cmd_wait(const struct cmdline *cl)
{
	struct job *j = job_find(cl, "wait");
	struct capos_cqe cqe;

	if (!j)
		return 1;
	if (!wait_or_interrupt(j->tag, &cqe)) {
		sh_printf("wait: interrupted; [%u] %s still runs\n", j->id,
		          j->name);
		return 130;
	}
	job_done(j, &cqe);
	return 0;
}

int
cmd_kill(const struct cmdline *cl)
{
	struct job *j = job_find(cl, "kill");
	struct capos_cqe cqe;
	int err;

	if (!j)
		return 1;
	err = capos_handle_kill(j->handle);
	if (err) {
		sh_fail("kill", j->name, err);
		return 1;
	}
	if (!capos_wait(j->tag, CAPOS_TIMEOUT_INFINITE, &cqe))
		job_done(j, &cqe);
	return 0;
}
