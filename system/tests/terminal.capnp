# init starts the terminal service on the serial port and termtest, its
# client; a script on the host types into the port (tests/boot/terminal.py,
# run by tests/boot/services.sh) and termtest checks what the service made
# of it (KTEST terminal.* lines).  The service's reader thread needs
# "threads" and "park".  termtest also holds the port itself, to
# check that the service's claim on its input shuts it out.
@0xd1c2b3a4f5e60719;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "terminal", module = "terminal"),
    (name = "termtest", module = "termtest"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["serial", "threads", "park"],
    services = [
      (name = "terminal", binary = "terminal",
       grants = [
         (name = "serial", interface = "SerialPort", source = (kernel = "serial")),
         (name = "threads", interface = "ThreadSpawner", source = (kernel = "threads")),
         (name = "park", interface = "ParkSpace", source = (kernel = "park")),
       ],
       exports = [(name = "terminal", interface = "TerminalSession")]),
      (name = "termtest", binary = "termtest",
       grants = [
         (name = "console", interface = "Console", source = (kernel = "console")),
         (name = "serial", interface = "SerialPort", source = (kernel = "serial")),
         (name = "terminal", interface = "TerminalSession",
          source = (import = (service = "terminal", export = "terminal"))),
       ]),
    ],
  ),
  kernelParams = (hostname = "terminal-test", logLevel = info),
);
