package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.SendResult;
import io.wafleet.client.WaClient;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's conversation: our client writes to a customer's simulated phone, the phone's delivery
 * receipt comes back, the customer answers, and our client acknowledges the answer (the connector
 * does that only after its durable write).
 */
final class DemoConversation {

  static final String CUSTOMER = "40700000002";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final SimulatorAdminClient admin;
  private final WaClient client;
  private final BlockingQueue<WaEvent> events;

  DemoConversation(SimulatorAdminClient admin, WaClient client, BlockingQueue<WaEvent> events) {
    this.admin = admin;
    this.client = client;
    this.events = events;
  }

  private void awaitReceiptAtCustomer(String ourDevice) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!receiptFrom(ourDevice)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the customer's phone got no receipt from " + ourDevice);
      }
      Thread.sleep(50);
    }
  }

  private boolean receiptFrom(String device) throws Exception {
    for (JsonNode receipt : admin.receipts(CUSTOMER)) {
      if (device.equals(receipt.path("from").asText())) {
        return true;
      }
    }
    return false;
  }

  private ReceiptReceived customerReceipt() throws Exception {
    while (true) {
      ReceiptReceived receipt = DemoMain.await(events, ReceiptReceived.class);
      if (receipt.from().user().equals(CUSTOMER)) {
        return receipt;
      }
      DemoMain.step("our own phone confirms it got its copy of what we sent (a \"sender\" receipt: every"
          + " device of an account sees the messages the others send)");
    }
  }

  void run() throws Exception {
    DemoMain.step("creating a customer's simulated phone +" + DemoMain.mask(CUSTOMER));
    admin.ensurePhone(CUSTOMER);
    Jid customer = Jid.parse(CUSTOMER + "@s.whatsapp.net");
    MessageId id = MessageId.derivedFrom("demo-outbox-1");
    SendResult sent = client.sendText(customer, "Hello from wafleet! Your order has shipped.", id)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    DemoMain.step("sent a text (message id " + sent.id() + "), encrypted separately for each of "
        + sent.devices() + " device(s) (the customer's, and our account's other devices, which keep a copy);"
        + " the server confirmed it got it");
    ReceiptReceived receipt = customerReceipt();
    DemoMain.step("the customer's phone sent a receipt: " + meaning(receipt.type()));
    DemoMain.step("the customer's phone decrypted: \"" + admin.inboxTexts(CUSTOMER).get(0) + "\"");
    admin.send(CUSTOMER, "40700000001@s.whatsapp.net", "Thanks! When will it arrive?");
    MessageReceived reply = DemoMain.await(events, MessageReceived.class);
    String text = reply.message().content() instanceof MessageContent.Text t ? t.text() : reply.message().content().toString();
    DemoMain.step("the customer answered, and our client decrypted it (" + encryption(reply.message().encType())
        + "): \"" + text + "\"");
    client.acknowledge(reply.message());
    awaitReceiptAtCustomer(client.authState().credentials().me().toString());
    DemoMain.step("our client confirmed the answer as handled; only then did the customer's phone get our"
        + " \"delivered\" receipt (the connector confirms only after it has saved the message)");
  }

  /** What a receipt type means to someone who has not read the protocol. */
  static String meaning(io.wafleet.client.event.ReceiptType type) {
    return switch (type) {
      case DELIVERY -> "delivered (the message reached the phone)";
      case READ, READ_SELF -> "read";
      case PLAYED -> "played";
      case SENDER -> "our own device got its copy";
      default -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }

  /**
   * The Signal session kind behind a message: "pkmsg" opens a new encrypted session, "msg" continues
   * one (docs/protocol.md).
   */
  static String encryption(String encType) {
    return switch (encType) {
      case "pkmsg" -> "end-to-end encrypted; this message also set up the encrypted session";
      case "msg" -> "end-to-end encrypted in the session the two devices already share";
      default -> "end-to-end encrypted, kind \"" + encType + "\"";
    };
  }
}
