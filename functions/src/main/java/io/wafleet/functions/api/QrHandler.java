package io.wafleet.functions.api;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.QrCode;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.ContentSecurityPolicy;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.render.QrPage;
import io.wafleet.functions.render.QrPng;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * GET /v1/accounts/{id}/qr: the current pairing QR. A QR is a key to the account, so the PNG and the
 * JSON (which carries the raw string) need credentials; {@code ?format=html} is a page without
 * secrets that asks for the token itself (see {@link QrPage}). Asking for the QR of an account
 * whose QR codes ran out unscanned (the connector's {@code wa-qr-refs-exhausted}: it waits until
 * asked) is that ask: a {@code RECONNECT} command is written and the answer is 202 until the new
 * QR is there. Thread-safe.
 */
final class QrHandler {

  /** The connector's lastError for QR codes that ran out unscanned (docs/runbook.md, close reasons). */
  static final String QR_REFS_EXHAUSTED = "wa-qr-refs-exhausted";

  private final Stores stores;
  private final Clock clock;

  QrHandler(Stores stores, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("GET", "/v1/accounts/{id}/qr", Access.OPTIONAL, this::qr);
  }

  private void qr(Exchange ex, Caller caller) {
    String id = AccountsHandler.accountId(ex);
    String format = ex.query("format").orElse("png");
    if (format.equals("html")) {
      String nonce = ContentSecurityPolicy.newNonce();
      ex.html(200, QrPage.render(id, nonce), nonce);
      return;
    }
    if (!format.equals("png") && !format.equals("json")) {
      throw ApiException.invalidField("format", "must be png, json or html");
    }
    caller.require();
    Account account = stores.accounts().load(id).orElseThrow(() -> ApiException.notFound("account"));
    if (account.status() == AccountStatus.CONNECTED) {
      throw ApiException.conflict("the account is already connected");
    }
    QrCode qr = account.qr();
    if (qr == null || !qr.expiresAt().isAfter(clock.instant())) {
      if (waitsToBeAsked(account)) {
        stores.accounts().update(id, a -> waitsToBeAsked(a)
            ? a.toBuilder().command(new AccountCommand(AccountCommand.Kind.RECONNECT, clock.instant())).build() : a);
      }
      ex.json(202, Map.of("status", "pending"));
      return;
    }
    if (format.equals("json")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("qr", qr.value());
      body.put("expiresAt", qr.expiresAt());
      ex.json(200, body);
      return;
    }
    ex.send(200, "image/png", QrPng.render(qr.value()));
  }

  /** QR codes ran out unscanned, nothing is asked yet, and the account is meant to run. */
  private static boolean waitsToBeAsked(Account a) {
    return a.qr() == null && QR_REFS_EXHAUSTED.equals(a.lastError()) && a.command() == null
        && a.desired() == DesiredState.ACTIVE
        && (a.status() == AccountStatus.NEEDS_QR || a.status() == AccountStatus.LOGGED_OUT);
  }
}
