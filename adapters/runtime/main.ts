import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startService } from './start-service.js';

/** `npm start`: the whole service until SIGTERM or SIGINT. */
let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`spaceout-crowd: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
try {
  const service = await startService(config, { logger });
  const shutdown = (signal: string): void => {
    logger.info(`${signal} received: draining, finishing requests and any running poll`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS=${config.shutdownTimeoutSeconds}: exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000);
    service.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`spaceout-crowd: ${error.message}\n`);
    process.exit(1);
  }
  logger.fatal({ err: error }, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
