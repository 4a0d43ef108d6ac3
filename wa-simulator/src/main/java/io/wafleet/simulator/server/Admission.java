package io.wafleet.simulator.server;

import com.google.protobuf.ByteString;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.proto.ClientPayload.DevicePairingRegistrationData;
import io.wafleet.simulator.phone.LinkedDevice;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import io.wafleet.simulator.phone.Registration;
import io.wafleet.simulator.server.Stats.Counter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a finished handshake becomes (§3.4): a registration checked per §3.2, or a login
 * authenticated by (username, device) and the Noise static key bound at pairing (§3.3). Used once,
 * on the connection's thread.
 */
final class Admission {

  private static final Logger log = LoggerFactory.getLogger(Admission.class);
  private static final int LOGGED_OUT = 401;

  private final Connection connection;
  private final ServerContext context;

  Admission(Connection connection, ServerContext context) {
    this.connection = connection;
    this.context = context;
  }

  /** A {@link PairingSession}, or null after dropping a malformed registration. */
  NodeHandler register(DevicePairingRegistrationData data, byte[] noiseKey) {
    Registration registration;
    try {
      registration = parse(data, noiseKey);
    } catch (IllegalArgumentException e) {
      connection.fail("bad-registration", e.getMessage());
      return null;
    }
    context.stats().increment(Counter.REGISTRATIONS);
    log.info("registration conn={} dict={} regId={}", connection.id(),
        connection.dictionaryVersion(), registration.registrationId());
    return new PairingSession(connection, context, registration);
  }

  /** A {@link ClientSession}, or null after answering {@code <failure reason="401"/>}. */
  NodeHandler login(ClientPayload payload, byte[] noiseKey) {
    Optional<LinkedDevice> device = payload.hasUsername() && payload.hasDevice()
        ? context.phones().authenticate(payload.getUsername(), payload.getDevice(), noiseKey)
        : Optional.empty();
    if (device.isEmpty()) {
      context.stats().increment(Counter.LOGIN_FAILURES);
      log.info("login refused conn={} device={}", connection.id(), payload.getDevice());
      connection.sendAndClose(Stanzas.failure(LOGGED_OUT));
      return null;
    }
    context.stats().increment(Counter.LOGINS);
    log.info("login conn={} dict={} device={}", connection.id(), connection.dictionaryVersion(),
        device.get().jid().masked());
    replaceOlderSessions(device.get());
    return new ClientSession(connection, context, device.get());
  }

  /** One socket per device: an older login of the same device gets 440 replaced (§7.6). */
  private void replaceOlderSessions(LinkedDevice device) {
    for (Connection older : context.connections().of(device.jid())) {
      if (older != connection && older.state() == Connection.State.AUTHENTICATED) {
        log.info("session replaced conn={} by={}", older.id(), connection.id());
        context.stats().increment(Counter.SESSIONS_REPLACED);
        older.sendAndClose(Stanzas.replaced());
      }
    }
  }

  /** §3.2: field lengths, key type 05, and the signed pre-key's signature over 05 ‖ pub. */
  static Registration parse(DevicePairingRegistrationData data, byte[] noiseKey) {
    int registrationId = (int) bigEndian(data.getERegid(), 4, "eRegid");
    byte[] keyType = data.getEKeytype().toByteArray();
    if (keyType.length != 1 || keyType[0] != 5) {
      throw new IllegalArgumentException("eKeytype must be 05");
    }
    byte[] identity = exact(data.getEIdent(), 32, "eIdent");
    int signedId = (int) bigEndian(data.getESkeyId(), 3, "eSkeyId");
    PublicSignedPreKey signed = new PublicSignedPreKey(signedId,
        exact(data.getESkeyVal(), 32, "eSkeyVal"), exact(data.getESkeySig(), 64, "eSkeySig"));
    if (!signed.verifiedBy(identity)) {
      throw new IllegalArgumentException("eSkeySig does not verify over 05 || eSkeyVal");
    }
    return new Registration(registrationId, identity, signed, noiseKey);
  }

  static long bigEndian(ByteString value, int length, String name) {
    byte[] bytes = exact(value, length, name);
    long out = 0;
    for (byte b : bytes) {
      out = out << 8 | (b & 0xFF);
    }
    return out;
  }

  private static byte[] exact(ByteString value, int length, String name) {
    if (value.size() != length) {
      throw new IllegalArgumentException(name + " has " + value.size() + " bytes, expected " + length);
    }
    return value.toByteArray();
  }
}
