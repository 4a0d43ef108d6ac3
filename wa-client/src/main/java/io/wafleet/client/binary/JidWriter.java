package io.wafleet.client.binary;

import io.wafleet.client.model.Jid;

/**
 * Writes a string that parses as a {@link Jid} in its wire form (§4.5 step 5, §4.7). Stateless; thread-safe.
 *
 * <p>Where Baileys would lose information we keep it (§4.5 lets the Java side choose its bytes): a
 * device JID on a server AD_JID cannot name (e.g. {@code g.us}) and any JID_PAIR keep the whole
 * {@code user[_agent][:device]} part as the user string. Messenger ({@code msgr}) and interop device
 * JIDs use FB_JID / INTEROP_JID, as whatsmeow's binary/encoder.go {@code writeJID} does.
 */
final class JidWriter {

  static final String MESSENGER_SERVER = "msgr";
  static final String INTEROP_SERVER = "interop";

  private JidWriter() {}

  /** Returns false, having written nothing, when {@code value} is not a JID. */
  static boolean write(NodeEncoder out, String value) {
    Jid jid = Jid.tryParse(value);
    if (jid == null) {
      return false;
    }
    if (jid.hasDevice() && jid.agent() == 0 && MESSENGER_SERVER.equals(jid.server())) {
      out.writeByte(WireTags.FB_JID);
      out.writeString(jid.user());
      out.writeUint16(jid.deviceId());
      out.writeString(jid.server());
    } else if (jid.hasDevice() && jid.agent() == 0 && INTEROP_SERVER.equals(jid.server())
        && writeInterop(out, jid)) {
      return true;
    } else if (jid.hasDevice() && isAdServer(jid.server()) && jid.deviceId() <= 0xFF) {
      // §4.7: AD_JID whenever there is a :device part, :0 included; domainType per Baileys' rule.
      out.writeByte(WireTags.AD_JID);
      out.writeByte(jid.domainType());
      out.writeByte(jid.deviceId());
      out.writeString(jid.user());
    } else {
      String userPart = value.substring(0, value.indexOf('@'));
      out.writeByte(WireTags.JID_PAIR);
      out.writeString(userPart);
      out.writeString(jid.server());
    }
    return true;
  }

  /** Interop users read {@code <integrator>-<user>} (Baileys' decode.js {@code readInteropJid}). */
  private static boolean writeInterop(NodeEncoder out, Jid jid) {
    String user = jid.user();
    int dash = user.indexOf('-');
    if (dash < 1 || dash > 5 || !user.substring(0, dash).chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int integrator = Integer.parseInt(user.substring(0, dash));
    if (integrator > 0xFFFF) {
      return false;
    }
    out.writeByte(WireTags.INTEROP_JID);
    out.writeString(user.substring(dash + 1));
    out.writeUint16(jid.deviceId());
    out.writeUint16(integrator);
    out.writeString(jid.server());
    return true;
  }

  private static boolean isAdServer(String server) {
    return switch (server) {
      case Jid.SERVER, Jid.LID_SERVER, Jid.HOSTED_SERVER, Jid.HOSTED_LID_SERVER -> true;
      default -> false;
    };
  }
}
