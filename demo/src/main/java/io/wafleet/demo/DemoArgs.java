package io.wafleet.demo;

import java.net.URI;
import java.nio.file.Path;

/**
 * The demo's command line: {@code --api URL --sim-admin URL --connector-pid-file FILE}, each required;
 * the admin token comes from {@code WAFLEET_ADMIN_TOKEN} (never from the command line, where other
 * users of the machine could read it).
 */
record DemoArgs(URI api, URI simulatorAdmin, Path connectorPidFile) {

  static DemoArgs parse(String[] args) {
    URI api = null;
    URI admin = null;
    Path pidFile = null;
    if (args.length % 2 != 0) {
      throw usage("every option takes a value");
    }
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--api" -> api = uri(args[i + 1], "--api");
        case "--sim-admin" -> admin = uri(args[i + 1], "--sim-admin");
        case "--connector-pid-file" -> pidFile = Path.of(args[i + 1]);
        default -> throw usage("unknown option " + args[i]);
      }
    }
    if (api == null || admin == null || pidFile == null) {
      throw usage("--api, --sim-admin and --connector-pid-file are required");
    }
    return new DemoArgs(api, admin, pidFile);
  }

  private static URI uri(String raw, String option) {
    URI uri;
    try {
      uri = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw usage(option + " is not a URL");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw usage(option + " must be an http:// URL");
    }
    return uri;
  }

  private static IllegalArgumentException usage(String why) {
    return new IllegalArgumentException(why + "; usage: DemoMain --api http://127.0.0.1:8080 "
        + "--sim-admin http://127.0.0.1:8091/ --connector-pid-file .wafleet/run/connector.pid "
        + "(WAFLEET_ADMIN_TOKEN in the environment)");
  }
}
