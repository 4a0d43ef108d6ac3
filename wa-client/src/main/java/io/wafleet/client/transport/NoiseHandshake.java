package io.wafleet.client.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.HandshakeMessage;
import java.util.Objects;

/**
 * Noise_XX_25519_AESGCM_SHA256 with the intro header as prologue, {@code 57 41 06 03} unless
 * another dictionary version's header is given (§1.2, §2), for either side. The
 * initiator (client) calls {@link #writeClientHello}, {@link #readServerHello},
 * {@link #writeClientFinish}, {@link #split}; the responder (server, the simulator) calls
 * {@link #readClientHello}, {@link #writeServerHello}, {@link #readClientFinish}, {@link #split}.
 * Inputs and outputs are serialized {@code HandshakeMessage}s, i.e. frame payloads (§1.3, §2.5).
 *
 * <p>Each call must match the current {@link Step} and role, otherwise it throws
 * {@link IllegalStateException}. A {@link NoiseException} moves the handshake to
 * {@link Step#FAILED}, after which every call throws {@link IllegalStateException}.
 *
 * <p>Not thread-safe: one connection drives it from one thread. Single use.
 */
public final class NoiseHandshake {

  /** Which side of the handshake this object plays. */
  public enum Role { INITIATOR, RESPONDER }

  /** The next message to be written or read, in protocol order (§2.2). */
  public enum Step {
    CLIENT_HELLO, SERVER_HELLO, CLIENT_FINISH,
    /** All three messages done; {@link #split()} is the only call left. */
    SPLIT,
    /** Split done; the handshake object is spent. */
    DONE,
    /** A message was rejected; the connection must be closed. */
    FAILED;

    private Step next() {
      return this == FAILED || this == DONE ? this : values()[ordinal() + 1];
    }
  }

  private final Role role;
  private final KeyPair staticKeys;
  private final KeyPair ephemeralKeys;
  private final CertificateVerifier verifier;
  private final SymmetricState state;
  private Step step = Step.CLIENT_HELLO;
  private byte[] remoteEphemeral;

  private NoiseHandshake(Role role, KeyPair staticKeys, KeyPair ephemeralKeys,
      CertificateVerifier verifier, byte[] prologue) {
    this.role = role;
    this.staticKeys = Objects.requireNonNull(staticKeys, "staticKeys == null");
    this.ephemeralKeys = Objects.requireNonNull(ephemeralKeys, "ephemeralKeys == null");
    this.verifier = verifier;
    this.state = new SymmetricState(TransportProtocol.noiseName(),
        Objects.requireNonNull(prologue, "prologue == null").clone());
  }

  /**
   * The client side. {@code noiseKey} is the persisted static key ({@code creds.noiseKey}, §2.1);
   * a new ephemeral key is made here.
   */
  public static NoiseHandshake initiator(KeyPair noiseKey, CertificateVerifier verifier) {
    return initiator(noiseKey, verifier, Curve25519.generateKeyPair());
  }

  /** The client side with a fixed ephemeral key, for test vectors. */
  static NoiseHandshake initiator(KeyPair noiseKey, CertificateVerifier verifier, KeyPair ephemeral) {
    return initiator(noiseKey, verifier, ephemeral, TransportProtocol.introHeader());
  }

  /**
   * The client side of a connection whose intro header is {@code introHeader} (another token
   * dictionary version than ours, §1.2): the header is the prologue. For servers' tests.
   */
  public static NoiseHandshake initiator(KeyPair noiseKey, CertificateVerifier verifier,
      byte[] introHeader) {
    return initiator(noiseKey, verifier, Curve25519.generateKeyPair(), introHeader);
  }

  private static NoiseHandshake initiator(KeyPair noiseKey, CertificateVerifier verifier,
      KeyPair ephemeral, byte[] introHeader) {
    Objects.requireNonNull(verifier, "verifier == null");
    return new NoiseHandshake(Role.INITIATOR, noiseKey, ephemeral, verifier, introHeader);
  }

  /** The server side with its static key; a new ephemeral key is made here. */
  public static NoiseHandshake responder(KeyPair serverStatic) {
    return responder(serverStatic, TransportProtocol.introHeader());
  }

  /**
   * The server side of a connection whose client sent {@code introHeader} (§1.2): the header, with
   * its token dictionary version, is the prologue, so it must be the four bytes the client sent.
   */
  public static NoiseHandshake responder(KeyPair serverStatic, byte[] introHeader) {
    return new NoiseHandshake(Role.RESPONDER, serverStatic, Curve25519.generateKeyPair(), null,
        introHeader);
  }

