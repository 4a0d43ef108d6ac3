// Runs one Baileys client against wa-simulator for the Baileys ITs.
// usage: node driver.mjs <ws-url> <auth-dir> [line]
// line 7 (the default) runs Baileys 7.0.0-rc.9 (package baileys, token dictionary v3); line 6 runs
// Baileys 6.17.16 (the npm alias baileys6, dictionary v2; docs/protocol.md §1.2, §4.8).
// Prints one JSON line per event on stdout: {"event":"qr","qr":...}, {"event":"open","user":...},
// {"event":"close","statusCode":N}, {"event":"crash","error":...}; for messaging (BaileysMessagingIT)
// {"event":"message","id","key":{...},"text","pushName","status","userReceipt","stub"} per messages.upsert entry
// (status and userReceipt are set when Baileys' event buffer merged a receipt's update into the upsert of its own message),
// {"event":"update","id","key":{...},"status":N} per messages.update entry, {"event":"receipt","id",
// "key","userJid","receiptTimestamp","readTimestamp"} per message-receipt.update entry (group
// receipts, docs/protocol.md §10.7), {"event":"protocol","id","type","keys","syncType","fromMe"} per
// upserted protocol message (the phone's app-state key share and history sync notification to a new
// companion, docs/protocol.md §9.6), and the answers to stdin
// commands: {"event":"sent","id","to"} or {"event":"send-error","error"}; {"event":"read-sent","ids"} or
// {"event":"read-error","error"}. Baileys' own logs go to stderr.
// Commands arrive on stdin as JSON lines: {"cmd":"send","to":"<jid>","text":"..."},
// {"cmd":"read","ids":["..."]} (Baileys' readMessages on the keys of messages it received), and
// {"cmd":"pair-code","phone":"<digits>"} (pairing by code, docs/protocol.md §6.7: Baileys' own
// requestPairingCode on the registration socket), answered with {"event":"pairing-code","code"} or
// {"event":"pair-code-error","error"}.
// Reconnects at once on 515 (restart required, docs/protocol.md §6.6, §12); exits 0 after a
// 401 (logged out); reconnects after 1 s on any other close. On SIGTERM it finishes writing the
// auth state, then exits 0, so that the next run on the same auth dir logs in.
import pino from 'pino';
import readline from 'node:readline';

const PACKAGES = { 6: 'baileys6', 7: 'baileys' };
const [url, authDir, line = '7'] = process.argv.slice(2);
if (!url || !authDir || !PACKAGES[line]) {
  process.stderr.write('usage: node driver.mjs <ws-url> <auth-dir> [6|7]\n');
  process.exit(2);
}
// Both lines export these names (Baileys 6 as CommonJS, 7 as an ES module).
const { makeWASocket, useMultiFileAuthState, DisconnectReason } = await import(PACKAGES[line]);

const logger = pino({ level: process.env.BAILEYS_LOG_LEVEL || 'warn' }, pino.destination(2));

function emit(event, then) {
  process.stdout.write(JSON.stringify(event) + '\n', then);
}

function crash(error) {
  if (stopping) {
    // Closing on SIGTERM rejects what was in flight; exiting here could cut the final write short.
    process.stderr.write(`while stopping: ${error && error.stack || error}\n`);
    return;
  }
  emit({ event: 'crash', error: String(error && error.stack || error) }, () => process.exit(1));
}
// Writes of creds.json are serialized: two overlapping writes of one file can leave it corrupt.
let saving = Promise.resolve();
// On SIGTERM: no reconnect and no new write once the last one started (a write cut short by exit
// leaves creds.json truncated), then one final write of the state as it is, then exit.
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  try {
    current?.end(undefined);
  } catch (error) {
    process.stderr.write(`end: ${error}\n`);
  }
  saving.then(saveCreds, saveCreds).finally(() => process.exit(0));
});
process.on('unhandledRejection', crash);
process.on('uncaughtException', crash);

// Loaded once: a reconnect reuses the in-memory state instead of re-reading files being written.
const { state, saveCreds } = await useMultiFileAuthState(authDir);

let current = null;
// The keys of received messages by id, for the read command.
const received = new Map();

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
  if (command.cmd === 'read') {
    const keys = (command.ids || []).map((id) => received.get(id));
    if (!current || keys.length === 0 || keys.some((key) => !key)) {
      emit({ event: 'read-error', error: current ? 'unknown message id' : 'not connected' });
      return;
    }
    current.readMessages(keys)
      .then(() => emit({ event: 'read-sent', ids: command.ids }))
      .catch((error) => emit({ event: 'read-error', error: String(error && error.stack || error) }));
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
      const protocol = message.message?.protocolMessage;
      if (protocol) {
        // The phone's app-state key share and history sync notification (docs/protocol.md §9.6).
        emit({ event: 'protocol', upsertType: type, id: message.key?.id, type: protocol.type ?? null,
          keys: protocol.appStateSyncKeyShare?.keys?.length ?? null,
          syncType: protocol.historySyncNotification?.syncType ?? null,
          fromMe: message.key?.fromMe ?? null });
        continue;
      }
      if (message.key?.id && !message.key.fromMe) {
        received.set(message.key.id, message.key);
      }
      emit({ event: 'message', upsertType: type, id: message.key?.id, key: message.key,
        text: textOf(message), pushName: message.pushName ?? null, status: message.status ?? null,
        userReceipt: (message.userReceipt ?? []).map((r) => ({ userJid: r.userJid ?? null,
          receiptTimestamp: r.receiptTimestamp == null ? null : Number(r.receiptTimestamp),
          readTimestamp: r.readTimestamp == null ? null : Number(r.readTimestamp) })),
        stub: message.messageStubType ?? null,
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
  // Group receipts arrive as message-receipt.update (one per member device), not as a status.
  sock.ev.on('message-receipt.update', (updates) => {
    for (const { key, receipt } of updates) {
      emit({ event: 'receipt', id: key?.id, key, userJid: receipt?.userJid ?? null,
        receiptTimestamp: receipt?.receiptTimestamp ?? null, readTimestamp: receipt?.readTimestamp ?? null });
    }
  });
  sock.ev.on('creds.update', () => {
    if (stopping) {
      return;
    }
    saving = saving.then(saveCreds).catch((error) => process.stderr.write(`saveCreds: ${error}\n`));
  });
  sock.ev.on('connection.update', (update) => {
    if (update.qr) {
      emit({ event: 'qr', qr: update.qr });
    }
    if (update.connection === 'open') {
      // The auth state's creds.me, not sock.user: the socket layers copy sock.user when the socket
      // is made, and Baileys 6 learns its lid from 'success' only (7 already from pair-success), so
      // on 6's first login after pairing sock.user lacks the lid.
      emit({ event: 'open', user: state.creds.me });
    }
    if (update.connection === 'close') {
      const statusCode = update.lastDisconnect?.error?.output?.statusCode ?? 0;
      if (statusCode === DisconnectReason.loggedOut) {
        emit({ event: 'close', statusCode }, () => process.exit(0));
        return;
      }
      emit({ event: 'close', statusCode });
      if (stopping) {
        return;
      }
      if (statusCode === DisconnectReason.restartRequired) {
        connect().catch(crash);
      } else {
        setTimeout(() => connect().catch(crash), 1000);
      }
    }
  });
}

connect().catch(crash);
