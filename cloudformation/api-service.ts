import { ApplicationAutoScaling, ECS } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';
import { sub } from './intrinsics.js';
import type { Layer } from './layer.js';
import type { StackParameters } from './parameters.js';
import { logicalIds, ResourceHandle } from './resource-handle.js';
import { container, taskDefinition } from './task-definition.js';
import type { TaskSettings } from './task-definition.js';

const API_CONTAINER = 'api';

export interface ApiServiceInput {
  readonly parameters: Pick<StackParameters, 'MinTasks' | 'MaxTasks' | 'CpuTargetPercent'>;
  readonly cluster: ResourceHandle;
  readonly tasks: TaskSettings;
  readonly apiTasks: { readonly securityGroup: ResourceHandle<'GroupId'>; readonly port: number };
  readonly appSubnets: ReadonlyArray<{ readonly subnet: ResourceHandle }>;
  readonly apiContainerSecrets: ReadonlyArray<{ Name: string; ValueFrom: IntrinsicFunction }>;
  readonly targetGroup: ResourceHandle;
  readonly forwardingListener: IntrinsicFunction;
  /** The security group ingress that lets the load balancer reach the tasks. */
  readonly ingressFromLoadBalancer: ResourceHandle;
  readonly appSubnetEgress: readonly ResourceHandle[];
  readonly eventBridgeEndpoint: ResourceHandle;
}

export interface ApiServiceOutputs {
  readonly service: ResourceHandle<'Name'>;
  /** The container an operator may open a shell in. */
  readonly containerName: string;
}

/**
 * Where the SSM agent of ECS Exec keeps its state and logs. The root filesystem is read-only,
 * and the agent fails to start without these two writable paths (aws/containers-roadmap#1359);
 * they are task-scoped scratch volumes, gone with the task.
 */
const EXEC_AGENT_PATHS = [
  { volume: 'exec-agent-state', path: '/var/lib/amazon' },
  { volume: 'exec-agent-logs', path: '/var/log/amazon' },
] as const;

/** The API service behind the load balancer, in both app subnets, with ECS Exec and auto scaling on CPU. */
export function apiServiceLayer(input: ApiServiceInput): Layer<ApiServiceOutputs> {
  const { parameters, cluster, apiTasks } = input;
  const apiTaskDefinition = new ResourceHandle('ApiTaskDefinition');
  const service = new ResourceHandle<'Name'>('ApiService');
  const scalableTarget = new ResourceHandle('ApiScalableTarget');
  const resources = {
    [apiTaskDefinition.logicalId]: taskDefinition(
      input.tasks,
      'api',
      container(input.tasks, API_CONTAINER, 'api', {
        // The load balancer is public: /metrics asks for the admin key, which only the API tasks hold.
        Environment: [...input.tasks.environment, { Name: 'METRICS_ACCESS', Value: 'admin' }],
        Secrets: input.apiContainerSecrets,
        PortMappings: [{ ContainerPort: apiTasks.port, Protocol: 'tcp' }],
        MountPoints: EXEC_AGENT_PATHS.map(({ volume, path }) => ({ SourceVolume: volume, ContainerPath: path, ReadOnly: false })),
        HealthCheck: {
          Command: [
            'CMD',
            'node',
            '-e',
            `fetch('http://127.0.0.1:${apiTasks.port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
          ],
          Interval: 30,
          Timeout: 5,
          Retries: 3,
          StartPeriod: 15,
        },
      }),
      EXEC_AGENT_PATHS.map(({ volume }) => ({ Name: volume })),
    ),
    [service.logicalId]: new ECS.Service({
      Cluster: cluster.ref,
      TaskDefinition: apiTaskDefinition.ref,
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      // No DesiredCount: auto scaling owns the count. With one, every deployment of a new image
      // would set a scaled-out service back to it. ECS starts a new service with one task, and
      // registering the scalable target raises that to MinTasks at once.
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
      EnableExecuteCommand: true,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: input.appSubnets.map(({ subnet }) => subnet.ref),
          SecurityGroups: [apiTasks.securityGroup.getAtt('GroupId')],
        },
      },
      LoadBalancers: [{ ContainerName: API_CONTAINER, ContainerPort: apiTasks.port, TargetGroupArn: input.targetGroup.ref }],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      // The service may only start once a listener forwards to its target group. DependsOn
      // cannot name a conditional resource; referencing the listener orders the two all the same.
      Tags: [{ Key: 'forwarding-listener', Value: input.forwardingListener }],
      // Nor may tasks start before the load balancer may reach them and they can reach AWS and
      // the bus: routes out, and the EventBridge endpoint.
    }).dependsOn(logicalIds([input.ingressFromLoadBalancer, ...input.appSubnetEgress, input.eventBridgeEndpoint])),
    [scalableTarget.logicalId]: new ApplicationAutoScaling.ScalableTarget({
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      ResourceId: sub(`service/${cluster.subVariable()}/${service.subVariable('Name')}`),
      MinCapacity: parameters.MinTasks,
      MaxCapacity: parameters.MaxTasks,
      RoleARN: sub(
        'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
      ),
    }),
    ApiCpuScalingPolicy: new ApplicationAutoScaling.ScalingPolicy({
      PolicyName: sub('${AWS::StackName}-api-cpu'),
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: scalableTarget.ref,
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: parameters.CpuTargetPercent,
        ScaleOutCooldown: 60,
        ScaleInCooldown: 180,
      },
    }),
  };
  return { resources, outputs: { service, containerName: API_CONTAINER } };
}
