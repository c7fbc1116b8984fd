import { Events, Fn, Logs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { onRemoval, sub } from './intrinsics.js';
import { logGroup } from './logging.js';

/** Every event the service publishes has a source starting with this. */
export const EVENT_SOURCE_PREFIX = 'spaceout.crowd';

export const E = {
  bus: 'EventBus',
  archive: 'EventArchive',
  logRule: 'CrowdEventsToLogsRule',
  logGroup: 'CrowdEventsLogGroup',
  logPolicy: 'CrowdEventsLogGroupPolicy',
} as const;

export const eventBusName = Fn.Ref(E.bus);
export const eventBusArn = Fn.GetAtt(E.bus, 'Arn');

/** The bus the service publishes to, an archive to replay it, and a rule copying its events to a log group. */
export function eventsLayer(): Record<string, Resource> {
  const pattern = { source: [{ prefix: EVENT_SOURCE_PREFIX }] };
  return {
    [E.bus]: new Events.EventBus({ Name: sub('${AWS::StackName}-crowd') }),
    // Deleted with the stack: a replay needs the bus, which goes with it; every fact the
    // events describe stays in the (retained) table, and the events log group is retained.
    [E.archive]: onRemoval(
      'Delete',
      new Events.Archive({
        SourceArn: eventBusArn,
        Description: 'Every crowd event, for replay',
        EventPattern: pattern,
        RetentionDays: 365,
      }),
    ),
    // EventBridge only delivers to log groups whose name starts with /aws/events/. The poll
    // alarms and the dashboard count the events that arrive here (monitoring.ts).
    [E.logGroup]: logGroup('/aws/events/${AWS::StackName}-crowd'),
    [E.logPolicy]: new Logs.ResourcePolicy({
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
              Resource: `${'$'}{${E.logGroup}.Arn}`,
            },
            {
              Sid: 'CrowdEventsRuleWrites',
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
              Action: ['logs:PutLogEvents'],
              Resource: `${'$'}{${E.logGroup}.Arn}`,
              Condition: { ArnEquals: { 'aws:SourceArn': `${'$'}{${E.logRule}.Arn}` } },
            },
          ],
        }),
      ),
    }),
    [E.logRule]: new Events.Rule({
      Description: 'Copies the crowd service events to CloudWatch Logs',
      EventBusName: eventBusName,
      EventPattern: pattern,
      State: 'ENABLED',
      // The log group's ARN without the `:*` that Fn::GetAtt appends, as EventBridge targets name it.
      Targets: [{ Id: 'crowd-events-log-group', Arn: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${E.logGroup}}`) }],
    }),
  };
}
