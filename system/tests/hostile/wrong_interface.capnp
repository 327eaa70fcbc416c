# Deliberately hostile: an import asks for a Console where the export serves
# Echo.
# init must refuse it before starting anything and exit 1.  Encoded into
# build/system/hostile-wrong_interface.manifest.bin (module manifest-hostile-
# wrong_interface) but not
# checked at build time; tests/boot/services.sh boots it.
@0xabf9eadc03140f70;

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
     grants = [(name = "console", interface = "Console",
                source = (import = (service = "echo_server", export = "echo")))]),
  ]),
);
