# The default boot manifest, as Cap'n Proto text.  The build encodes the
# `manifest` constant with the reference tool (which checks it against
# schema/capos.capnp: a misspelled or unknown field is an error):
#
#   capnp eval -I schema -b system/default.capnp manifest
#
# into build/system/default.manifest.bin.
@0xb25ab41d0a8905bd;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
  ],
  initConfig = (init = "init"),
  kernelParams = (
    hostname = "capos",
    motd = "Welcome to capOS.",
    logLevel = info,
  ),
);
