# init starts echo_server and echo_client; the client checks echo, copy and
# move of a console cap, keep/giveBack and bounce (KTEST ipc.* lines).
# Encoded by mk/system.mk into build/system/echo.manifest.bin, boot module
# manifest-echo (kernel argument manifest=echo); run by
# tests/boot/services.sh.
@0xa3f1e2d4c5b60718;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
    (name = "echo_client", module = "echo_client"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer", "null"],
    services = [
      (name = "echo_server", binary = "echo_server",
       exports = [(name = "echo", interface = "Echo")]),
      (name = "echo_client", binary = "echo_client",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "console2", interface = "Console", source = (kernel = "console")),
         (name = "null", interface = "Null", source = (kernel = "null")),
         (name = "echo", interface = "Echo",
          source = (import = (service = "echo_server", export = "echo"))),
       ]),
    ],
  ),
  kernelParams = (hostname = "echo-test", logLevel = info),
);
