import { randomBytes } from 'node:crypto';
import type { DolibarrApi } from './api-client.js';
import type { VerifyContext } from './context.js';

/**
 * Policy "File uploads working": a small file attached to the test third party through the documents API
 * (api_documents.class.php post(): 20.0.2 does not find third parties by `ref` — "Modulepart thirdparty not
 * implemented yet", l.785 — so modulepart societe + subdir <id> -> DATA_ROOT/societe/<id>/, l.835-850), downloaded again and
 * compared byte for byte, then deleted.
 */
export async function uploadRoundTrip(
  ctx: VerifyContext,
  api: DolibarrApi,
  thirdpartyId: number,
): Promise<{ ok: boolean; seen: string }> {
  const content = `mokodeploy verification ${ctx.now.toISOString()} ${randomBytes(8).toString('hex')}\n`;
  const filename = 'mokodeploy-verify.txt';
  await api.call('POST', 'documents/upload', {
    filename,
    modulepart: 'societe',
    ref: '',
    subdir: String(thirdpartyId),
    filecontent: Buffer.from(content).toString('base64'),
    fileencoding: 'base64',
    overwriteifexists: 1,
  });
  const original = encodeURIComponent(`${thirdpartyId}/${filename}`);
  ctx.cleanups.push(() =>
    api.call('DELETE', `documents?modulepart=societe&original_file=${original}`).then(() => undefined),
  );
  const back = (await api.call('GET', `documents/download?modulepart=societe&original_file=${original}`)) as {
    content?: string;
  };
  const same = Buffer.from(back.content ?? '', 'base64').toString('utf8') === content;
  return {
    ok: same,
    seen: same
      ? `${filename} (${content.length} bytes) uploaded to third party #${thirdpartyId} and downloaded identical`
      : `${filename} came back different from what was uploaded`,
  };
}
