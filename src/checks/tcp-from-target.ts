import type { ProbeRequest } from './probe.js';

/**
 * Open a TCP connection from the target itself (bash /dev/tcp, no nc needed) and print the first
 * line the server sends. Host and port go in as positional parameters: data, never code.
 * Exit 3: the connection failed.
 */
export function connectFromTargetProbe(host: string, port: number, readBanner: boolean): ProbeRequest {
  const script = readBanner
    ? 'exec 3<>"/dev/tcp/$0/$1" || exit 3; IFS= read -r -t 5 line <&3; printf "%s" "$line"'
    : 'exec 3<>"/dev/tcp/$0/$1" || exit 3';
  return {
    command: { argv: ['bash', '-c', script, host, String(port)], timeoutMs: 15_000 },
    okCodes: [0, 1, 3],
  };
}
