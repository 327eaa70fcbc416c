# Readiness that never comes: "stuck" (the spin program) must report ready
# within 300 ms and never does; init kills it (restart never), says why,
# and does not start "client", which imports from it.  The verdict is
# a failure (init exits 1): client never started.
# Encoded by mk/system.mk into build/system/never_ready.manifest.bin, boot
# module manifest-never_ready; run by tests/boot/services.sh.
@0xe1c2b3a4d5f60719;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "spin", module = "spin"),
    (name = "ready_client", module = "ready_client"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer"],
    services = [
      (name = "stuck", binary = "spin",
       exports = [(name = "echo", interface = "Echo")],
       awaitReady = true, readyTimeoutMs = 300, expectExit = -9),
      (name = "client", binary = "ready_client",
       grants = [
         (name = "echo", interface = "Echo",
          source = (import = (service = "stuck", export = "echo"))),
       ]),
    ],
  ),
);