  /** The server side with a fixed ephemeral key, for test vectors. */
  static NoiseHandshake responder(KeyPair serverStatic, KeyPair ephemeral) {
    return new NoiseHandshake(Role.RESPONDER, serverStatic, ephemeral, null,
        TransportProtocol.introHeader());
  }

  public Role role() {
    return role;
  }

  public Step step() {
    return step;
  }

  /** Initiator, step 1: {@code HandshakeMessage{clientHello{ephemeral = e.pub}}}. */
  public byte[] writeClientHello() {
    expect(Step.CLIENT_HELLO, Role.INITIATOR, "writeClientHello");
    state.mixHash(ephemeralKeys.publicKey());
    HandshakeMessage message = HandshakeMessage.newBuilder()
        .setClientHello(HandshakeMessage.ClientHello.newBuilder()
            .setEphemeral(ByteString.copyFrom(ephemeralKeys.publicKey())))
        .build();
    advance();
    return message.toByteArray();
  }

  /** Responder, step 1: takes the client's ephemeral key. */
  public void readClientHello(byte[] frame) throws NoiseException {
    Objects.requireNonNull(frame, "frame == null");
    expect(Step.CLIENT_HELLO, Role.RESPONDER, "readClientHello");
    try {
      HandshakeMessage message = parse(frame);
      if (!message.hasClientHello()) {
        throw new NoiseException("handshake message has no clientHello");
      }
      remoteEphemeral = requireKey(message.getClientHello().getEphemeral().toByteArray(), "client ephemeral");
      state.mixHash(remoteEphemeral);
      advance();
    } catch (NoiseException | RuntimeException e) {
      throw fail(e);
    }
  }

  /**
   * Responder, step 2: {@code serverHello{ephemeral, static = Enc(S.pub), payload = Enc(cert)}}.
   *
   * @param certPayload a serialized {@code CertChain}, e.g. from {@link ServerCertificates}
   */
  public byte[] writeServerHello(byte[] certPayload) {
    Objects.requireNonNull(certPayload, "certPayload == null");
    expect(Step.SERVER_HELLO, Role.RESPONDER, "writeServerHello");
    byte[] ephemeralPublic = ephemeralKeys.publicKey();
    state.mixHash(ephemeralPublic);
    state.mixKey(agree(ephemeralKeys, remoteEphemeral));
    byte[] encryptedStatic = state.encryptAndHash(staticKeys.publicKey());
    state.mixKey(agree(staticKeys, remoteEphemeral));
    byte[] encryptedPayload = state.encryptAndHash(certPayload);
    HandshakeMessage message = HandshakeMessage.newBuilder()
        .setServerHello(HandshakeMessage.ServerHello.newBuilder()
            .setEphemeral(ByteString.copyFrom(ephemeralPublic))
            .setStatic(ByteString.copyFrom(encryptedStatic))
            .setPayload(ByteString.copyFrom(encryptedPayload)))
        .build();
    advance();
    return message.toByteArray();
  }

  /**
   * Initiator, step 3: decrypts the server's static key and certificate chain and has the
   * verifier check them (§2.4).
   *
   * @throws UntrustedServerException if the verifier rejects the certificate chain
   * @throws NoiseException on a malformed message or a failed decryption
   */
  public ServerIdentity readServerHello(byte[] frame) throws NoiseException {
    Objects.requireNonNull(frame, "frame == null");
    expect(Step.SERVER_HELLO, Role.INITIATOR, "readServerHello");
    try {
      HandshakeMessage message = parse(frame);
      if (!message.hasServerHello()) {
        throw new NoiseException("handshake message has no serverHello");
      }
      HandshakeMessage.ServerHello hello = message.getServerHello();
      remoteEphemeral = requireKey(hello.getEphemeral().toByteArray(), "server ephemeral");
      state.mixHash(remoteEphemeral);
      state.mixKey(agree(ephemeralKeys, remoteEphemeral));
      byte[] serverStatic = requireKey(state.decryptAndHash(
          require(hello.hasStatic(), hello.getStatic(), "serverHello.static")), "server static");
      state.mixKey(agree(ephemeralKeys, serverStatic));
      byte[] cert = state.decryptAndHash(require(hello.hasPayload(), hello.getPayload(),
          "serverHello.payload"));
      CertChain chain = parseCertChain(cert);
      verifyCertificate(chain, serverStatic);
      advance();
      return new ServerIdentity(serverStatic, chain);
    } catch (NoiseException | RuntimeException e) {
      throw fail(e);
    }
  }

