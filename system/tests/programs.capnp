# The programs a shell user runs (user/programs: hello, echo, cat, spin,
# now), each started by progtest with a scripted StdIO (stdio_script) in
# place of the terminal, with and without the caps it needs (run by
# tests/boot/services.sh, manifest=programs).
@0xb5e08d3c7a41f926;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "progtest", module = "progtest"),
    (name = "stdio_script", module = "stdio_script"),
    (name = "hello", module = "hello"),
    (name = "echo", module = "echo"),
    (name = "cat", module = "cat"),
    (name = "spin", module = "spin"),
    (name = "now", module = "now"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer", "sysinfo", "wallclock", "entropy"],
    services = [
      (name = "progtest", binary = "progtest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "sysinfo", interface = "SystemInfo", source = (kernel = "sysinfo")),
         (name = "wallclock", interface = "WallClock", source = (kernel = "wallclock")),
         (name = "entropy", interface = "EntropySource", source = (kernel = "entropy")),
         (name = "launcher", interface = "ProcessSpawner",
          source = (launcher = ["stdio_script", "hello", "echo", "cat", "spin", "now"])),
       ]),
    ],
  ),
);
