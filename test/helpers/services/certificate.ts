import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './process.js';

export interface CertificateOptions {
  /** Common name, also the only subjectAltName unless `altNames` is given. */
  cn: string;
  altNames?: string[];
  /** Validity in days from now (default 365). */
  days?: number;
  /** Validity ended yesterday (not after = now - 1 day, not before = now - days - 1). */
  expired?: boolean;
  /** Self-signed leaf instead of root CA -> intermediate CA -> leaf. */
  selfSigned?: boolean;
  dir?: string;
}

export interface Certificate {
  dir: string;
  /** The leaf certificate alone. */
  certPath: string;
  keyPath: string;
  /** Intermediate CA certificate (what a server must send after the leaf); absent when self-signed. */
  chainPath?: string;
  /** leaf + intermediate: what nginx's ssl_certificate should hold for a complete chain. */
  fullchainPath: string;
  /** The root CA to trust (the leaf itself when self-signed). */
  caPath: string;
  notBefore: Date;
  notAfter: Date;
}

const day = 86_400_000;
const opensslDate = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

function caConfig(dir: string, altNames: string[]): string {
  return [
    '[ca]',
    'default_ca = ca_default',
    '[ca_default]',
    `dir = ${dir}`,
    `database = ${dir}/index.txt`,
    `new_certs_dir = ${dir}/newcerts`,
    `serial = ${dir}/serial`,
    'default_md = sha256',
    'policy = policy_any',
    'unique_subject = no',
    'copy_extensions = none',
    '[policy_any]',
    'commonName = supplied',
    '[leaf_ext]',
    'basicConstraints = critical,CA:false',
    `subjectAltName = ${altNames.map((n) => `DNS:${n}`).join(',')}`,
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth',
    '[ca_ext]',
    'basicConstraints = critical,CA:true',
    'keyUsage = critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier = hash',
  ].join('\n');
}

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const newKey = (path: string) => [
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  path,
];

/** Make a TLS certificate with openssl: CA-signed (root -> intermediate -> leaf) or self-signed, valid or expired. */
export function makeCertificate(options: CertificateOptions): Certificate {
  const dir = options.dir ?? makeTempDir('cert');
  const ca = join(dir, 'ca');
  mkdirSync(join(ca, 'newcerts'), { recursive: true });
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
  const altNames = options.altNames ?? [options.cn];
  const cnf = join(ca, 'ca.cnf');
  writeFileSync(cnf, caConfig(ca, altNames));
  const days = options.days ?? 365;
  const now = Date.now();
  const notAfter = new Date(options.expired ? now - day : now + days * day);
  const notBefore = new Date(options.expired ? now - (days + 1) * day : now - 60_000);
  const sign = (
    csr: string,
    out: string,
    ext: string,
    issuer: { cert: string; key: string } | 'self',
    from: Date,
    to: Date,
  ) =>
    openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        cnf,
        '-in',
        csr,
        '-out',
        out,
        '-extensions',
        ext,
        '-startdate',
        opensslDate(from),
        '-enddate',
        opensslDate(to),
        ...(issuer === 'self'
          ? ['-selfsign', '-keyfile', join(dir, 'leaf.key')]
          : ['-cert', issuer.cert, '-keyfile', issuer.key]),
      ],
      dir,
    );
  const keyPath = join(dir, 'leaf.key');
  const certPath = join(dir, 'leaf.crt');
  openssl(
    ['req', '-new', ...newKey(keyPath), '-subj', `/CN=${options.cn}`, '-out', join(dir, 'leaf.csr')],
    dir,
  );
  if (options.selfSigned) {
    sign(join(dir, 'leaf.csr'), certPath, 'leaf_ext', 'self', notBefore, notAfter);
    const fullchainPath = certPath;
    return { dir, certPath, keyPath, fullchainPath, caPath: certPath, notBefore, notAfter };
  }
  const caFrom = new Date(now - 400 * day);
  const caTo = new Date(now + 3650 * day);
  const root = { cert: join(dir, 'root.crt'), key: join(dir, 'root.key') };
  openssl(
    [
      'req',
      '-x509',
      ...newKey(root.key),
      '-subj',
      '/CN=Moko Test Root CA',
      '-days',
      '4000',
      '-out',
      root.cert,
      '-addext',
      'basicConstraints=critical,CA:true',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  const inter = { cert: join(dir, 'intermediate.crt'), key: join(dir, 'intermediate.key') };
  openssl(
    [
      'req',
      '-new',
      ...newKey(inter.key),
      '-subj',
      '/CN=Moko Test Intermediate CA',
      '-out',
      join(dir, 'intermediate.csr'),
    ],
    dir,
  );
  sign(join(dir, 'intermediate.csr'), inter.cert, 'ca_ext', root, caFrom, caTo);
  sign(join(dir, 'leaf.csr'), certPath, 'leaf_ext', inter, notBefore, notAfter);
  const fullchainPath = join(dir, 'fullchain.crt');
  writeFileSync(fullchainPath, readFileSync(certPath, 'utf8') + readFileSync(inter.cert, 'utf8'));
  return {
    dir,
    certPath,
    keyPath,
    chainPath: inter.cert,
    fullchainPath,
    caPath: root.cert,
    notBefore,
    notAfter,
  };
}
