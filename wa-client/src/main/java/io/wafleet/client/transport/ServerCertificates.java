package io.wafleet.client.transport;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;
import io.wafleet.client.proto.CertChain.NoiseCertificate.Details;
import java.time.Instant;
import java.util.Objects;

/**
 * Certificate chains for a server (the simulator) to put into its ServerHello payload (§2.4).
 * Serialize the result with {@code toByteArray()} for {@link NoiseHandshake#writeServerHello}.
 * Stateless; thread-safe.
 */
public final class ServerCertificates {

  private static final int INTERMEDIATE_SERIAL = 1;
  private static final int LEAF_SERIAL = 2;

  private ServerCertificates() {}

  /**
   * The chain Baileys 7.0.0-rc.9 accepts (§2.4): intermediate and leaf both carry
   * {@code Details{serial 1, issuerSerial 0 (explicitly written), key = S.pub}} and a signature of
   * 64 zero bytes. Passes {@link BaileysCompatibleCertificateVerifier} only; Baileys ≥ rc10 and
   * {@link RootKeyCertificateVerifier} refuse it.
   */
  public static CertChain selfIssued(KeyPair serverStatic) {
    Objects.requireNonNull(serverStatic, "serverStatic == null");
    Details details = Details.newBuilder()
        .setSerial(INTERMEDIATE_SERIAL)
        .setIssuerSerial(TransportProtocol.CERT_ISSUER_SERIAL)
        .setKey(ByteString.copyFrom(serverStatic.publicKey()))
        .build();
    NoiseCertificate certificate = NoiseCertificate.newBuilder()
        .setDetails(details.toByteString())
        .setSignature(ByteString.copyFrom(new byte[Curve25519.SIGNATURE_LENGTH]))
        .build();
    return CertChain.newBuilder().setIntermediate(certificate).setLeaf(certificate).build();
  }

  /**
   * A properly signed chain: root signs the intermediate (serial 1, issuerSerial 0), the
   * intermediate signs the leaf (serial 2, issuerSerial 1, key = S.pub). Passes a
   * {@link RootKeyCertificateVerifier} built with {@code root}'s public key while the clock is
   * within {@code notBefore..notAfter}.
   */
  public static CertChain signed(KeyPair root, KeyPair intermediate, KeyPair serverStatic,
      Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(root, "root == null");
    Objects.requireNonNull(intermediate, "intermediate == null");
    Objects.requireNonNull(serverStatic, "serverStatic == null");
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException("notAfter < notBefore");
    }
    Details intermediateDetails = details(INTERMEDIATE_SERIAL, TransportProtocol.CERT_ISSUER_SERIAL,
        intermediate.publicKey(), notBefore, notAfter);
    Details leafDetails = details(LEAF_SERIAL, INTERMEDIATE_SERIAL, serverStatic.publicKey(),
        notBefore, notAfter);
    return CertChain.newBuilder()
        .setIntermediate(sign(root, intermediateDetails))
        .setLeaf(sign(intermediate, leafDetails))
        .build();
  }

  private static Details details(int serial, int issuerSerial, byte[] key, Instant notBefore,
      Instant notAfter) {
    return Details.newBuilder()
        .setSerial(serial)
        .setIssuerSerial(issuerSerial)
        .setKey(ByteString.copyFrom(key))
        .setNotBefore(notBefore.getEpochSecond())
        .setNotAfter(notAfter.getEpochSecond())
        .build();
  }

  private static NoiseCertificate sign(KeyPair signer, Details details) {
    byte[] bytes = details.toByteArray();
    return NoiseCertificate.newBuilder()
        .setDetails(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(Curve25519.sign(signer.privateKey(), bytes)))
        .build();
  }
}
