// A libsignal-node 6.0.0 peer: an in-memory store shaped like Baileys' (keys as Buffers, public
// keys 05-prefixed), shared by generate.mjs and interop.mjs.
import libsignal from 'libsignal';

export const { curve, keyhelper, ProtocolAddress, SessionBuilder, SessionCipher } = libsignal;

// libsignal-node logs session changes and per-session decrypt errors with console.*; keep stdout
// for our protocol, and keep the lines so a caller can report why a decrypt failed.
export const logLines = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => {
    const line = args.map(String).join(' ');
    logLines.push(line);
    if (logLines.length > 50) logLines.shift();
    process.stderr.write(line + '\n');
  };
}

/**
 * Routes every key pair libsignal-node generates (base keys, ratchet keys) through `sink`, so a
 * script can record which party got which key. Session code calls curve.generateKeyPair through
 * the module object, so replacing the property reaches it.
 */
const realGenerateKeyPair = curve.generateKeyPair;
let keySink = null;
curve.generateKeyPair = () => {
  const pair = realGenerateKeyPair();
  if (keySink) keySink(pair);
  return pair;
};
export function recordKeysInto(sink) {
  keySink = sink;
}

export const hex = (buf) => Buffer.from(buf).toString('hex');

export class Peer {
  constructor(name, deviceId) {
    this.address = new ProtocolAddress(name, deviceId);
    this.identity = keyhelper.generateIdentityKeyPair();
    this.registrationId = keyhelper.generateRegistrationId();
    this.signedPreKey = keyhelper.generateSignedPreKey(this.identity, 1);
    this.preKeys = new Map();
    this.sessions = new Map();
    this.identities = new Map();
    this.nextPreKeyId = 1;
  }

  newPreKey() {
    const preKey = keyhelper.generatePreKey(this.nextPreKeyId++);
    this.preKeys.set(preKey.keyId, preKey.keyPair);
    return preKey;
  }

  /** Baileys' bundle shape: 05-prefixed public keys. */
  bundle(preKey) {
    return {
      registrationId: this.registrationId,
      identityKey: this.identity.pubKey,
      signedPreKey: {
        keyId: this.signedPreKey.keyId,
        publicKey: this.signedPreKey.keyPair.pubKey,
        signature: this.signedPreKey.signature,
      },
      preKey: preKey ? { keyId: preKey.keyId, publicKey: preKey.keyPair.pubKey } : undefined,
    };
  }

  storage() {
    const self = this;
    return {
      getOurIdentity: async () => self.identity,
      getOurRegistrationId: async () => self.registrationId,
      isTrustedIdentity: async () => true,
      saveIdentity: async (id, key) => { self.identities.set(id, key); return true; },
      loadSession: async (id) => self.sessions.get(id),
      storeSession: async (id, record) => { self.sessions.set(id, record); },
      loadPreKey: async (id) => self.preKeys.get(id),
      removePreKey: async (id) => { self.preKeys.delete(id); },
      loadSignedPreKey: async (id) =>
        id === self.signedPreKey.keyId ? self.signedPreKey.keyPair : undefined,
    };
  }

  async processBundle(remote, bundle) {
    await new SessionBuilder(this.storage(), remote).initOutgoing(bundle);
  }

  async encrypt(remote, plaintext) {
    const result = await new SessionCipher(this.storage(), remote).encrypt(plaintext);
    return { type: result.type === 3 ? 'pkmsg' : 'msg', body: Buffer.from(result.body) };
  }

  async decrypt(remote, type, body) {
    const cipher = new SessionCipher(this.storage(), remote);
    return type === 'pkmsg'
      ? cipher.decryptPreKeyWhisperMessage(body)
      : cipher.decryptWhisperMessage(body);
  }
}
