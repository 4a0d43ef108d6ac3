package io.wafleet.client.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A WhatsApp address, {@code user[_agent][:device]@server} (docs/protocol.md §5). Use it
 * wherever a chat, a user or one of a user's devices is named: recipients, stanza {@code to}/{@code
 * from}, Signal session addresses. Immutable; thread-safe.
 *
 * <p>The device is optional and "absent" differs from {@code 0}: §4.7 writes a JID on the wire as
 * AD_JID whenever it has a {@code :device} part, including {@code :0}, while {@link #toString()}
 * leaves device 0 out, as Baileys' {@code jidEncode} does. An agent of 0 means "no agent".
 *
 * <p>Never log {@link #toString()} of a user JID: it holds a phone number. Log {@link #masked()}.
 */
public record Jid(String user, int agent, OptionalInt device, String server) {

  /** Phone-number users ("PN"). */
  public static final String SERVER = "s.whatsapp.net";
  public static final String LID_SERVER = "lid";
  public static final String GROUP_SERVER = "g.us";
  public static final String BROADCAST_SERVER = "broadcast";
  public static final String HOSTED_SERVER = "hosted";
  public static final String HOSTED_LID_SERVER = "hosted.lid";

  /** The server's own address, {@code @s.whatsapp.net} (empty user); every iq goes {@code to} it (§5). */
  public static final Jid SERVER_JID = new Jid("", 0, OptionalInt.empty(), SERVER);

  /** §5 domain types, as written in AD_JID (§4.7). */
  public static final int DOMAIN_WHATSAPP = 0;
  public static final int DOMAIN_LID = 1;
  public static final int DOMAIN_HOSTED = 128;
  public static final int DOMAIN_HOSTED_LID = 129;

  static final int MAX_AGENT = 0xFF;
  static final int MAX_DEVICE = 0xFFFF;

  public Jid {
    Objects.requireNonNull(user, "user == null");
    Objects.requireNonNull(device, "device == null");
    Objects.requireNonNull(server, "server == null");
    String problem = JidSyntax.checkParts(user, agent, device, server);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** A JID without agent or device, such as {@code 15550001111@s.whatsapp.net} or a group. */
  public static Jid of(String user, String server) {
    return new Jid(user, 0, OptionalInt.empty(), server);
  }

  /** A device JID such as {@code 15550001111:1@s.whatsapp.net}; device 0 is the primary phone. */
  public static Jid of(String user, int device, String server) {
    return new Jid(user, 0, OptionalInt.of(device), server);
  }

  /**
   * Parses {@code user[_agent][:device]@server} as Baileys' {@code jidDecode} splits it (§5): at the
   * first {@code @}, then {@code :} for the device, then {@code _} for the agent. Agent and device are
   * decimal.
   *
   * @throws IllegalArgumentException if {@code jid} is null or not of that form
   */
  public static Jid parse(String jid) {
    Jid parsed = tryParse(jid);
    if (parsed == null) {
      throw new IllegalArgumentException("malformed jid: " + JidSyntax.describe(jid));
    }
    return parsed;
  }

  /** Like {@link #parse} but returns null for malformed input; for callers that fall back (encoder). */
  public static Jid tryParse(String jid) {
    return JidSyntax.parse(jid);
  }

  /** The device number, or 0 (the primary device) when absent; what Signal addresses use (§5). */
  public int deviceId() {
    return device.orElse(0);
  }

  public boolean hasDevice() {
    return device.isPresent();
  }

  public boolean isUser() {
    return SERVER.equals(server);
  }

  public boolean isLid() {
    return LID_SERVER.equals(server);
  }

  public boolean isGroup() {
    return GROUP_SERVER.equals(server);
  }

  public boolean isBroadcast() {
    return BROADCAST_SERVER.equals(server);
  }

  /**
   * The §5 domain type: {@code lid} 1, {@code hosted} 128, {@code hosted.lid} 129, otherwise the agent
   * (0 when none), as Baileys' {@code jidDecode} derives it.
   */
  public int domainType() {
    return switch (server) {
      case LID_SERVER -> DOMAIN_LID;
      case HOSTED_SERVER -> DOMAIN_HOSTED;
      case HOSTED_LID_SERVER -> DOMAIN_HOSTED_LID;
      default -> agent;
    };
  }

  /** This JID without device and agent: the user or chat a device belongs to. */
  public Jid toNonDevice() {
    return new Jid(user, 0, OptionalInt.empty(), server);
  }

  public Jid withDevice(int device) {
    return new Jid(user, agent, OptionalInt.of(device), server);
  }

  /**
   * The Signal protocol address {@code name.device} (§5): name is the user for domain type 0, else
   * {@code user_<domainType>}; device is {@link #deviceId()}. {@code 100000000000001:1@lid} gives
   * {@code 100000000000001_1.1}.
   */
  public String signalAddress() {
    int domainType = domainType();
    String name = domainType == DOMAIN_WHATSAPP ? user : user + "_" + domainType;
    return name + "." + deviceId();
  }

  /** The JID with all but the last 4 characters of the user starred out; safe for logs. */
  public String masked() {
    return JidSyntax.format(JidSyntax.maskUser(user), agent, device, server);
  }

  /** As Baileys' {@code jidEncode}: agent and device are left out when 0 or absent. */
  @Override
  public String toString() {
    return JidSyntax.format(user, agent, device, server);
  }
}
