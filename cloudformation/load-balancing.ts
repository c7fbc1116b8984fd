import { EC2, ElasticLoadBalancingV2, Fn, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { nameTags, sub, when } from './intrinsics.js';
import { N, publicSubnetIds } from './network.js';
import { C, P } from './parameters.js';

export const CONTAINER_PORT = 3000;
/**
 * Shallow on purpose: /health answers while the process lives. A deep check (/ready asks the
 * store) would fail every target at once on any DynamoDB, IAM or endpoint trouble, and ECS would
 * replace all tasks in a loop without curing it; the alarms report such trouble instead.
 */
export const HEALTH_CHECK_PATH = '/health';
/** The ports the load balancer answers on; the only ones open to the internet. */
export const LISTENER_PORTS = { plain: 80, tls: 443 } as const;

export const LB = {
  securityGroup: 'LoadBalancerSecurityGroup',
  loadBalancer: 'LoadBalancer',
  targetGroup: 'ApiTargetGroup',
  plainListener: 'PlainListener',
  tlsListener: 'TlsListener',
} as const;

/** Security group of the API tasks; its ingress from the load balancer is declared here, where the LB's group is. */
export const APP_SECURITY_GROUP = 'AppSecurityGroup';
export const APP_INGRESS_FROM_LB = `${APP_SECURITY_GROUP}FromLoadBalancer`;

const whenAlb = (alb: unknown, nlb: unknown) => Fn.If(C.isAlb, alb, nlb);
const forward = [{ Type: 'forward', TargetGroupArn: Fn.Ref(LB.targetGroup) }];

/** Internet-facing NLB (or ALB), its security group, the API target group and listeners. */
export function loadBalancingLayer(): Record<string, Resource> {
  return {
    [LB.securityGroup]: new EC2.SecurityGroup({
      GroupDescription: 'Load balancer: HTTP(S) from the internet, to the API tasks only',
      VpcId: Fn.Ref(N.vpc),
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: LISTENER_PORTS.plain, ToPort: LISTENER_PORTS.plain, CidrIp: '0.0.0.0/0', Description: 'HTTP' },
        when(
          C.hasCertificate,
          { IpProtocol: 'tcp', FromPort: LISTENER_PORTS.tls, ToPort: LISTENER_PORTS.tls, CidrIp: '0.0.0.0/0', Description: 'TLS' },
          Refs.NoValue,
        ),
      ],
      SecurityGroupEgress: [
        {
          IpProtocol: 'tcp',
          FromPort: CONTAINER_PORT,
          ToPort: CONTAINER_PORT,
          DestinationSecurityGroupId: Fn.GetAtt(APP_SECURITY_GROUP, 'GroupId'),
          Description: 'Traffic and health checks to the API tasks',
        },
      ],
      Tags: nameTags('lb'),
    }),
    [APP_INGRESS_FROM_LB]: new EC2.SecurityGroupIngress({
      GroupId: Fn.GetAtt(APP_SECURITY_GROUP, 'GroupId'),
      IpProtocol: 'tcp',
      FromPort: CONTAINER_PORT,
      ToPort: CONTAINER_PORT,
      SourceSecurityGroupId: Fn.GetAtt(LB.securityGroup, 'GroupId'),
      Description: 'From the load balancer',
    }),
    [LB.loadBalancer]: new ElasticLoadBalancingV2.LoadBalancer({
      Type: whenAlb('application', 'network'),
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      Subnets: publicSubnetIds,
      SecurityGroups: [Fn.GetAtt(LB.securityGroup, 'GroupId')],
      LoadBalancerAttributes: [
        { Key: 'deletion_protection.enabled', Value: Fn.Ref(P.loadBalancerDeletionProtection) },
        // An ALB always balances across zones; an NLB only when asked.
        when(C.isAlb, { Key: 'routing.http.desync_mitigation_mode', Value: 'defensive' }, { Key: 'load_balancing.cross_zone.enabled', Value: 'true' }),
        when(C.isAlb, { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }, Refs.NoValue),
      ],
      Tags: nameTags('lb'),
    }).dependsOn(N.gatewayAttachment),
    [LB.targetGroup]: new ElasticLoadBalancingV2.TargetGroup({
      TargetType: 'ip',
      VpcId: Fn.Ref(N.vpc),
      Port: CONTAINER_PORT,
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
        Fn.If(C.isAlb, Refs.NoValue, { Key: 'preserve_client_ip.enabled', Value: 'true' }) as unknown as { Key: string; Value: string },
      ],
    }),
    [LB.plainListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: Fn.Ref(LB.loadBalancer),
      Port: LISTENER_PORTS.plain,
      Protocol: whenAlb('HTTP', 'TCP'),
      // With a certificate an ALB sends plain HTTP to HTTPS; an NLB cannot redirect.
      DefaultActions: Fn.If(
        C.isAlbWithCertificate,
        [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: String(LISTENER_PORTS.tls), StatusCode: 'HTTP_301' } }],
        forward,
      ),
    }),
    [LB.tlsListener]: new ElasticLoadBalancingV2.Listener({
      LoadBalancerArn: Fn.Ref(LB.loadBalancer),
      Port: LISTENER_PORTS.tls,
      Protocol: whenAlb('HTTPS', 'TLS'),
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: Fn.Ref(P.certificateArn) }],
      DefaultActions: forward,
    }).condition(C.hasCertificate),
  };
}

/** http://dns or https://dns, by whether a certificate was given. */
export const apiUrl = Fn.If(C.hasCertificate, sub(`https://\${${LB.loadBalancer}.DNSName}`), sub(`http://\${${LB.loadBalancer}.DNSName}`));

/** The dimensions CloudWatch files the load balancer's metrics under, and its target group's. */
export const loadBalancerDimension = { Name: 'LoadBalancer', Value: Fn.GetAtt(LB.loadBalancer, 'LoadBalancerFullName') };
export const targetGroupDimensions = [loadBalancerDimension, { Name: 'TargetGroup', Value: Fn.GetAtt(LB.targetGroup, 'TargetGroupFullName') }];
