/**
 * The AWS SDK commands the adapters send, and the IAM action each needs. The task role grants
 * exactly these; test/cloudformation/adapter-actions.test.ts checks them against the
 * `XxxCommand` names found in adapters/dynamodb and adapters/eventbridge.
 */
export const DYNAMODB_COMMANDS = [
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'QueryCommand',
  'BatchWriteItemCommand',
  'BatchGetItemCommand',
  'DeleteItemCommand',
  'DescribeTableCommand',
] as const;

export const EVENTBRIDGE_COMMANDS = ['PutEventsCommand'] as const;

/** `GetItemCommand` → `dynamodb:GetItem`. */
export function iamAction(service: 'dynamodb' | 'events', command: string): string {
  return `${service}:${command.replace(/Command$/, '')}`;
}

export const DYNAMODB_ACTIONS = DYNAMODB_COMMANDS.map((command) => iamAction('dynamodb', command));
export const EVENTBRIDGE_ACTIONS = EVENTBRIDGE_COMMANDS.map((command) => iamAction('events', command));

/**
 * Commands the adapters send only to DynamoDB Local or dynalite, to create the table they are
 * given when it is missing. On AWS the stack owns the table, so the task role grants none.
 */
export const LOCAL_ONLY_COMMANDS = ['CreateTableCommand', 'DeleteTableCommand', 'ListTablesCommand'] as const;

/** The DynamoDB document client's commands and the low-level action each sends. */
const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactGetCommand: 'TransactGetItems',
  TransactWriteCommand: 'TransactWriteItems',
};

/** The IAM action an SDK command needs, for commands from @aws-sdk/client-dynamodb, lib-dynamodb or client-eventbridge. */
export function actionOfCommand(service: 'dynamodb' | 'events', command: string): string {
  const documentClientAction = service === 'dynamodb' ? DOCUMENT_CLIENT_ACTIONS[command] : undefined;
  return documentClientAction === undefined ? iamAction(service, command) : `${service}:${documentClientAction}`;
}
