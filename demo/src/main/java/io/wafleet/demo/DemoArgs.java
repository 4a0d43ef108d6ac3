package io.wafleet.demo;

import java.net.URI;
import java.nio.file.Path;

/** The demo's command line: --ws URI --admin URI --state DIR, each required. */
record DemoArgs(URI ws, URI admin, Path stateDir) {

  static DemoArgs parse(String[] args) {
    URI ws = null;
    URI admin = null;
    Path state = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ws" -> ws = URI.create(args[i + 1]);
        case "--admin" -> admin = URI.create(args[i + 1]);
        case "--state" -> state = Path.of(args[i + 1]);
        default -> throw usage("unknown option " + args[i]);
      }
    }
    if (ws == null || admin == null || state == null || args.length % 2 != 0) {
      throw usage("--ws, --admin and --state are required");
    }
    return new DemoArgs(ws, admin, state);
  }

  private static IllegalArgumentException usage(String why) {
    return new IllegalArgumentException(why + "; usage: DemoMain --ws ws://127.0.0.1:8090/ws/chat "
        + "--admin http://127.0.0.1:8091/ --state DIR");
  }
}
