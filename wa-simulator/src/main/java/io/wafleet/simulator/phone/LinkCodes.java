package io.wafleet.simulator.phone;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.crypto.LinkCodeCrypto;
import io.wafleet.simulator.phone.PhoneBookException.Reason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing by code (§6.7), the server's and the phone's half: keeps the code a registering
 * companion asked for (companion_hello), and when the admin API has the phone enter a code, runs
 * the phone's side — unwraps the companion's ephemeral key with the entered code, sends its own in
 * the {@code link_code_companion_reg} notification, opens the companion's key bundle (which fails
 * for a wrong code: AES-GCM), derives the ADV secret and has the companion send pair-success.
 *
 * <p>What WhatsApp does, and so this class: a wrong code shows only on the phone. The server
 * accepts the companion's companion_finish with a plain result and the companion hears nothing
 * more (Baileys issue 2488; whatsapp-rust src/pair_code.rs, from WhatsApp Web's code); the user
 * may type again, and the companion takes at most three primary_hello notifications per code
 * (WhatsApp Web's {@code MaxPrimaryHelloError}, whatsapp-rust wacore/src/pair_code.rs), so a fourth
 * entry is refused on the phone. Too many codes asked for one number in a short time are refused
 * with {@code 429 rate-overlimit} (Baileys issue 2008 shows the stanza); the limit itself is ours.
 *
 * <p>Thread-safe: concurrent maps; a ticket admits one code entry at a time (a flag, not a lock),
 * and no lock is held while the admin thread waits for the companion's finish.
 */
public final class LinkCodes {

  private static final Logger log = LoggerFactory.getLogger(LinkCodes.class);
  /** Code entries a ticket takes (primary_hello notifications); the next one is refused (429). */
  public static final int MAX_ENTRIES = 3;
  /** Codes one number may ask for within {@link #REQUEST_WINDOW}; more get 429 rate-overlimit. */
  public static final int MAX_REQUESTS = 5;
  public static final Duration REQUEST_WINDOW = Duration.ofMinutes(10);
  static final int BAD_FINISH_ERROR = 400;

  private final PhoneBook phones;
  private final Clock clock;
  private final Duration finishTimeout;
  private final SecureRandom random = new SecureRandom();
  /** Live tickets by phone number: one code per phone at a time, the newest wins. */
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  /** Phones that had a code: tells an expired code (410) from none at all (404). */
  private final Set<String> everIssued = ConcurrentHashMap.newKeySet();
  /** When each number asked for codes lately, for the rate limit. */
  private final Map<String, java.util.Deque<Instant>> requests = new ConcurrentHashMap<>();

  /** A companion's pending code (its ephemeral key still wrapped: the server never sees the code). */
  private record Ticket(Companion companion, String number, String ref,
      byte[] wrappedCompanionEphemeral, Instant expiresAt, AtomicInteger entries,
      AtomicBoolean busy) {
  }

  LinkCodes(PhoneBook phones, Clock clock, Duration finishTimeout) {
    this.phones = phones;
    this.clock = clock;
    this.finishTimeout = finishTimeout;
  }

  /**
   * companion_hello (§6.7 step 2): registers the companion's wrapped ephemeral key for {@code
   * number} until {@code expiresAt}; returns the {@code link_code_pairing_ref}.
   *
   * @throws PhoneBookException UNKNOWN_PHONE when no phone has that number, TOO_MANY_ATTEMPTS
   *     when the number asked for {@link #MAX_REQUESTS} codes within {@link #REQUEST_WINDOW}
   */
  public String register(Companion companion, String number, byte[] wrappedCompanionEphemeral,
      Instant expiresAt) {
    phones.phone(number);
    admitRequest(number);
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String ref = "2@" + Base64.getEncoder().encodeToString(bytes);
    everIssued.add(number);
    tickets.put(number, new Ticket(companion, number, ref, wrappedCompanionEphemeral.clone(),
        expiresAt, new AtomicInteger(), new AtomicBoolean()));
    return ref;
  }

  private void admitRequest(String number) {
    Instant now = clock.instant();
    java.util.Deque<Instant> times = requests.computeIfAbsent(number,
        n -> new java.util.ArrayDeque<>());
    synchronized (times) {
      while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(REQUEST_WINDOW))) {
        times.pollFirst();
      }
      if (times.size() >= MAX_REQUESTS) {
        throw new PhoneBookException(Reason.TOO_MANY_ATTEMPTS, "more than " + MAX_REQUESTS
            + " codes for this number within " + REQUEST_WINDOW.toMinutes() + " min", "jid");
      }
      times.addLast(now);
    }
  }

  /** Forgets the codes of a companion that paired or disconnected. */
  public void revoke(Companion companion) {
    tickets.values().removeIf(ticket -> ticket.companion() == companion);
  }

  /**
   * The phone's user types {@code code} (§6.7 step 3 onwards); returns the linked (unconfirmed)
   * device once pair-success was sent. Blocks the calling (admin) thread until the companion's
   * finish arrives, at most the finish timeout.
   */
  public LinkedDevice enter(String number, String typed) {
    Phone phone = phones.phone(number);
    String code = typed == null ? null : typed.replace("-", "").toUpperCase(Locale.ROOT);
    if (!LinkCodeCrypto.isWellFormedCode(code)) {
      throw new PhoneBookException(Reason.BAD_LINK_CODE,
          "code must be 8 characters of " + LinkCodeCrypto.ALPHABET, "code");
    }
    Ticket ticket = liveTicket(number);
    if (!ticket.busy().compareAndSet(false, true)) {
      throw new PhoneBookException(Reason.LINK_CODE_CONFLICT,
          "another code entry for this phone is in progress", "code");
    }
    try {
      if (ticket.entries().incrementAndGet() > MAX_ENTRIES) {
        tickets.remove(number, ticket);
        log.info("pairing code dead after {} entries", MAX_ENTRIES);
        throw new PhoneBookException(Reason.TOO_MANY_ATTEMPTS, "this code was entered "
            + MAX_ENTRIES + " times; the companion must request a new one", "code");
      }
      return exchange(phone, ticket, code);
    } finally {
      ticket.busy().set(false);
    }
  }

  private Ticket liveTicket(String number) {
    Ticket ticket = tickets.get(number);
    if (ticket == null) {
      if (everIssued.contains(number)) {
        throw new PhoneBookException(Reason.EXPIRED_LINK_CODE,
            "this phone's code is no longer valid (registration closed, used or expired)", "code");
      }
      throw new PhoneBookException(Reason.UNKNOWN_LINK_CODE,
          "no companion asked for a code for this phone", "code");
    }
    if (!clock.instant().isBefore(ticket.expiresAt())) {
      tickets.remove(number, ticket);
      throw new PhoneBookException(Reason.EXPIRED_LINK_CODE, "this phone's code has expired", "code");
    }
    return ticket;
  }

  private LinkedDevice exchange(Phone phone, Ticket ticket, String code) {
    KeyPair primaryEphemeral = Curve25519.generateKeyPair();
    byte[] companionEphemeral = LinkCodeCrypto.unwrapKey(code, ticket.wrappedCompanionEphemeral());
    byte[] wrappedPrimary = LinkCodeCrypto.wrapKey(code, primaryEphemeral.publicKey(), random);
    byte[] primaryIdentity = phone.accountKey().publicKey();
    LinkCodeFinish finish = awaitFinish(ticket.companion().sendLinkCodeNotification(ticket.ref(),
        primaryIdentity, wrappedPrimary));
    Registration registration = ticket.companion().registration();
    if (!ticket.ref().equals(finish.ref())
        || !Arrays.equals(finish.companionIdentity(), registration.identityKey())) {
      ticket.companion().answerLinkCodeFinish(finish, BAD_FINISH_ERROR, "bad-request");
      throw conflict("companion_finish names another ref or identity");
    }
    byte[] bundle;
    byte[] ephemeralShared = agreeOrNull(primaryEphemeral.privateKey(), companionEphemeral);
    try {
      if (ephemeralShared == null) {
        throw new LinkCodeCrypto.BundleException("the unwrapped key is not a public key");
      }
      bundle = LinkCodeCrypto.unwrapBundle(ephemeralShared, finish.wrappedBundle());
    } catch (LinkCodeCrypto.BundleException e) {
      if (finish.wrappedBundle().length != LinkCodeCrypto.WRAPPED_BUNDLE_LENGTH) {
        ticket.companion().answerLinkCodeFinish(finish, BAD_FINISH_ERROR, "bad-request");
        throw conflict("companion_finish carries a malformed key bundle");
      }
      throw wrongCode(ticket, finish);
    }
    byte[] bundledCompanion = Arrays.copyOfRange(bundle, 0, 32);
    byte[] bundledPrimary = Arrays.copyOfRange(bundle, 32, 64);
    byte[] bundledRandom = Arrays.copyOfRange(bundle, 64, 96);
    if (!Arrays.equals(bundledCompanion, registration.identityKey())
        || !Arrays.equals(bundledPrimary, primaryIdentity)) {
      ticket.companion().answerLinkCodeFinish(finish, BAD_FINISH_ERROR, "bad-request");
      throw conflict("the key bundle names other identity keys");
    }
    byte[] identityShared = Curve25519.agree(phone.accountKey().privateKey(), bundledCompanion);
    byte[] advSecret = LinkCodeCrypto.advSecret(ephemeralShared, identityShared, bundledRandom);
    tickets.remove(ticket.number(), ticket);
    ticket.companion().answerLinkCodeFinish(finish, 0, null);
    log.info("pairing code accepted phone={}", phone.jid().masked());
    return phones.linkAndConfirmLater(phone, ticket.companion(), advSecret);
  }

  /** The server takes the finish as for a right code; only the phone's user learns. */
  private static PhoneBookException wrongCode(Ticket ticket, LinkCodeFinish finish) {
    ticket.companion().answerLinkCodeFinish(finish, 0, null);
    return new PhoneBookException(Reason.WRONG_LINK_CODE, "wrong code (entry "
        + ticket.entries().get() + " of " + MAX_ENTRIES + ")", "code");
  }

  private LinkCodeFinish awaitFinish(java.util.concurrent.CompletableFuture<LinkCodeFinish> finish) {
    try {
      return finish.get(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      finish.cancel(false);
      throw conflict("the companion sent no companion_finish in " + finishTimeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new PhoneBookException(Reason.EXPIRED_LINK_CODE,
          "the registration closed before it finished", "code");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw conflict("interrupted");
    }
  }

  private static byte[] agreeOrNull(byte[] privateKey, byte[] publicKey) {
    try {
      return Curve25519.agree(privateKey, publicKey);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static PhoneBookException conflict(String message) {
    return new PhoneBookException(Reason.LINK_CODE_CONFLICT, message, "code");
  }
}
