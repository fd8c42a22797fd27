import { describe, expect, it } from 'vitest';
import { checkJobOptions } from '../../../src/queue/job-options.js';
import { jobArgv } from '../../../src/queue/job.js';

/**
 * A job's options are typed by the command's own definitions in the program (commander's), so a row means what its
 * argv says: `{address: true, 'dry-run': true}` became `--address --dry-run`, and --address took `--dry-run` as its
 * value: the upgrade ran for real.
 */
describe('job options against the command definitions', () => {
  it('refuses true on an option that takes a value (it would swallow the next word)', async () => {
    const options = { address: true as const, 'dry-run': true as const };
    expect(jobArgv(['upgrade'], { deploymentId: 'x', as: 'tina', options })).toContain('--address'); // the danger
    await expect(checkJobOptions(['upgrade'], options)).rejects.toThrow(/--address takes a value \(--address <ip>\), not true/);
  });

  it('refuses a value on a flag and an option the command does not have', async () => {
    await expect(checkJobOptions(['deploy'], { 'dry-run': 'yes' })).rejects.toThrow(/--dry-run is a flag: it takes only true/);
    await expect(checkJobOptions(['verify'], { 'no-such': true })).rejects.toThrow(/has no option --no-such/);
    await expect(checkJobOptions(['hypercare', 'run'], { 'dry-run': ['a'] })).rejects.toThrow(/has no option|is a flag/);
  });

  it('takes what the commands define', async () => {
    await expect(checkJobOptions(['upgrade'], { address: '10.0.0.1', 'dry-run': true })).resolves.toBeUndefined();
    await expect(checkJobOptions(['deploy'], { 'dry-run': true, as: 'tina' })).resolves.toBeUndefined();
    await expect(checkJobOptions(['verify'], { address: '127.0.0.1', 'ca-file': '/x/ca.pem' })).resolves.toBeUndefined();
  });
});
