#!/bin/sh
# Writes the header of sodium_test's build-time values: a verifier that
# tools/mkverifier made for a known test password, and BLAKE2b digests
# the host's libsodium computed (the guest must get the same ones).
#
#   vectors.sh MKVERIFIER HOST_BLAKE2B OPSLIMIT MEMLIMIT >sodium_vectors.h
set -eu
mkverifier=$1
blake2b=$2
ops=$3
mem=$4

# No quote or backslash in these: they go into C strings as they are.
password='capOS test password: 7 words, 1 colon'
key='capOS sodium_test key'
# Longer than BLAKE2b's 128-byte block, so more than one block is hashed.
message='The quick brown fox jumps over the lazy dog; capOS checks that its libsodium, built by capos-cc from Debian source, hashes these 160-odd bytes as the host library does.'

verifier=$(printf '%s\n' "$password" |
	"$mkverifier" --opslimit "$ops" --memlimit "$mem")
digest64=$(printf '%s' "$message" | "$blake2b" 64)
keyed32=$(printf '%s' "$message" | "$blake2b" 32 "$key")

cat <<END
/* Generated at build time by tests/sodium/vectors.sh. */
#define SODIUM_TEST_OPSLIMIT ${ops}ULL
#define SODIUM_TEST_MEMLIMIT ${mem}UL
#define SODIUM_TEST_PASSWORD "$password"
#define SODIUM_TEST_VERIFIER "$verifier"
#define SODIUM_TEST_KEY "$key"
#define SODIUM_TEST_MESSAGE "$message"
#define SODIUM_TEST_BLAKE2B_64 "$digest64"
#define SODIUM_TEST_BLAKE2B_KEYED_32 "$keyed32"
END
