import { SINGLE_BYTE_TOKENS, DOUBLE_BYTE_TOKENS, TAGS } from 'baileys/lib/WABinary/constants.js';
import { writeFileSync } from 'fs';
writeFileSync('wa-tokens.json', JSON.stringify({ dictVersion: 3, tags: TAGS,
    single: SINGLE_BYTE_TOKENS, double: DOUBLE_BYTE_TOKENS }, null, 1));
