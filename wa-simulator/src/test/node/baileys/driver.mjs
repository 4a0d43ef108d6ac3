// Runs one Baileys 7.0.0-rc.9 client against wa-simulator for BaileysInteropIT.
// usage: node driver.mjs <ws-url> <auth-dir>
// Prints one JSON line per event on stdout: {"event":"qr","qr":...}, {"event":"open","user":...},
// {"event":"close","statusCode":N}, {"event":"crash","error":...}. Baileys' own logs go to stderr.
// Reconnects at once on 515 (restart required, WHATSAPP-PROTOCOL.md §6.6, §12); exits 0 after a
// 401 (logged out); reconnects after 1 s on any other close. On SIGTERM it finishes writing the
// auth state, then exits 0, so that the next run on the same auth dir logs in.
import makeWASocket, { useMultiFileAuthState, DisconnectReason } from 'baileys';
import pino from 'pino';

const [url, authDir] = process.argv.slice(2);
if (!url || !authDir) {
  process.stderr.write('usage: node driver.mjs <ws-url> <auth-dir>\n');
  process.exit(2);
}

const logger = pino({ level: process.env.BAILEYS_LOG_LEVEL || 'warn' }, pino.destination(2));

function emit(event, then) {
  process.stdout.write(JSON.stringify(event) + '\n', then);
}

function crash(error) {
  emit({ event: 'crash', error: String(error && error.stack || error) }, () => process.exit(1));
}
// Writes of creds.json are serialized: two overlapping writes of one file can leave it corrupt.
let saving = Promise.resolve();
process.on('SIGTERM', () => {
  saving.finally(() => process.exit(0));
});
process.on('unhandledRejection', crash);
process.on('uncaughtException', crash);

// Loaded once: a reconnect reuses the in-memory state instead of re-reading files being written.
const { state, saveCreds } = await useMultiFileAuthState(authDir);

async function connect() {
  const sock = makeWASocket({
    waWebSocketUrl: url,
    auth: state,
    logger,
    syncFullHistory: false,
    markOnlineOnConnect: false,
  });
  sock.ev.on('creds.update', () => {
    saving = saving.then(saveCreds).catch((error) => process.stderr.write(`saveCreds: ${error}\n`));
  });
  sock.ev.on('connection.update', (update) => {
    if (update.qr) {
      emit({ event: 'qr', qr: update.qr });
    }
    if (update.connection === 'open') {
      emit({ event: 'open', user: sock.user });
    }
    if (update.connection === 'close') {
      const statusCode = update.lastDisconnect?.error?.output?.statusCode ?? 0;
      if (statusCode === DisconnectReason.loggedOut) {
        emit({ event: 'close', statusCode }, () => process.exit(0));
        return;
      }
      emit({ event: 'close', statusCode });
      if (statusCode === DisconnectReason.restartRequired) {
        connect().catch(crash);
      } else {
        setTimeout(() => connect().catch(crash), 1000);
      }
    }
  });
}

connect().catch(crash);
