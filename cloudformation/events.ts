import { Events, Logs } from './cloudform.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import { logGroup } from './log-group.js';
import type { StackParameters } from './parameters.js';
import { onRemoval } from './removal-policy.js';
import { ResourceHandle } from './resource-handle.js';

/** Every event the service publishes has a source starting with this. */
export const EVENT_SOURCE_PREFIX = 'spaceout.crowd';

export interface EventsInput {
  readonly parameters: Pick<StackParameters, 'LogRetentionDays'>;
  readonly logsKey: ResourceHandle<'Arn'>;
}

export interface EventsOutputs {
  /** Ref is the bus's name. */
  readonly bus: ResourceHandle<'Arn'>;
  /** Where every event of the bus is copied. */
  readonly logGroup: ResourceHandle<'Arn'>;
}

/** The bus the service publishes to, an archive to replay it, and a rule copying its events to a log group. */
export function eventsLayer({ parameters, logsKey }: EventsInput): Layer<EventsOutputs> {
  const bus = new ResourceHandle<'Arn'>('EventBus');
  const eventsLogGroup = new ResourceHandle<'Arn'>('CrowdEventsLogGroup');
  const logRule = new ResourceHandle<'Arn'>('CrowdEventsToLogsRule');
  const pattern = { source: [{ prefix: EVENT_SOURCE_PREFIX }] };
  const resources = {
    [bus.logicalId]: new Events.EventBus({ Name: sub('${AWS::StackName}-crowd') }),
    // Deleted with the stack: a replay needs the bus, which goes with it; every fact the
    // events describe stays in the (retained) table, and the events log group is retained.
    EventArchive: onRemoval(
      'Delete',
      new Events.Archive({
        SourceArn: bus.getAtt('Arn'),
        Description: 'Every crowd event, for replay',
        EventPattern: pattern,
        RetentionDays: 365,
      }),
    ),
    // EventBridge only delivers to log groups whose name starts with /aws/events/. The poll
    // alarms and the dashboard count the events that arrive here (log-metrics.ts).
    [eventsLogGroup.logicalId]: logGroup('/aws/events/${AWS::StackName}-crowd', {
      retentionDays: parameters.LogRetentionDays,
      key: logsKey,
    }),
    CrowdEventsLogGroupPolicy: new Logs.ResourcePolicy({
      PolicyName: sub('${AWS::StackName}-crowd-events-to-logs'),
      PolicyDocument: sub(
        JSON.stringify({
          Version: '2012-10-17',
          // aws:SourceArn is only present on PutLogEvents, so a condition on it would also
          // refuse CreateLogStream and nothing would ever be written.
          Statement: [
            {
              Sid: 'EventBridgeCreatesStreams',
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
              Action: ['logs:CreateLogStream'],
              Resource: eventsLogGroup.subVariable('Arn'),
            },
            {
              Sid: 'CrowdEventsRuleWrites',
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
              Action: ['logs:PutLogEvents'],
              Resource: eventsLogGroup.subVariable('Arn'),
              Condition: { ArnEquals: { 'aws:SourceArn': logRule.subVariable('Arn') } },
            },
          ],
        }),
      ),
    }),
    [logRule.logicalId]: new Events.Rule({
      Description: 'Copies the crowd service events to CloudWatch Logs',
      EventBusName: bus.ref,
      EventPattern: pattern,
      State: 'ENABLED',
      // The log group's ARN without the `:*` that Fn::GetAtt appends, as EventBridge targets name it.
      Targets: [
        {
          Id: 'crowd-events-log-group',
          Arn: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${eventsLogGroup.subVariable()}`),
        },
      ],
    }),
  };
  return { resources, outputs: { bus, logGroup: eventsLogGroup } };
}
