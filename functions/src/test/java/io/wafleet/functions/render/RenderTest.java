package io.wafleet.functions.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RenderTest {

  @Test
  void qrPng_decodesBackToTheValue() throws Exception {
    String value = "2@abc,def,ghi,jkl";
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrPng.render(value)));
    int[] px = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    String decoded = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), px)))).getText();
    assertEquals(value, decoded);
  }

  @Test
  void dashboardPage_escapesNamesAndShowsRelativeTimes() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    String html = DashboardPage.render(List.of(new DashboardPage.Row("a1", "<script>x</script>", "NEEDS_QR", "ACTIVE",
        "+*******0001", now.minusSeconds(7200), 3, true)), Map.of("NEEDS_QR", 1L), now, "bm9uY2Utbm9uY2Utbm9uY2U=",
        "/v1/report.html?view=a&b");
    assertFalse(html.contains("<script>x"));
    assertTrue(html.contains("<a id=\"report-link\" href=\"/v1/report.html?view=a&amp;b\">"), html);
    assertTrue(html.contains("&lt;script&gt;"));
    assertTrue(html.contains("2 h ago"));
    assertTrue(html.contains("scan QR"));
  }

  @Test
  void relative_coversEveryRange() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    assertEquals("never", DashboardPage.relative(null, now));
    assertEquals("just now", DashboardPage.relative(now.minusSeconds(5), now));
    assertEquals("3 min ago", DashboardPage.relative(now.minusSeconds(200), now));
    assertEquals("2 d ago", DashboardPage.relative(now.minusSeconds(200_000), now));
  }

  @Test
  void qrPage_escapesTheAccountIdAndHoldsNoSecret() {
    String html = QrPage.render("a\"<b", "bm9uY2Utbm9uY2Utbm9uY2U=");
    assertTrue(html.contains("<script nonce=\"bm9uY2Utbm9uY2Utbm9uY2U=\">"));
    assertFalse(html.contains("a\"<b"));
    assertTrue(html.contains("sessionStorage"));
  }
}
