// Writes baileys-golden.tsv: random nodes encoded by Baileys' own encodeBinaryNode, one per line as
// "<hex>\t<json>". Run from a scratch dir with baileys@7.0.0-rc.9 installed (see README.md).
// json: {"tag":..., "attrs":{...}, "bytes":"<hex>"} or {..., "children":[...]}; no "bytes"/"children" = no content.
import { encodeBinaryNode } from 'baileys/lib/WABinary/index.js';
import { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS } from 'baileys/lib/WABinary/constants.js';
import { writeFileSync } from 'fs';

let seed = 20261123;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor((seed / 2147483648) * n); };
const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[rand(alphabet.length)]).join('');
const AD = ['s.whatsapp.net', 'lid', 'hosted', 'hosted.lid'];
const PAIR = ['s.whatsapp.net', 'g.us', 'broadcast', 'lid', 'newsletter'];
const str = () => {
  switch (rand(8)) {
    case 0: return SINGLE_BYTE_TOKENS[1 + rand(235)];
    case 1: return DOUBLE_BYTE_TOKENS[rand(4)][rand(256)];
    case 2: return pick('0123456789-.', 1 + rand(127));
    case 3: return pick('0123456789ABCDEF', 1 + rand(127));
    case 4: return pick('0123456789', 1 + rand(15)) + ':' + (1 + rand(254)) + '@' + AD[rand(4)];
    case 5: return (rand(4) ? pick('0123456789', 1 + rand(18)) : '') + '@' + PAIR[rand(5)];
    case 6: return 'k' + pick('abcxyz é漢:_-', rand(40));
    default: return 'v' + pick('abcdef', rand(30));
  }
};
const node = (depth) => {
  const attrs = {};
  for (let i = rand(4); i > 0; i--) attrs[str()] = str();
  const n = { tag: str(), attrs };
  const kind = rand(depth > 0 ? 3 : 2);
  if (kind === 1) n.content = Buffer.from(pick('0123456789abcdef', 2 * (rand(6) ? rand(40) : 256 + rand(100))), 'hex');
  if (kind === 2) n.content = Array.from({ length: rand(4) }, () => node(depth - 1));
  return n;
};
const json = (n) => ({ tag: n.tag, attrs: n.attrs,
  ...(Buffer.isBuffer(n.content) ? { bytes: n.content.toString('hex') } : {}),
  ...(Array.isArray(n.content) ? { children: n.content.map(json) } : {}) });
const lines = [];
for (let i = 0; i < 150; i++) { const n = node(3); lines.push(encodeBinaryNode(n).toString('hex') + '\t' + JSON.stringify(json(n))); }
writeFileSync('baileys-golden.tsv', lines.join('\n') + '\n');
