import { forgetSecretsSeen } from '../../src/core/secret.js';

/**
 * Run before each unit test file (vitest.config.ts, project `unit`, which shares one process between files): the
 * redaction registry starts empty for every file, as it did when each file had its own process.
 */
forgetSecretsSeen();
