import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import dynalite from 'dynalite';
import { Level } from 'level';

export interface EmbeddedDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * LevelDB lets one process open a directory. dynalite opens it lazily and fails later with an
 * uncaught "Database is closed"; opening it once first turns that into a clear refusal.
 */
async function refuseWhenLocked(path: string): Promise<void> {
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    const locked = (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
    throw locked ? new Error('another process (a running npm start?) has it open; stop that process or give this one its own DATA_DIR') : error;
  }
  await probe.close();
}

/**
 * dynalite (pure Node, LevelDB on disk) on loopback, so `npm start` runs the very adapter
 * that talks to AWS, with data that survives restarts.
 */
export async function startEmbeddedDynamo(options: { dataDir: string }): Promise<EmbeddedDynamo> {
  const path = resolve(options.dataDir, 'dynalite');
  mkdirSync(path, { recursive: true });
  await refuseWhenLocked(path);
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
