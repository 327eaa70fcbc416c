# Refused by the reference encoder itself: `sometimes` is not a
# RestartPolicy.  The manifest suite expects `capnp eval` to fail naming it.
@0xc5e29b0d83f17a44;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", module = "init")],
  initConfig = (init = "init", services = [
    (name = "s", binary = "init", restart = sometimes),
  ]),
);
