package io.wafleet.functions.watchdog;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.run.v2.RevisionTemplate;
import com.google.cloud.run.v2.Service;
import com.google.cloud.run.v2.ServicesClient;
import com.google.cloud.run.v2.ServicesSettings;
import com.google.cloud.run.v2.UpdateServiceRequest;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Restarts the connector's Cloud Run service through the Cloud Run Admin API (v2): reads the
 * service and writes it back with the template annotation {@value #RESTART_ANNOTATION} set to now.
 * A changed template makes Cloud Run roll out a new revision, which starts fresh instances and
 * drains the old ones; v2 offers no plainer "restart" call. Blocks up to {@code timeout} for the
 * operation. Thread-safe (the client is).
 */
public final class CloudRunRestarter implements ConnectorRestarter, AutoCloseable {

  public static final String RESTART_ANNOTATION = "wafleet.io/restarted-at";

  private final ServicesClient client;
  private final String serviceName;
  private final Clock clock;
  private final long timeoutSeconds;

  /** @param serviceName projects/{project}/locations/{region}/services/{service} */
  public CloudRunRestarter(ServicesClient client, String serviceName, Clock clock, long timeoutSeconds) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The production client: Application Default Credentials, Google's endpoint. */
  public static ServicesClient googleClient() {
    try {
      return ServicesClient.create();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Run client", e);
    }
  }

  /** A plaintext, credential-less client for a local endpoint ("127.0.0.1:port"): tests. */
  public static ServicesClient localClient(String endpoint) {
    try {
      ServicesSettings settings = ServicesSettings.newBuilder().setEndpoint(endpoint)
          .setCredentialsProvider(NoCredentialsProvider.create())
          .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder().setEndpoint(endpoint)
              .setChannelConfigurator(ManagedChannelBuilder::usePlaintext).build())
          .build();
      return ServicesClient.create(settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Run client", e);
    }
  }

  @Override
  public String restart(String reason) {
    Service current = client.getService(serviceName);
    RevisionTemplate template = current.getTemplate().toBuilder()
        .putAnnotations(RESTART_ANNOTATION, clock.instant().toString()).build();
    Service wanted = current.toBuilder().setTemplate(template).build();
    try {
      Service updated = client.updateServiceAsync(UpdateServiceRequest.newBuilder().setService(wanted).build())
          .get(timeoutSeconds, TimeUnit.SECONDS);
      return "new revision requested for " + serviceName + " (latest created: " + updated.getLatestCreatedRevision() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting " + serviceName, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("restart of " + serviceName + " failed: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public String describe() {
    return "cloud-run(" + serviceName + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
