import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

let publicRoots: X509Certificate[] | undefined;

const splitPem = (text: string) =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

export function trustAnchors(extraCaFile?: string): X509Certificate[] {
  publicRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  const extra = extraCaFile
    ? splitPem(readFileSync(extraCaFile, 'utf8')).map((pem) => new X509Certificate(pem))
    : [];
  return [...publicRoots, ...extra];
}

const issued = (child: X509Certificate, parent: X509Certificate) =>
  child.checkIssued(parent) && child.verify(parent.publicKey);
// not checkIssued(): a self-signed leaf lacks keyCertSign, and OpenSSL's issuer check demands it
const selfSigned = (c: X509Certificate) => c.subject === c.issuer && c.verify(c.publicKey);

export type ChainVerdict =
  | { status: 'complete'; path: string }
  | { status: 'incomplete' | 'untrusted' | 'self-signed' | 'broken'; reason: string };

/** Judge a served chain as a browser would: every link signed by the next, ending at a trusted root. */
export function judgeChain(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
): ChainVerdict {
  const leaf = chain[0]!;
  if (selfSigned(leaf)) {
    return anchors.some((a) => a.fingerprint256 === leaf.fingerprint256)
      ? { status: 'complete', path: 'self-signed, explicitly trusted' }
      : { status: 'self-signed', reason: `self-signed certificate (${leaf.subject})` };
  }
  const names: string[] = [leaf.subject.replace(/\n/g, ', ')];
  let current = leaf;
  for (const next of chain.slice(1)) {
    if (!issued(current, next))
      return {
        status: 'broken',
        reason: `"${current.subject}" is not signed by the next certificate sent ("${next.subject}")`,
      };
    names.push(next.subject.replace(/\n/g, ', '));
    current = next;
    if (selfSigned(current)) break;
  }
  const anchor = anchors.find((a) => a.fingerprint256 === current.fingerprint256 || issued(current, a));
  if (anchor)
    return {
      status: 'complete',
      path: [...names, ...(anchor.fingerprint256 === current.fingerprint256 ? [] : [anchor.subject])].join(
        ' <- ',
      ),
    };
  if (selfSigned(current))
    return { status: 'untrusted', reason: `chain ends at a root that is not trusted: ${current.subject}` };
  return {
    status: 'incomplete',
    reason: `the server does not send the issuer of "${current.subject}" (issuer: ${current.issuer})`,
  };
}
