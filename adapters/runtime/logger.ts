import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** JSON lines on stdout; `stderr` for commands whose stdout is their result, such as poll-once. */
export function createLogger(level: LogLevel, to: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino(
    { level, base: { service: 'spaceout-crowd' }, redact: ['req.headers.authorization', 'adminApiKey'] },
    pino.destination(to === 'stdout' ? 1 : 2),
  );
}
