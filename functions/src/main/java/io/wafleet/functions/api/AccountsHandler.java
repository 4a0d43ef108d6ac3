package io.wafleet.functions.api;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.PhoneNumbers;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.ContentionException;
import io.wafleet.common.store.DocumentIds;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.DisplayText;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.http.Requests;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /v1/accounts and its actions. Writes only intent (name, desired, command), never status or owner:
 * the connector that owns the account acts on the intent and writes what it observes. Thread-safe.
 */
final class AccountsHandler {

  private static final Logger log = LoggerFactory.getLogger(AccountsHandler.class);
  static final int MAX_NAME_LENGTH = 100;

  private final Stores stores;
  private final Clock clock;

  AccountsHandler(Stores stores, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("GET", "/v1/accounts", Access.AUTHENTICATED, this::list)
        .add("POST", "/v1/accounts", Access.AUTHENTICATED, this::create)
        .add("GET", "/v1/accounts/{id}", Access.AUTHENTICATED, this::get)
        .add("PATCH", "/v1/accounts/{id}", Access.AUTHENTICATED, this::patch)
        .add("DELETE", "/v1/accounts/{id}", Access.AUTHENTICATED, this::delete)
        .add("POST", "/v1/accounts/{id}/start", Access.AUTHENTICATED,
            (ex, c) -> intent(ex, a -> a.toBuilder().desired(DesiredState.ACTIVE).build(), "start"))
        .add("POST", "/v1/accounts/{id}/stop", Access.AUTHENTICATED,
            (ex, c) -> intent(ex, a -> a.toBuilder().desired(DesiredState.STOPPED).build(), "stop"))
        .add("POST", "/v1/accounts/{id}/reconnect", Access.AUTHENTICATED,
            (ex, c) -> intent(ex, a -> a.toBuilder().command(command(AccountCommand.Kind.RECONNECT)).build(), "reconnect"))
        .add("POST", "/v1/accounts/{id}/pairing-code", Access.AUTHENTICATED, this::requestPairingCode)
        .add("GET", "/v1/accounts/{id}/pairing-code", Access.AUTHENTICATED, this::pairingCode);
  }

  private void list(Exchange ex, Caller caller) {
    int limit = Paging.limit(ex);
    List<Account> page = stores.accounts().list(limit, Paging.after(ex));
    String last = page.isEmpty() ? null : page.get(page.size() - 1).id();
    ex.json(200, Views.page(page.stream().map(Views::summary).toList(), Paging.next(page.size(), limit, last)));
  }

  private void create(Exchange ex, Caller caller) {
    Requests.CreateAccount body = ex.body(Requests.CreateAccount.class);
    String name = requireName(body.name());
    String phone = requirePhone(body.phone(), "phone");
    Account account = Account.newAccount(UUID.randomUUID().toString().replace("-", ""), name, phone, clock.instant());
    stores.accounts().create(account);
    log.info("account created accountId={} phone={}", account.id(), account.maskedPhone());
    ex.header("Location", "/v1/accounts/" + account.id());
    ex.json(201, Views.account(account));
  }

  private void get(Exchange ex, Caller caller) {
    ex.json(200, Views.account(load(ex)));
  }

  private void patch(Exchange ex, Caller caller) {
    String id = accountId(ex);
    Requests.PatchAccount body = ex.body(Requests.PatchAccount.class);
    String name = requireName(body.name());
    ex.json(200, Views.account(stores.accounts().update(id, a -> a.toBuilder().name(name).build())));
  }

