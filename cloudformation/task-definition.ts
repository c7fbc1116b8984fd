import { ECS, Fn, Refs } from './cloudform.js';
import type { IntrinsicFunction, ResourceBase as Resource, Value } from './cloudform.js';
import { sub } from './intrinsics.js';
import { TASK_SIZES } from './parameters.js';
import type { ResourceHandle } from './resource-handle.js';

export const TASK_SIZE_MAPPING = 'TaskSizes';
export const taskSizeMapping = Object.fromEntries(Object.entries(TASK_SIZES).map(([size, { cpu, memory }]) => [size, { cpu, memory }]));

/** The `node` user of the official Node.js images; the Dockerfile runs as it too. */
export const CONTAINER_USER = '1000:1000';
/** Each task writes its log lines into this buffer and never waits for CloudWatch Logs; lines beyond it are dropped. */
export const LOG_BUFFER_SIZE = '25m';

/** `<stack>-api`, `<stack>-poller`: task definition families, one per kind of task. */
export const taskFamily = (name: string) => `\${AWS::StackName}-${name}`;

/** What every task of the service runs with: computeLayer makes it, the API service and the poller build on it. */
export interface TaskSettings {
  /** Ref of ImageUri: the API and the poller run the same image. */
  readonly image: IntrinsicFunction;
  /** Ref of TaskSize, a key of the TaskSizes mapping. */
  readonly size: IntrinsicFunction;
  readonly logGroup: ResourceHandle;
  readonly taskRole: ResourceHandle<'Arn'>;
  readonly executionRole: ResourceHandle<'Arn'>;
  readonly environment: Array<{ Name: string; Value: Value<string> }>;
}

const taskSize = (settings: TaskSettings, key: 'cpu' | 'memory') => Fn.FindInMap(TASK_SIZE_MAPPING, settings.size, key);

/** A container of the service's image, as the user of the Dockerfile, with a read-only root and non-blocking logs. */
export function container(settings: TaskSettings, name: string, streamPrefix: string, extra: Record<string, unknown>) {
  return {
    Name: name,
    Image: settings.image,
    Essential: true,
    User: CONTAINER_USER,
    ReadonlyRootFilesystem: true,
    Memory: taskSize(settings, 'memory'),
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': settings.logGroup.ref,
        'awslogs-region': Refs.Region,
        'awslogs-stream-prefix': streamPrefix,
        // In blocking mode a slow CloudWatch Logs stalls every write to stdout, and with it
        // Node's event loop and every request.
        mode: 'non-blocking',
        'max-buffer-size': LOG_BUFFER_SIZE,
      },
    },
    Environment: settings.environment,
    ...extra,
  };
}

export function taskDefinition(
  settings: TaskSettings,
  family: string,
  containerDefinition: ReturnType<typeof container>,
  volumes: Array<{ Name: string }> = [],
): Resource {
  return new ECS.TaskDefinition({
    Family: sub(taskFamily(family)),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: taskSize(settings, 'cpu'),
    Memory: taskSize(settings, 'memory'),
    RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
    ExecutionRoleArn: settings.executionRole.getAtt('Arn'),
    TaskRoleArn: settings.taskRole.getAtt('Arn'),
    ContainerDefinitions: [containerDefinition],
    ...(volumes.length > 0 ? { Volumes: volumes } : {}),
  });
}
