package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.phone.PreKeys.PublicPreKey;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-key upload iq (§7.2): {@code <registration>}, {@code <type>}, {@code <identity>},
 * {@code <list><key><id/><value/></key>…</list>} and {@code <skey><id/><value/><signature/></skey>}.
 * Immutable; thread-safe.
 */
record PreKeyUpload(PublicSignedPreKey signedPreKey, List<PublicPreKey> preKeys) {

  /**
   * Parses the upload.
   *
   * @throws IllegalArgumentException if a part is missing or has the wrong length
   */
  static PreKeyUpload parse(Node iq) {
    Node list = iq.child("list");
    Node skey = iq.child("skey");
    if (list == null || skey == null) {
      throw new IllegalArgumentException("upload needs <list> and <skey>");
    }
    List<PublicPreKey> keys = new ArrayList<>();
    for (Node key : list.children("key")) {
      keys.add(new PublicPreKey(id(key), bytes(key, "value", 32)));
    }
    PublicSignedPreKey signed = new PublicSignedPreKey(id(skey), bytes(skey, "value", 32),
        bytes(skey, "signature", 64));
    return new PreKeyUpload(signed, keys);
  }

  private static int id(Node parent) {
    byte[] id = bytes(parent, "id", 3);
    return (id[0] & 0xFF) << 16 | (id[1] & 0xFF) << 8 | id[2] & 0xFF;
  }

  private static byte[] bytes(Node parent, String tag, int length) {
    Node child = parent.child(tag);
    byte[] value = child == null ? null : child.bytes();
    if (value == null || value.length != length) {
      throw new IllegalArgumentException("<" + tag + "> must be " + length + " bytes");
    }
    return value;
  }
}
