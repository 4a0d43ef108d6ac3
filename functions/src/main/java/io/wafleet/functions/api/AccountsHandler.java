package io.wafleet.functions.api;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.PhoneNumbers;
import io.wafleet.common.store.DocumentIds;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.http.Requests;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
        .add("POST", "/v1/accounts/{id}/pairing-code", Access.AUTHENTICATED, this::pairingCode);
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
    load(id);
    ex.json(200, Views.account(stores.accounts().update(id, a -> a.toBuilder().name(name).build())));
  }

  /**
   * With a live owner the connector must log the device out first: 202, desired DELETED plus LOGOUT,
   * and the connector deletes the session and the account. Without one, nobody holds a socket, so the
   * session material and the account go now: 204.
   */
  private void delete(Exchange ex, Caller caller) {
    String id = accountId(ex);
    Account account = load(id);
    if (account.owner() != null && ownerLive(account.owner().instanceId())) {
      Account updated = stores.accounts().update(id, a -> a.toBuilder().desired(DesiredState.DELETED)
          .command(command(AccountCommand.Kind.LOGOUT)).build());
      log.info("account delete requested accountId={} owner={}", id, account.owner().instanceId());
      ex.json(202, Views.account(updated));
      return;
    }
    stores.sessions().deleteAll(id);
    stores.accounts().delete(id);
    log.info("account deleted accountId={}", id);
    ex.empty(204);
  }

  private void pairingCode(Exchange ex, Caller caller) {
    String id = accountId(ex);
    Requests.PairingCode body = ex.body(Requests.PairingCode.class);
    String phone = requirePhone(body.phone(), "phone");
    intent(ex, a -> a.toBuilder().command(command(AccountCommand.Kind.PAIRING_CODE)).pairingPhone(phone)
        .pairingCode(null).build(), "pairing-code", id);
  }

  private void intent(Exchange ex, UnaryOperator<Account> change, String what) {
    intent(ex, change, what, accountId(ex));
  }

  private void intent(Exchange ex, UnaryOperator<Account> change, String what, String id) {
    Account current = load(id);
    if (current.desired() == DesiredState.DELETED) {
      throw ApiException.conflict("the account is being deleted");
    }
    // A delete that lands between the check and the transaction wins: the change is not applied.
    Account updated = stores.accounts().update(id, a -> a.desired() == DesiredState.DELETED ? a : change.apply(a));
    if (updated.desired() == DesiredState.DELETED) {
      throw ApiException.conflict("the account is being deleted");
    }
    log.info("account intent accountId={} action={} desired={}", id, what, updated.desired());
    ex.json(202, Views.account(updated));
  }

  private boolean ownerLive(String instanceId) {
    Optional<Lease> lease = stores.leases().load(instanceId);
    return lease.isPresent() && lease.get().isLiveAt(clock.instant(), Stores.LEASE_SKEW);
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
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.invalidField("name", "must not contain control characters");
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
