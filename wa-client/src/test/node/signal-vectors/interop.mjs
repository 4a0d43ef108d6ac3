// Live libsignal-node 6.0.0 peer for LibsignalNodeInteropIT. Reads one JSON command per line on
// stdin and answers one JSON line on stdout; bytes are hex, public keys 05-prefixed.
//   {"op":"bundle"}                                   → our bundle with a fresh one-time pre-key
//   {"op":"processBundle","peer":"name.dev",...}      → start a session as initiator
//   {"op":"encrypt","peer":"name.dev","plaintext":h}  → {"type":"pkmsg|msg","body":h}
//   {"op":"decrypt","peer":"name.dev","type":t,"body":h} → {"plaintext":h}
//   any failure                                       → {"ok":false,"error":"…"}
//   {"op":"hasPreKey","id":n}                          → {"present":bool}
import { createInterface } from 'node:readline';
import { Peer, ProtocolAddress, hex, logLines } from './peer.mjs';

const me = new Peer('15559990000', 0);
const buf = (h) => Buffer.from(h, 'hex');

const handlers = {
  bundle() {
    const preKey = me.newPreKey();
    return {
      name: me.address.id,
      deviceId: me.address.deviceId,
      registrationId: me.registrationId,
      identityKey: hex(me.identity.pubKey),
      signedPreKeyId: me.signedPreKey.keyId,
      signedPreKey: hex(me.signedPreKey.keyPair.pubKey),
      signature: hex(me.signedPreKey.signature),
      preKeyId: preKey.keyId,
      preKey: hex(preKey.keyPair.pubKey),
    };
  },
  async processBundle(cmd) {
    await me.processBundle(ProtocolAddress.from(cmd.peer), {
      registrationId: cmd.registrationId,
      identityKey: buf(cmd.identityKey),
      signedPreKey: { keyId: cmd.signedPreKeyId, publicKey: buf(cmd.signedPreKey), signature: buf(cmd.signature) },
      preKey: cmd.preKey ? { keyId: cmd.preKeyId, publicKey: buf(cmd.preKey) } : undefined,
    });
    return {};
  },
  async encrypt(cmd) {
    const { type, body } = await me.encrypt(ProtocolAddress.from(cmd.peer), buf(cmd.plaintext));
    return { type, body: hex(body) };
  },
  async decrypt(cmd) {
    const plaintext = await me.decrypt(ProtocolAddress.from(cmd.peer), cmd.type, buf(cmd.body));
    return { plaintext: hex(plaintext) };
  },
  hasPreKey(cmd) {
    return { present: me.preKeys.has(cmd.id) };
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  logLines.length = 0;
  try {
    const cmd = JSON.parse(line);
    const handler = handlers[cmd.op];
    if (!handler) throw new Error(`unknown op ${cmd.op}`);
    answer = { ok: true, ...(await handler(cmd)) };
  } catch (e) {
    // decryptWhisperMessage only says "No matching sessions"; the logged per-session errors say why.
    const causes = logLines.filter((l) => l.startsWith('Session error:')).join(' | ');
    answer = { ok: false, error: `${e.name}: ${e.message}${causes ? ` (${causes})` : ''}` };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
