package io.wafleet.simulator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.SenderKeyDistributionMessage;
import io.wafleet.client.signal.SenderKeyMessage;
import io.wafleet.client.signal.SenderKeyRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wa-client's sender keys against Baileys 7's own implementation (lib/Signal/Group, driven by
 * src/test/node/baileys/group-cipher.mjs; docs/protocol.md §10.4): each side reads the other's
 * distribution message and decrypts the other's group messages, including Baileys' iteration gaps
 * and messages delivered out of order; a message Baileys signed is refused once altered. Needs
 * Node.js 20+ and npm; fails, never skips, without.
 */
class BaileysGroupCipherIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private final AtomicInteger tags = new AtomicInteger();

  @Test
  void senderKeys_interoperateBothWays() throws Exception {
    BaileysPeer.install();
    try (BaileysPeer baileys = new BaileysPeer("group-cipher.mjs", "unused", temp.resolve("auth"),
        temp.resolve("baileys-stderr.log"), "7")) {
      // Baileys → wa-client
      SenderKeyRecord baileysKey = new SenderKeyRecord();
      GroupCipher.process(baileysKey, SenderKeyDistributionMessage.parse(
          Hex.decode(call(baileys, Map.of("cmd", "create")).path("hex").asText())));
      List<byte[]> fromBaileys = new ArrayList<>();
      for (String text : List.of("b0", "b1", "b2")) {
        fromBaileys.add(Hex.decode(call(baileys, Map.of("cmd", "encrypt", "hex", hex(text)))
            .path("hex").asText()));
      }
      assertEquals(List.of(0, 2, 4), List.of(iteration(fromBaileys.get(0)),
          iteration(fromBaileys.get(1)), iteration(fromBaileys.get(2))),
          "Baileys advances its chain by two per message (§10.4)");
      assertEquals("b2", text(GroupCipher.decrypt(baileysKey, fromBaileys.get(2))));
      assertEquals("b0", text(GroupCipher.decrypt(baileysKey, fromBaileys.get(0))));
      assertEquals("b1", text(GroupCipher.decrypt(baileysKey, fromBaileys.get(1))));

      // wa-client → Baileys
      SenderKeyRecord ours = new SenderKeyRecord();
      SenderKeyDistributionMessage skdm = GroupCipher.distributionMessage(ours, new SecureRandom());
      assertEquals("processed", call(baileys, Map.of("cmd", "process",
          "hex", Hex.encode(skdm.serialize()))).path("event").asText());
      List<byte[]> fromUs = new ArrayList<>();
      for (String text : List.of("j0", "j1", "j2")) {
        fromUs.add(GroupCipher.encrypt(ours, text.getBytes(StandardCharsets.UTF_8)));
      }
      for (int i : List.of(1, 0, 2)) {
        JsonNode answer = call(baileys, Map.of("cmd", "decrypt", "hex", Hex.encode(fromUs.get(i))));
        assertEquals("plaintext", answer.path("event").asText(), answer.toString());
        assertEquals("j" + i, text(Hex.decode(answer.path("hex").asText())));
      }

      // an altered message: Baileys' signature check and ours both refuse it
      byte[] altered = GroupCipher.encrypt(ours, "j3".getBytes(StandardCharsets.UTF_8));
      altered[altered.length - 70] ^= 1; // in the ciphertext, under the signature
      assertEquals("error", call(baileys, Map.of("cmd", "decrypt", "hex", Hex.encode(altered)))
          .path("event").asText());
      byte[] alteredFromBaileys = Hex.decode(call(baileys, Map.of("cmd", "encrypt",
          "hex", hex("b3"))).path("hex").asText());
      alteredFromBaileys[alteredFromBaileys.length - 70] ^= 1;
      org.junit.jupiter.api.Assertions.assertThrows(InvalidMessageException.class,
          () -> GroupCipher.decrypt(baileysKey, alteredFromBaileys));
    }
  }

  private JsonNode call(BaileysPeer baileys, Map<String, String> command) throws Exception {
    String tag = Integer.toString(tags.incrementAndGet());
    Map<String, String> tagged = new java.util.HashMap<>(command);
    tagged.put("tag", tag);
    baileys.command(tagged);
    JsonNode answer = Awaitility.await("answer to " + command.get("cmd")).atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> baileys.events().stream().filter(e -> tag.equals(e.path("tag").asText())
            || "crash".equals(e.path("event").asText())).findFirst(), Optional::isPresent)
        .orElseThrow();
    if ("crash".equals(answer.path("event").asText())) {
      fail("Baileys' group cipher crashed: " + answer + "\n" + baileys.stderr());
    }
    return answer;
  }

  private static int iteration(byte[] skmsg) throws InvalidMessageException {
    return SenderKeyMessage.parse(skmsg).iteration();
  }

  private static String hex(String text) {
    return Hex.encode(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
