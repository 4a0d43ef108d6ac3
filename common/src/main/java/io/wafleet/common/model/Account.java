package io.wafleet.common.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * accounts/{accountId}. Mirrors the document (CONTRIBUTING.md allows it). Nullable fields are those the
 * document may lack: qr, pairingCode, pairingCodeExpiresAt, pairingPhone, lastError, lastDisconnectReason,
 * lastDisconnectAt, nextRetryAt, connectedAt, lastEventAt, lastMessageAt, phoneLastSeenAt, owner, command.
 *
 * <p>{@code ownerGeneration}: the last claim generation ever handed out for this account (0 before the
 * first claim). Unlike {@code owner}, it survives a release, so every claim gets a strictly greater
 * generation and a fencing token is never issued twice.
 *
 * <p>{@code phoneLastSeenAt}: when the account's phone (its main device) was last seen active by the
 * connector (it scanned a QR, or sent a message or receipt that reached our device); WhatsApp logs a
 * companion device out after about 14 days without its phone.
 *
 * <p>{@code recentReconnects}: when the connector last counted a reconnect of this account (the
 * moments it recorded {@code lastDisconnectAt} on a reconnect), oldest first, at most
 * {@value #RECENT_RECONNECTS_KEPT}; written in the same owner-fenced write as that transition, so it
 * costs no extra write. The monitors alert on more than 5 within an hour. Never null.
 */
public record Account(
    String id,
    String name,
    String phoneE164,
    AccountStatus status,
    DesiredState desired,
    QrCode qr,
    String pairingCode,
    Instant pairingCodeExpiresAt,
    String pairingPhone,
    String lastError,
    String lastDisconnectReason,
    Instant lastDisconnectAt,
    int reconnectAttempts,
    List<Instant> recentReconnects,
    Instant nextRetryAt,
    Instant connectedAt,
    Instant lastEventAt,
    Instant lastMessageAt,
    Instant phoneLastSeenAt,
    Owner owner,
    long ownerGeneration,
    AccountCommand command,
    Instant createdAt,
    Instant updatedAt) {

  /** How many reconnect times an account keeps (the newest); enough to tell 6 within an hour. */
  public static final int RECENT_RECONNECTS_KEPT = 10;

  public Account {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(phoneE164, "phoneE164 == null");
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(desired, "desired == null");
    Objects.requireNonNull(createdAt, "createdAt == null");
    Objects.requireNonNull(updatedAt, "updatedAt == null");
    if (reconnectAttempts < 0) {
      throw new IllegalArgumentException("reconnectAttempts < 0");
    }
    recentReconnects = recentReconnects == null ? List.of() : newest(recentReconnects);
    if (ownerGeneration < 0) {
      throw new IllegalArgumentException("ownerGeneration < 0");
    }
    // Never below the current owner's generation (documents written before the counter existed).
    ownerGeneration = Math.max(ownerGeneration, owner == null ? 0 : owner.generation());
  }

  /** A new account as the API creates it: PENDING, ACTIVE, nobody owns it yet. */
  public static Account newAccount(String id, String name, String phoneE164, Instant now) {
    return new Account(id, name, phoneE164, AccountStatus.PENDING, DesiredState.ACTIVE, null, null,
        null, null, null, null, null, 0, List.of(), null, null, null, null, null, null, 0, null, now, now);
  }

  /** The newest {@value #RECENT_RECONNECTS_KEPT} of {@code times}, in the order given; no null element. */
  private static List<Instant> newest(List<Instant> times) {
    List<Instant> copy = List.copyOf(times);
    return copy.size() <= RECENT_RECONNECTS_KEPT ? copy : copy.subList(copy.size() - RECENT_RECONNECTS_KEPT, copy.size());
  }

  /** How many of {@link #recentReconnects} are after {@code since}. */
  public int reconnectsAfter(Instant since) {
    return (int) recentReconnects.stream().filter(t -> t.isAfter(since)).count();
  }

  /** The phone with all but the last four digits hidden, for logs and lists. */
  public String maskedPhone() {
    return PhoneNumbers.mask(phoneE164);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies an account with some fields changed. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String name;
    private String phoneE164;
    private AccountStatus status;
    private DesiredState desired;
    private QrCode qr;
    private String pairingCode;
    private Instant pairingCodeExpiresAt;
    private String pairingPhone;
    private String lastError;
    private String lastDisconnectReason;
    private Instant lastDisconnectAt;
    private int reconnectAttempts;
    private List<Instant> recentReconnects;
    private Instant nextRetryAt;
    private Instant connectedAt;
    private Instant lastEventAt;
    private Instant lastMessageAt;
    private Instant phoneLastSeenAt;
    private Owner owner;
    private long ownerGeneration;
    private AccountCommand command;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(Account a) {
      id = a.id;
      name = a.name;
      phoneE164 = a.phoneE164;
      status = a.status;
      desired = a.desired;
      qr = a.qr;
      pairingCode = a.pairingCode;
      pairingCodeExpiresAt = a.pairingCodeExpiresAt;
      pairingPhone = a.pairingPhone;
      lastError = a.lastError;
      lastDisconnectReason = a.lastDisconnectReason;
      lastDisconnectAt = a.lastDisconnectAt;
      reconnectAttempts = a.reconnectAttempts;
      recentReconnects = a.recentReconnects;
      nextRetryAt = a.nextRetryAt;
      connectedAt = a.connectedAt;
      lastEventAt = a.lastEventAt;
      lastMessageAt = a.lastMessageAt;
      phoneLastSeenAt = a.phoneLastSeenAt;
      owner = a.owner;
      ownerGeneration = a.ownerGeneration;
      command = a.command;
      createdAt = a.createdAt;
      updatedAt = a.updatedAt;
    }

    public Builder id(String value) {
      id = value;
      return this;
    }

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder phoneE164(String value) {
      phoneE164 = value;
      return this;
    }

    public Builder status(AccountStatus value) {
      status = value;
      return this;
    }

    public Builder desired(DesiredState value) {
      desired = value;
      return this;
    }

    public Builder qr(QrCode value) {
      qr = value;
      return this;
    }

    public Builder pairingCode(String value) {
      pairingCode = value;
      return this;
    }

    public Builder pairingCodeExpiresAt(Instant value) {
      pairingCodeExpiresAt = value;
      return this;
    }

    public Builder pairingPhone(String value) {
      pairingPhone = value;
      return this;
    }

    public Builder lastError(String value) {
      lastError = value;
      return this;
    }

    public Builder lastDisconnectReason(String value) {
      lastDisconnectReason = value;
      return this;
    }

    public Builder lastDisconnectAt(Instant value) {
      lastDisconnectAt = value;
      return this;
    }

    public Builder reconnectAttempts(int value) {
      reconnectAttempts = value;
      return this;
    }

    public Builder recentReconnects(List<Instant> value) {
      recentReconnects = value;
      return this;
    }

    /**
     * A reconnect the connector counts at {@code at}: sets {@code lastDisconnectAt} and appends
     * {@code at} to {@code recentReconnects} (the oldest dropped beyond {@value #RECENT_RECONNECTS_KEPT}).
     */
    public Builder reconnectAt(Instant at) {
      Objects.requireNonNull(at, "at == null");
      List<Instant> next = new ArrayList<>(recentReconnects == null ? List.of() : recentReconnects);
      next.add(at);
      recentReconnects = newest(next);
      lastDisconnectAt = at;
      return this;
    }

    public Builder nextRetryAt(Instant value) {
      nextRetryAt = value;
      return this;
    }

    public Builder connectedAt(Instant value) {
      connectedAt = value;
      return this;
    }

    public Builder lastEventAt(Instant value) {
      lastEventAt = value;
      return this;
    }

    public Builder lastMessageAt(Instant value) {
      lastMessageAt = value;
      return this;
    }

    public Builder phoneLastSeenAt(Instant value) {
      phoneLastSeenAt = value;
      return this;
    }

    public Builder owner(Owner value) {
      owner = value;
      return this;
    }

    public Builder ownerGeneration(long value) {
      ownerGeneration = value;
      return this;
    }

    public Builder command(AccountCommand value) {
      command = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      createdAt = value;
      return this;
    }

    public Builder updatedAt(Instant value) {
      updatedAt = value;
      return this;
    }

    public Account build() {
      return new Account(id, name, phoneE164, status, desired, qr, pairingCode, pairingCodeExpiresAt, pairingPhone, lastError, lastDisconnectReason, lastDisconnectAt, reconnectAttempts, recentReconnects, nextRetryAt, connectedAt, lastEventAt, lastMessageAt, phoneLastSeenAt, owner, ownerGeneration, command, createdAt, updatedAt);
    }
  }
}
