package io.wafleet.functions.schedule;

import io.wafleet.functions.monitor.MonitorFunction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud Scheduler's stand-in for the local stack: at the start of every minute, POSTs each job of
 * scheduler/jobs.yaml whose schedule matches to its function, with the admin token and the
 * {@code X-CloudScheduler-ScheduleTime} header Cloud Scheduler sends. Runs on the calling thread,
 * one job after another (the jobs take well under a minute). Not thread-safe; one per process.
 *
 * <p>{@code java -cp ... io.wafleet.functions.schedule.LocalScheduler scheduler/jobs.yaml
 * wafleet-monitor=http://127.0.0.1:8082} with WAFLEET_ADMIN_TOKEN in the environment.
 */
public final class LocalScheduler {

  private static final Logger log = LoggerFactory.getLogger(LocalScheduler.class);

  /** What one firing answered; status -1 when the function could not be reached. */
  public record Fired(String job, int status) {}

  private final JobsFile jobs;
  private final Map<String, URI> functionUrls;
  private final String adminToken;
  private final HttpClient http;

  public LocalScheduler(JobsFile jobs, Map<String, URI> functionUrls, String adminToken) {
    this.jobs = Objects.requireNonNull(jobs, "jobs == null");
    this.functionUrls = Map.copyOf(functionUrls);
    this.adminToken = Objects.requireNonNull(adminToken, "adminToken == null");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (JobsFile.Job job : jobs.jobs()) {
      if (!functionUrls.containsKey(job.function())) {
        throw new IllegalArgumentException("job '" + job.name() + "' names function '" + job.function()
            + "', which has no URL (pass " + job.function() + "=http://host:port)");
      }
    }
  }

  /** Fires every job due in the minute holding {@code minute}, in file order. */
  public List<Fired> fireDue(Instant minute) {
    Instant scheduled = minute.truncatedTo(ChronoUnit.MINUTES);
    List<Fired> fired = new ArrayList<>();
    for (JobsFile.Job job : jobs.jobs()) {
      if (job.schedule().matches(scheduled)) {
        fired.add(new Fired(job.name(), post(job, scheduled)));
      }
    }
    return fired;
  }

  private int post(JobsFile.Job job, Instant scheduled) {
    URI uri = URI.create(functionUrls.get(job.function()).toString().replaceAll("/+$", "") + job.path());
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(50))
        .header("X-Admin-Token", adminToken)
        .header(MonitorFunction.SCHEDULE_TIME_HEADER, scheduled.toString())
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      log.atInfo().addKeyValue("job", job.name()).addKeyValue("scheduledFor", scheduled.toString())
          .addKeyValue("status", status).log("fired");
      return status;
    } catch (IOException e) {
      log.atWarn().addKeyValue("job", job.name()).addKeyValue("reason", e.getClass().getSimpleName())
          .log("job not reached");
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Fires due jobs at the start of each minute until interrupted. */
  public void runForever(Clock clock) throws InterruptedException {
    Instant next = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    while (!Thread.currentThread().isInterrupted()) {
      long wait = Duration.between(clock.instant(), next).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      fireDue(next);
      next = next.plus(Duration.ofMinutes(1));
      Instant now = clock.instant();
      if (now.isAfter(next)) {
        // A suspended machine: skip the missed minutes (they are gaps, as in production).
        next = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LocalScheduler <jobs.yaml> <function>=<base URL>...  (WAFLEET_ADMIN_TOKEN in the environment)");
      System.exit(2);
    }
    String token = System.getenv("WAFLEET_ADMIN_TOKEN");
    if (token == null || token.isBlank()) {
      System.err.println("WAFLEET_ADMIN_TOKEN is required");
      System.exit(2);
    }
    Map<String, URI> urls = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kvp = args[i].split("=", 2);
      if (kvp.length != 2) {
        System.err.println("expected <function>=<base URL>, got " + args[i]);
        System.exit(2);
      }
      urls.put(kvp[0], URI.create(kvp[1]));
    }
    LocalScheduler scheduler = new LocalScheduler(JobsFile.read(Path.of(args[0])), urls, token);
    log.atInfo().addKeyValue("functions", urls.keySet()).log("local scheduler started");
    scheduler.runForever(Clock.systemUTC());
  }
}
