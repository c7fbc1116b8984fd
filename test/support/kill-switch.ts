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
