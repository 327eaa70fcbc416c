# FP/SIMD state across context switches: fpu_iso runs as init, spawns a
# copy of itself as a server and calls it, both holding their own values
# in every FP/SIMD register; then it starts fpu_start with its own state
# live.
@0xb6f1d2c3a4958776;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "fpu_iso", module = "fpu_iso"),
    (name = "fpu_start", module = "fpu_start"),
  ],
  initConfig = (init = "fpu_iso"),
  kernelParams = (hostname = "fputest", logLevel = info),
);
