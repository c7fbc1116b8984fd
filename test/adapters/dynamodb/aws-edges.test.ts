import test from 'ava';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import sinon from 'sinon';
import { batchWrite } from '../../../adapters/dynamodb/batch-write.js';
import { createDynamoClient } from '../../../adapters/dynamodb/dynamo-client.js';
import { ensureTable, TableMissingError } from '../../../adapters/dynamodb/ensure-table.js';

const client = () => new DynamoDBClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

/** Answers every request of `dynamo` with `answer`. */
function answerWith(dynamo: DynamoDBClient, answer: (command: unknown) => Promise<unknown>): void {
  // sinon types the fake after send's last overload, the callback one that returns void; the SDK's callers await the promise.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  sinon.stub(dynamo, 'send').callsFake(answer);
}

test('on AWS a missing table stops start-up with one line naming it, and nothing is created', async (t) => {
  const dynamo = client();
  const send = sinon
    .stub(dynamo, 'send')
    .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
  const error = await t.throwsAsync(() => ensureTable(dynamo, 'spaceout-prod', { create: false }), { instanceOf: TableMissingError });
  t.is(error.message, 'DynamoDB table spaceout-prod does not exist: deploy the CloudFormation stack, or check TABLE_NAME and AWS_REGION');
  t.true(send.calledOnce);
  t.true(send.firstCall.args[0] instanceof DescribeTableCommand);
  t.false(send.getCalls().some((call) => call.args[0] instanceof CreateTableCommand));
});

test('writes DynamoDB leaves unprocessed are retried until every one is written', async (t) => {
  const dynamo = client();
  const requests: WriteRequest[] = Array.from({ length: 30 }, (_, i) => ({
    PutRequest: { Item: { pk: { S: 'p' }, sk: { S: String(i) } } },
  }));
  const written: string[] = [];
  let throttledOnce = false;
  answerWith(dynamo, async (command) => {
    const batch = (command as BatchWriteItemCommand).input.RequestItems!['table']!;
    // Throttle the second half of the first full batch once, as DynamoDB does under load.
    const unprocessed = !throttledOnce && batch.length === 25 ? batch.slice(12) : [];
    throttledOnce ||= unprocessed.length > 0;
    for (const request of batch.slice(0, batch.length - unprocessed.length)) written.push(request.PutRequest!.Item!['sk']!.S!);
    return { UnprocessedItems: unprocessed.length > 0 ? { table: unprocessed } : {} };
  });
  await batchWrite(dynamo, 'table', requests);
  t.deepEqual(
    written.sort((a, b) => Number(a) - Number(b)),
    requests.map((_, i) => String(i)),
  );
});

test('a batch of more than 25 writes goes out in requests of at most 25', async (t) => {
  const dynamo = client();
  const sizes: number[] = [];
  answerWith(dynamo, async (command) => {
    sizes.push((command as BatchWriteItemCommand).input.RequestItems!['table']!.length);
    return { UnprocessedItems: {} };
  });
  await batchWrite(
    dynamo,
    'table',
    Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { S: String(i) } } } })),
  );
  t.deepEqual(
    sizes.sort((a, b) => b - a),
    [25, 25, 10],
  );
});

test('a DynamoDB that takes a request and never answers fails the call after its attempts time out, rather than hold it for minutes', async (t) => {
  // A real socket that accepts and reads, and never writes a byte back.
  const connections = new Set<Socket>();
  const silent = createServer((socket) => {
    connections.add(socket);
    socket.on('data', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of connections) socket.destroy();
    silent.close();
  });
  const { port } = silent.address() as AddressInfo;
  const dynamo = createDynamoClient({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 100 });
  const started = Date.now();
  // Without a request timeout the SDK would still be waiting when this gives up.
  const giveUp = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 30_000).unref());
  const outcome = await Promise.race([
    dynamo.send(new DescribeTableCommand({ TableName: 't' })).then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    ),
    giveUp,
  ]);
  t.is(outcome, 'TimeoutError');
  t.true(connections.size >= 2, `retried: ${connections.size} connection(s)`);
  t.log(`gave up after ${Date.now() - started} ms and ${connections.size} attempts`);
});
