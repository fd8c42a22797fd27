import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Secret } from '../core/secret.js';
import { inputError, notFound } from '../core/errors.js';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
  createdAt: string;
}

/** Where the key lives: outside the store and the repository (DESIGN.md "Secrets"). */
export function defaultKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.MOKODEPLOY_SECRET_KEY_FILE ??
    join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'mokodeploy', 'secret.key')
  );
}

/**
 * Secrets named by plans (`password: { secret: acme/db }`), encrypted at rest with
 * AES-256-GCM under a 32-byte key kept in a 0600 file outside the store. Values leave only
 * as Secret objects, which redact themselves.
 */
export class SecretStore {
  readonly #file: string;
  readonly #keyFile: string;

  constructor(home: string, keyFile: string = defaultKeyFile()) {
    this.#file = join(home, 'secrets.json');
    this.#keyFile = keyFile;
  }

  #key(create: boolean): Buffer {
    if (!existsSync(this.#keyFile)) {
      if (!create)
        throw notFound('no secret key yet', {
          where: this.#keyFile,
          fix: 'store or generate a secret first (mokodeploy secret generate NAME)',
        });
      mkdirSync(dirname(this.#keyFile), { recursive: true, mode: 0o700 });
      writeFileSync(this.#keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    const key = Buffer.from(readFileSync(this.#keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw inputError('the secret key file does not hold a 32-byte base64 key', {
        where: this.#keyFile,
        fix: 'restore the right key file',
      });
    return key;
  }

  #read(): Record<string, Sealed> {
    return existsSync(this.#file)
      ? (JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, Sealed>)
      : {};
  }

  #write(all: Record<string, Sealed>): void {
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    renameSync(tmp, this.#file);
    chmodSync(this.#file, 0o600);
  }

  names(): string[] {
    return Object.keys(this.#read()).sort();
  }

  has(name: string): boolean {
    return name in this.#read();
  }

  get(name: string): Secret {
    const sealed = this.#read()[name];
    if (!sealed)
      throw notFound(`no secret "${name}"`, {
        fix: `store it: mokodeploy secret set ${name} (value on stdin), or generate it: mokodeploy secret generate ${name}`,
      });
    const decipher = createDecipheriv('aes-256-gcm', this.#key(false), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      return new Secret(
        Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
          'utf8',
        ),
      );
    } catch {
      throw inputError(`secret "${name}" cannot be decrypted: wrong key or altered file`, {
        where: this.#file,
        fix: `check ${this.#keyFile}`,
      });
    }
  }

  set(name: string, value: Secret): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key(true), iv);
    cipher.setAAD(Buffer.from(name));
    const data = Buffer.concat([cipher.update(value.reveal(), 'utf8'), cipher.final()]);
    const all = this.#read();
    all[name] = {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      createdAt: new Date().toISOString(),
    };
    this.#write(all);
  }

  /** The secret if stored, else a new one from the CSPRNG, stored before it is returned (then onGenerated(name)). */
  getOrGenerate(name: string, length = 32, onGenerated?: (name: string) => void): Secret {
    if (this.has(name)) return this.get(name);
    const secret = Secret.generate(length);
    this.set(name, secret);
    onGenerated?.(name);
    return secret;
  }
}
