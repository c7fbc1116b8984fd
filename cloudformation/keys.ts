import { Fn, KMS } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { onRemoval, sub } from './intrinsics.js';

export const K = {
  logsKey: 'LogsKey',
  logsKeyAlias: 'LogsKeyAlias',
  operationsKey: 'OperationsKey',
  operationsKeyAlias: 'OperationsKeyAlias',
} as const;

export const logsKeyArn = Fn.GetAtt(K.logsKey, 'Arn');
export const operationsKeyArn = Fn.GetAtt(K.operationsKey, 'Arn');

/** The account administers the key; IAM policies then grant its use (the jump host, the scheduler, the tasks). */
const accountAdministers = {
  Sid: 'AccountAdministers',
  Effect: 'Allow',
  Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
  Action: 'kms:*',
  Resource: '*',
};

/** Control Tower CT.KMS.PR.3: grants only for AWS services. */
const grantsOnlyForAwsServices = {
  Sid: 'GrantsOnlyForAwsServices',
  Effect: 'Deny',
  Principal: '*',
  Action: ['kms:CreateGrant'],
  Resource: ['*'],
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

function key(description: string, ...serviceStatements: object[]) {
  return new KMS.Key({
    Description: sub(`\${AWS::StackName}: ${description}`),
    EnableKeyRotation: true,
    KeyPolicy: { Version: '2012-10-17', Statement: [accountAdministers, ...serviceStatements, grantsOnlyForAwsServices] },
  });
}

/**
 * Two customer-managed keys, rotated yearly:
 * - LogsKey encrypts every log group (Control Tower CT.CLOUDWATCH.PR.3), usable by CloudWatch
 *   Logs for this account's log groups only.
 * - OperationsKey encrypts the alarm topic, the poller's dead-letter queue and ECS Exec
 *   sessions. CloudWatch may use it to publish alarms to the encrypted topic (the AWS managed
 *   SNS key would refuse it); everyone else needs an IAM grant.
 */
export function keysLayer(): Record<string, Resource> {
  return {
    // Retained: the log groups are retained (see logging.ts), and a log group whose key is
    // gone can no longer be read.
    [K.logsKey]: onRemoval(
      'Retain',
      key('encrypts the CloudWatch log groups', {
        Sid: 'CloudWatchLogsEncrypts',
        Effect: 'Allow',
        Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*') },
        },
      }),
    ),
    [K.logsKeyAlias]: new KMS.Alias({ AliasName: sub('alias/${AWS::StackName}-logs'), TargetKeyId: Fn.Ref(K.logsKey) }),
    // Deleted with the stack: nothing it encrypts outlives the stack (the queue goes with it,
    // alarm messages and exec sessions are transient; exec session logs use LogsKey).
    [K.operationsKey]: onRemoval(
      'Delete',
      key('encrypts the alarm topic, the poller dead-letter queue and ECS Exec sessions', {
        Sid: 'CloudWatchPublishesAlarms',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      }),
    ),
    [K.operationsKeyAlias]: new KMS.Alias({ AliasName: sub('alias/${AWS::StackName}-operations'), TargetKeyId: Fn.Ref(K.operationsKey) }),
  };
}
