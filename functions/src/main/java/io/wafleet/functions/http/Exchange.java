package io.wafleet.functions.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request and its response, with the strict reading rules every endpoint shares: bodies must be
 * {@code application/json} (415) and at most {@link #MAX_BODY_BYTES} (413); query parameters may
 * appear once. Confined to the thread serving the request.
 *
 * <p>A response to a request whose body was not read to its end (rejected before reading: 401, 404,
 * 405, 413, or a route that takes no body) says {@code Connection: close}. The server (Jetty, under
 * the Functions Framework) only learns after the response is complete that the rest of the body
 * has not arrived yet, and then closes the connection without saying so; a keep-alive client that
 * sends its next request on that connection before it sees the close gets no answer at all, and
 * clients do not retry a POST on their own (RFC 9112 section 9.3: a server that does not read the
 * whole body must close the connection after its response; section 9.6: it says so with "close").
 */
public final class Exchange {

  /** 256 KiB: a maximal WhatsApp text (65,536 chars, up to 4 bytes each in UTF-8) fits. */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  private final HttpRequest request;
  private final HttpResponse response;
  private final Map<String, String> pathParams;
  private int status;
  private boolean bodyReadToEnd;

  public Exchange(HttpRequest request, HttpResponse response, Map<String, String> pathParams) {
    this.request = Objects.requireNonNull(request, "request == null");
    this.response = Objects.requireNonNull(response, "response == null");
    this.pathParams = Map.copyOf(pathParams);
  }

  public String method() {
    return request.getMethod();
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  /** A query parameter given at most once; empty when absent. */
  public Optional<String> query(String name) {
    List<String> values = request.getQueryParameters().get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw ApiException.invalidField(name, "is given more than once");
    }
    return Optional.of(values.get(0));
  }

  public Optional<String> header(String name) {
    return request.getFirstHeader(name);
  }

  /** The body as JSON into {@code type}; see {@link Json#parse}. */
  public <T> T body(Class<T> type) {
    return Json.parse(rawBody(true), type);
  }

  /** The body if one was sent (then it must be JSON), else null. */
  public <T> T optionalBody(Class<T> type) {
    byte[] raw = rawBody(false);
    return raw.length == 0 ? null : Json.parse(raw, type);
  }

  private byte[] rawBody(boolean required) {
    if (request.getContentLength() > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    byte[] raw = readLimited();
    if (raw.length == 0 && !required) {
      return raw;
    }
    String type = request.getContentType().orElse("").toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    if (!mediaType.equals("application/json")) {
      throw new ApiException(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }
    return raw;
  }

  private byte[] readLimited() {
    try (InputStream in = request.getInputStream()) {
      byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
      if (raw.length > MAX_BODY_BYTES) {
        throw tooLarge();
      }
      bodyReadToEnd = true;
      return raw;
    } catch (IOException e) {
      throw new ApiException(ApiErrorCode.INVALID_JSON, "the body could not be read");
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(ApiErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  public void header(String name, String value) {
    response.appendHeader(name, value);
  }

  public void json(int statusCode, Object value) {
    send(statusCode, "application/json; charset=utf-8", Json.write(value));
  }

  public void send(int statusCode, String contentType, byte[] body) {
    status = statusCode;
    closeIfBodyUnread();
    response.setStatusCode(statusCode);
    response.setContentType(contentType);
    response.appendHeader("Cache-Control", "no-store");
    response.appendHeader("X-Content-Type-Options", "nosniff");
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("writing the response failed", e);
    }
  }

  /**
   * An HTML page under {@link ContentSecurityPolicy}: {@code nonce} must be the one the page's
   * script and style elements carry. Never framed, never sends a referrer.
   */
  public void html(int statusCode, String page, String nonce) {
    response.appendHeader("Content-Security-Policy", ContentSecurityPolicy.forPage(nonce));
    response.appendHeader("X-Frame-Options", "DENY");
    response.appendHeader("Referrer-Policy", "no-referrer");
    send(statusCode, "text/html; charset=utf-8", page.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public void empty(int statusCode) {
    status = statusCode;
    closeIfBodyUnread();
    response.setStatusCode(statusCode);
    response.appendHeader("Cache-Control", "no-store");
  }

  private void closeIfBodyUnread() {
    boolean hasBody = request.getContentLength() > 0 || request.getFirstHeader("Transfer-Encoding").isPresent();
    if (hasBody && !bodyReadToEnd) {
      response.appendHeader("Connection", "close");
    }
  }

  public void error(ApiError error) {
    if (error.kind() == ApiErrorCode.CONTENTION) {
      response.appendHeader("Retry-After", String.valueOf(ApiErrorCode.CONTENTION_RETRY_AFTER_SECONDS));
    }
    json(error.status(), error);
  }

  /** The status sent, 0 when nothing was sent yet. */
  public int status() {
    return status;
  }
}
