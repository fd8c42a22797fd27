import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';

/** A command file registers its commands; the app is created lazily after global options parse. */
export interface CommandModule {
  register(program: Command, app: () => AppContext): void;
}
