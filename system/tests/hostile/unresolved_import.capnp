# Deliberately hostile: an import names an export the server does not have.
# init must refuse it before starting anything and exit 1.  Encoded into
# build/system/hostile-unresolved_import.manifest.bin (module manifest-
# hostile-unresolved_import) but not
# checked at build time; tests/boot/services.sh boots it.
@0x9ae8d9cbf2030e6f;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
    (name = "echo_client", module = "echo_client"),
  ],
  initConfig = (init = "init", services = [
    (name = "echo_server", binary = "echo_server",
     exports = [(name = "echo", interface = "Echo")]),
    (name = "echo_client", binary = "echo_client",
     grants = [(name = "echo", interface = "Echo",
                source = (import = (service = "echo_server", export = "shout")))]),
  ]),
);
