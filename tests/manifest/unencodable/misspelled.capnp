# Refused by the reference encoder itself: `binaris` is not a field of
# SystemManifest.  The manifest suite runs `capnp eval` on it and expects
# a failure that names the field (an unknown field is never ignored).
@0xf4a0c1d27b3e9a65;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaris = [(name = "init", module = "init")],
  initConfig = (init = "init"),
);
