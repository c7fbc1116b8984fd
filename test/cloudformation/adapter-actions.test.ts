import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionOfCommand, DYNAMODB_ACTIONS, EVENTBRIDGE_ACTIONS, LOCAL_ONLY_COMMANDS } from '../../cloudformation/adapter-actions.js';
import { textOf, type Json } from './support/resolve-template.js';
import { synthesizedTemplate } from './support/synthesized.js';

const ADAPTERS = [
  { service: 'dynamodb', folder: 'adapters/dynamodb', sdk: /@aws-sdk\/(client-dynamodb|lib-dynamodb)/, granted: DYNAMODB_ACTIONS },
  { service: 'events', folder: 'adapters/eventbridge', sdk: /@aws-sdk\/client-eventbridge/, granted: EVENTBRIDGE_ACTIONS },
] as const;

function sourceFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** `XxxCommand` names imported from the SDK or constructed with `new`, in the files that use the SDK. */
function commandsIn(files: string[]): Set<string> {
  const commands = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [, names] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/[^'"]+['"]/g)) {
      for (const [name] of String(names).matchAll(/\b[A-Z][A-Za-z]*Command\b/g)) commands.add(name);
    }
    for (const [, name] of source.matchAll(/new\s+([A-Z][A-Za-z]*Command)\s*\(/g)) commands.add(String(name));
  }
  for (const localOnly of LOCAL_ONLY_COMMANDS) commands.delete(localOnly);
  return commands;
}

function taskRoleActions(): Set<string> {
  const role = synthesizedTemplate().Resources['TaskRole']?.Properties as {
    Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: Json }> } }>;
  };
  return new Set(
    role.Policies.flatMap((policy) =>
      policy.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action.map(textOf) : [textOf(s.Action)])),
    ),
  );
}

for (const adapter of ADAPTERS) {
  test(`the task role grants exactly the ${adapter.service} actions the ${adapter.folder} adapter sends`, (t) => {
    const granted = new Set(adapter.granted);
    const roleActions = [...taskRoleActions()].filter((action) => action.startsWith(`${adapter.service}:`));
    t.deepEqual(roleActions.sort(), [...granted].sort(), 'the role and cloudformation/adapter-actions.ts must agree');

    const files = sourceFiles(adapter.folder).filter((file) => adapter.sdk.test(readFileSync(file, 'utf8')));
    // Said plainly: the adapter moved or stopped using the SDK, not "it sends no commands".
    t.not(files.length, 0, `no source in ${adapter.folder} imports the SDK: the test has lost track of the adapter`);
    const used = new Set([...commandsIn(files)].map((command) => actionOfCommand(adapter.service, command)));
    t.deepEqual([...used].sort(), [...granted].sort(), `commands found in ${files.join(', ')}; update cloudformation/adapter-actions.ts`);
  });
}

test('the task role reaches only this table, its indexes and this bus', (t) => {
  const role = synthesizedTemplate().Resources['TaskRole']?.Properties as {
    Policies: Array<{ PolicyName: string; PolicyDocument: { Statement: Array<{ Action: string[]; Resource: Json[] }> } }>;
  };
  const statements = role.Policies.filter((policy) => policy.PolicyName === 'crowd-table-and-bus').flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const tableArn = { 'Fn::If': ['HasReplicaRegion', { 'Fn::GetAtt': ['GlobalTable', 'Arn'] }, { 'Fn::GetAtt': ['Table', 'Arn'] }] };
  t.deepEqual(statements.find((s) => s.Action.includes('dynamodb:GetItem'))?.Resource, [
    tableArn,
    { 'Fn::Sub': ['${TableArn}/index/*', { TableArn: tableArn }] },
  ]);
  t.deepEqual(statements.find((s) => s.Action.includes('events:PutEvents'))?.Resource, [{ 'Fn::GetAtt': ['EventBus', 'Arn'] }]);
  t.false(JSON.stringify(statements).includes('"*"'));
});
