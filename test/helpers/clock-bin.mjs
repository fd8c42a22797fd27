/* global process */
// The CLI with a fixed clock, for tests only: `node clock-bin.mjs ISO-TIME ARGS...`. The shipped
// bin/mokodeploy.js has no way to set the clock (issue 12: honest time); this script is never installed.
import { main } from '../../dist/cli/main.js';

const [node, , at, ...args] = process.argv;
const now = new Date(at);
if (Number.isNaN(now.getTime())) throw new Error(`clock-bin: not a time: ${at}`);
process.exitCode = await main([node, 'mokodeploy', ...args], { now: () => new Date(now) });
