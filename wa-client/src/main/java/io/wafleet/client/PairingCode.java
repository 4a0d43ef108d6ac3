package io.wafleet.client;

import io.wafleet.client.model.Jid;
import java.time.Instant;
import java.util.Objects;

/**
 * A code to type on the phone (WhatsApp → Linked devices → Link with phone number instead),
 * docs/protocol.md §6.7. It is valid while its registration connection lives, at most until
 * {@code expiresAt}, when the connection's QR refs run out.
 *
 * @param code 8 characters of {@code 123456789ABCDEFGHJKLMNPQRSTVWXYZ}; a secret: never log it
 * @param phone the account's phone JID ({@code <number>@s.whatsapp.net})
 * @param expiresAt when the registration ends unless the phone entered the code
 */
public record PairingCode(String code, Jid phone, Instant expiresAt) {

  public PairingCode {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(phone, "phone == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
  }

  @Override
  public String toString() {
    return "PairingCode[phone=" + phone.masked() + ", expiresAt=" + expiresAt + "]";
  }
}
