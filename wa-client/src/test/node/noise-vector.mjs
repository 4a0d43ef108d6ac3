// Independent Noise_XX_25519_AESGCM_SHA256 transcript (docs/protocol.md §2) on Node's
// built-in crypto only, for NoiseVectorTest. Usage:
//   node noise-vector.mjs <clientStatic> <clientEphemeral> <serverStatic> <serverEphemeral>
//                         <certPayload> <clientPayload> <transportPlaintext>
// All arguments are hex; private keys are raw 32-byte X25519 scalars. Prints one JSON object of
// hex strings: the three HandshakeMessage frames, the split keys and one transport frame each way.
import crypto from 'node:crypto';

const hex = (b) => Buffer.from(b).toString('hex');
const [cs, ce, ss, se, certPayload, clientPayload, transportPlain] =
  process.argv.slice(2).map((a) => Buffer.from(a, 'hex'));

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const privateKey = (raw) =>
  crypto.createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
const publicOf = (raw) =>
  crypto.createPublicKey(privateKey(raw)).export({ format: 'der', type: 'spki' }).subarray(-32);
const dh = (priv, pub) => crypto.diffieHellman({
  privateKey: privateKey(priv),
  publicKey: crypto.createPublicKey({ key: Buffer.concat([SPKI_X25519, pub]), format: 'der', type: 'spki' }),
});
const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const hkdf64 = (ikm, salt) => Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.alloc(0), 64));

function iv(counter) {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(counter, 8);
  return out;
}
function gcmEncrypt(key, counter, aad, plaintext) {
  const c = crypto.createCipheriv('aes-256-gcm', key, iv(counter));
  c.setAAD(aad);
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

// Protobuf: length-delimited fields only, written in field-number order like protobuf-java.
function varint(n) {
  const out = [];
  while (n > 0x7f) { out.push((n & 0x7f) | 0x80); n >>>= 7; }
  out.push(n);
  return Buffer.from(out);
}
const field = (num, bytes) => Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);

// One transcript: both sides hold identical h, ck and key at every step.
const name = Buffer.concat([Buffer.from('Noise_XX_25519_AESGCM_SHA256'), Buffer.alloc(4)]);
let h = name; let ck = name; let key = null; let counter = 0;
const mixHash = (data) => { h = sha256(h, data); };
const mixKey = (ikm) => { const out = hkdf64(ikm, ck); ck = out.subarray(0, 32); key = out.subarray(32); counter = 0; };
const encryptAndHash = (plaintext) => { const ct = gcmEncrypt(key, counter++, h, plaintext); mixHash(ct); return ct; };

const e = publicOf(ce); const s = publicOf(cs); const E = publicOf(se); const S = publicOf(ss);
mixHash(Buffer.from([0x57, 0x41, 0x06, 0x03]));
mixHash(e);
const clientHello = field(2, field(1, e));

mixHash(E);
mixKey(dh(se, e));
const serverStaticCt = encryptAndHash(S);
mixKey(dh(ss, e));
const certCt = encryptAndHash(certPayload);
const serverHello = field(3, Buffer.concat([field(1, E), field(2, serverStaticCt), field(3, certCt)]));

const clientStaticCt = encryptAndHash(s); // nonce 1, §2.2
mixKey(dh(cs, E));
const payloadCt = encryptAndHash(clientPayload);
const clientFinish = field(4, Buffer.concat([field(1, clientStaticCt), field(2, payloadCt)]));

const split = hkdf64(Buffer.alloc(0), ck);
const c2s = split.subarray(0, 32); const s2c = split.subarray(32);
console.log(JSON.stringify({
  clientHello: hex(clientHello), serverHello: hex(serverHello), clientFinish: hex(clientFinish),
  clientToServerKey: hex(c2s), serverToClientKey: hex(s2c),
  clientFrame0: hex(gcmEncrypt(c2s, 0, Buffer.alloc(0), transportPlain)),
  clientFrame1: hex(gcmEncrypt(c2s, 1, Buffer.alloc(0), transportPlain)),
  serverFrame0: hex(gcmEncrypt(s2c, 0, Buffer.alloc(0), transportPlain)),
}));
