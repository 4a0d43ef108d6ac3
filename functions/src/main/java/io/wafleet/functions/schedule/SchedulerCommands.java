package io.wafleet.functions.schedule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the gcloud commands that make Cloud Scheduler match scheduler/jobs.yaml: for each job,
 * update it if it exists, else create it; HTTP POST to the job's function with an OIDC token of the
 * scheduler's service account, whose audience is the function's URL (the monitor function's
 * WAFLEET_ID_TOKEN_AUDIENCE). cloudbuild.yaml runs this, then the script it prints.
 *
 * <p>{@code SchedulerCommands <jobs.yaml> <project> <region> <service-account-email>}
 */
public final class SchedulerCommands {

  private SchedulerCommands() {}

  /** The gen2 function URL Cloud Functions gives {@code function}. */
  public static String functionUrl(String project, String region, String function) {
    return "https://" + region + "-" + project + ".cloudfunctions.net/" + function;
  }

  public static List<String> commands(JobsFile jobs, String project, String region, String serviceAccount) {
    List<String> out = new ArrayList<>();
    out.add("set -euo pipefail");
    for (JobsFile.Job job : jobs.jobs()) {
      String base = functionUrl(project, region, job.function());
      String flags = " --project=" + project + " --location=" + region
          + " --schedule='" + job.schedule() + "' --time-zone=Etc/UTC --http-method=POST"
          + " --uri=" + base + job.path()
          + " --oidc-service-account-email=" + serviceAccount + " --oidc-token-audience=" + base
          + " --attempt-deadline=60s";
      out.add("gcloud scheduler jobs update http wafleet-" + job.name() + flags
          + " || gcloud scheduler jobs create http wafleet-" + job.name() + flags);
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SchedulerCommands <jobs.yaml> <project> <region> <service-account-email>");
      System.exit(2);
    }
    for (String line : commands(JobsFile.read(Path.of(args[0])), args[1], args[2], args[3])) {
      System.out.println(line);
    }
  }
}
