# The echo demo as the default boot once was: init starts echo_server and
# echo_client with exactly the grants below.  echo_server holds no
# console of its own: what it prints, it prints through the console cap
# echo_client copies to it over its endpoint (system/tests/echo.capnp
# moves it instead).  tests/boot/services.sh boots it with
# manifest=echo_copy.
@0x9bc93e7a7d73ae8b;

using Capos = import "/capos.capnp";

const manifest :Capos.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", module = "init"),
    (name = "echo_server", module = "echo_server"),
    (name = "echo_client", module = "echo_client"),
  ],
  initConfig = (
    init = "init",
    initCaps = ["timer", "null"],
    services = [
      ( name = "echo_server",
        binary = "echo_server",
        exports = [(name = "echo", interface = "Echo")],
        restart = onFailure ),
      ( name = "echo_client",
        binary = "echo_client",
        grants = [
          (name = "console", interface = "Console", source = (kernel = "console")),
          # A second console, so the client can move one away and keep
          # printing through the other.
          (name = "console2", interface = "Console", source = (kernel = "console")),
          (name = "null", interface = "Null", source = (kernel = "null")),
          (name = "echo", interface = "Echo",
           source = (import = (service = "echo_server", export = "echo"))),
        ] ),
    ],
  ),
  kernelParams = (
    hostname = "capos",
    motd = "Welcome to capOS.",
    logLevel = info,
  ),
);
