package io.wafleet.functions.schedule;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * scheduler/jobs.yaml: the one list of schedules. Cloud Build deploys it as Cloud Scheduler jobs
 * ({@link SchedulerCommands}) and {@code ./wafleet up} fires it locally ({@link LocalScheduler}).
 * Immutable.
 */
public record JobsFile(List<Job> jobs) {

  /** One schedule: POST {@code path} on the function named {@code function} whenever {@code schedule} matches. */
  public record Job(String name, Cron schedule, String function, String path, String description) {
    public Job {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(schedule, "schedule == null");
      Objects.requireNonNull(function, "function == null");
      Objects.requireNonNull(path, "path == null");
    }
  }

  public JobsFile {
    jobs = List.copyOf(jobs);
  }

  public static JobsFile read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(r), file.toString());
    }
  }

  /** Validates the loaded YAML; throws IllegalArgumentException naming the job and key at fault. */
  static JobsFile parse(Object root, String source) {
    if (!(root instanceof Map<?, ?> top) || !(top.get("jobs") instanceof List<?> list)) {
      throw new IllegalArgumentException(source + ": expected a top-level 'jobs' list");
    }
    List<Job> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(source + ": every job must be a mapping");
      }
      String name = string(m, "name", source, "?");
      if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
        throw new IllegalArgumentException(source + ": job name '" + name + "' must be lower-case letters, digits and '-'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(source + ": job '" + name + "' appears twice");
      }
      Cron cron;
      try {
        cron = Cron.parse(string(m, "schedule", source, name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": job '" + name + "': " + e.getMessage());
      }
      String path = string(m, "path", source, name);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(source + ": job '" + name + "': path must start with /");
      }
      Object description = m.get("description");
      jobs.add(new Job(name, cron, string(m, "function", source, name), path,
          description == null ? "" : description.toString()));
    }
    return new JobsFile(jobs);
  }

  private static String string(Map<?, ?> m, String key, String source, String job) {
    Object v = m.get(key);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(source + ": job '" + job + "' needs a '" + key + "' string");
    }
    return s.trim();
  }
}
