import type { Command, FileWrite, Host, RunResult } from '../../../src/hosts/host.js';

/** A Host wrapper that remembers every argv and file written, so tests can prove no secret reached argv. */
export class RecordingHost implements Host {
  readonly commands: Command[] = [];
  readonly writes: FileWrite[] = [];
  constructor(private readonly inner: Host) {}
  get name(): string {
    return this.inner.name;
  }
  run(command: Command): Promise<RunResult> {
    this.commands.push(command);
    return this.inner.run(command);
  }
  readFile(path: string): Promise<Buffer> {
    return this.inner.readFile(path);
  }
  writeFile(file: FileWrite): Promise<void> {
    this.writes.push(file);
    return this.inner.writeFile(file);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
