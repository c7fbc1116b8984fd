import test from 'ava';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import sinon from 'sinon';
import { batchWrite } from '../../../adapters/dynamodb/batch-write.js';
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
