package io.wafleet.connector.app;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.store.Firestores;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector process: reads {@link ConnectorConfig} from the environment, starts a {@link Connector}
 * and runs its shutdown on SIGTERM (Cloud Run gives 10 s). Exit codes: 2 bad configuration, 3 the
 * instance lease was lost (every socket already closed; the platform restarts the process).
 */
public final class ConnectorMain {

  private static final Logger log = LoggerFactory.getLogger(ConnectorMain.class);

  private ConnectorMain() {}

  public static void main(String[] args) throws Exception {
    ConnectorConfig config;
    try {
      config = ConnectorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      log.error("connector refuses to start: {}", e.getMessage());
      System.err.println("connector refuses to start: " + e.getMessage());
      System.exit(2);
      return;
    }
    BootWarmUp.start();
    Firestore firestore = Firestores.connect(config.projectId(), config.emulatorHost());
    BootWarmUp.startStore(firestore, config.instanceId());
    Connector connector = new Connector(config, firestore, Clock.systemUTC(), () -> {
          log.error("instance lease lost: exiting so the platform starts a fresh instance");
          // halt, not exit: the shutdown hook would try to release accounts this instance no longer owns.
          Runtime.getRuntime().halt(3);
        });
    Runtime.getRuntime().addShutdownHook(new Thread(connector::shutdown, "shutdown"));
    connector.run();
    Thread.currentThread().join();
  }
}
