import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import dynalite from 'dynalite';

export interface EmbeddedDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * dynalite (pure Node, LevelDB on disk) on loopback, so `npm start` runs the very adapter
 * that talks to AWS, with data that survives restarts.
 */
export async function startEmbeddedDynamo(options: { dataDir: string }): Promise<EmbeddedDynamo> {
  const path = resolve(options.dataDir, 'dynalite');
  mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
