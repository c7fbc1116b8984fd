import { EC2, ElasticLoadBalancingV2, Fn, Refs } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';
import type { StackConditions } from './conditions.js';
import { sub, when } from './intrinsics.js';
import type { Layer } from './layer.js';
import { nameTags } from './name-tags.js';
import type { StackParameters } from './parameters.js';
import { ResourceHandle } from './resource-handle.js';

/**
 * Shallow on purpose: /health answers while the process lives. A deep check (/ready asks the
 * store) would fail every target at once on any DynamoDB, IAM or endpoint trouble, and ECS would
 * replace all tasks in a loop without curing it; the alarms report such trouble instead.
 */
export const HEALTH_CHECK_PATH = '/health';
/** The ports the load balancer answers on; the only ones open to the internet. */
export const LISTENER_PORTS = { plain: 80, tls: 443 } as const;

export interface LoadBalancingInput {
  readonly parameters: Pick<StackParameters, 'CertificateArn' | 'LoadBalancerDeletionProtection'>;
  readonly conditions: Pick<
    StackConditions,
    'IsApplicationLoadBalancer' | 'HasCertificate' | 'IsApplicationLoadBalancerWithCertificate' | 'ServesPlainHttp'
  >;
  readonly vpc: ResourceHandle;
  readonly publicSubnets: ReadonlyArray<{ readonly subnet: ResourceHandle }>;
  readonly internetGatewayAttachment: ResourceHandle;
  /** Where the API tasks listen: the only place the load balancer sends traffic and health checks. */
  readonly apiTasks: { readonly securityGroup: ResourceHandle<'GroupId'>; readonly port: number };
}

export interface LoadBalancingOutputs {
  readonly loadBalancer: ResourceHandle<'LoadBalancerFullName'>;
  /** Ref is its ARN. */
  readonly targetGroup: ResourceHandle<'TargetGroupFullName'>;
  /**
   * Ref of the listener that forwards to the target group: the TLS one when there is a
   * certificate (with an ALB the plain one then redirects), else the plain one.
   */
  readonly forwardingListener: IntrinsicFunction;
  /** The API tasks' ingress from the load balancer. */
  readonly ingressToApiTasks: ResourceHandle;
  /** http://dns or https://dns, by whether a certificate was given. */
  readonly apiUrl: IntrinsicFunction;
}

