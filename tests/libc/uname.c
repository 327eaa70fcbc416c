/*
 * uname: every field of struct utsname is NUL-terminated within its
 * array and non-empty; the machine is x86_64 and gethostname agrees
 * with the node name.  What legitimately
 * differs between systems (the names themselves, except the machine) is
 * never printed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"

/* Checks one field of struct utsname and prints its verdict. */
static void
field(const char *name, const char *value, size_t size)
{
	int terminated = memchr(value, '\0', size) != NULL;

	CHECK(terminated, "%s not NUL-terminated", name);
	CHECK(terminated && value[0] != '\0', "%s empty", name);
	printf("uname: %s %s\n", name,
	       !terminated ? "UNTERMINATED"
	       : !value[0] ? "EMPTY"
	                   : "ok");
}

int
main(int argc, char **argv)
{
	struct utsname u;
	char host[sizeof(u.nodename) + 1];
	int err;

	(void)argc;
	(void)argv;
	memset(&u, 'x', sizeof(u));
	err = uname(&u);
	CHECK(err == 0, "uname returned %d", err);
	field("sysname", u.sysname, sizeof(u.sysname));
	field("nodename", u.nodename, sizeof(u.nodename));
	field("release", u.release, sizeof(u.release));
	field("version", u.version, sizeof(u.version));
	field("machine", u.machine, sizeof(u.machine));
	printf("uname: machine %s\n", u.machine);
	CHECK(strcmp(u.machine, "x86_64") == 0, "machine is %s", u.machine);
	err = gethostname(host, sizeof(host));
	CHECK(err == 0 && strcmp(host, u.nodename) == 0,
	      "gethostname disagrees with uname");
	printf("gethostname: agrees with uname\n");
	return check_summary("uname");
}
