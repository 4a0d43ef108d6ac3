package io.wafleet.client.bench;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.InMemorySignalProtocolStore;
import io.wafleet.client.signal.PreKeyBundle;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.signal.SessionBuilder;
import io.wafleet.client.signal.SessionCipher;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.SignedPreKeyRecord;
import io.wafleet.client.transport.BaileysCompatibleCertificateVerifier;
import io.wafleet.client.transport.NoiseHandshake;
import io.wafleet.client.transport.ServerCertificates;
import io.wafleet.client.transport.TransportCipher;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./wafleet bench wire}: the per-message costs on wa-client's hot path, measured in one run on
 * this machine: binary node encode+decode, Noise transport encrypt+decrypt of 1 KiB frames, full
 * Noise XX handshakes, and Signal v3 encrypt+decrypt. Prints one line per figure, the last one JSON.
 * Not a test: figures depend on the machine; docs/benchmarks.md records them with date and machine.
 */
public final class WireBench {

  private WireBench() {}

  public static void main(String[] args) throws Exception {
    int scale = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    double codec = opsPerSecond("node encode+decode", 50_000 * scale, WireBench::codecOnce);
    TransportCipher[] pair = transportPair();
    byte[] frame = new byte[1024];
    double transport = opsPerSecond("noise transport 1 KiB encrypt+decrypt", 50_000 * scale,
        () -> pair[1].decrypt(pair[0].encrypt(frame)));
    double handshakes = opsPerSecond("noise XX handshake (both sides)", 500 * scale, WireBench::transportPair);
    SessionCipher[] ciphers = signalPair();
    byte[] text = "hello from wafleet, a typical short customer message".getBytes();
    double signal = opsPerSecond("signal v3 msg encrypt+decrypt", 10_000 * scale, () -> {
      CiphertextMessage m = ciphers[0].encrypt(text);
      ciphers[1].decryptMessage(m.serialized());
    });
    System.out.printf(Locale.ROOT,
        "{\"bench\":\"wire\",\"nodeEncodeDecodePerSec\":%.0f,\"transport1KiBPerSec\":%.0f,"
            + "\"handshakesPerSec\":%.1f,\"signalMsgsPerSec\":%.0f,\"cpus\":%d,\"java\":\"%s\"}%n",
        codec, transport, handshakes, signal, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
  }

  interface Op {
    void run() throws Exception;
  }

  private static double opsPerSecond(String name, int iterations, Op op) throws Exception {
    for (int i = 0; i < Math.max(1, iterations / 5); i++) {
      op.run();
    }
    long cpuBefore = cpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      op.run();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (cpuNanos() - cpuBefore) / 1e9;
    double rate = iterations / seconds;
    System.out.printf(Locale.ROOT, "%-40s %12.0f ops/s  (%d ops, %.2f s wall, %.2f s cpu)%n",
        name, rate, iterations, seconds, cpuSeconds);
    return rate;
  }

  private static void codecOnce() {
    Node message = Node.of("message", Node.attrsOf("id", "3EB0ECE9CF63C97D280055", "to",
        "40700000001@s.whatsapp.net", "type", "text"), List.of(
        Node.of("participants", Node.attrsOf(), List.of(
            Node.of("to", Node.attrsOf("jid", "40700000001:1@s.whatsapp.net"), List.of(
                Node.of("enc", Node.attrsOf("v", "2", "type", "msg"), new byte[160])))))));
    NodeDecoder.decode(NodeEncoder.encode(message));
  }

  private static TransportCipher[] transportPair() throws Exception {
    KeyPair serverStatic = Curve25519.generateKeyPair();
    NoiseHandshake client = NoiseHandshake.initiator(Curve25519.generateKeyPair(),
        new BaileysCompatibleCertificateVerifier());
    NoiseHandshake server = NoiseHandshake.responder(serverStatic);
    server.readClientHello(client.writeClientHello());
    client.readServerHello(server.writeServerHello(ServerCertificates.selfIssued(serverStatic).toByteArray()));
    byte[] finish = client.writeClientFinish(new byte[64]);
    TransportCipher clientCipher = client.split();
    server.readClientFinish(finish);
    return new TransportCipher[] {clientCipher, server.split()};
  }

  private static SessionCipher[] signalPair() throws Exception {
    InMemorySignalProtocolStore alice = new InMemorySignalProtocolStore(Curve25519.generateKeyPair(), 1);
    KeyPair bobIdentity = Curve25519.generateKeyPair();
    InMemorySignalProtocolStore bob = new InMemorySignalProtocolStore(bobIdentity, 2);
    KeyPair signed = Curve25519.generateKeyPair();
    byte[] signature = Curve25519.sign(bobIdentity.privateKey(), Curve25519.withTypePrefix(signed.publicKey()));
    bob.storeSignedPreKey(new SignedPreKeyRecord(1, signed, signature, 0));
    KeyPair oneTime = Curve25519.generateKeyPair();
    bob.storePreKey(new PreKeyRecord(1, oneTime));
    SignalAddress bobAddress = new SignalAddress("bob", 1);
    SignalAddress aliceAddress = new SignalAddress("alice", 1);
    new SessionBuilder(alice, bobAddress).process(new PreKeyBundle(2, 1, 1, oneTime.publicKey(), 1,
        signed.publicKey(), signature, bobIdentity.publicKey()));
    SessionCipher toBob = new SessionCipher(alice, bobAddress);
    SessionCipher fromAlice = new SessionCipher(bob, aliceAddress);
    fromAlice.decryptPreKeyMessage(toBob.encrypt(new byte[] {1}).serialized());
    SessionCipher toAlice = new SessionCipher(bob, aliceAddress);
    new SessionCipher(alice, bobAddress).decryptMessage(toAlice.encrypt(new byte[] {1}).serialized());
    return new SessionCipher[] {toBob, fromAlice};
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
