// firestore.rules on the real emulator. FIRESTORE_EMULATOR_HOST (host:port) and RULES_FILE come from
// FirestoreRulesIT. Every collection wafleet writes is listed here, so a loosened rule fails a test.
import { after, before, beforeEach, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import {
  assertFails, assertSucceeds, initializeTestEnvironment,
} from '@firebase/rules-unit-testing';
import { collection, deleteDoc, doc, getDoc, getDocs, setDoc, updateDoc } from 'firebase/firestore';

const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
if (!host || !port) throw new Error('FIRESTORE_EMULATOR_HOST must be host:port');
const rulesFile = process.env.RULES_FILE ?? '../../../../../firestore.rules';

// Every server-only document path, with a realistic body.
const SERVER_ONLY = [
  ['accounts/acc1', { name: 'Sales', phoneE164: '+40700000001', status: 'NEEDS_QR', qr: { value: '2@ref' } }],
  ['wa_sessions/acc1', { creds: 'encrypted', keyId: 'k1' }],
  ['wa_sessions/acc1/keys/pre-key_1', { value: 'encrypted', keyId: 'k1' }],
  ['outbox/out1', { accountId: 'acc1', to: '40700000002@s.whatsapp.net', text: 'hi', status: 'QUEUED' }],
  ['threads/acc1~x', { accountId: 'acc1', chatJid: 'x' }],
  ['threads/acc1~x/messages/w1', { text: 'hello' }],
  ['wa_metrics/longrun', { kind: 'root' }],
  ['wa_metrics/longrun/config/current', { alertsEnabled: true }],
  ['wa_metrics/longrun/heartbeats/2026-01-01T00-00', { connectorsAlive: 1 }],
  ['wa_metrics/longrun/incidents/disconnected__acc1', { state: 'OPEN' }],
  ['wa_metrics/longrun/locks/heartbeat', { holder: 'fn' }],
];

let env;

before(async () => {
  env = await initializeTestEnvironment({
    projectId: 'demo-wafleet-rules',
    firestore: { host, port: Number(port), rules: readFileSync(rulesFile, 'utf8') },
  });
});

after(async () => { await env?.cleanup(); });

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    for (const [path, data] of SERVER_ONLY) await setDoc(doc(db, path), data);
    await setDoc(doc(db, 'connectors/conn-1'), { leaseUntil: 1, generation: 1, version: '0.1.0' });
  });
});

const contexts = () => ({
  anonymous: env.unauthenticatedContext().firestore(),
  user: env.authenticatedContext('alice').firestore(),
  operator: env.authenticatedContext('olga', { wafleet_operator: true }).firestore(),
});

describe('server-only collections', () => {
  for (const [path, data] of SERVER_ONLY) {
    test(`${path}: no client may read or write, not even an operator`, async () => {
      for (const [who, db] of Object.entries(contexts())) {
        await assertFails(getDoc(doc(db, path)), `${who} read ${path}`);
        await assertFails(setDoc(doc(db, path), data), `${who} create/overwrite ${path}`);
        await assertFails(updateDoc(doc(db, path), { touched: true }), `${who} update ${path}`);
        await assertFails(deleteDoc(doc(db, path)), `${who} delete ${path}`);
      }
    });
  }

  test('listing accounts, outbox and sessions is denied to operators', async () => {
    const { operator } = contexts();
    for (const name of ['accounts', 'outbox', 'wa_sessions', 'threads']) {
      await assertFails(getDocs(collection(operator, name)));
    }
  });
});

describe('connectors', () => {
  test('an operator may read and list connector leases', async () => {
    const { operator } = contexts();
    await assertSucceeds(getDoc(doc(operator, 'connectors/conn-1')));
    await assertSucceeds(getDocs(collection(operator, 'connectors')));
  });

  test('an operator may not write a lease', async () => {
    const { operator } = contexts();
    await assertFails(setDoc(doc(operator, 'connectors/conn-1'), { leaseUntil: 2 }));
    await assertFails(setDoc(doc(operator, 'connectors/conn-2'), { leaseUntil: 2 }));
    await assertFails(deleteDoc(doc(operator, 'connectors/conn-1')));
  });

  test('a user without the operator claim and an anonymous client may not read leases', async () => {
    const { anonymous, user } = contexts();
    await assertFails(getDoc(doc(anonymous, 'connectors/conn-1')));
    await assertFails(getDoc(doc(user, 'connectors/conn-1')));
    await assertFails(getDocs(collection(user, 'connectors')));
  });
});

describe('unknown paths', () => {
  test('a collection wafleet does not use is denied too', async () => {
    const { operator } = contexts();
    await assertFails(setDoc(doc(operator, 'anything/else'), { a: 1 }));
    await assertFails(getDoc(doc(operator, 'anything/else')));
  });
});
