package io.wafleet.functions.api;

import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.PhoneNumbers;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.store.DocumentIds;
import io.wafleet.common.store.NotFoundStoreException;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.functions.http.ApiException;
import io.wafleet.functions.http.Exchange;
import io.wafleet.functions.http.Requests;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/messages (enqueue into the outbox; the idempotency key is the outbox id), GET
 * /v1/messages/{id}, and the stored threads and their messages, paged. Never logs message text or
 * full numbers. Thread-safe.
 */
final class MessagesHandler {

  private static final Logger log = LoggerFactory.getLogger(MessagesHandler.class);
  /** A phone JID: E.164 digits without '+'. */
  private static final Pattern PHONE_JID = Pattern.compile("[1-9][0-9]{6,14}@s\\.whatsapp\\.net");
  /** A linked-identity JID: WhatsApp's opaque numeric LID. */
  private static final Pattern LID_JID = Pattern.compile("[0-9]{1,24}@lid");
  /**
   * An idempotency key is also the message's id in {@code GET /v1/messages/{id}}: letters, digits,
   * '.', '_' and '-' only, so it never needs escaping in a URL (a UUID fits).
   */
  static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final Stores stores;
  private final Clock clock;

  MessagesHandler(Stores stores, Clock clock) {
    this.stores = Objects.requireNonNull(stores, "stores == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  void register(Router router) {
    router.add("POST", "/v1/messages", Access.AUTHENTICATED, this::send)
        .add("GET", "/v1/messages/{id}", Access.AUTHENTICATED, this::get)
        .add("GET", "/v1/threads", Access.AUTHENTICATED, this::threads)
        .add("GET", "/v1/threads/{id}/messages", Access.AUTHENTICATED, this::threadMessages);
  }

  private void send(Exchange ex, Caller caller) {
    Requests.SendMessage body = ex.body(Requests.SendMessage.class);
    if (body.accountId() == null) {
      throw ApiException.invalidField("accountId", "is required");
    }
    String accountId = DocumentIds.require(body.accountId(), "accountId");
    String to = recipient(body.to());
    String text = text(body.text());
    String key = body.idempotencyKey() == null ? UUID.randomUUID().toString() : messageId(body.idempotencyKey(), "idempotencyKey");
    // The account's existence and DELETED are checked inside the enqueue transaction.
    OutboxStore.Enqueued enqueued;
    try {
      enqueued = stores.outbox().enqueue(OutboxItem.queued(key, accountId, to, text, clock.instant()));
    } catch (NotFoundStoreException e) {
      throw ApiException.notFound("account");
    }
    log.info("message enqueued outboxId={} accountId={} created={}", key, accountId, enqueued.created());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", enqueued.item().id());
    out.put("status", enqueued.item().status().name());
    ex.json(202, out);
  }

  private void get(Exchange ex, Caller caller) {
    String id = messageId(ex.pathParam("id"), "id");
    ex.json(200, Views.outbox(stores.outbox().load(id).orElseThrow(() -> ApiException.notFound("message"))));
  }

  private void threads(Exchange ex, Caller caller) {
    String accountId = ex.query("accountId").map(a -> DocumentIds.require(a, "accountId"))
        .orElseThrow(() -> ApiException.invalidField("accountId", "is required"));
    int limit = Paging.limit(ex);
    String after = Paging.after(ex);
    stores.accounts().load(accountId).orElseThrow(() -> ApiException.notFound("account"));
    List<ChatThread> page = stores.messages().listThreads(accountId, limit, after);
    String last = page.isEmpty() ? null : page.get(page.size() - 1).id();
    ex.json(200, Views.page(page.stream().map(Views::thread).toList(), Paging.next(page.size(), limit, last)));
  }

  private void threadMessages(Exchange ex, Caller caller) {
    String threadId = DocumentIds.require(ex.pathParam("id"), "id");
    int limit = Paging.limit(ex);
    String after = Paging.after(ex);
    stores.messages().loadThread(threadId).orElseThrow(() -> ApiException.notFound("thread"));
    List<StoredMessage> page = stores.messages().listMessages(threadId, limit, after);
    String last = page.isEmpty() ? null : page.get(page.size() - 1).waMessageId();
    ex.json(200, Views.page(page.stream().map(Views::message).toList(), Paging.next(page.size(), limit, last)));
  }

  static String messageId(String raw, String field) {
    if (!IDEMPOTENCY_KEY.matcher(raw).matches()) {
      throw ApiException.invalidField(field, "must be 1 to 128 letters, digits, '.', '_' or '-'");
    }
    return DocumentIds.require(raw, field);
  }

  /** "+40700000001" → "40700000001@s.whatsapp.net"; a phone or LID JID passes as is. */
  static String recipient(String to) {
    if (to == null) {
      throw ApiException.invalidField("to", "is required");
    }
    if (PhoneNumbers.isE164(to)) {
      return PhoneNumbers.digits(to) + "@s.whatsapp.net";
    }
    if (PHONE_JID.matcher(to).matches() || LID_JID.matcher(to).matches()) {
      return to;
    }
    throw ApiException.invalidField("to", "must be an E.164 phone (+40700000001) or a JID (<digits>@s.whatsapp.net, <digits>@lid)");
  }

  static String text(String text) {
    if (text == null) {
      throw ApiException.invalidField("text", "is required");
    }
    if (text.isEmpty() || text.length() > OutboxItem.MAX_TEXT_LENGTH) {
      throw ApiException.invalidField("text", "must be 1 to " + OutboxItem.MAX_TEXT_LENGTH + " characters");
    }
    return text;
  }
}
