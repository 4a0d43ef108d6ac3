// Baileys 7.0.0-rc.9's own sender-key implementation (lib/Signal/Group) as a peer for
// BaileysGroupCipherIT: one group, Baileys' own sending key and the key of a sender named "java".
// usage: node group-cipher.mjs [ignored arguments]
// stdin, one JSON command a line, each with a "tag" echoed in its answer on stdout:
//   {"cmd":"create"}            → {"event":"skdm","hex"}        Baileys' distribution message
//   {"cmd":"encrypt","hex"}     → {"event":"skmsg","hex"}       with Baileys' sending key
//   {"cmd":"process","hex"}     → {"event":"processed"}         the other sender's distribution message
//   {"cmd":"decrypt","hex"}     → {"event":"plaintext","hex"}   a message of the other sender
// any failure → {"event":"error","error"}; a crash → {"event":"crash","error"}.
import { GroupCipher, GroupSessionBuilder, SenderKeyName, SenderKeyDistributionMessage, SenderKeyRecord }
  from 'baileys/lib/Signal/Group/index.js';
import readline from 'node:readline';

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const crash = (error) => { emit({ event: 'crash', error: String(error?.stack || error) }); process.exit(1); };
process.on('unhandledRejection', crash);
process.on('uncaughtException', crash);

const records = new Map();
const store = {
  async loadSenderKey(name) { return records.get(name.toString()) ?? new SenderKeyRecord(); },
  async storeSenderKey(name, record) { records.set(name.toString(), record); },
};
const group = '120363000000000001@g.us';
const own = new SenderKeyName(group, { id: 'baileys', deviceId: 0 });
const other = new SenderKeyName(group, { id: 'java', deviceId: 0 });

async function run(command) {
  const bytes = command.hex ? Buffer.from(command.hex, 'hex') : null;
  switch (command.cmd) {
    case 'create': {
      const skdm = await new GroupSessionBuilder(store).create(own);
      return { event: 'skdm', hex: Buffer.from(skdm.serialize()).toString('hex') };
    }
    case 'encrypt':
      return { event: 'skmsg', hex: Buffer.from(await new GroupCipher(store, own).encrypt(bytes)).toString('hex') };
    case 'process':
      await new GroupSessionBuilder(store).process(other,
        new SenderKeyDistributionMessage(null, null, null, null, bytes));
      return { event: 'processed' };
    case 'decrypt':
      return { event: 'plaintext', hex: Buffer.from(await new GroupCipher(store, other).decrypt(bytes)).toString('hex') };
    default:
      return { event: 'error', error: `unknown command ${command.cmd}` };
  }
}

let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  queue = queue.then(() => run(command))
    .then((answer) => emit({ ...answer, tag: command.tag }))
    .catch((error) => emit({ event: 'error', tag: command.tag, error: String(error?.message || error) }));
});
process.on('SIGTERM', () => process.exit(0));
