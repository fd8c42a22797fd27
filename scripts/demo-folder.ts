import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dirMaker } from '../test/helpers/site-parts.js';
import { stopLeftovers } from './demo-services.js';

/** PHP-FPM and nginx workers run as www-data: every folder above the scratch folder must let others through. */
function checkReachable(path: string): void {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p))
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0)
      throw new Error(
        `${p} is closed to other users (mode ${(statSync(p).mode & 0o777).toString(8)}): the site's workers (www-data) cannot reach ${path}. ` +
          'Put the checkout somewhere else (e.g. /srv), or set DEMO_DIR=/srv/mokodeploy-demo',
      );
}

const marker = '.mokodeploy-demo';

/**
 * The scratch folder, made again for each run: reachable by the site's workers, never a folder that is not an
 * earlier demo's, and free of services a killed earlier demo left running.
 */
export async function prepareFolder(dir: string, note: (text: string) => void): Promise<void> {
  checkReachable(dir);
  // a DEMO_DIR that holds anything but an earlier demo (this one's, or the dry-run demo's) is never touched
  if (
    existsSync(dir) &&
    readdirSync(dir).length > 0 &&
    ![marker, 'plans/demo.yaml'].some((f) => existsSync(join(dir, f)))
  )
    throw new Error(`${dir} is not empty and not an earlier demo's folder: set DEMO_DIR to a new folder`);
  const left = await stopLeftovers(dir);
  if (left.length) note(`stopped services a killed earlier demo left running (pids ${left.join(', ')})`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, marker), 'scratch folder of npm run demo: removed and made again by each run\n');
  // the test helpers' temp dirs (MariaDB's data dir among them) go under the scratch folder too
  process.env.TMPDIR = dirMaker(dir)('tmp');
}
