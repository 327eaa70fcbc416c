# The verdict can fail: crasher exits 3 where 0 is expected, so init says so
# and exits 1 (boot with expect_exit=1).
# Encoded by mk/system.mk into build/system/mismatch.manifest.bin, boot module
# manifest-mismatch (kernel argument manifest=mismatch); run by
# tests/boot/services.sh.
@0xe7b5a6f8d9c00b3c;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "crasher", module = "crasher"),
  ],
  initConfig = (
    init = "init",
    services = [(name = "crasher", binary = "crasher")],
  ),
);
