import type { ResourceBase as Resource, Template } from './cloudform.js';
import { accessLayer } from './access.js';
import { alarmsLayer } from './alarms.js';
import { apiServiceLayer } from './api-service.js';
import { computeLayer } from './compute.js';
import { conditions, stackConditions } from './conditions.js';
import { dashboardLayer } from './dashboard.js';
import { dataEndpointsLayer } from './data-endpoints.js';
import { dataLayer } from './data.js';
import { eventsLayer } from './events.js';
import { sub } from './intrinsics.js';
import { keysLayer } from './keys.js';
import type { Layer } from './layer.js';
import { loadBalancingLayer } from './load-balancing.js';
import { metricFiltersLayer } from './metric-filters.js';
import { networkLayer } from './network.js';
import { interfaceMetadata, parameters, rules, stackParameters } from './parameters.js';
import { POLL_INTERVAL_MAPPING, pollerLayer, pollerSecurityGroupLayer, pollIntervalMapping } from './poller.js';
import { secretsLayer } from './secrets.js';
import { TASK_SIZE_MAPPING, taskSizeMapping } from './task-definition.js';

export const TEMPLATE_DESCRIPTION =
  'SpaceOut crowd service: VPC over two AZs, load balancer, Fargate API and scheduled poller, DynamoDB, EventBridge, alarms and a dashboard.';

/**
 * Every layer, each built from the parameters, the conditions and the outputs of the layers
 * before it: in the order their inputs need, which is not the order the template lists them.
 */
function composeLayers() {
  const [parameters, conditions] = [stackParameters, stackConditions];
  const network = networkLayer();
  const { vpc, publicSubnets, appSubnets, dataSubnets, internetGatewayAttachment, appSubnetEgress } = network.outputs;
  const keys = keysLayer();
  const { logsKey, operationsKey } = keys.outputs;
  const secrets = secretsLayer();
  const data = dataLayer({ parameters, conditions });
  const { table } = data.outputs;
  const events = eventsLayer({ parameters, logsKey });
  const compute = computeLayer({
    parameters,
    conditions,
    vpc,
    logsKey,
    operationsKey,
    table,
    eventBus: events.outputs.bus,
    readApiSecretsPolicy: secrets.outputs.readApiSecretsPolicy,
  });
  const { cluster, apiTasks, tasks } = compute.outputs;
  const loadBalancing = loadBalancingLayer({ parameters, conditions, vpc, publicSubnets, internetGatewayAttachment, apiTasks });
  const { loadBalancer, targetGroup } = loadBalancing.outputs;
  const pollerSecurityGroup = pollerSecurityGroupLayer({ vpc });
  const dataEndpoints = dataEndpointsLayer({
    vpc,
    dataSubnets,
    clients: [apiTasks.securityGroup, pollerSecurityGroup.outputs.securityGroup],
  });
  const { eventBridgeEndpoint } = dataEndpoints.outputs;
  const apiService = apiServiceLayer({
    parameters,
    cluster,
    tasks,
    apiTasks,
    appSubnets,
    apiContainerSecrets: secrets.outputs.apiContainerSecrets,
    targetGroup,
    forwardingListener: loadBalancing.outputs.forwardingListener,
    ingressFromLoadBalancer: loadBalancing.outputs.ingressToApiTasks,
    appSubnetEgress,
    eventBridgeEndpoint,
  });
  const poller = pollerLayer({
    parameters,
    cluster,
    tasks,
    pollerContainerSecrets: secrets.outputs.pollerContainerSecrets,
    securityGroup: pollerSecurityGroup.outputs.securityGroup,
    appSubnets,
    operationsKey,
    appSubnetEgress,
    eventBridgeEndpoint,
  });
  const { deadLetterQueue } = poller.outputs;
  const metricFilters = metricFiltersLayer({ logGroups: { service: compute.outputs.serviceLogGroup, events: events.outputs.logGroup } });
  const alarms = alarmsLayer({
    parameters,
    conditions,
    operationsKey,
    loadBalancer,
    targetGroup,
    cluster,
    apiService: apiService.outputs.service,
    tableName: table.name,
    deadLetterQueue,
    pollIntervalSeconds: poller.outputs.intervalSeconds,
  });
  const dashboard = dashboardLayer({
    conditions,
    alarms: alarms.outputs.alarms,
    loadBalancer,
    cluster,
    apiService: apiService.outputs.service,
    tableName: table.name,
    deadLetterQueue,
  });
  const access = accessLayer({
    parameters,
    conditions,
    vpc,
    publicSubnets,
    internetGatewayAttachment,
    cluster,
    apiContainerName: apiService.outputs.containerName,
    logGroups: [compute.outputs.serviceLogGroup, compute.outputs.execLogGroup, events.outputs.logGroup],
    operationsKey,
    runPollerStatements: poller.outputs.runPollerStatements,
    deadLetterQueue,
    tableArn: table.arn,
  });
  return {
    network,
    keys,
    secrets,
    data,
    events,
    compute,
    loadBalancing,
    pollerSecurityGroup,
    dataEndpoints,
    apiService,
    poller,
    metricFilters,
    alarms,
    dashboard,
    access,
  };
}

