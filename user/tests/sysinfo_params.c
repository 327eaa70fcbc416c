/*
 * sysinfo_params: SystemInfo's hostname and motd against the boot
 * manifest (boot suite case sysinfo-params, manifest=sysinfo_params).
 * Runs as init, so it holds BootPackage: it decodes the manifest's
 * kernelParams itself and checks each answer against it, and against
 * the values the test manifest sets (so an empty answer from an empty
 * manifest cannot pass).
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

/* What tests/boot/manifests/sysinfo_params.capnp sets. */
#define WANT_HOSTNAME   "params-host"
#define WANT_MOTD_START "Welcome to the SystemInfo test.\nA second line"

static bool
text_is(struct capnp_text t, const char *s)
{
	return t.str && t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

int
main(void)
{
	capos_capid_t si, bootpkg;
	capos_KernelParams_reader kp;
	struct capnp_msg m;
	char host[128], motd[256];
	void *buf = NULL;
	size_t len = 0;
	int err, eh, em;

	ktest_prefix("sysinfo_params.");
	if (capos_SystemInfo_find("sysinfo", &si) ||
	    capos_BootPackage_find("bootpkg", &bootpkg)) {
		printf("KTEST not ok sysinfo_params.capset: caps missing\n");
		return 1;
	}
	err = capos_bootpkg_read_manifest(bootpkg, &buf, &len);
	if (!err)
		err = capos_msg_read(&m, buf, len);
	ktest_check(err == 0, "manifest.read", "%s", capos_strerror(err));
	if (err)
		return ktest_failures();
	kp = capos_SystemManifest_get_kernelParams(
	    capos_SystemManifest_read_root(&m));
	eh = capos_sysinfo_hostname(si, host, sizeof(host));
	em = capos_sysinfo_motd(si, motd, sizeof(motd));
	ktest_check(
	    eh == 0 && text_is(capos_KernelParams_get_hostname(kp), host),
	    "hostname.is_manifests", "%s, '%s'", capos_strerror(eh), host);
	ktest_check(eh == 0 && strcmp(host, WANT_HOSTNAME) == 0,
	            "hostname.is_test_value", "'%s'", host);
	ktest_check(em == 0 && text_is(capos_KernelParams_get_motd(kp), motd),
	            "motd.is_manifests", "%s, %zu bytes", capos_strerror(em),
	            strlen(motd));
	ktest_check(em == 0 && strncmp(motd, WANT_MOTD_START,
	                               strlen(WANT_MOTD_START)) == 0,
	            "motd.is_test_value", "%zu bytes", strlen(motd));
	ktest_check(capnp_msg_error(&m) == 0, "manifest.well_formed",
	            "error %d", capnp_msg_error(&m));
	free(buf);
	printf("sysinfo_params: %d failures\n", ktest_failures());
	return ktest_failures();
}