  /**
   * Initiator, step 4: {@code clientFinish{static = Enc(s.pub) at nonce 1, payload = Enc(p)}}.
   * Call {@link #split()} before sending the returned frame: the server may answer at once, and a
   * frame that arrives before the client is in transport mode is lost (§1.4, §13).
   *
   * @param clientPayload a serialized {@code ClientPayload} (§3)
   */
  public byte[] writeClientFinish(byte[] clientPayload) {
    Objects.requireNonNull(clientPayload, "clientPayload == null");
    expect(Step.CLIENT_FINISH, Role.INITIATOR, "writeClientFinish");
    byte[] encryptedStatic = state.encryptAndHash(staticKeys.publicKey());
    state.mixKey(agree(staticKeys, remoteEphemeral));
    byte[] encryptedPayload = state.encryptAndHash(clientPayload);
    HandshakeMessage message = HandshakeMessage.newBuilder()
        .setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
            .setStatic(ByteString.copyFrom(encryptedStatic))
            .setPayload(ByteString.copyFrom(encryptedPayload)))
        .build();
    advance();
    return message.toByteArray();
  }

  /**
   * Responder, step 4: decrypts the client's static key and its ClientPayload bytes.
   *
   * @throws NoiseException on a malformed message or a failed decryption
   */
  public ClientIdentity readClientFinish(byte[] frame) throws NoiseException {
    Objects.requireNonNull(frame, "frame == null");
    expect(Step.CLIENT_FINISH, Role.RESPONDER, "readClientFinish");
    try {
      HandshakeMessage message = parse(frame);
      if (!message.hasClientFinish()) {
        throw new NoiseException("handshake message has no clientFinish");
      }
      HandshakeMessage.ClientFinish finish = message.getClientFinish();
      byte[] clientStatic = requireKey(state.decryptAndHash(
          require(finish.hasStatic(), finish.getStatic(), "clientFinish.static")), "client static");
      state.mixKey(agree(ephemeralKeys, clientStatic));
      byte[] payload = state.decryptAndHash(
          require(finish.hasPayload(), finish.getPayload(), "clientFinish.payload"));
      advance();
      return new ClientIdentity(clientStatic, payload);
    } catch (NoiseException | RuntimeException e) {
      throw fail(e);
    }
  }

  /**
   * Step 5 for both roles: the transport cipher (§2.3). The initiator sends with the first key,
   * the responder with the second.
   */
  public TransportCipher split() {
    expect(Step.SPLIT, role, "split");
    byte[][] keys = state.split();
    advance();
    return role == Role.INITIATOR
        ? new TransportCipher(keys[0], keys[1])
        : new TransportCipher(keys[1], keys[0]);
  }

  /** The handshake hash h so far; both sides agree on it after each message. For tests. */
  byte[] handshakeHash() {
    return state.handshakeHash();
  }

  private void expect(Step expected, Role expectedRole, String call) {
    if (step != expected || role != expectedRole) {
      throw new IllegalStateException(
          call + "() needs step " + expected + " as " + expectedRole + ", but this " + role
              + " handshake is at step " + step);
    }
  }

  /** Any refusal by the verifier, whatever it throws, is an {@link UntrustedServerException}. */
  private void verifyCertificate(CertChain chain, byte[] serverStatic)
      throws UntrustedServerException {
    try {
      verifier.verify(chain, serverStatic.clone());
    } catch (UntrustedServerException e) {
      throw e;
    } catch (NoiseException | RuntimeException e) {
      throw new UntrustedServerException(e.getMessage(), e);
    }
  }

  /** The single place where the step moves forward. */
  private void advance() {
    step = step.next();
  }

  private NoiseException fail(Exception cause) {
    step = Step.FAILED;
    return cause instanceof NoiseException noise
        ? noise
        : new NoiseException("handshake message rejected: " + cause.getMessage(), cause);
  }

  private static HandshakeMessage parse(byte[] frame) throws NoiseException {
    try {
      return HandshakeMessage.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed HandshakeMessage", e);
    }
  }

  private static CertChain parseCertChain(byte[] payload) throws NoiseException {
    try {
      return CertChain.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException("malformed CertChain in serverHello.payload", e);
    }
  }

  private static byte[] require(boolean present, ByteString value, String name)
      throws NoiseException {
    if (!present) {
      throw new NoiseException(name + " is missing");
    }
    return value.toByteArray();
  }

  private static byte[] requireKey(byte[] key, String name) throws NoiseException {
    if (key.length != TransportProtocol.KEY_LENGTH) {
      throw new NoiseException(name + " key has " + key.length + " bytes, expected 32");
    }
    return key;
  }

  private static byte[] agree(KeyPair ours, byte[] theirPublic) {
    return Curve25519.agree(ours.privateKey(), theirPublic);
  }
}
