package io.wafleet.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code java -jar wa-simulator.jar --port P --admin-port A
 * [--post-handshake-delay-ms N]}. Prints {@code ws=<port> admin=<port>} on one line once both
 * listen, then runs until SIGTERM or SIGINT. A bad argument prints the usage to stderr and exits 2.
 */
public final class SimulatorMain {

  static final String USAGE =
      "usage: wa-simulator --port P --admin-port A [--post-handshake-delay-ms N]  (0 = free port)";

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("wa-simulator: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    WaSimulator simulator = WaSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      simulator.close();
      stopped.countDown();
    }, "wa-simulator-shutdown"));
    PrintStream out = System.out;
    out.println("ws=" + simulator.wsPort() + " admin=" + simulator.adminPort());
    out.flush();
    stopped.await();
  }

  /** Parses the arguments; every problem is an {@link IllegalArgumentException} naming it. */
  static SimulatorConfig parse(String[] args) {
    SimulatorConfig.Builder builder = SimulatorConfig.builder();
    boolean port = false;
    boolean adminPort = false;
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      int value = number(name, args[i + 1]);
      switch (name) {
        case "--port" -> {
          builder.wsPort(port(name, value));
          port = true;
        }
        case "--admin-port" -> {
          builder.adminPort(port(name, value));
          adminPort = true;
        }
        case "--post-handshake-delay-ms" -> builder.postHandshakeDelay(Duration.ofMillis(value));
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (!port || !adminPort) {
      throw new IllegalArgumentException("--port and --admin-port are required");
    }
    return builder.build();
  }

  private static int number(String name, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number: " + text);
    }
  }

  private static int port(String name, int value) {
    if (value > 65535) {
      throw new IllegalArgumentException(name + " out of 0..65535");
    }
    return value;
  }
}
