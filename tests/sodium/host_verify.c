/*
 * host_verify: checks a password against a verifier with the host's
 * libsodium (the mkverifier suite).  Exits 0 when it matches, 1 when not.
 *
 *   host_verify VERIFIER PASSWORD
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

int
main(int argc, char **argv)
{
	char str[crypto_pwhash_STRBYTES] = {0};

	if (argc != 3 || strlen(argv[1]) >= sizeof(str) || sodium_init() < 0) {
		fprintf(stderr, "usage: host_verify VERIFIER PASSWORD\n");
		return 2;
	}
	memcpy(str, argv[1], strlen(argv[1]));
	return crypto_pwhash_str_verify(str, argv[2], strlen(argv[2])) == 0 ? 0
	                                                                    : 1;
}
