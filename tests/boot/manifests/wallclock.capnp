# WallClock and ClockDiscipline: wallclocktest runs as init holding both
# (an operator's bundle), and spawns wallclock_reader with the WallClock
# alone, which must not be able to set the time.
@0xa3f6c81d2e4b7905;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "wallclocktest", module = "wallclocktest"),
    (name = "wallclock_reader", module = "wallclock_reader"),
  ],
  initConfig = (
    init = "wallclocktest",
    initCaps = ["timer", "wallclock", "clockset"],
  ),
  kernelParams = (hostname = "wallclock", logLevel = info),
);