  /**
   * Marks the account DELETED and decides in the same transaction (see
   * {@link AccountStore#markDeleted}). With a live owner the connector must log the device out
   * first: 202, and the connector deletes the session and the account. Without one, nobody holds a
   * socket and nobody can claim it any more, so the session material goes now and then the account,
   * only if it has not changed since: 204. A change in between (a rename, say) means deciding again.
   */
  private void delete(Exchange ex, Caller caller) {
    String id = accountId(ex);
    for (int attempt = 1; ; attempt++) {
      AccountStore.MarkedDeleted marked = stores.accounts().markDeleted(id, command(AccountCommand.Kind.LOGOUT),
          Stores.LEASE_SKEW);
      if (marked.decision() == AccountStore.DeleteDecision.LOGOUT_REQUESTED) {
        log.info("account delete requested accountId={} owner={}", id, marked.account().owner().instanceId());
        ex.json(202, Views.account(marked.account()));
        return;
      }
      stores.sessions().deleteAll(id);
      if (stores.accounts().deleteIfStillMarked(id)) {
        log.info("account deleted accountId={}", id);
        ex.empty(204);
        return;
      }
      if (attempt == AccountStore.MAX_WRITE_ATTEMPTS) {
        throw new ContentionException("accounts/" + id, attempt);
      }
    }
  }

  /** Asks the owner for a pairing code; any code shown before is void from now on. */
  private void requestPairingCode(Exchange ex, Caller caller) {
    String id = accountId(ex);
    Requests.PairingCode body = ex.body(Requests.PairingCode.class);
    String phone = requirePhone(body.phone(), "phone");
    intent(ex, a -> a.toBuilder().command(command(AccountCommand.Kind.PAIRING_CODE)).pairingPhone(phone)
        .pairingCode(null).pairingCodeExpiresAt(null).build(), "pairing-code", id);
  }

  /**
   * The pairing code is a key to the account, so only this endpoint shows it, and only until it
   * expires or is used (the account connects, and the store clears it): 200 with the code, 202 while
   * none is valid, 409 once connected.
   */
  private void pairingCode(Exchange ex, Caller caller) {
    Account account = load(ex);
    if (account.status() == AccountStatus.CONNECTED) {
      throw ApiException.conflict("the account is already connected");
    }
    if (account.pairingCode() == null || account.pairingCodeExpiresAt() == null
        || !account.pairingCodeExpiresAt().isAfter(clock.instant())) {
      ex.json(202, Map.of("status", "pending"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", account.pairingCode());
    body.put("expiresAt", account.pairingCodeExpiresAt());
    ex.json(200, body);
  }

  private void intent(Exchange ex, UnaryOperator<Account> change, String what) {
    intent(ex, change, what, accountId(ex));
  }

  private void intent(Exchange ex, UnaryOperator<Account> change, String what, String id) {
    // Deleting wins: a change to an account marked DELETED is not applied, in the same write.
    Account updated = stores.accounts().update(id, a -> a.desired() == DesiredState.DELETED ? a : change.apply(a));
    if (updated.desired() == DesiredState.DELETED) {
      throw ApiException.conflict("the account is being deleted");
    }
    log.info("account intent accountId={} action={} desired={}", id, what, updated.desired());
    ex.json(202, Views.account(updated));
  }

  private AccountCommand command(AccountCommand.Kind kind) {
    return new AccountCommand(kind, clock.instant());
  }

  private Account load(Exchange ex) {
    return load(accountId(ex));
  }

  private Account load(String id) {
    return stores.accounts().load(id).orElseThrow(() -> ApiException.notFound("account"));
  }

  static String accountId(Exchange ex) {
    return DocumentIds.require(ex.pathParam("id"), "id");
  }

  static String requireName(String name) {
    if (name == null) {
      throw ApiException.invalidField("name", "is required");
    }
    String trimmed = name.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
      throw ApiException.invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    String problem = DisplayText.problem(trimmed);
    if (problem != null) {
      throw ApiException.invalidField("name", problem);
    }
    return trimmed;
  }

  static String requirePhone(String phone, String field) {
    if (phone == null) {
      throw ApiException.invalidField(field, "is required");
    }
    if (!PhoneNumbers.isE164(phone)) {
      throw ApiException.invalidField(field, "must be an E.164 number such as +40700000001");
    }
    return phone;
  }
}
