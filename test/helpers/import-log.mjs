// Logs every module URL a process loads to the file $MOKODEPLOY_IMPORT_LOG (node --import this-file ...):
// test/cli/startup-imports.test.ts checks which packages a command loads at startup.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import process from 'node:process';
import { MessageChannel } from 'node:worker_threads';

const log = process.env.MOKODEPLOY_IMPORT_LOG;
if (log) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => appendFileSync(log, `${url}\n`));
  port1.unref();
  register(
    `data:text/javascript,${encodeURIComponent(`let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`)}`,
    { data: { port: port2 }, transferList: [port2] },
  );
}
