package io.wafleet.functions.alert;

import java.net.URI;
import java.util.Objects;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Sends alert texts to one Telegram chat through the telegrambots client, against the Bot API at
 * {@code apiUrl} (https://api.telegram.org in production; a local fake in tests). The client does
 * blocking HTTP on the calling thread. Thread-safe (the okhttp client is).
 */
public final class TelegramChannel implements AlertChannel {

  private final TelegramClient client;
  private final String chatId;
  private final String host;

  public TelegramChannel(URI apiUrl, String botToken, String chatId) {
    Objects.requireNonNull(apiUrl, "apiUrl == null");
    Objects.requireNonNull(botToken, "botToken == null");
    this.chatId = Objects.requireNonNull(chatId, "chatId == null");
    String scheme = apiUrl.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme) || apiUrl.getHost() == null) {
      throw new IllegalArgumentException("the Telegram API URL must be http(s)://host[:port]");
    }
    int port = apiUrl.getPort() != -1 ? apiUrl.getPort() : "https".equals(scheme) ? 443 : 80;
    this.host = apiUrl.getHost() + ":" + port;
    this.client = new OkHttpTelegramClient(botToken, new TelegramUrl(scheme, apiUrl.getHost(), port, false));
  }

  @Override
  public void send(String text) {
    try {
      client.execute(SendMessage.builder().chatId(chatId).text(text).build());
    } catch (TelegramApiException | RuntimeException e) {
      // The exception text may carry the request URL, which holds the bot token: never pass it on.
      throw new AlertDeliveryException("telegram sendMessage to " + host + " failed (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  @Override
  public String describe() {
    return "telegram(" + host + ")";
  }
}
