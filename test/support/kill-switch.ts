import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

export class Killed extends Error {
  override readonly name = 'Killed';
}

/**
 * A process that dies after its n-th write request to DynamoDB: that request and every one
 * after it (reads too) never reach the table. Writes already sent land, as in a real crash.
 */
export function killAfterWrites(client: DynamoDBClient, writes: number): { readonly writesSent: () => number } {
  let sent = 0;
  let dead = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!dead && WRITES.has(context.commandName ?? '')) {
        if (sent === writes) dead = true;
        else sent++;
      }
      if (dead) throw new Killed(`killed after ${writes} writes`);
      return next(args);
    },
    { step: 'initialize', name: 'killSwitch' },
  );
  return { writesSent: () => sent };
}

/** Counts the write requests a client sends. */
export function countWrites(client: DynamoDBClient): () => number {
  let sent = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(context.commandName ?? '')) sent++;
      return next(args);
    },
    { step: 'initialize', name: 'writeCounter' },
  );
  return () => sent;
}

/**
 * DynamoDB out of reach for one client, as a network outage looks to a live process: from the
 * n-th write after `beginAfterWrites(n)` every request fails, reads too, until `end()`.
 */
export function storeOutage(client: DynamoDBClient): { beginAfterWrites(writes: number): void; end(): void } {
  const state = { countdown: Infinity, down: false };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!state.down && WRITES.has(context.commandName ?? '') && state.countdown-- <= 0) state.down = true;
      if (state.down) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
      return next(args);
    },
    { step: 'initialize', name: 'outage' },
  );
  return {
    beginAfterWrites: (writes) => Object.assign(state, { countdown: writes, down: false }),
    end: () => Object.assign(state, { countdown: Infinity, down: false }),
  };
}
