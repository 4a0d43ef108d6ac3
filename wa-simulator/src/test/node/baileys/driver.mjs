// Runs one Baileys 7.0.0-rc.9 client against wa-simulator for BaileysInteropIT.
// usage: node driver.mjs <ws-url> <auth-dir>
// Prints one JSON line per event on stdout: {"event":"qr","qr":...}, {"event":"open","user":...},
// {"event":"close","statusCode":N}, {"event":"crash","error":...}; for messaging (BaileysMessagingIT)
// {"event":"message","id","key":{...},"text","status","stub"} per messages.upsert entry (status is set
// when Baileys' event buffer merged a receipt's update into the upsert of its own message),
// {"event":"update","id","key":{...},"status":N} per messages.update entry, and the answers to stdin
// commands: {"event":"sent","id","to"} or {"event":"send-error","error"}. Baileys' own logs go to stderr.
// Commands arrive on stdin as JSON lines: {"cmd":"send","to":"<jid>","text":"..."}, and
// {"cmd":"pair-code","phone":"<digits>"} (pairing by code, docs/protocol.md §6.7: Baileys' own
// requestPairingCode on the registration socket), answered with {"event":"pairing-code","code"} or
// {"event":"pair-code-error","error"}.
// Reconnects at once on 515 (restart required, docs/protocol.md §6.6, §12); exits 0 after a
// 401 (logged out); reconnects after 1 s on any other close. On SIGTERM it finishes writing the
// auth state, then exits 0, so that the next run on the same auth dir logs in.
import makeWASocket, { useMultiFileAuthState, DisconnectReason } from 'baileys';
import pino from 'pino';
import readline from 'node:readline';

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

let current = null;

function textOf(message) {
  const m = message?.message;
  return m?.conversation ?? m?.extendedTextMessage?.text ?? null;
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let command;
  try {
    command = JSON.parse(line);
  } catch (error) {
    emit({ event: 'command-error', error: String(error) });
    return;
  }
  if (command.cmd === 'pair-code') {
    if (!current) {
      emit({ event: 'pair-code-error', error: 'not connected' });
      return;
    }
    current.requestPairingCode(command.phone)
      .then((code) => emit({ event: 'pairing-code', code }))
      .catch((error) => emit({ event: 'pair-code-error', error: String(error && error.stack || error) }));
    return;
  }
  if (command.cmd === 'send') {
    if (!current) {
      emit({ event: 'send-error', error: 'not connected' });
      return;
    }
    current.sendMessage(command.to, { text: command.text })
      .then((sent) => emit({ event: 'sent', id: sent?.key?.id, to: command.to }))
      .catch((error) => emit({ event: 'send-error', error: String(error && error.stack || error) }));
  }
});

async function connect() {
  const sock = makeWASocket({
    waWebSocketUrl: url,
    auth: state,
    logger,
    syncFullHistory: false,
    markOnlineOnConnect: false,
  });
  current = sock;
  sock.ev.on('messages.upsert', ({ messages, type }) => {
    for (const message of messages) {
      emit({ event: 'message', upsertType: type, id: message.key?.id, key: message.key,
        text: textOf(message), status: message.status ?? null, stub: message.messageStubType ?? null,
        stubParameters: message.messageStubParameters ?? null });
    }
  });
  sock.ev.on('messages.update', (updates) => {
    for (const { key, update } of updates) {
      if (update?.status !== undefined) {
        emit({ event: 'update', id: key?.id, key, status: update.status });
      }
    }
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
