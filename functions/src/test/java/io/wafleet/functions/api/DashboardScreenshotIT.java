package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard page as a person sees it: seeds accounts, serves the function, and lets headless
 * Chromium load a signed view link (POST /v1/dashboard/links). Asserts on the DOM Chromium rendered
 * (--dump-dom) and keeps the screenshot at target/dashboard.png. Fails, never skips, without
 * /usr/bin/chromium: run scripts/ensure-chromium.sh.
 */
class DashboardScreenshotIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOT = Path.of("target", "dashboard.png").toAbsolutePath();

  private record Seed(String id, String name, String phone, AccountStatus status) {}

  @Test
  void dashboardPage_inHeadlessChromium_showsEveryAccountMaskedAndWritesScreenshot() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail("/usr/bin/chromium is missing: run scripts/ensure-chromium.sh (installs Debian's chromium package)");
    }
    List<Seed> seeds = List.of(
        new Seed("acc-sales", "Sales desk", "+40711111111", AccountStatus.CONNECTED),
        new Seed("acc-support", "Support line", "+40722222222", AccountStatus.NEEDS_QR),
        new Seed("acc-billing", "Billing bot", "+40733333333", AccountStatus.DISCONNECTED));
    for (Seed s : seeds) {
      api.stores.accounts().create(Account.newAccount(s.id(), s.name(), s.phone(), api.clock.instant()).toBuilder()
          .status(s.status()).lastEventAt(api.clock.instant().minusSeconds(600)).build());
    }
    String url = api.url(ApiServer.json(api.post("/v1/dashboard/links", null)).path("url").asText());

    String dom = chromium("--dump-dom", url);
    for (Seed s : seeds) {
      assertTrue(dom.contains(s.name()), "rendered page lacks " + s.name() + ":\n" + dom);
      assertTrue(dom.contains("+*******" + s.phone().substring(s.phone().length() - 4)), "masked phone of " + s.name());
      assertFalse(dom.contains(s.phone()), "full phone shown for " + s.name());
      assertTrue(dom.contains("data-account=\"" + s.id() + "\""), s.id());
    }
    assertTrue(dom.contains("scan QR"), "needs-QR flag missing");
    assertTrue(dom.contains("10 min ago"), "relative last-seen missing");
    java.util.regex.Matcher report = java.util.regex.Pattern.compile("<a id=\"report-link\" href=\"([^\"]+)\"").matcher(dom);
    assertTrue(report.find(), "no link to the daily report:\n" + dom);
    String reportDom = chromium("--dump-dom", api.url(report.group(1).replace("&amp;", "&")));
    assertTrue(reportDom.contains("id=\"coverage-chart\"") && reportDom.contains("id=\"uptime-chart\""),
        "the linked report lacks its charts:\n" + reportDom);

    Files.deleteIfExists(SCREENSHOT);
    chromium("--screenshot=" + SCREENSHOT, url);
    assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot too small: " + Files.size(SCREENSHOT));
    byte[] magic = Arrays.copyOf(Files.readAllBytes(SCREENSHOT), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, magic);
    BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
    assertEquals(1280, image.getWidth());
    assertTrue(distinctColours(image) > 8, "screenshot looks blank");
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
    assertEquals(0, p.exitValue(), () -> "chromium failed: " + read(err));
    return Files.readString(out.toPath(), StandardCharsets.UTF_8);
  }

  private static String read(File f) {
    try {
      return Files.readString(f.toPath());
    } catch (java.io.IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
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
