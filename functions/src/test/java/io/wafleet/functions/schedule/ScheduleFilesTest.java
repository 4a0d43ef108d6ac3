package io.wafleet.functions.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.functions.HttpFunction;
import io.wafleet.functions.monitor.MonitorFunction;
import io.wafleet.functions.monitor.MonitorJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** cloudbuild.yaml and scheduler/jobs.yaml parse, agree with each other, and name code that exists. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScheduleFilesTest {

  private static final Path ROOT = Path.of("..");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cloudBuildSteps() throws Exception {
    Map<String, Object> build = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(ROOT.resolve("cloudbuild.yaml")));
    return (List<Map<String, Object>>) build.get("steps");
  }

  /** function name → entry point, from every `gcloud functions deploy` step. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> deployedFunctions() throws Exception {
    Map<String, String> out = new HashMap<>();
    for (Map<String, Object> step : cloudBuildSteps()) {
      List<String> args = (List<String>) step.get("args");
      if ("gcloud".equals(step.get("entrypoint")) && args.size() > 2 && args.get(0).equals("functions")
          && args.get(1).equals("deploy")) {
        String entry = args.stream().filter(a -> a.startsWith("--entry-point=")).findFirst().orElseThrow()
            .substring("--entry-point=".length());
        out.put(args.get(2), entry);
      }
    }
    return out;
  }

  @Test
  void everyJob_namesADeployedFunction_andAPathItServes() throws Exception {
    JobsFile jobs = JobsFile.read(ROOT.resolve("scheduler/jobs.yaml"));
    Map<String, String> functions = deployedFunctions();
    assertEquals(Map.of("wafleet-api", "io.wafleet.functions.api.ApiFunction",
        "wafleet-monitor", MonitorFunction.class.getName()), functions);
    for (String entry : functions.values()) {
      assertTrue(HttpFunction.class.isAssignableFrom(Class.forName(entry)), entry);
    }
    assertFalse(jobs.jobs().isEmpty());
    for (JobsFile.Job job : jobs.jobs()) {
      assertEquals(MonitorFunction.class.getName(), functions.get(job.function()), job.name());
      assertEquals(MonitorFunction.PATH_PREFIX + job.name(), job.path(), job.name());
      assertTrue(MonitorJobs.knownNames().contains(job.name()), job.name());
    }
    assertEquals(MonitorJobs.knownNames(), jobs.jobs().stream().map(JobsFile.Job::name).toList(),
        "every monitor job has a schedule");
  }

  @Test
  void cloudBuild_deploysTheConnectorAlwaysOn_secretsByName_andHoldsNoSecret() throws Exception {
    String text = Files.readString(ROOT.resolve("cloudbuild.yaml"));
    List<String> ids = cloudBuildSteps().stream().map(s -> (String) s.get("id")).toList();
    assertEquals(List.of("test-and-package", "deploy-api", "deploy-monitor", "deploy-connector",
        "deploy-scheduler-jobs", "deploy-firestore-rules-and-indexes"), ids);
    for (String flag : List.of("--min-instances=1", "--no-cpu-throttling", "--concurrency=", "--timeout=",
        "--set-secrets=WAFLEET_SESSION_KEYS=wafleet-session-keys:latest", "--memory=4Gi", "_REGION:", "${PROJECT_ID}")) {
      assertTrue(text.contains(flag), flag);
    }
    assertFalse(Pattern.compile("(?i)(token|key|secret)[A-Z_]*=[^$\\s,]*[A-Za-z0-9]{20,}").matcher(
        text.replaceAll("=[a-z-]+:latest", "=<secret>")).find(), "a literal secret value in cloudbuild.yaml");
    assertTrue(Files.exists(ROOT.resolve("deploy/firebase.json")));
  }

  @Test
  void schedulerCommands_createOrUpdateEachJobWithOidc() throws Exception {
    List<String> lines = SchedulerCommands.commands(JobsFile.read(ROOT.resolve("scheduler/jobs.yaml")),
        "acme", "europe-west1", "sched@acme.iam.gserviceaccount.com");
    String base = "https://europe-west1-acme.cloudfunctions.net/wafleet-monitor";
    String flags = " --project=acme --location=europe-west1 --schedule='* * * * *' --time-zone=Etc/UTC"
        + " --http-method=POST --uri=" + base + "/jobs/heartbeat"
        + " --oidc-service-account-email=sched@acme.iam.gserviceaccount.com --oidc-token-audience=" + base
        + " --attempt-deadline=60s";
    assertEquals("gcloud scheduler jobs update http wafleet-heartbeat" + flags
        + " || gcloud scheduler jobs create http wafleet-heartbeat" + flags, lines.get(1));
    assertEquals(1 + MonitorJobs.knownNames().size(), lines.size());
  }

  @Test
  void badJobsFiles_areRefusedWithTheJobAndKey() {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobsFile.parse(yaml.load(
        "jobs:\n  - name: a\n    schedule: '* * *'\n    function: f\n    path: /jobs/a\n"), "t.yaml"))
        .getMessage().contains("job 'a'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobsFile.parse(yaml.load(
        "jobs:\n  - name: a\n    schedule: '* * * * *'\n    function: f\n    path: /jobs/a\n"
            + "  - name: a\n    schedule: '* * * * *'\n    function: f\n    path: /jobs/a\n"), "t.yaml"))
        .getMessage().contains("twice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JobsFile.parse(yaml.load(
        "jobs:\n  - name: a\n    schedule: '* * * * *'\n    path: /jobs/a\n"), "t.yaml"))
        .getMessage().contains("'function'"));
    assertThrows(IllegalArgumentException.class, () -> JobsFile.parse(yaml.load("other: 1"), "t.yaml"));
  }
}