/** Internet-facing NLB (or ALB), its security group, the API target group and listeners. */
export function loadBalancingLayer({
  parameters,
  conditions,
  vpc,
  publicSubnets,
  internetGatewayAttachment,
  apiTasks,
}: LoadBalancingInput): Layer<LoadBalancingOutputs> {
  const securityGroup = new ResourceHandle<'GroupId'>('LoadBalancerSecurityGroup');
  const ingressToApiTasks = new ResourceHandle('AppSecurityGroupFromLoadBalancer');
  const loadBalancer = new ResourceHandle<'LoadBalancerFullName' | 'DNSName'>('LoadBalancer');
  const targetGroup = new ResourceHandle<'TargetGroupFullName'>('ApiTargetGroup');
  const plainListener = new ResourceHandle('PlainListener');
  const tlsListener = new ResourceHandle('TlsListener');
  const whenAlb = (alb: unknown, nlb: unknown) => Fn.If(conditions.IsApplicationLoadBalancer, alb, nlb);
  const forward = [{ Type: 'forward', TargetGroupArn: targetGroup.ref }];
  const resources = {
    [securityGroup.logicalId]: new EC2.SecurityGroup({
      GroupDescription: 'Load balancer: HTTP(S) from the internet, to the API tasks only',
      VpcId: vpc.ref,
      SecurityGroupIngress: [
        when(
          conditions.ServesPlainHttp,
          { IpProtocol: 'tcp', FromPort: LISTENER_PORTS.plain, ToPort: LISTENER_PORTS.plain, CidrIp: '0.0.0.0/0', Description: 'HTTP' },
          Refs.NoValue,
        ),
        when(
          conditions.HasCertificate,
          { IpProtocol: 'tcp', FromPort: LISTENER_PORTS.tls, ToPort: LISTENER_PORTS.tls, CidrIp: '0.0.0.0/0', Description: 'TLS' },
          Refs.NoValue,
        ),
      ],
      SecurityGroupEgress: [
        {
          IpProtocol: 'tcp',
          FromPort: apiTasks.port,
          ToPort: apiTasks.port,
          DestinationSecurityGroupId: apiTasks.securityGroup.getAtt('GroupId'),
          Description: 'Traffic and health checks to the API tasks',
        },
      ],
      Tags: nameTags('lb'),
    }),
    // Declared here, beside the load balancer's own group, rather than inside the API tasks' group.
    [ingressToApiTasks.logicalId]: new EC2.SecurityGroupIngress({
      GroupId: apiTasks.securityGroup.getAtt('GroupId'),
      IpProtocol: 'tcp',
      FromPort: apiTasks.port,
      ToPort: apiTasks.port,
      SourceSecurityGroupId: securityGroup.getAtt('GroupId'),
      Description: 'From the load balancer',
    }),
    [loadBalancer.logicalId]: new ElasticLoadBalancingV2.LoadBalancer({
      Type: whenAlb('application', 'network'),
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      Subnets: publicSubnets.map(({ subnet }) => subnet.ref),
      SecurityGroups: [securityGroup.getAtt('GroupId')],
      LoadBalancerAttributes: [
        { Key: 'deletion_protection.enabled', Value: parameters.LoadBalancerDeletionProtection },
        // An ALB always balances across zones; an NLB only when asked.
        when(
          conditions.IsApplicationLoadBalancer,
          { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' },
          { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
        ),
        when(conditions.IsApplicationLoadBalancer, { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }, Refs.NoValue),
      ],
      Tags: nameTags('lb'),
    }).dependsOn(internetGatewayAttachment.logicalId),
    [targetGroup.logicalId]: new ElasticLoadBalancingV2.TargetGroup({
      TargetType: 'ip',
      VpcId: vpc.ref,
      Port: apiTasks.port,
      Protocol: whenAlb('HTTP', 'TCP'),
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: HEALTH_CHECK_PATH,
      HealthCheckPort: 'traffic-port',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        // Off by default for TCP targets of type ip: without it every client shares the NLB's address (and rate limit).
        Fn.If(conditions.IsApplicationLoadBalancer, Refs.NoValue, { Key: 'preserve_client_ip.enabled', Value: 'true' }) as unknown as {
          Key: string;
          Value: string;
        },
      ],
    }),
    [plainListener.logicalId]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: loadBalancer.ref,
      Port: LISTENER_PORTS.plain,
      Protocol: whenAlb('HTTP', 'TCP'),
      // With a certificate an ALB sends plain HTTP to HTTPS. An NLB cannot redirect, so with a
      // certificate it has no port 80 at all: admin keys and subscription secrets never cross in the clear.
      DefaultActions: Fn.If(
        conditions.IsApplicationLoadBalancerWithCertificate,
        [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: String(LISTENER_PORTS.tls), StatusCode: 'HTTP_301' } }],
        forward,
      ),
    }).condition(conditions.ServesPlainHttp),
    [tlsListener.logicalId]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: loadBalancer.ref,
      Port: LISTENER_PORTS.tls,
      Protocol: whenAlb('HTTPS', 'TLS'),
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: parameters.CertificateArn }],
      DefaultActions: forward,
    }).condition(conditions.HasCertificate),
  };
  const apiUrl = Fn.If(
    conditions.HasCertificate,
    sub(`https://${loadBalancer.subVariable('DNSName')}`),
    sub(`http://${loadBalancer.subVariable('DNSName')}`),
  );
  return {
    resources,
    outputs: {
      loadBalancer,
      targetGroup,
      forwardingListener: Fn.If(conditions.HasCertificate, tlsListener.ref, plainListener.ref),
      ingressToApiTasks,
      apiUrl,
    },
  };
}
