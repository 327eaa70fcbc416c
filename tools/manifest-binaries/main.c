/*
 * manifest-binaries: the build-time look at an encoded boot manifest.
 *
 *   manifest-binaries FILE.manifest.bin
 *
 * Runs init's own validation (lib/manifest) over the whole service graph
 * and fails with init's message, so a manifest init would refuse never
 * reaches a boot image; then prints one line per BinaryEntry, "NAME
 * MODULE", so the build can check that every module the manifest names
 * is a program it builds (validation has made sure names are plain,
 * bounded text).  Exit status: 0 ok, 1 refused or unreadable, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/manifest.h"

/* Manifests are a few KiB; anything near this is not one. */
#define MAX_MANIFEST (16u << 20)

static struct manifest mf;

int
main(int argc, char **argv)
{
	struct manifest_error err;
	const char *path;
	uint8_t *buf;
	size_t len = 0, got;
	uint32_t i;
	FILE *f;
	int e;

	if (argc != 2) {
		fprintf(stderr, "usage: manifest-binaries FILE\n");
		return 2;
	}
	path = argv[1];
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	buf = malloc(MAX_MANIFEST);
	if (!buf) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	while ((got = fread(buf + len, 1, MAX_MANIFEST - len, f)) > 0)
		len += got;
	fclose(f);
	if (len == MAX_MANIFEST) {
		fprintf(stderr, "%s: too large for a manifest\n", path);
		return 1;
	}
	e = manifest_check(&mf, buf, len, &err);
	if (e) {
		fprintf(stderr, "%s: manifest refused: %s\n", path, err.msg);
		return 1;
	}
	for (i = 0; i < mf.nbinaries; i++)
		printf("%.*s %.*s\n", (int)mf.binaries[i].name.len,
		       mf.binaries[i].name.str, (int)mf.binaries[i].module.len,
		       mf.binaries[i].module.str);
	free(buf);
	return 0;
}
