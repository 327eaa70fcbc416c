# A client floods echo_server (endpoint queue of 2) with calls it does not
# wait for: some are refused with CAPOS_E_QUOTA, the rest answered, the server
# goes on.
# Encoded by mk/system.mk into build/system/flood.manifest.bin, boot module
# manifest-flood (kernel argument manifest=flood); run by
# tests/boot/services.sh.
@0xb4e2d3c5a6f70819;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
    (name = "flood_client", module = "flood_client"),
  ],
  initConfig = (
    init = "init",
    services = [
      (name = "echo_server", binary = "echo_server",
       exports = [(name = "echo", interface = "Echo")],
       limits = (endpointQueue = 2)),
      (name = "flood_client", binary = "flood_client",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "echo", interface = "Echo",
          source = (import = (service = "echo_server", export = "echo"))),
       ]),
    ],
  ),
);
