package io.wafleet.simulator.server;

import io.wafleet.client.binary.Tokens;
import io.wafleet.client.transport.TransportProtocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The token dictionaries the simulator serves, chosen per connection by the version byte of the
 * client's intro header (§1.2, §4.8):
 * <ul>
 *   <li>version 2, spoken by Baileys 6.x: the resource {@value #V2_RESOURCE} next to this class,
 *       written by wa-client/scripts/dump-tokens.mjs from Baileys 6.17.16's
 *       {@code lib/WABinary/constants.js};</li>
 *   <li>version 3, spoken by Baileys 7 and wa-client: wa-client's {@link Tokens#standard()}.</li>
 * </ul>
 * Any other version is refused at the intro. Immutable; thread-safe.
 */
final class TokenDictionaries {

  static final String V2_RESOURCE = "wa-tokens-v2.txt";

  private static final TokenDictionaries SERVED = new TokenDictionaries(List.of(
      new TokenDictionary(2, Tokens.fromResource(TokenDictionaries.class, V2_RESOURCE)),
      new TokenDictionary(TransportProtocol.DICT_VERSION, Tokens.standard())));

  private final Map<Integer, TokenDictionary> byVersion;

  private TokenDictionaries(List<TokenDictionary> dictionaries) {
    this.byVersion = dictionaries.stream()
        .collect(Collectors.toUnmodifiableMap(TokenDictionary::version, Function.identity()));
  }

  /** The dictionaries every connection may choose from, loaded once. */
  static TokenDictionaries served() {
    return SERVED;
  }

  /** The version bytes an intro header may end with. */
  Set<Integer> versions() {
    return byVersion.keySet();
  }

  /** The dictionary of {@code version}, or empty when the simulator does not serve it. */
  Optional<TokenDictionary> forVersion(int version) {
    return Optional.ofNullable(byVersion.get(version));
  }
}
