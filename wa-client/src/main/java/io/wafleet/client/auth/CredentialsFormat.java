package io.wafleet.client.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.PersistedCredentials;

/** The persisted form of {@link Credentials} ({@code wa_auth.proto}). Stateless. */
final class CredentialsFormat {

  static final int VERSION = 1;

  private CredentialsFormat() {
  }

  static byte[] serialize(Credentials c) {
    PersistedCredentials.Builder b = PersistedCredentials.newBuilder()
        .setVersion(VERSION)
        .setNoisePrivate(bytes(c.noiseKey().privateKey()))
        .setNoisePublic(bytes(c.noiseKey().publicKey()))
        .setIdentityPrivate(bytes(c.signedIdentityKey().privateKey()))
        .setIdentityPublic(bytes(c.signedIdentityKey().publicKey()))
        .setSignedPreKeyId(c.signedPreKey().id())
        .setSignedPreKeyPrivate(bytes(c.signedPreKey().keyPair().privateKey()))
        .setSignedPreKeyPublic(bytes(c.signedPreKey().keyPair().publicKey()))
        .setSignedPreKeySignature(bytes(c.signedPreKey().signature()))
        .setRegistrationId(c.registrationId())
        .setAdvSecretKey(bytes(c.advSecretKey()))
        .setNextPreKeyId(c.nextPreKeyId())
        .setFirstUnuploadedPreKeyId(c.firstUnuploadedPreKeyId());
    if (c.me() != null) {
      b.setMe(c.me().toString());
    }
    if (c.lid() != null) {
      b.setLid(c.lid().toString());
    }
    if (c.pushName() != null) {
      b.setPushName(c.pushName());
    }
    if (c.platform() != null) {
      b.setPlatform(c.platform());
    }
    if (c.account() != null) {
      b.setAccount(bytes(c.account()));
    }
    if (c.routingInfo() != null) {
      b.setRoutingInfo(bytes(c.routingInfo()));
    }
    return b.build().toByteArray();
  }

  static Credentials parse(byte[] serialized) throws CredentialsFormatException {
    if (serialized == null || serialized.length == 0) {
      throw new CredentialsFormatException("no credential bytes");
    }
    PersistedCredentials p;
    try {
      p = PersistedCredentials.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new CredentialsFormatException("malformed credentials: " + e.getMessage(), e);
    }
    if (p.getVersion() != VERSION) {
      throw new CredentialsFormatException("unsupported credentials version " + p.getVersion()
          + " (expected " + VERSION + ")");
    }
    try {
      return build(p);
    } catch (RuntimeException e) {
      throw new CredentialsFormatException("invalid credentials: " + e.getMessage(), e);
    }
  }

  private static Credentials build(PersistedCredentials p) {
    return Credentials.builder()
        .noiseKey(new KeyPair(p.getNoisePrivate().toByteArray(), p.getNoisePublic().toByteArray()))
        .signedIdentityKey(new KeyPair(p.getIdentityPrivate().toByteArray(),
            p.getIdentityPublic().toByteArray()))
        .signedPreKey(new SignedPreKey(p.getSignedPreKeyId(),
            new KeyPair(p.getSignedPreKeyPrivate().toByteArray(),
                p.getSignedPreKeyPublic().toByteArray()),
            p.getSignedPreKeySignature().toByteArray()))
        .registrationId(p.getRegistrationId())
        .advSecretKey(p.getAdvSecretKey().toByteArray())
        .me(p.hasMe() ? Jid.parse(p.getMe()) : null)
        .lid(p.hasLid() ? Jid.parse(p.getLid()) : null)
        .pushName(p.hasPushName() ? p.getPushName() : null)
        .platform(p.hasPlatform() ? p.getPlatform() : null)
        .account(p.hasAccount() ? p.getAccount().toByteArray() : null)
        .nextPreKeyId(p.getNextPreKeyId())
        .firstUnuploadedPreKeyId(p.getFirstUnuploadedPreKeyId())
        .routingInfo(p.hasRoutingInfo() ? p.getRoutingInfo().toByteArray() : null)
        .build();
  }

  private static ByteString bytes(byte[] value) {
    return ByteString.copyFrom(value);
  }
}
