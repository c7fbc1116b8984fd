import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Commands that report consumed capacity when asked with ReturnConsumedCapacity. */
const METERED = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

export interface Metered {
  readonly requests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly itemsRead: number;
  readonly byCommand: Readonly<Record<string, number>>;
  /** Write units by the kind of item written (the key's prefix: READING, P#DAY, OUTBOX, …). */
  readonly writeUnitsByKind: Readonly<Record<string, number>>;
}

interface Capacity {
  readonly CapacityUnits?: number;
}

/**
 * Counts what costs money on AWS: the requests a DynamoDB client sends, the read and write
 * capacity units the server reports for them (ReturnConsumedCapacity), and the items read.
 * An SDK middleware, so it sees exactly what the adapters send, retries included.
 */
export class DynamoMeter {
  private requests = 0;
  private readUnits = 0;
  private writeUnits = 0;
  private itemsRead = 0;
  private byCommand: Record<string, number> = {};
  private writeUnitsByKind: Record<string, number> = {};

  attach(client: DynamoDBClient): DynamoDBClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        if (METERED.has(command)) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        this.requests++;
        this.byCommand[command] = (this.byCommand[command] ?? 0) + 1;
        const output = result.output as {
          ConsumedCapacity?: Capacity | Capacity[];
          Items?: unknown[];
          Item?: unknown;
          Responses?: Record<string, unknown[]>;
        };
        const units = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (READS.has(command)) this.readUnits += units;
        else {
          this.writeUnits += units;
          const kind = kindOf(args.input);
          this.writeUnitsByKind[kind] = (this.writeUnitsByKind[kind] ?? 0) + units;
        }
        this.itemsRead +=
          output.Items?.length ??
          (output.Item === undefined ? 0 : 1) + Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
        return result;
      },
      { step: 'initialize', name: 'dynamoMeter' },
    );
    return client;
  }

  /** What was sent since the last call. */
  take(): Metered {
    const taken = {
      requests: this.requests,
      readUnits: this.readUnits,
      writeUnits: this.writeUnits,
      itemsRead: this.itemsRead,
      byCommand: this.byCommand,
      writeUnitsByKind: this.writeUnitsByKind,
    };
    this.requests = this.readUnits = this.writeUnits = this.itemsRead = 0;
    this.byCommand = {};
    this.writeUnitsByKind = {};
    return taken;
  }
}

interface WriteInput {
  readonly Item?: { pk?: { S?: string } };
  readonly Key?: { pk?: { S?: string } };
  readonly RequestItems?: Record<
    string,
    Array<{ PutRequest?: { Item?: { pk?: { S?: string } } }; DeleteRequest?: { Key?: { pk?: { S?: string } } } }>
  >;
}

/** READING, P#RAW, P#DAY, OUTBOX…: a batch is attributed to its first item, as the adapters never mix kinds in one. */
function kindOf(input: unknown): string {
  const write = input as WriteInput;
  const first = Object.values(write.RequestItems ?? {})[0]?.[0];
  const pk = write.Item?.pk?.S ?? write.Key?.pk?.S ?? first?.PutRequest?.Item?.pk?.S ?? first?.DeleteRequest?.Key?.pk?.S ?? '?';
  return pk.startsWith('P#') ? pk.split('#').slice(0, 2).join('#') : (pk.split('#')[0] ?? pk);
}
