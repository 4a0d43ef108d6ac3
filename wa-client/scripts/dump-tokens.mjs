// Writes the plain-text token table that Tokens reads, from an installed Baileys.
// usage: node dump-tokens.mjs [package] [output]     (defaults: baileys wa-tokens.txt)
// package is the name Baileys is installed under in ./node_modules, e.g. an npm alias such as
// baileys6 (npm:baileys@6.17.16) for the dictionary version 2 table.
import { readFileSync, writeFileSync } from 'fs';

const [pkg = 'baileys', output = 'wa-tokens.txt'] = process.argv.slice(2);
const { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS, TAGS } = await import(`${pkg}/lib/WABinary/constants.js`);
const { DICT_VERSION } = await import(`${pkg}/lib/Defaults/index.js`);
const { version } = JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8'));
// "= section" lines, then one entry per line.
const lines = [
  `# Token table of docs/protocol.md §4.8 (dictionary version ${DICT_VERSION}), written by`,
  `# wa-client/scripts/dump-tokens.mjs from Baileys ${version}. Format: "= <section>" starts a`,
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
writeFileSync(output, lines.join('\n') + '\n');
