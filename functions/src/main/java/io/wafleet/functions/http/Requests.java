package io.wafleet.functions.http;

/**
 * Request bodies, one record per endpoint that takes a body. Jackson fills them strictly (see
 * {@link Json}); a missing field arrives as null and the handler reports it as {@code invalid-field}.
 */
public final class Requests {

  private Requests() {}

  /** POST /v1/accounts. */
  public record CreateAccount(String name, String phone) {}

  /** PATCH /v1/accounts/{id}: only the display name is the caller's to change. */
  public record PatchAccount(String name) {}

  /** POST /v1/accounts/{id}/pairing-code: the phone (E.164) that will enter the code. */
  public record PairingCode(String phone) {}

  /** POST /v1/messages. */
  public record SendMessage(String accountId, String to, String text, String idempotencyKey) {}

  /** POST /v1/admin/incidents/{id}/resolve (the body is optional). */
  public record ResolveIncident(String resolution) {}
}
