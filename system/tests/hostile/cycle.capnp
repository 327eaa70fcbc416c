# Deliberately hostile: two services import from each other.
# init must refuse it before starting anything and exit 1.  Encoded into
# build/system/hostile-cycle.manifest.bin (module manifest-hostile-cycle) but
# not
# checked at build time; tests/boot/services.sh boots it.
@0x89d7c8bae1f20d5e;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
  ],
  initConfig = (init = "init", services = [
    (name = "ping", binary = "echo_server",
     exports = [(name = "echo", interface = "Echo")],
     grants = [(name = "peer", interface = "Echo",
                source = (import = (service = "pong", export = "echo")))]),
    (name = "pong", binary = "echo_server",
     exports = [(name = "echo", interface = "Echo")],
     grants = [(name = "peer", interface = "Echo",
                source = (import = (service = "ping", export = "echo")))]),
  ]),
);
