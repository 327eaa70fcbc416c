/*
 * launchertest: a service granted a launcher (manifest grant source
 * `launcher`, ProcessSpawner.narrow of init's spawner) starts the
 * binaries it names and nothing else, and narrows it further only to
 * names it already allows (services suite case launcher).
 */
#include "capos.h"

#include "capos.capnp.h"

#include <capos/kernel_caps.h>

static capos_capid_t console, launcher;

/* Spawns binary with our console; the exit code or -1, and the error. */
static int
run(capos_capid_t spawner, const char *binary, int *err)
{
	struct capos_spawn_grant g = {"console", console};
	capos_capid_t handle;
	int32_t code = -1;

	*err = capos_spawn(spawner, binary, binary, &g, 1, NULL, 0, NULL,
	                   &handle, NULL);
	if (*err)
		return -1;
	*err = capos_handle_wait(handle, &code);
	capos_release_sync(handle);
	return code;
}

static bool
invalid(int err)
{
	return err == CAPOS_E_APP_EXCEPTION &&
	       capos_last_exception()->type ==
	           capos_ExceptionType_invalidArgument;
}

int
main(void)
{
	static const char *const hello[] = {"hello"};
	static const char *const nop[] = {"nop"};
	const char *many[CAPOS_LAUNCHER_BINARIES_MAX + 1];
	capos_capid_t narrow = 0, none = 0, refused = 0;
	int err, code, i;

	ktest_prefix("ipc.launcher.");
	if (capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("launcher", capos_ProcessSpawner_TYPE_ID,
	                      &launcher)) {
		printf("launchertest: missing console or launcher\n");
		return 1;
	}
	code = run(launcher, "hello", &err);
	ktest_check(err == 0 && code == 0, "starts_a_named_binary",
	            "%s, exit code %d", capos_strerror(err), code);
	run(launcher, "nop", &err);
	ktest_check(invalid(err), "refuses_a_binary_it_does_not_name", "%s",
	            capos_strerror(err));
	run(launcher, "no_such_binary", &err);
	ktest_check(invalid(err), "refuses_a_missing_binary", "%s",
	            capos_strerror(err));

	err = capos_spawner_narrow(launcher, hello, 1, &narrow);
	ktest_check(err == 0, "narrows_to_a_name_it_allows", "%s",
	            capos_strerror(err));
	code = run(narrow, "hello", &err);
	ktest_check(err == 0 && code == 0, "the_narrower_one_starts_it",
	            "%s, exit code %d", capos_strerror(err), code);
	err = capos_spawner_narrow(launcher, nop, 1, &refused);
	ktest_check(invalid(err), "cannot_widen_to_a_name_it_lacks", "%s",
	            capos_strerror(err));
	err = capos_spawner_narrow(narrow, NULL, 0, &none);
	ktest_check(err == 0, "narrows_to_nothing", "%s", capos_strerror(err));
	run(none, "hello", &err);
	ktest_check(invalid(err), "an_empty_launcher_starts_nothing", "%s",
	            capos_strerror(err));
	for (i = 0; i <= CAPOS_LAUNCHER_BINARIES_MAX; i++)
		many[i] = "hello";
	err = capos_spawner_narrow(launcher, many,
	                           CAPOS_LAUNCHER_BINARIES_MAX + 1, &refused);
	ktest_check(invalid(err), "refuses_too_many_names", "%s",
	            capos_strerror(err));
	many[0] = "";
	err = capos_spawner_narrow(launcher, many, 1, &refused);
	ktest_check(invalid(err), "refuses_an_empty_name", "%s",
	            capos_strerror(err));
	capos_release_sync(narrow);
	capos_release_sync(none);
	printf("launchertest: %d failures\n", ktest_failures());
	return ktest_failures();
}
