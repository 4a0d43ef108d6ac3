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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Google's certificate endpoint: serves a JWKS with RSA keys on a local port,
 * and signs RS256 identity tokens with the newest (or with a key it does not publish). It can
 * rotate to a new key (new kid) as Google does, and counts how often its keys were fetched. The
 * real google-auth-library TokenVerifier is pointed at it. Thread-safe.
 */
public final class FakeGoogleCerts implements AutoCloseable {

  public static final String KID = "test-key-1";

  private final HttpServer server;
  private final KeyPairGenerator generator;
  private final KeyPair unpublished;
  /** Published keys by kid, oldest first; the last one signs. */
  private final Map<String, KeyPair> published = new LinkedHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();

  private FakeGoogleCerts(HttpServer server, KeyPairGenerator generator) {
    this.server = server;
    this.generator = generator;
    this.unpublished = generator.generateKeyPair();
    published.put(KID, generator.generateKeyPair());
    server.createContext("/certs", exchange -> {
      fetches.incrementAndGet();
      byte[] jwks = jwks();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(jwks);
      }
    });
    server.start();
  }

  public static FakeGoogleCerts start() throws IOException, GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    return new FakeGoogleCerts(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), gen);
  }

  /** Publishes a new key under a new kid; tokens are signed with it from now on. Returns the kid. */
  public synchronized String rotate() {
    String kid = "test-key-" + (published.size() + 1);
    published.put(kid, generator.generateKeyPair());
    return kid;
  }

  /** How many times the key set was fetched. */
  public int fetches() {
    return fetches.get();
  }

  private synchronized byte[] jwks() {
    List<Map<String, String>> keys = new java.util.ArrayList<>();
    published.forEach((kid, pair) -> keys.add(jwk(kid, (RSAPublicKey) pair.getPublic())));
    return Json.write(Map.of("keys", keys));
  }

  private synchronized Map.Entry<String, KeyPair> signing() {
    Map.Entry<String, KeyPair> last = null;
    for (Map.Entry<String, KeyPair> e : published.entrySet()) {
      last = e;
    }
    return last;
  }

  public String certsUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
  }

  /** A token as Google would issue it for a service account. */
  public String token(String email, String audience, Instant issuedAt, Instant expiresAt) {
    return token(claims(email, audience, issuedAt, expiresAt));
  }

  /** Any claims (see {@link #claims}), signed with the current key. */
  public String token(Map<String, Object> claims) {
    Map.Entry<String, KeyPair> key = signing();
    return sign(claims, key.getKey(), key.getValue());
  }

  /** Same claims, signed by a key the endpoint does not publish (the current kid). */
  public String tokenFromUnknownSigner(String email, String audience, Instant issuedAt, Instant expiresAt) {
    return sign(claims(email, audience, issuedAt, expiresAt), signing().getKey(), unpublished);
  }

  /** The claims of a token as Google issues it; a mutable copy for tests to change. */
  public static Map<String, Object> claims(String email, String audience, Instant iat, Instant exp) {
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

  private static String sign(Map<String, Object> claims, String kid, KeyPair key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString(Json.write(Map.of("alg", "RS256", "typ", "JWT", "kid", kid)));
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

  private static Map<String, String> jwk(String kid, RSAPublicKey key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kid", kid);
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
