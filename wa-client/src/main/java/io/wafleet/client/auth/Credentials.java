package io.wafleet.client.auth;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.model.Jid;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device's long-lived credentials (Baileys' {@code creds}). Before pairing {@link #me()} is null
 * and the client registers (QR pairing, §3.2, §6); after pairing it logs in with them (§3.3).
 * Immutable; derive changed copies with {@link #toBuilder()}. Persist with {@link #serialize()},
 * read back with {@link #parse(byte[])}.
 *
 * @param noiseKey the Noise static key; the server recognises the device by it (§2.1, §3.3)
 * @param signedIdentityKey the Signal identity key pair (§3.2 eIdent)
 * @param signedPreKey the signed pre-key (§3.2 eSkey*)
 * @param registrationId the 14-bit Signal registration id
 * @param advSecretKey 32 bytes; keys the pair-success HMAC, shown base64 in the QR (§6.2, §6.5)
 * @param me this device's JID ({@code user:device@s.whatsapp.net}), null until paired
 * @param lid this device's LID ({@code lid:device@lid}), null until known
 * @param pushName the account's display name ({@code <biz name>}), may be null
 * @param platform the phone's platform from pair-success, may be null
 * @param account the serialized ADVSignedDeviceIdentity from pairing, null until paired
 * @param nextPreKeyId the id the next generated one-time pre-key gets
 * @param firstUnuploadedPreKeyId the lowest generated pre-key id not yet uploaded
 * @param routingInfo edge routing info from the server (§1.2), may be null
 */
public record Credentials(
    KeyPair noiseKey,
    KeyPair signedIdentityKey,
    SignedPreKey signedPreKey,
    int registrationId,
    byte[] advSecretKey,
    Jid me,
    Jid lid,
    String pushName,
    String platform,
    byte[] account,
    int nextPreKeyId,
    int firstUnuploadedPreKeyId,
    byte[] routingInfo) {

  /** Length of {@link #advSecretKey()}. */
  public static final int ADV_SECRET_LENGTH = 32;

  public Credentials {
    Objects.requireNonNull(noiseKey, "noiseKey == null");
    Objects.requireNonNull(signedIdentityKey, "signedIdentityKey == null");
    Objects.requireNonNull(signedPreKey, "signedPreKey == null");
    Objects.requireNonNull(advSecretKey, "advSecretKey == null");
    if (advSecretKey.length != ADV_SECRET_LENGTH) {
      throw new IllegalArgumentException("advSecretKey length " + advSecretKey.length + " != 32");
    }
    if (registrationId < 0 || registrationId > 0x3FFF) {
      throw new IllegalArgumentException("registrationId out of range: " + registrationId);
    }
    if (nextPreKeyId < 1 || firstUnuploadedPreKeyId < 1) {
      throw new IllegalArgumentException("pre-key ids start at 1");
    }
    advSecretKey = advSecretKey.clone();
    account = account == null ? null : account.clone();
    routingInfo = routingInfo == null ? null : routingInfo.clone();
  }

  /**
   * The largest registration id generated; ids are 1..16380 as libsignal's
   * {@code KeyHelper.generateRegistrationId} draws them. 0 is never drawn: a stored session with
   * registration id 0 reads as incomplete, so one account in 16,384 used to be sent to a QR at its
   * restore.
   */
  static final int MAX_REGISTRATION_ID = 16380;

  /** Fresh, unpaired credentials: new keys, signed pre-key id 1, pre-key ids from 1. */
  public static Credentials generate(SecureRandom random) {
    Objects.requireNonNull(random, "random == null");
    KeyPair identity = Curve25519.generateKeyPair();
    byte[] advSecret = new byte[ADV_SECRET_LENGTH];
    random.nextBytes(advSecret);
    return builder()
        .noiseKey(Curve25519.generateKeyPair())
        .signedIdentityKey(identity)
        .signedPreKey(SignedPreKey.generate(1, identity))
        .registrationId(1 + random.nextInt(MAX_REGISTRATION_ID))
        .advSecretKey(advSecret)
        .build();
  }

  /** True once pairing stored {@link #me()} and {@link #account()}: the client will log in. */
  public boolean isPaired() {
    return me != null && account != null;
  }

  @Override
  public byte[] advSecretKey() {
    return advSecretKey.clone();
  }

  @Override
  public byte[] account() {
    return account == null ? null : account.clone();
  }

  @Override
  public byte[] routingInfo() {
    return routingInfo == null ? null : routingInfo.clone();
  }

  /** The persisted form (wafleet's own protobuf with a format version). */
  public byte[] serialize() {
    return CredentialsFormat.serialize(this);
  }

  /**
   * Reads {@link #serialize()} output.
   *
   * @throws CredentialsFormatException if the bytes are not credentials of a known version
   */
  public static Credentials parse(byte[] serialized) throws CredentialsFormatException {
    return CredentialsFormat.parse(serialized);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Credentials that
        && noiseKey.equals(that.noiseKey) && signedIdentityKey.equals(that.signedIdentityKey)
        && signedPreKey.equals(that.signedPreKey) && registrationId == that.registrationId
        && Arrays.equals(advSecretKey, that.advSecretKey) && Objects.equals(me, that.me)
        && Objects.equals(lid, that.lid) && Objects.equals(pushName, that.pushName)
        && Objects.equals(platform, that.platform) && Arrays.equals(account, that.account)
        && nextPreKeyId == that.nextPreKeyId
        && firstUnuploadedPreKeyId == that.firstUnuploadedPreKeyId
        && Arrays.equals(routingInfo, that.routingInfo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(noiseKey, registrationId, me);
  }

  /** No key material, no full phone number. */
  @Override
  public String toString() {
    return "Credentials[me=" + (me == null ? null : me.masked()) + ", paired=" + isPaired()
        + ", nextPreKeyId=" + nextPreKeyId + "]";
  }

  /** Builds {@link Credentials}; not thread-safe. */
  public static final class Builder {
    private KeyPair noiseKey;
    private KeyPair signedIdentityKey;
    private SignedPreKey signedPreKey;
    private int registrationId;
    private byte[] advSecretKey;
    private Jid me;
    private Jid lid;
    private String pushName;
    private String platform;
    private byte[] account;
    private int nextPreKeyId = 1;
    private int firstUnuploadedPreKeyId = 1;
    private byte[] routingInfo;

    private Builder() {
    }

    private Builder(Credentials c) {
      noiseKey = c.noiseKey;
      signedIdentityKey = c.signedIdentityKey;
      signedPreKey = c.signedPreKey;
      registrationId = c.registrationId;
      advSecretKey = c.advSecretKey;
      me = c.me;
      lid = c.lid;
      pushName = c.pushName;
      platform = c.platform;
      account = c.account;
      nextPreKeyId = c.nextPreKeyId;
      firstUnuploadedPreKeyId = c.firstUnuploadedPreKeyId;
      routingInfo = c.routingInfo;
    }

    public Builder noiseKey(KeyPair value) { noiseKey = value; return this; }
    public Builder signedIdentityKey(KeyPair value) { signedIdentityKey = value; return this; }
    public Builder signedPreKey(SignedPreKey value) { signedPreKey = value; return this; }
    public Builder registrationId(int value) { registrationId = value; return this; }
    public Builder advSecretKey(byte[] value) { advSecretKey = value; return this; }
    public Builder me(Jid value) { me = value; return this; }
    public Builder lid(Jid value) { lid = value; return this; }
    public Builder pushName(String value) { pushName = value; return this; }
    public Builder platform(String value) { platform = value; return this; }
    public Builder account(byte[] value) { account = value; return this; }
    public Builder nextPreKeyId(int value) { nextPreKeyId = value; return this; }
    public Builder firstUnuploadedPreKeyId(int value) { firstUnuploadedPreKeyId = value; return this; }
    public Builder routingInfo(byte[] value) { routingInfo = value; return this; }

    public Credentials build() {
      return new Credentials(noiseKey, signedIdentityKey, signedPreKey, registrationId,
          advSecretKey, me, lid, pushName, platform, account, nextPreKeyId,
          firstUnuploadedPreKeyId, routingInfo);
    }
  }
}
