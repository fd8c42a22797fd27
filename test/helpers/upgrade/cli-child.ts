/**
 * The CLI in its own process, for kill -9 tests of `mokodeploy upgrade` (issue 13): argv after the script are the
 * command's; the environment names the store. Exits with the CLI's code.
 */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(['node', 'mokodeploy', ...process.argv.slice(2)], { env: process.env });
