import { Fn, KMS, Logs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { sub } from './intrinsics.js';
import { P } from './parameters.js';

export const L = { logsKey: 'LogsKey', logsKeyAlias: 'LogsKeyAlias' } as const;

/**
 * The customer-managed key the stack's log groups are encrypted with (Control Tower
 * CT.CLOUDWATCH.PR.3), rotated yearly, usable by CloudWatch Logs for this account's log
 * groups only, and never grantable except to AWS services (CT.KMS.PR.3).
 */
export function logsKey(): Record<string, Resource> {
  return {
    [L.logsKey]: new KMS.Key({
      Description: sub('${AWS::StackName}: encrypts the CloudWatch log groups'),
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsEncrypts',
            Effect: 'Allow',
            Principal: { Service: sub('logs.${AWS::Region}.amazonaws.com') },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: {
              ArnLike: { 'kms:EncryptionContext:aws:logs:arn': sub('arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*') },
            },
          },
          {
            Sid: 'GrantsOnlyForAwsServices',
            Effect: 'Deny',
            Principal: '*',
            Action: ['kms:CreateGrant'],
            Resource: ['*'],
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          },
        ],
      },
    }),
    [L.logsKeyAlias]: new KMS.Alias({ AliasName: sub('alias/${AWS::StackName}-logs'), TargetKeyId: Fn.Ref(L.logsKey) }),
  };
}

/** A log group with the stack's retention and key. */
export function logGroup(name: ReturnType<typeof sub>): Resource {
  return new Logs.LogGroup({
    LogGroupName: name,
    RetentionInDays: Fn.Ref(P.logRetentionDays),
    KmsKeyId: Fn.GetAtt(L.logsKey, 'Arn'),
  });
}
