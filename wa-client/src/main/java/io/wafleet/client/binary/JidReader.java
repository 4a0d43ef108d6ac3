package io.wafleet.client.binary;

import io.wafleet.client.model.Jid;

/**
 * Reads the four JID string forms (§4.7) into Baileys' string shapes. Stateless; thread-safe.
 *
 * <p>FB_JID and INTEROP_JID, which Baileys rc.9 cannot decode (§4.4), follow whatsmeow's
 * binary/decoder.go ({@code readFBJID}, {@code readInteropJID}, commit 33cfac5): user string, uint16
 * device, [uint16 integrator,] server string, which must be {@code msgr} / {@code interop}. They come
 * out as {@code user:device@msgr} and {@code integrator-user:device@interop} (device always written),
 * the shapes of Baileys' later decode.ts, and {@link JidWriter} writes those shapes back.
 */
final class JidReader {

  private JidReader() {}

  static String read(WireReader in, int tag, int depth) {
    return switch (tag) {
      case WireTags.JID_PAIR -> readPair(in, depth);
      case WireTags.AD_JID -> readAd(in, depth);
      case WireTags.FB_JID -> readFb(in, depth);
      default -> readInterop(in, depth);
    };
  }

  /** User string or LIST_EMPTY, then a non-empty server. */
  private static String readPair(WireReader in, int depth) {
    String user = in.readString(in.readByte(), depth);
    String server = in.readString(in.readByte(), depth);
    if (server.isEmpty()) {
      throw WireReader.malformed("JID pair with an empty server");
    }
    return user + "@" + server;
  }

  /** domainType byte, device byte, user; unknown domain types mean s.whatsapp.net, device 0 is dropped. */
  private static String readAd(WireReader in, int depth) {
    int domainType = in.readByte();
    int device = in.readByte();
    String user = in.readString(in.readByte(), depth);
    String server = switch (domainType) {
      case Jid.DOMAIN_LID -> Jid.LID_SERVER;
      case Jid.DOMAIN_HOSTED -> Jid.HOSTED_SERVER;
      case Jid.DOMAIN_HOSTED_LID -> Jid.HOSTED_LID_SERVER;
      default -> Jid.SERVER;
    };
    return device == 0 ? user + "@" + server : user + ":" + device + "@" + server;
  }

  private static String readFb(WireReader in, int depth) {
    String user = in.readString(in.readByte(), depth);
    int device = in.readUint(2);
    String server = in.readString(in.readByte(), depth);
    requireServer(server, JidWriter.MESSENGER_SERVER);
    return user + ":" + device + "@" + server;
  }

  private static String readInterop(WireReader in, int depth) {
    String user = in.readString(in.readByte(), depth);
    int device = in.readUint(2);
    int integrator = in.readUint(2);
    String server = in.readString(in.readByte(), depth);
    requireServer(server, JidWriter.INTEROP_SERVER);
    return integrator + "-" + user + ":" + device + "@" + server;
  }

  private static void requireServer(String actual, String expected) {
    if (!expected.equals(actual)) {
      throw WireReader.malformed("expected server '" + expected + "' in a " + expected + " JID");
    }
  }
}
