# Deliberately hostile: a service names a binary that is not in binaries.
# init must refuse it before starting anything and exit 1.  Encoded into
# build/system/hostile-missing_binary.manifest.bin (module manifest-hostile-
# missing_binary) but not
# checked at build time; tests/boot/services.sh boots it.
@0xf8c6b7a9e0d10c4d;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
  ],
  initConfig = (init = "init", services = [
    (name = "echo_server", binary = "echo_server",
     exports = [(name = "echo", interface = "Echo")]),
    (name = "echo_client", binary = "echo_client"),
  ]),
);
