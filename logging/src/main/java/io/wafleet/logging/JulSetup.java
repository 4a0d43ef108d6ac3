package io.wafleet.logging;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging to stdout in the wafleet format. Used as
 * {@code java -Djava.util.logging.config.class=io.wafleet.logging.JulSetup}: the JDK instantiates
 * it once, before the first JUL logger is used, so even the first lines of a process that logs
 * through JUL (the Functions Framework invoker and Jetty) come out in our format.
 */
public final class JulSetup {

  public JulSetup() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.addHandler(new StdoutHandler(new WafleetJulFormatter(LogFormat.ofThisProcess()), System.out));
    root.setLevel(Level.INFO);
  }

  /** Writes each record at once (a ConsoleHandler would write to stderr). */
  private static final class StdoutHandler extends Handler {
    private final PrintStream out;

    StdoutHandler(WafleetJulFormatter formatter, PrintStream out) {
      this.out = out;
      setFormatter(formatter);
    }

    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        out.print(getFormatter().format(record));
        out.flush();
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
