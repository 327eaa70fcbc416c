# A server takes a call and dies without answering: the caller gets
# CAPOS_E_DISCONNECTED, then and later.  The server's own exit (code 0)
# counts.
# Encoded by mk/system.mk into build/system/disconnect.manifest.bin, boot
# module
# manifest-disconnect (kernel argument manifest=disconnect); run by
# tests/boot/services.sh.
@0xc5f3e4d6b7a8091a;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "dying_server", module = "dying_server"),
    (name = "disconnect_client", module = "disconnect_client"),
  ],
  initConfig = (
    init = "init",
    services = [
      (name = "dying_server", binary = "dying_server",
       exports = [(name = "echo", interface = "Echo")]),
      (name = "disconnect_client", binary = "disconnect_client",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "echo", interface = "Echo",
          source = (import = (service = "dying_server", export = "echo"))),
       ]),
    ],
  ),
);
