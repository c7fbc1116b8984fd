import type { Logger } from 'pino';
import { startSimulator } from '../spaceout/simulator/simulator.js';
import type { CrowdSource } from '../../application/ports/crowd-source.js';
import { SpaceOutCrowdSource } from '../spaceout/spaceout-crowd-source.js';
import type { Config } from './config.js';

export interface Upstream {
  readonly crowdSource: CrowdSource;
  readonly url: string;
  close(): Promise<void>;
}

/** The configured upstream, or, with SPACEOUT_URL unset on a laptop, the bundled simulator on loopback. */
export async function openUpstream(config: Config, logger: Logger): Promise<Upstream> {
  if (config.spaceoutUrl !== null) {
    return {
      crowdSource: new SpaceOutCrowdSource({ url: config.spaceoutUrl, key: config.spaceoutKey }),
      url: config.spaceoutUrl,
      close: async () => {},
    };
  }
  const simulator = await startSimulator({ key: config.spaceoutKey });
  logger.info({ upstream: simulator.url }, 'SPACEOUT_URL unset: polling the bundled SpaceOut simulator');
  return {
    crowdSource: new SpaceOutCrowdSource({ url: simulator.url, key: config.spaceoutKey }),
    url: simulator.url,
    close: () => simulator.close(),
  };
}
