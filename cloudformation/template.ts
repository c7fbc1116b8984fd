import type { ResourceBase as Resource, Template } from './cloudform.js';
import { Fn } from './cloudform.js';
import { accessLayer, jumpHostAddresses } from './access.js';
import { A, alarmsLayer } from './alarms.js';
import { computeLayer, TASK_SIZE_MAPPING, taskSizeMapping, X } from './compute.js';
import { DASHBOARD, dashboardLayer } from './dashboard.js';
import { dataLayer, tableName } from './data.js';
import { E, eventBusName, eventsLayer } from './events.js';
import { sub } from './intrinsics.js';
import { keysLayer } from './keys.js';
import { apiUrl, loadBalancingLayer } from './load-balancing.js';
import { logMetricsLayer } from './log-metrics.js';
import { networkLayer } from './network.js';
import { C, conditions, interfaceMetadata, parameters, rules } from './parameters.js';
import { PL, POLL_INTERVAL_MAPPING, pollerLayer, pollIntervalMapping } from './poller.js';
import { S, secretsLayer } from './secrets.js';

export const TEMPLATE_DESCRIPTION =
  'SpaceOut crowd service: VPC over two AZs, load balancer, Fargate API and scheduled poller, DynamoDB, EventBridge, alarms and a dashboard.';

/** Fails fast when two layers would claim the same logical ID. */
function merge(...layers: Array<Record<string, Resource>>): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  for (const layer of layers) {
    for (const [id, resource] of Object.entries(layer)) {
      if (id in resources) throw new Error(`logical ID ${id} is declared by two layers`);
      resources[id] = resource;
    }
  }
  return resources;
}

/** The whole stack, as a plain JSON-ready object. */
export function buildTemplate(): Template & { Rules: typeof rules } {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: TEMPLATE_DESCRIPTION,
    Metadata: interfaceMetadata,
    Parameters: parameters,
    Rules: rules,
    Mappings: { [TASK_SIZE_MAPPING]: taskSizeMapping, [POLL_INTERVAL_MAPPING]: pollIntervalMapping },
    Conditions: conditions,
    Resources: merge(
      networkLayer(),
      keysLayer(),
      loadBalancingLayer(),
      computeLayer(),
      pollerLayer(),
      secretsLayer(),
      dataLayer(),
      eventsLayer(),
      logMetricsLayer(),
      alarmsLayer(),
      dashboardLayer(),
      accessLayer(),
    ),
    Outputs: {
      ApiUrl: { Description: 'Base URL of the API', Value: apiUrl },
      TableName: { Description: 'DynamoDB table', Value: tableName },
      EventBusName: { Description: 'EventBridge bus the service publishes to', Value: eventBusName },
      EventsLogGroupName: { Description: 'Log group every event of the bus is copied to', Value: Fn.Ref(E.logGroup) },
      ClusterName: { Description: 'ECS cluster', Value: Fn.Ref(X.cluster) },
      ServiceLogGroupName: { Description: 'Log group of the API tasks (api/ streams) and the poller (poller/ streams)', Value: Fn.Ref(X.logGroup) },
      AdminApiKeySecretArn: { Description: 'Secrets Manager secret holding the admin bearer key', Value: Fn.Ref(S.adminApiKey) },
      AlarmTopicArn: { Description: 'SNS topic every alarm notifies; subscribe on-call here', Value: Fn.Ref(A.topic) },
      DashboardUrl: {
        Description: 'CloudWatch dashboard of the stack',
        Value: sub(`https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards:name=\${${DASHBOARD}}`),
      },
      PollerDeadLetterQueueUrl: { Description: 'Where EventBridge Scheduler leaves the poller starts that failed', Value: Fn.Ref(PL.deadLetterQueue) },
      JumpHostAddresses: { Condition: C.jumpHost, Description: 'Elastic IPs of the jump hosts', Value: jumpHostAddresses },
    },
  };
  // Round-trip through JSON so callers get plain data, not cloudform's classes.
  return JSON.parse(JSON.stringify(template)) as Template & { Rules: typeof rules };
}

/** The template as deployed and snapshotted: two-space JSON with a final newline. */
export function synthesize(): string {
  return `${JSON.stringify(buildTemplate(), undefined, 2)}\n`;
}
