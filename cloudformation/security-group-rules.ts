/** Upstream, AWS APIs and DynamoDB (through the gateway endpoint) are all HTTPS. */
export const HTTPS_OUT = [
  { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'HTTPS: upstream, AWS APIs, DynamoDB' },
];

/** The source a security group rule uses to allow nothing, so CloudFormation drops its default allow-all egress. */
export const NO_EGRESS = { CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86, Description: 'No egress' };
