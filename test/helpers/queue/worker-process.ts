import { spawn, type ChildProcess } from 'node:child_process';
import { bin } from '../cli.js';

/** `mokodeploy worker` in its own process, as an operator starts one on a machine (the built executable). */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the worker said it is ready. */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export function startWorkerProcess(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  /** Run it as another machine: in its own UTS namespace (root only) whose hostname is this. */
  o: { hostname?: string } = {},
): WorkerProcess {
  const argv = [process.execPath, bin, 'worker', '--heartbeat', '1', '--dead-after', '10', ...args];
  const [command, ...rest] = o.hostname ? asMachine(o.hostname, argv) : argv;
  const child = spawn(command!, rest, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-200_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => (/worker \S+ ready/.test(out) ? resolve() : undefined);
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then(() => reject(new Error(`worker exited before it was ready:\n${out}`)));
  });
  return {
    child,
    output: () => out,
    ready,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * argv that runs `argv` with its own hostname, as on another machine: `unshare --uts` (a new UTS namespace, so
 * `hostname` changes there only), the name and the command as positional parameters. The pid is the command's own
 * (exec), so killing it kills the command.
 */
export function asMachine(hostname: string, argv: string[]): string[] {
  return ['unshare', '--uts', '--', 'sh', '-c', 'hostname "$1" && shift && exec "$@"', 'sh', hostname, ...argv];
}
