package io.wafleet.common.store;

/** A write that needs a live account found it marked for deletion ({@code desired = DELETED}). */
public final class AccountDeletingException extends StoreException {
  private final String accountId;

  public AccountDeletingException(String accountId) {
    super("account " + accountId + " is being deleted");
    this.accountId = accountId;
  }

  public String accountId() {
    return accountId;
  }
}
