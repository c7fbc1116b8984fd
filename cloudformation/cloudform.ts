/**
 * cloudform's building blocks, imported service by service. cloudform 7.5.0's root module
 * pulls in every service, and cloudform-types ships types/licenseManager/license.ts beside
 * its .d.ts: TypeScript prefers the .ts source and fails to compile it under this repo's
 * settings (verbatimModuleSyntax). Importing only what the template uses keeps it out.
 */
import applicationAutoScaling from 'cloudform-types/types/applicationAutoScaling/index.js';
import cloudWatch from 'cloudform-types/types/cloudWatch/index.js';
import dynamoDb from 'cloudform-types/types/dynamoDb/index.js';
import ec2 from 'cloudform-types/types/ec2/index.js';
import ecs from 'cloudform-types/types/ecs/index.js';
import elasticLoadBalancingV2 from 'cloudform-types/types/elasticLoadBalancingV2/index.js';
import events from 'cloudform-types/types/events/index.js';
import iam from 'cloudform-types/types/iam/index.js';
import kms from 'cloudform-types/types/kms/index.js';
import logs from 'cloudform-types/types/logs/index.js';
import scheduler from 'cloudform-types/types/scheduler/index.js';
import secretsManager from 'cloudform-types/types/secretsManager/index.js';
import sns from 'cloudform-types/types/sns/index.js';
import sqs from 'cloudform-types/types/sqs/index.js';

export const ApplicationAutoScaling = applicationAutoScaling.default;
export const CloudWatch = cloudWatch.default;
export const DynamoDB = dynamoDb.default;
export const EC2 = ec2.default;
export const ECS = ecs.default;
export const ElasticLoadBalancingV2 = elasticLoadBalancingV2.default;
export const Events = events.default;
export const IAM = iam.default;
export const KMS = kms.default;
export const Logs = logs.default;
export const Scheduler = scheduler.default;
export const SecretsManager = secretsManager.default;
export const SNS = sns.default;
export const SQS = sqs.default;

export * as Fn from 'cloudform-types/types/functions.js';
export * as Refs from 'cloudform-types/types/refs.js';
export { IntrinsicFunction } from 'cloudform-types/types/dataTypes.js';
export type { Condition, Value } from 'cloudform-types/types/dataTypes.js';
export { ResourceBase } from 'cloudform-types/types/resource.js';
import type * as templateModule from 'cloudform-types/types/template.js';

export type Template = templateModule.default;
