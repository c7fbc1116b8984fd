import { KMS } from './cloudform.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { onRemoval } from './removal-policy.js';
import { ResourceHandle } from './resource-handle.js';

export interface KeysOutputs {
  /** Encrypts every log group. */
  readonly logsKey: ResourceHandle<'Arn'>;
  /** Encrypts the alarm topic, the poller's dead-letter queue and ECS Exec sessions. */
  readonly operationsKey: ResourceHandle<'Arn'>;
}

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
export function keysLayer(): Layer<KeysOutputs> {
  const logsKey = new ResourceHandle<'Arn'>('LogsKey');
  const operationsKey = new ResourceHandle<'Arn'>('OperationsKey');
  const resources = {
    // Retained: the log groups are retained (see log-group.ts), and a log group whose key is
    // gone can no longer be read.
    [logsKey.logicalId]: onRemoval(
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
    LogsKeyAlias: new KMS.Alias({ AliasName: sub('alias/${AWS::StackName}-logs'), TargetKeyId: logsKey.ref }),
    // Deleted with the stack: nothing it encrypts outlives the stack (the queue goes with it,
    // alarm messages and exec sessions are transient; exec session logs use LogsKey).
    [operationsKey.logicalId]: onRemoval(
      'Delete',
      key('encrypts the alarm topic, the poller dead-letter queue and ECS Exec sessions', {
        Sid: 'CloudWatchPublishesAlarms',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      }),
    ),
    OperationsKeyAlias: new KMS.Alias({ AliasName: sub('alias/${AWS::StackName}-operations'), TargetKeyId: operationsKey.ref }),
  };
  return { resources, outputs: { logsKey, operationsKey } };
}
