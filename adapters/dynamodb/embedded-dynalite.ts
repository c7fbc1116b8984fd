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
    throw locked
      ? new Error('another process (a running npm start?) has it open; stop that process or give this one its own DATA_DIR')
      : error;
  }
  await probe.close();
}

/**
 * dynalite opens its LevelDB on the first request. One request now makes this process hold
 * the directory from here on, so a second process is refused by refuseWhenLocked at once.
 */
async function holdOpen(endpoint: string): Promise<void> {
  const reply = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      'x-amz-date': '20200101T000000Z',
      // dynalite wants a SigV4-shaped header; it does not check the signature.
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  });
  if (!reply.ok) throw new Error(`the embedded store did not open: ${reply.status} ${await reply.text()}`);
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
  const endpoint = `http://127.0.0.1:${port}`;
  await holdOpen(endpoint);
  return {
    endpoint,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
