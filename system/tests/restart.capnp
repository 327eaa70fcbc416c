# Restart policies: crasher (onFailure) and again (always) are restarted 3
# times, then given up as crash loops; once (never) is not restarted.  Every
# final code is as expected.
# Encoded by mk/system.mk into build/system/restart.manifest.bin, boot module
# manifest-restart (kernel argument manifest=restart); run by
# tests/boot/services.sh.
@0xd6a4f5e7c8b90a2b;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "crasher", module = "crasher"),
    (name = "nop", module = "nop"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer"],
    services = [
      (name = "crasher", binary = "crasher", restart = onFailure,
       expectExit = 3),
      (name = "again", binary = "nop", restart = always),
      (name = "once", binary = "nop", restart = never),
    ],
  ),
);
