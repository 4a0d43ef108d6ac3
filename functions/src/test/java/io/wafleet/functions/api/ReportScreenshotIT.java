package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.common.model.Heartbeat;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daily report page as a person sees it: seeds a day of heartbeats with a gap, resolved
 * incidents and a probe, then lets headless Chromium load a signed view link. Asserts on the DOM
 * Chromium rendered (the two SVG charts and their bars) and keeps the screenshot at
 * target/report.png. Fails, never skips, without /usr/bin/chromium: run scripts/ensure-chromium.sh.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReportScreenshotIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOT = Path.of("target", "report.png").toAbsolutePath();
  private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");
  @Test
  void reportPage_inHeadlessChromium_drawsCoverageUptimeAndMttrCharts_andWritesScreenshot() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("/usr/bin/chromium is missing: run scripts/ensure-chromium.sh (installs Debian's chromium package)");
    }
    // Hours 09 to 11 covered, except 10:00-10:29 (hour 10 at 50 %).
    for (int minute = 540; minute < 720; minute++) {
      if (minute < 600 || minute >= 630) {
        Instant at = DAY.plus(Duration.ofMinutes(minute));
        // acc-sales is not connected 09:40-09:59 (20 of its 150 observed minutes).
        Map<String, String> down = minute >= 580 && minute < 600 ? Map.of("acc-sales", "DISCONNECTED") : Map.of();
        api.stores.heartbeats().store(new Heartbeat(at, 1, Map.of("CONNECTED", 2L), 0, 0, at, down));
      }
    }
    api.stores.accounts().create(io.wafleet.common.model.Account.newAccount("acc-sales", "Sales desk", "+40711111111",
        DAY.minus(Duration.ofDays(3))));
    api.stores.probes().store(new Probe(ProbeType.OUTBOUND, DAY.plus(Duration.ofHours(9)), true, 640, "p", null));
    api.clock.set(DAY.plus(Duration.ofHours(10)));
    String first = api.stores.incidents().openOrTouch("disconnected", "acc-sales", "down", DAY.plus(Duration.ofMinutes(580)))
        .incident().id();
    api.stores.incidents().resolve(first, "reconnected");
    api.clock.set(DAY.plus(Duration.ofHours(12)));
    String second = api.stores.incidents().openOrTouch("connector-down", "fleet", "no beat", DAY.plus(Duration.ofMinutes(660)))
        .incident().id();
    api.stores.incidents().resolve(second, "connector alive again");
    api.clock.set(DAY.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(5)));

    HttpResponse<String> link = api.post("/v1/report/links?day=2026-11-23", null);
    assertEquals(201, link.statusCode(), link.body());
    String url = api.url(ApiServer.json(link).path("url").asText());
    assertEquals(401, api.call("GET", "/v1/report.html?day=2026-11-23", null, null, Map.of()).statusCode());

    String dom = chromium("--dump-dom", url);
    assertTrue(dom.contains("wafleet daily report 2026-11-23 (UTC)"), dom);
    assertTrue(dom.contains("Heartbeat coverage <b>10.4 %</b> (150 of 1440 minutes, 3 gap(s)). Incidents opened 2, resolved 2. MTTR mean 2400 s, p95 3600 s."), dom);
    assertEquals(24, count(dom, "<rect class=\"bar[^\"]*\" data-hour=\""), "one bar per hour");
    assertTrue(dom.contains("<rect class=\"bar\" data-hour=\"9\""), "hour 9 fully covered");
    assertTrue(dom.contains("<rect class=\"bar low\" data-hour=\"10\""), "hour 10 under 80 %");
    assertTrue(dom.contains("<title>10:00 50.0 %</title>"), dom);
    assertEquals(2, count(dom, "<rect class=\"mttr\" data-incident=\""), "one bar per resolved incident");
    assertTrue(dom.contains("data-incident=\"" + "disconnected__acc-sales__20261123T094000"), dom);
    assertTrue(dom.contains(">1200 s<") && dom.contains(">3600 s<"), dom);
    assertTrue(dom.contains("<rect class=\"bar\" data-account=\"acc-sales\""), "an uptime bar for acc-sales:\n" + dom);
    assertTrue(dom.contains("Sales desk (+*******1111)") && dom.contains(">86.7 %<"), dom);
    assertTrue(dom.contains("<title>130 of 150 minutes connected</title>"), dom);

    Files.deleteIfExists(SCREENSHOT);
    chromium("--screenshot=" + SCREENSHOT, url);
    byte[] magic = Arrays.copyOf(Files.readAllBytes(SCREENSHOT), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
    BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
    assertEquals(1280, image.getWidth());
    assertTrue(distinctColours(image) > 8, "screenshot looks blank");
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String chromium(String mode, String url) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, mode, "--window-size=1280,900", url));
    File out = Files.createTempFile("chromium-", ".out").toFile();
    File err = Files.createTempFile("chromium-", ".err").toFile();
    Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish: " + Files.readString(err.toPath()));
    }
    String stderr = Files.readString(err.toPath());
    assertEquals(0, p.exitValue(), () -> "chromium failed: " + stderr);
    return Files.readString(out.toPath(), StandardCharsets.UTF_8);
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
