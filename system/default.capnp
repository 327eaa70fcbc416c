# The default boot manifest, as Cap'n Proto text (docs/services.md): what
# `make run` boots.  The build encodes the `manifest` constant with the
# reference tool, which checks it against schema/capos.capnp (a
# misspelled or unknown field is an error):
#
#   capnp eval -I schema -b system/default.capnp manifest
#
# The kernel starts only init; init starts, in order and each once the
# one before reports ready, the terminal on the serial port, the
# credential service, the authority broker and the shell
# (docs/shell.md, docs/sessions.md).  The shell holds the terminal, the
# broker and a launcher of the login program; everything else a person
# at the prompt may use comes in the bundle of the session's profile.
#
# There are no accounts: on first boot, `setup` at the prompt makes the
# operator.  system/tests/shell.capnp is this system with a test operator.
@0xb25ab41d0a8905bd;

using Capos = import "/capos.capnp";

const binaries :List(Capos.BinaryEntry) = [
  (name = "init", module = "init"),
  (name = "terminal", module = "terminal"),
  (name = "credentials", module = "credentials"),
  (name = "broker", module = "broker"),
  (name = "shell", module = "shell"),
  (name = "login", module = "login"),
  # The programs a session runs, with the caps each looks up: a spawn
  # that grants one of these names a cap of another interface is refused.
  (name = "hello", module = "hello",
   expects = [(name = "stdio", interface = "StdIO"),
              (name = "console", interface = "Console")]),
  (name = "echo", module = "echo",
   expects = [(name = "stdio", interface = "StdIO")]),
  (name = "cat", module = "cat",
   expects = [(name = "stdio", interface = "StdIO")]),
  (name = "spin", module = "spin",
   expects = [(name = "stdio", interface = "StdIO"),
              (name = "timer", interface = "Timer")]),
  (name = "now", module = "now",
   expects = [(name = "stdio", interface = "StdIO"),
              (name = "wallclock", interface = "WallClock"),
              (name = "sysinfo", interface = "SystemInfo"),
              (name = "timer", interface = "Timer"),
              (name = "entropy", interface = "EntropySource")]),
];

const initCaps :List(Text) = [
  "serial", "threads", "park", "timer", "sysinfo", "wallclock", "clockset",
  "entropy", "logread", "audit", "auditwrite", "shutdown", "vm", "capmgr",
];

const services :List(Capos.ServiceConfig) = [
  ( name = "terminal",
    binary = "terminal",
    grants = [
      (name = "serial", interface = "SerialPort", source = (kernel = "serial")),
      (name = "threads", interface = "ThreadSpawner", source = (kernel = "threads")),
      (name = "park", interface = "ParkSpace", source = (kernel = "park")),
    ],
    exports = [(name = "terminal", interface = "TerminalSession")],
    restart = always,
    awaitReady = true ),
  ( name = "credentials",
    binary = "credentials",
    grants = [
      (name = "bootpkg", interface = "BootPackage", source = (kernel = "bootpkg")),
      (name = "timer", interface = "Timer", source = (kernel = "timer")),
      (name = "entropy", interface = "EntropySource", source = (kernel = "entropy")),
      (name = "vm", interface = "VirtualMemory", source = (kernel = "vm")),
      (name = "auditwrite", interface = "AuditWriter", source = (kernel = "auditwrite")),
    ],
    exports = [(name = "credentials", interface = "CredentialStore")],
    limits = (frames = 8192),
    restart = always,
    awaitReady = true ),
  ( name = "broker",
    binary = "broker",
    grants = [
      (name = "bootpkg", interface = "BootPackage", source = (kernel = "bootpkg")),
      (name = "capmgr", interface = "CapabilityManager", source = (kernel = "capmgr")),
      (name = "auditwrite", interface = "AuditWriter", source = (kernel = "auditwrite")),
      (name = "credentials", interface = "CredentialStore",
       source = (import = (service = "credentials", export = "credentials"))),
      # What the profiles hand out.
      (name = "terminal", interface = "TerminalSession",
       source = (import = (service = "terminal", export = "terminal"))),
      (name = "sysinfo", interface = "SystemInfo", source = (kernel = "sysinfo")),
      (name = "timer", interface = "Timer", source = (kernel = "timer")),
      (name = "wallclock", interface = "WallClock", source = (kernel = "wallclock")),
      (name = "clockset", interface = "ClockDiscipline", source = (kernel = "clockset")),
      (name = "entropy", interface = "EntropySource", source = (kernel = "entropy")),
      (name = "logread", interface = "LogReader", source = (kernel = "logread")),
      (name = "audit", interface = "AuditLog", source = (kernel = "audit")),
      (name = "shutdown", interface = "ShutdownControl", source = (kernel = "shutdown")),
      (name = "launcher_anonymous", interface = "ProcessSpawner",
       source = (launcher = ["hello", "echo", "cat", "now"])),
      (name = "launcher_operator", interface = "ProcessSpawner",
       source = (launcher = ["hello", "echo", "cat", "now", "spin"])),
    ],
    exports = [(name = "broker", interface = "AuthorityBroker")],
    restart = always,
    awaitReady = true ),
  ( name = "shell",
    binary = "shell",
    grants = [
      (name = "terminal", interface = "TerminalSession",
       source = (import = (service = "terminal", export = "terminal"))),
      (name = "broker", interface = "AuthorityBroker",
       source = (import = (service = "broker", export = "broker"))),
      (name = "login", interface = "ProcessSpawner", source = (launcher = ["login"])),
    ],
    restart = always ),
];

const profiles :List(Capos.SessionProfile) = [
  ( name = "anonymous",
    caps = [
      (name = "stdio", source = "stdio"),
      (name = "terminal", source = "terminal"),
      (name = "sysinfo", source = "sysinfo"),
      (name = "timer", source = "timer"),
      (name = "launcher", source = "launcher_anonymous"),
    ] ),
  ( name = "operator",
    caps = [
      (name = "stdio", source = "stdio"),
      (name = "terminal", source = "terminal"),
      (name = "sysinfo", source = "sysinfo"),
      (name = "timer", source = "timer"),
      (name = "wallclock", source = "wallclock"),
      (name = "clockset", source = "clockset"),
      (name = "entropy", source = "entropy"),
      (name = "logread", source = "logread"),
      (name = "audit", source = "audit"),
      (name = "shutdown", source = "shutdown"),
      (name = "launcher", source = "launcher_operator"),
    ] ),
];

const kernelParams :Capos.KernelParams = (
  hostname = "capos",
  motd = "Welcome to capOS.",
  logLevel = info,
);

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = .binaries,
  initConfig = (init = "init", initCaps = .initCaps, services = .services),
  kernelParams = .kernelParams,
  profiles = .profiles,
);
