import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { phpString } from '../../../src/escape/php.js';
import { payloads } from './payloads.js';

describe('PHP string escaper (checked with php)', () => {
  it('every payload, and quote/backslash pairs, decode to the same bytes in PHP', () => {
    const values = [...Object.values(payloads), "\\'; system('id'); //", 'end\\', '?>\n<?php echo 1;'];
    const script = `<?php echo json_encode([${values.map(phpString).join(', ')}]);`;
    const out = execFileSync('php', ['-d', 'display_errors=stderr'], { input: script, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(values);
  });
});
