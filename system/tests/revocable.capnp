# Revocable caps: revoketest makes forwarders through CapabilityManager,
# hands them to its child revoke_child (spawn grant and IPC) and revokes
# them (user/tests/revoketest.c; KTEST ipc.revocable.* lines).  Run by
# tests/boot/services.sh (manifest=revocable).
@0xc1d7a3e95b2f4068;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "revoketest", module = "revoketest"),
    (name = "revoke_child", module = "revoke_child"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["capmgr", "null", "timer", "sysinfo", "frames", "vm"],
    services = [
      (name = "revoketest", binary = "revoketest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "capmgr", interface = "CapabilityManager",
          source = (kernel = "capmgr")),
         (name = "null", interface = "Null", source = (kernel = "null")),
         (name = "timer", interface = "Timer", source = (kernel = "timer")),
         (name = "sysinfo", interface = "SystemInfo",
          source = (kernel = "sysinfo")),
         (name = "frames", interface = "FrameAllocator",
          source = (kernel = "frames")),
         (name = "vm", interface = "VirtualMemory", source = (kernel = "vm")),
         (name = "launcher", interface = "ProcessSpawner",
          source = (launcher = ["revoke_child"])),
       ]),
    ],
  ),
  kernelParams = (hostname = "revocable-test", logLevel = info),
);
