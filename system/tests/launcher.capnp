# Launchers: init narrows its ProcessSpawner to the binaries a grant of
# source `launcher` names; launchertest starts what it may and is refused
# the rest (run by tests/boot/services.sh, manifest=launcher).
@0xe7b3c5a1d9f24806;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "launchertest", module = "launchertest"),
    (name = "hello", module = "hello"),
    (name = "nop", module = "nop"),
  ],
  initConfig = (
    init = "init",
    services = [
      (name = "launchertest", binary = "launchertest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "launcher", interface = "ProcessSpawner",
          source = (launcher = ["hello"])),
       ]),
    ],
  ),
);
