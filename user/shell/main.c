/*
 * shell: the capOS shell (docs/shell.md).  Reads a line from the
 * terminal (TerminalSession.readLine: the terminal edits it and keeps
 * the history), parses it (lib/shell/cmdline.c) and runs the command.
 * Ctrl-C at the prompt drops the line; Ctrl-D logs out.
 *
 * CapSet: "terminal" (TerminalSession) to run on, "broker"
 * (AuthorityBroker) for sessions, "login" (a launcher of the login
 * program).  Everything else comes with the session.
 *
 * Exit codes: 2 no terminal, 3 the terminal failed.
 */
#include "shell.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

capos_capid_t shell_terminal;

struct command {
	const char *name;
	int (*run)(const struct cmdline *cl);
	unsigned max_args; /* more is a usage error */
	bool grants;       /* takes "with { ... }" */
	const char *help;
};

static int cmd_help(const struct cmdline *cl);
static int cmd_caps(const struct cmdline *cl);

static const struct command commands[] = {
    {"help", cmd_help, 0, false, "this list"},
    {"caps", cmd_caps, 0, false,
     "the caps this shell holds: name, interface, where from"},
    {"run", cmd_run, 1, true,
     "run \"prog\" with { name: @cap, ... }: run it, wait (Ctrl-C stops "
     "it)"},
    {"spawn", cmd_spawn, 1, true, "the same, in the background"},
    {"jobs", cmd_jobs, 0, false, "the programs running in the background"},
    {"wait", cmd_wait, 1, false, "wait JOB: wait for a background program"},
    {"kill", cmd_kill, 1, false, "kill JOB: stop a background program"},
    {"whoami", cmd_whoami, 0, false, "who this session belongs to"},
    {"session", cmd_session, 0, false, "this session: user, profile, caps"},
    {"login", cmd_login, 0, false, "log in (username, hidden password)"},
    {"setup", cmd_setup, 0, false,
     "create the operator account (when there is none)"},
    {"logout", cmd_logout, 0, false,
     "end this session (its caps are revoked); also Ctrl-D"},
    {"hostname", cmd_hostname, 0, false, "the machine's name"},
    {"date", cmd_date, 0, false, "the time (UTC) and where it comes from"},
    {"uptime", cmd_uptime, 0, false, "time since boot, processes"},
    {"log", cmd_log, 1, false,
     "the last log records; `log follow` until Ctrl-C"},
    {"audit", cmd_audit, 0, false, "the audit trail"},
    {"shutdown", cmd_shutdown, 0, false, "power the machine off"},
    {"reboot", cmd_reboot, 0, false, "reset the machine"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
cmd_help(const struct cmdline *cl)
{
	unsigned i;

	(void)cl;
	for (i = 0; i < NCOMMANDS; i++)
		sh_printf("  %-9s %s\n", commands[i].name, commands[i].help);
	return 0;
}

static int
cmd_caps(const struct cmdline *cl)
{
	uint32_t i;

	(void)cl;
	for (i = 0; i < captab_count(); i++) {
		const struct shell_cap *c = captab_at(i);

		sh_printf("  %-12s %-18s %s\n", c->name,
		          captab_interface_name(c->interface_id),
		          c->origin == ORIGIN_INIT ? "init (this shell's own)"
		                                   : "session");
	}
	return 0;
}

static void
execute(const struct cmdline *cl)
{
	unsigned i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, cl->command) == 0)
			break;
	if (i == NCOMMANDS) {
		/* A long word is cut: the message stays one line. */
		sh_printf("shell: unknown command `%.40s%s` (try `help`)\n",
		          cl->command, strlen(cl->command) > 40 ? "..." : "");
		return;
	}
	if (cl->with && !commands[i].grants) {
		sh_printf("%s: takes no caps (`with` is for run and spawn)\n",
		          cl->command);
		return;
	}
	if (cl->nargs > commands[i].max_args) {
		sh_printf("%s: too many arguments (see `help`)\n", cl->command);
		return;
	}
	(void)commands[i].run(cl);
}

static void
prompt(void)
{
	sh_printf("%s@capos$ ", session_user());
}

int
main(void)
{
	static struct capos_call c;
	static struct cmdline cl;
	struct cmdline_error perr;
	capos_TerminalSession_readLine_Results_reader r;
	struct capnp_text line;
	int err;

	if (capos_TerminalSession_find("terminal", &shell_terminal))
		return 2;
	captab_init();
	if (session_start_anonymous())
		system_motd();
	sh_printf("Type `help` for the commands.\n");
	for (;;) {
		jobs_reap();
		prompt();
		capos_TerminalSession_readLine_Params_set_echo(
		    capos_TerminalSession_readLine_begin(&c), true);
		err = capos_TerminalSession_readLine_send(&c, shell_terminal);
		if (err)
			return 3;
		r = capos_TerminalSession_readLine_results(&c);
		switch (capos_TerminalSession_readLine_Results_get_event(r)) {
		case capos_TerminalEvent_line:
			break;
		case capos_TerminalEvent_endOfInput:
			sh_printf("logout\n");
			(void)cmd_logout(NULL);
			continue;
		default: /* Ctrl-C: the line is dropped */
			continue;
		}
		line = capos_TerminalSession_readLine_Results_get_line(r);
		if (cmdline_parse(line.str, line.len, &cl, &perr)) {
			sh_printf("shell: column %u: %s\n", perr.column,
			          perr.message);
			continue;
		}
		if (cl.command)
			execute(&cl);
	}
}