/** The layers' resources in the order given, failing fast when two would claim the same logical ID. */
function merge(...layers: Array<Layer<unknown>>): Record<string, Resource> {
  const resources: Record<string, Resource> = {};
  for (const layer of layers) {
    for (const [id, resource] of Object.entries(layer.resources)) {
      if (id in resources) throw new Error(`logical ID ${id} is declared by two layers`);
      resources[id] = resource;
    }
  }
  return resources;
}

/** The whole stack, as a plain JSON-ready object. */
export function buildTemplate(): Template & { Rules: typeof rules } {
  const layers = composeLayers();
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: TEMPLATE_DESCRIPTION,
    Metadata: interfaceMetadata,
    Parameters: parameters,
    Rules: rules,
    Mappings: { [TASK_SIZE_MAPPING]: taskSizeMapping, [POLL_INTERVAL_MAPPING]: pollIntervalMapping },
    Conditions: conditions,
    // Listed as reviewed in the snapshot: the network, keys, then the way in (load balancer,
    // tasks), secrets, data, events, and what watches it all; the jump hosts last.
    Resources: merge(
      layers.network,
      layers.keys,
      layers.loadBalancing,
      layers.compute,
      layers.apiService,
      layers.pollerSecurityGroup,
      layers.poller,
      layers.secrets,
      layers.data,
      layers.dataEndpoints,
      layers.events,
      layers.metricFilters,
      layers.alarms,
      layers.dashboard,
      layers.access,
    ),
    Outputs: {
      ApiUrl: { Description: 'Base URL of the API', Value: layers.loadBalancing.outputs.apiUrl },
      TableName: { Description: 'DynamoDB table', Value: layers.data.outputs.table.name },
      EventBusName: { Description: 'EventBridge bus the service publishes to', Value: layers.events.outputs.bus.ref },
      EventsLogGroupName: { Description: 'Log group every event of the bus is copied to', Value: layers.events.outputs.logGroup.ref },
      ClusterName: { Description: 'ECS cluster', Value: layers.compute.outputs.cluster.ref },
      ServiceLogGroupName: {
        Description: 'Log group of the API tasks (api/ streams) and the poller (poller/ streams)',
        Value: layers.compute.outputs.serviceLogGroup.ref,
      },
      AdminApiKeySecretArn: {
        Description: 'Secrets Manager secret holding the admin bearer key',
        Value: layers.secrets.outputs.adminApiKey.ref,
      },
      AlarmTopicArn: { Description: 'SNS topic every alarm notifies; subscribe on-call here', Value: layers.alarms.outputs.topic.ref },
      DashboardUrl: {
        Description: 'CloudWatch dashboard of the stack',
        Value: sub(
          `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards:name=${layers.dashboard.outputs.dashboard.subVariable()}`,
        ),
      },
      PollerDeadLetterQueueUrl: {
        Description: 'Where EventBridge Scheduler leaves the poller starts that failed',
        Value: layers.poller.outputs.deadLetterQueue.ref,
      },
      JumpHostAddresses: {
        Condition: stackConditions.JumpHostEnabled,
        Description: 'Elastic IPs of the jump hosts',
        Value: layers.access.outputs.jumpHostAddresses,
      },
    },
  };
  // Round-trip through JSON so callers get plain data, not cloudform's classes.
  return JSON.parse(JSON.stringify(template)) as Template & { Rules: typeof rules };
}

/** The template as deployed and snapshotted: two-space JSON with a final newline. */
export function synthesize(): string {
  return `${JSON.stringify(buildTemplate(), undefined, 2)}\n`;
}
