package io.wafleet.simulator.server;

import io.wafleet.client.binary.Tokens;
import io.wafleet.client.transport.TransportProtocol;
import java.util.Objects;

/**
 * One token dictionary version the simulator serves (§1.2, §4.8): the version byte that ends the
 * client's intro header, and the token table every node of that connection is written and read
 * with. Immutable; thread-safe.
 */
record TokenDictionary(int version, Tokens tokens) {

  TokenDictionary {
    if (version < 0 || version > 0xFF) {
      throw new IllegalArgumentException("dictionary version is one byte: " + version);
    }
    Objects.requireNonNull(tokens, "tokens == null");
  }

  /** {@code 57 41 06 vv}: the intro header of this version, which is also the Noise prologue (§2.1). */
  byte[] introHeader() {
    return new byte[] {'W', 'A', TransportProtocol.WA_MAGIC_VALUE, (byte) version};
  }
}
