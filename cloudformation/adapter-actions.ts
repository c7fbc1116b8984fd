/**
 * The AWS SDK commands the adapters send, and the IAM action each needs. The task role grants
 * exactly these; test/cloudformation/adapter-actions.test.ts checks them against the
 * `XxxCommand` names found in adapters/dynamodb and adapters/eventbridge.
 */
export const DYNAMODB_COMMANDS = [
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'BatchWriteItemCommand',
  'BatchGetItemCommand',
  'DescribeTableCommand',
] as const;

export const EVENTBRIDGE_COMMANDS = ['PutEventsCommand'] as const;

/** `GetItemCommand` → `dynamodb:GetItem`. */
export function iamAction(service: 'dynamodb' | 'events', command: string): string {
  return `${service}:${command.replace(/Command$/, '')}`;
}

export const DYNAMODB_ACTIONS = DYNAMODB_COMMANDS.map((command) => iamAction('dynamodb', command));
export const EVENTBRIDGE_ACTIONS = EVENTBRIDGE_COMMANDS.map((command) => iamAction('events', command));
