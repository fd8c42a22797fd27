/**
 * Writes the test fixture release (not Dolibarr: a small stand-in that follows Dolibarr's release
 * layout and install contract, see test/helpers/fixture-release) and prints its path and sha256.
 *   npx tsx scripts/fixture-release.ts OUT_DIR [VERSION]
 */
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';

const [outDir, version = '20.0.2'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: tsx scripts/fixture-release.ts OUT_DIR [VERSION]');
  process.exit(2);
}
const release = buildFixtureRelease({ version }, outDir);
console.log(`${release.tarball} ${release.sha256}`);
