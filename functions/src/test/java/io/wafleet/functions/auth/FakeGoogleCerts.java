package io.wafleet.functions.auth;

import com.sun.net.httpserver.HttpServer;
import io.wafleet.functions.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for Google's certificate endpoint: serves a JWKS with one RSA key on a local
 * port, and signs RS256 identity tokens with it (or with a key it does not publish). The real
 * google-auth-library TokenVerifier is pointed at it. Thread-safe enough for tests.
 */
public final class FakeGoogleCerts implements AutoCloseable {

  public static final String KID = "test-key-1";

  private final HttpServer server;
  private final KeyPair published;
  private final KeyPair unpublished;

  private FakeGoogleCerts(HttpServer server, KeyPair published, KeyPair unpublished) {
    this.server = server;
    this.published = published;
    this.unpublished = unpublished;
  }

  public static FakeGoogleCerts start() throws IOException, GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair published = gen.generateKeyPair();
    KeyPair unpublished = gen.generateKeyPair();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] jwks = Json.write(Map.of("keys", List.of(jwk((RSAPublicKey) published.getPublic()))));
    server.createContext("/certs", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(jwks);
      }
    });
    server.start();
    return new FakeGoogleCerts(server, published, unpublished);
  }

  public String certsUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
  }

  /** A token as Google would issue it for a service account. */
  public String token(String email, String audience, Instant issuedAt, Instant expiresAt) {
    return sign(claims(email, audience, issuedAt, expiresAt), published);
  }

  /** Same claims, signed by a key the endpoint does not publish (same kid). */
  public String tokenFromUnknownSigner(String email, String audience, Instant issuedAt, Instant expiresAt) {
    return sign(claims(email, audience, issuedAt, expiresAt), unpublished);
  }

  private static Map<String, Object> claims(String email, String audience, Instant iat, Instant exp) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", GoogleIdTokens.ISSUER);
    claims.put("aud", audience);
    claims.put("sub", "1234567890");
    claims.put("email", email);
    claims.put("email_verified", true);
    claims.put("iat", iat.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    return claims;
  }

  private static String sign(Map<String, Object> claims, KeyPair key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(Json.write(Map.of("alg", "RS256", "typ", "JWT", "kid", KID)));
    String payload = b64.encodeToString(Json.write(claims));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key.getPrivate());
      rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + b64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> jwk(RSAPublicKey key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kid", KID);
    jwk.put("kty", "RSA");
    jwk.put("alg", "RS256");
    jwk.put("use", "sig");
    jwk.put("n", b64.encodeToString(unsigned(key.getModulus())));
    jwk.put("e", b64.encodeToString(unsigned(key.getPublicExponent())));
    return jwk;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
