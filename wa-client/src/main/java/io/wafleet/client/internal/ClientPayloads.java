package io.wafleet.client.internal;

import com.google.protobuf.ByteString;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ClientPayload.DevicePairingRegistrationData;
import io.wafleet.client.proto.ClientPayload.UserAgent;
import io.wafleet.client.proto.ClientPayload.WebInfo;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.proto.DeviceProps;

/** Builds the ClientPayload sent in ClientFinish (§3): registration or login. Stateless. */
final class ClientPayloads {

  private ClientPayloads() {
  }

  /** Login with paired credentials (§3.3), or registration for a new device (§3.2). */
  static ClientPayload forCredentials(Credentials credentials) {
    return credentials.isPaired() ? login(credentials) : registration(credentials);
  }

  static ClientPayload login(Credentials credentials) {
    Jid me = credentials.me();
    return base()
        .setUsername(Long.parseUnsignedLong(me.user()))
        .setDevice(me.deviceId())
        .setPassive(true)
        .setPull(true)
        .setLidDbMigrated(false)
        .build();
  }

  static ClientPayload registration(Credentials credentials) {
    byte[] signedPreKeyPublic = credentials.signedPreKey().keyPair().publicKey();
    DevicePairingRegistrationData pairing = DevicePairingRegistrationData.newBuilder()
        .setERegid(bytes(WireProtocol.bigEndian(credentials.registrationId(), 4)))
        .setEKeytype(bytes(new byte[] {Curve25519.DJB_TYPE}))
        .setEIdent(bytes(credentials.signedIdentityKey().publicKey()))
        .setESkeyId(bytes(WireProtocol.bigEndian(credentials.signedPreKey().id(), 3)))
        .setESkeyVal(bytes(signedPreKeyPublic))
        .setESkeySig(bytes(credentials.signedPreKey().signature()))
        .setBuildHash(bytes(WireProtocol.buildHash()))
        .setDeviceProps(deviceProps().toByteString())
        .build();
    return base()
        .setPassive(false)
        .setPull(false)
        .setDevicePairingData(pairing)
        .build();
  }

  private static ClientPayload.Builder base() {
    UserAgent userAgent = UserAgent.newBuilder()
        .setPlatform(UserAgent.Platform.WEB)
        .setAppVersion(UserAgent.AppVersion.newBuilder()
            .setPrimary(WireProtocol.VERSION[0])
            .setSecondary(WireProtocol.VERSION[1])
            .setTertiary(WireProtocol.VERSION[2]))
        .setMcc("000")
        .setMnc("000")
        .setOsVersion("0.1")
        .setDevice("Desktop")
        .setOsBuildNumber("0.1")
        .setReleaseChannel(UserAgent.ReleaseChannel.RELEASE)
        .setLocaleLanguageIso6391("en")
        .setLocaleCountryIso31661Alpha2("US")
        .build();
    return ClientPayload.newBuilder()
        .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
        .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED)
        .setUserAgent(userAgent)
        .setWebInfo(WebInfo.newBuilder().setWebSubPlatform(WebInfo.WebSubPlatform.WEB_BROWSER));
  }

  private static DeviceProps deviceProps() {
    return DeviceProps.newBuilder()
        .setOs(WireProtocol.BROWSER_OS)
        .setVersion(DeviceProps.AppVersion.newBuilder().setPrimary(10).setSecondary(15).setTertiary(7))
        .setPlatformType(DeviceProps.PlatformType.CHROME)
        .setRequireFullSync(false)
        .setHistorySyncConfig(DeviceProps.HistorySyncConfig.newBuilder()
            .setStorageQuotaMb(10240)
            .setInlineInitialPayloadInE2EeMsg(true)
            .setSupportCallLogHistory(false)
            .setSupportBotUserAgentChatHistory(true)
            .setSupportCagReactionsAndPolls(true)
            .setSupportBizHostedMsg(true)
            .setSupportRecentSyncChunkMessageCountTuning(true)
            .setSupportHostedGroupMsg(true)
            .setSupportFbidBotChatHistory(true)
            .setSupportMessageAssociation(true)
            .setSupportGroupHistory(false))
        .build();
  }

  private static ByteString bytes(byte[] value) {
    return ByteString.copyFrom(value);
  }
}
