import { Secret } from '../../../src/core/secret.js';

/** An in-memory secret store for tests: a name not seen yet is generated once by the CSPRNG, then kept. */
export function memorySecrets(): { secret(name: string): Secret; values: Map<string, Secret> } {
  const values = new Map<string, Secret>();
  return {
    values,
    secret(name) {
      let s = values.get(name);
      if (!s) {
        s = Secret.generate(32);
        values.set(name, s);
      }
      return s;
    },
  };
}
