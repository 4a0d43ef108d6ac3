import { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS, TAGS } from 'baileys/lib/WABinary/constants.js';
import { writeFileSync } from 'fs';
// The plain-text table Tokens reads: "= section" lines, then one entry per line.
const lines = [
  '# Token table of docs/protocol.md §4.8 (dictionary version 3), written by',
  '# wa-client/scripts/dump-tokens.mjs from Baileys 7.0.0-rc.9. Format: "= <section>" starts a',
  '# section; then one entry per line. "single" lists indexes 1..235 (index 0 is the empty string).',
  '= tags', ...Object.entries(TAGS).map(([name, value]) => `${name} ${value}`),
  '= single', ...SINGLE_BYTE_TOKENS.slice(1),
];
DOUBLE_BYTE_TOKENS.forEach((dict, i) => lines.push(`= double ${i}`, ...dict));
for (const token of [...SINGLE_BYTE_TOKENS.slice(1), ...DOUBLE_BYTE_TOKENS.flat()]) {
  if (token === '' || /\s/.test(token) || token.startsWith('#') || token.startsWith('=')) {
    throw new Error(`token does not fit the line format: ${JSON.stringify(token)}`);
  }
}
writeFileSync('wa-tokens.txt', lines.join('\n') + '\n');
