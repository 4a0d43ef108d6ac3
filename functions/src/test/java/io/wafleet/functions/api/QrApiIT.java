package io.wafleet.functions.api;

import static io.wafleet.functions.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.QrCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QrApiIT {

  @RegisterExtension static final ApiServer api = ApiServer.extension();

  static final String REF = "2@Ab12Cd34Ef56==,pubKeyBase64=,identityKeyBase64=,advSecretBase64=";

  private void seed(AccountStatus status, QrCode qr) {
    api.stores.accounts().create(Account.newAccount("acc1", "Q", "+40700000001", api.clock.instant()).toBuilder()
        .status(status).qr(qr).build());
  }

  static String decode(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
    return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
  }

  @Test
  void qr_ready_isPngThatDecodesToTheStoredRef() throws Exception {
    seed(AccountStatus.NEEDS_QR, new QrCode(REF, api.clock.instant().plusSeconds(20)));
    HttpResponse<byte[]> r = api.getBytes("/v1/accounts/acc1/qr", ApiServer.ADMIN);
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(REF, decode(r.body()));
  }

  @Test
  void qr_jsonFormat_carriesRefAndExpiry() throws Exception {
    seed(AccountStatus.NEEDS_QR, new QrCode(REF, api.clock.instant().plusSeconds(20)));
    HttpResponse<String> r = api.get("/v1/accounts/acc1/qr?format=json");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(REF, ApiServer.json(r).path("qr").asText());
  }

  @Test
  void qr_noneYetOrExpired_is202Pending() throws Exception {
    seed(AccountStatus.PENDING, null);
    HttpResponse<String> r = api.get("/v1/accounts/acc1/qr");
    assertEquals(202, r.statusCode(), r.body());
    assertEquals("pending", ApiServer.json(r).path("status").asText());
    api.stores.accounts().update("acc1", a -> a.toBuilder().status(AccountStatus.NEEDS_QR)
        .qr(new QrCode(REF, api.clock.instant().plusSeconds(20))).build());
    api.clock.advance(Duration.ofSeconds(21));
    assertEquals(202, api.get("/v1/accounts/acc1/qr").statusCode());
  }

  @Test
  void qr_askedAfterTheCodesRanOutUnscanned_writesOneReconnectCommand() throws Exception {
    seed(AccountStatus.NEEDS_QR, null);
    api.stores.accounts().update("acc1", a -> a.toBuilder().lastError(QrHandler.QR_REFS_EXHAUSTED).build());
    HttpResponse<String> r = api.get("/v1/accounts/acc1/qr?format=json");
    assertEquals(202, r.statusCode(), r.body());
    Account asked = api.stores.accounts().load("acc1").orElseThrow();
    assertEquals(AccountCommand.Kind.RECONNECT, asked.command().kind());
    assertEquals(api.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), asked.command().requestedAt(),
        "Firestore keeps microseconds");
    api.clock.advance(Duration.ofSeconds(2));
    assertEquals(202, api.get("/v1/accounts/acc1/qr").statusCode(), "still pending while the connector works");
    assertEquals(asked.command(), api.stores.accounts().load("acc1").orElseThrow().command(),
        "the pending command is not rewritten");
  }

  @Test
  void qr_pendingForAnotherReason_writesNoCommand() throws Exception {
    seed(AccountStatus.CONNECTING, null);
    assertEquals(202, api.get("/v1/accounts/acc1/qr").statusCode());
    assertEquals(null, api.stores.accounts().load("acc1").orElseThrow().command());
  }

  @Test
  void qr_connected_is409() throws Exception {
    seed(AccountStatus.CONNECTED, null);
    assertError(api.get("/v1/accounts/acc1/qr"), 409, "conflict", null);
  }

  @Test
  void qr_unknownAccount_is404() throws Exception {
    assertError(api.get("/v1/accounts/nobody/qr"), 404, "not-found", null);
  }

  @Test
  void htmlPages_carryAContentSecurityPolicyThatForbidsFramingAndForeignScripts() throws Exception {
    String link = ApiServer.json(api.post("/v1/dashboard/links", null)).path("url").asText();
    for (String path : new String[] {"/v1/accounts/acc1/qr?format=html", link}) {
      HttpResponse<String> r = api.call("GET", path, null, null, java.util.Map.of());
      assertEquals(200, r.statusCode(), path);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
      assertTrue(csp.contains("default-src 'none'"), csp);
      assertFalse(csp.contains("unsafe-eval"), csp);
      java.util.regex.Matcher nonce = java.util.regex.Pattern.compile("script-src 'nonce-([A-Za-z0-9+/=]+)'").matcher(csp);
      assertTrue(nonce.find(), csp);
      assertFalse(r.body().contains("<script>"), "every script carries the nonce");
      assertTrue(r.body().contains("<style nonce=\"" + nonce.group(1) + "\">"), r.body());
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
    }
  }

  @Test
  void dashboardPage_leftOpen_keepsRefreshingPastItsFirstLinksExpiry() throws Exception {
    String link = ApiServer.json(api.post("/v1/dashboard/links", null)).path("url").asText();
    java.util.regex.Pattern refresh = java.util.regex.Pattern.compile(
        "<meta http-equiv=\"refresh\" content=\"30;url=([^\"]+)\">");
    String url = link;
    for (int reload = 0; reload < 4; reload++) {
      HttpResponse<String> page = api.call("GET", url, null, null, java.util.Map.of());
      assertEquals(200, page.statusCode(), "reload " + reload + ": " + page.body());
      java.util.regex.Matcher next = refresh.matcher(page.body());
      assertTrue(next.find(), page.body());
      url = next.group(1).replace("&amp;", "&");
      api.clock.advance(java.time.Duration.ofMinutes(3));
    }
    assertEquals(401, api.call("GET", link, null, null, java.util.Map.of()).statusCode(),
        "the link the page was opened with expired after 12 minutes");
  }

  @Test
  void qr_htmlFormat_isPageThatPollsJsonWithHeader() throws Exception {
    HttpResponse<String> r = api.call("GET", "/v1/accounts/acc1/qr?format=html", null, null, java.util.Map.of());
    assertEquals(200, r.statusCode());
    assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().toLowerCase());
    org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("/v1/accounts/acc1/qr"));
    org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("X-Admin-Token"));
  }
}
