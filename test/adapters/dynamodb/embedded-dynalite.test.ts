import test from 'ava';
import { startEmbeddedDynamo } from '../../../adapters/dynamodb/embedded-dynalite.js';
import { tempDataDir } from '../../support/temp-dir.js';

test('a data directory another embedded store holds open is refused with the reason, not a later crash', async (t) => {
  const dataDir = tempDataDir(t, 'spaceout-locked-');
  const first = await startEmbeddedDynamo({ dataDir });
  t.teardown(() => first.close());
  await t.throwsAsync(() => startEmbeddedDynamo({ dataDir }), { message: /another process \(a running npm start\?\) has it open/ });
});

test('once the first store is closed, the directory can be opened again', async (t) => {
  const dataDir = tempDataDir(t, 'spaceout-reopen-');
  await (await startEmbeddedDynamo({ dataDir })).close();
  const again = await startEmbeddedDynamo({ dataDir });
  t.teardown(() => again.close());
  t.regex(again.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
});
