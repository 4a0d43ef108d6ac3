// A Baileys 7.0.0-rc.9 sender for `./wafleet bench send` (SendBench).
// usage: node bench-peer.mjs <ws-url> <auth-dir>
// stdout, one JSON line per event: {"event":"qr","qr"}, {"event":"open","user"}, {"event":"close","statusCode"},
// {"event":"crash","error"}, and for each stdin command {"cmd":"bench","targets":[jid...],"count":N,"window":W}
// one {"event":"bench-done","count","acked","errors","ms","cpuUserMicros","cpuSystemMicros"}: N texts sent
// round-robin to the targets with at most W waiting for the server's <ack class="message">; CPU is this
// process's (process.cpuUsage) over the run. For {"cmd":"group","group":jid,"devices":N,"tag"} it sends
// one text to the group and answers {"event":"group-done","tag","id","ms","devices"} once N distinct
// devices (a receipt's participant) sent a receipt for it, ms counted from the sendMessage call
// (docs/benchmarks.md, group case). Reconnects at once on 515 (§6.6).
import makeWASocket, { useMultiFileAuthState, DisconnectReason } from 'baileys';
import pino from 'pino';
import readline from 'node:readline';

const [url, authDir] = process.argv.slice(2);
const logger = pino({ level: process.env.BAILEYS_LOG_LEVEL || 'silent' }, pino.destination(2));
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const crash = (error) => { emit({ event: 'crash', error: String(error?.stack || error) }); process.exit(1); };
process.on('unhandledRejection', crash);
process.on('uncaughtException', crash);

const { state, saveCreds } = await useMultiFileAuthState(authDir);
let current;
const waiting = new Map();
const groupWaits = new Map();

async function connect() {
  const sock = makeWASocket({ waWebSocketUrl: url, auth: state, logger, syncFullHistory: false,
    markOnlineOnConnect: false });
  current = sock;
  sock.ev.on('creds.update', saveCreds);
  sock.ws.on('CB:ack,class:message', (node) => {
    const done = waiting.get(node.attrs.id);
    if (done) {
      waiting.delete(node.attrs.id);
      done(node.attrs.error);
    }
  });
  sock.ws.on('CB:receipt', (node) => {
    if (node.attrs.type === 'retry') return;
    const ids = [node.attrs.id, ...(node.content?.find?.((c) => c.tag === 'list')?.content ?? [])
      .map((item) => item.attrs?.id)];
    for (const id of ids) {
      const wait = groupWaits.get(id);
      if (!wait) continue;
      wait.devices.add(node.attrs.participant || node.attrs.from);
      if (wait.devices.size >= wait.wanted) {
        groupWaits.delete(id);
        wait.done();
      }
    }
  });
  sock.ev.on('connection.update', (update) => {
    if (update.qr) emit({ event: 'qr', qr: update.qr });
    if (update.connection === 'open') emit({ event: 'open', user: sock.user });
    if (update.connection === 'close') {
      const statusCode = update.lastDisconnect?.error?.output?.statusCode ?? 0;
      emit({ event: 'close', statusCode });
      if (statusCode === DisconnectReason.restartRequired) connect().catch(crash);
    }
  });
}

async function bench({ targets, count, window }) {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let acked = 0; let errors = 0; let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const id = `BENCH${Date.now().toString(16).toUpperCase()}${i}`;
      const ack = new Promise((resolve) => waiting.set(id, resolve));
      await current.sendMessage(targets[i % targets.length], { text: `bench ${i}` }, { messageId: id });
      const error = await ack;
      if (error) errors++; else acked++;
    }
  }
  await Promise.all(Array.from({ length: window }, worker));
  const used = process.cpuUsage(cpu);
  emit({ event: 'bench-done', count, acked, errors,
    ms: Number(process.hrtime.bigint() - started) / 1e6,
    cpuUserMicros: used.user, cpuSystemMicros: used.system });
}

async function group({ group: jid, devices, tag }) {
  const id = `GROUP${Date.now().toString(16).toUpperCase()}${tag}`;
  const started = process.hrtime.bigint();
  const all = new Promise((resolve) => groupWaits.set(id, { wanted: devices, devices: new Set(),
    done: resolve }));
  await current.sendMessage(jid, { text: `group bench ${tag}` }, { messageId: id });
  await all;
  emit({ event: 'group-done', tag, id, ms: Number(process.hrtime.bigint() - started) / 1e6, devices });
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (command.cmd === 'bench') bench(command).catch(crash);
  if (command.cmd === 'group') group(command).catch(crash);
});
process.on('SIGTERM', () => process.exit(0));
connect().catch(crash);
