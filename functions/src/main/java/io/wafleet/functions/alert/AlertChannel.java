package io.wafleet.functions.alert;

/** Where alert texts go (Telegram in production). Implementations are thread-safe. */
public interface AlertChannel {

  /** Delivers one text; throws {@link AlertDeliveryException} when it could not. */
  void send(String text);

  /** For logs: which channel this is, never a token. */
  String describe();
}
