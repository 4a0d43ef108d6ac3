package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/** threads/{threadId}: one chat of one account. */
public record ChatThread(String id, String accountId, String chatJid, Instant lastMessageAt, long unread) {
  public ChatThread {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(accountId, "accountId == null");
    Objects.requireNonNull(chatJid, "chatJid == null");
  }

  /** Deterministic: the same account and chat always map to the same thread document. */
  public static String idFor(String accountId, String chatJid) {
    return accountId + "~" + chatJid;
  }
}
