# Readiness: ready_server sleeps before it serves and reports ready
# (awaitReady); init starts ready_client only after that, so the client's
# first call is answered (a call that came before the report would be
# refused by the server).
# Encoded by mk/system.mk into build/system/ready.manifest.bin, boot module
# manifest-ready (kernel argument manifest=ready); run by
# tests/boot/services.sh.
@0xe1c2b3a4d5f60718;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "ready_server", module = "ready_server"),
    (name = "ready_client", module = "ready_client"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer"],
    services = [
      (name = "ready_server", binary = "ready_server",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
       ],
       exports = [(name = "echo", interface = "Echo")],
       awaitReady = true, readyTimeoutMs = 10000),
      (name = "ready_client", binary = "ready_client",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "echo", interface = "Echo",
          source = (import = (service = "ready_server", export = "echo"))),
       ]),
    ],
  ),
);
