package io.wafleet.client.event;

import io.wafleet.client.model.Jid;
import java.util.Objects;

/**
 * A phone scanned the QR code and the pairing checked out (§6.4, §6.5); the new identity is
 * already stored (the {@link CredentialsUpdated} carrying it came just before). Next: the server asks for a restart, which
 * arrives as {@code Disconnected(RESTART_REQUIRED)}; connect again with the same auth state.
 *
 * @param deviceJid this device's new JID
 * @param lid its LID, or null if the server sent none
 * @param platform the phone's platform name, or null
 */
public record PairSuccess(Jid deviceJid, Jid lid, String platform) implements WaEvent {

  public PairSuccess {
    Objects.requireNonNull(deviceJid, "deviceJid == null");
  }

  @Override
  public String toString() {
    return "PairSuccess[deviceJid=" + deviceJid.masked() + ", platform=" + platform + "]";
  }
}
