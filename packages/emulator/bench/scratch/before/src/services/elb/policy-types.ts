import type {
  PolicyAttributeDescription,
  PolicyTypeDescription,
} from '@aws-sdk/client-elastic-load-balancing';

/**
 * Classic ELB's policy types and its predefined SSL security policies. This is service data, not API
 * shape, so the SDK does not carry it; it follows DescribeLoadBalancerPolicyTypes and
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html
 */
const sslProtocols = ['Protocol-TLSv1', 'Protocol-SSLv3', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'];

const tls12Ciphers = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'AES128-GCM-SHA256',
  'AES128-SHA256',
  'AES256-GCM-SHA384',
  'AES256-SHA256',
];
const sha1Ciphers = [
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-RSA-AES256-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'AES128-SHA',
  'AES256-SHA',
];
const allCiphers = [...tls12Ciphers, ...sha1Ciphers, 'DES-CBC3-SHA'];

const boolean = (AttributeName: string, Description?: string) => ({
  AttributeName,
  AttributeType: 'Boolean',
  Cardinality: 'ZERO_OR_ONE',
  ...(Description ? { Description } : {}),
});

export const policyTypes: PolicyTypeDescription[] = [
  {
    PolicyTypeName: 'ProxyProtocolPolicyType',
    Description:
      'Policy that controls whether to include the IP address and port of the originating request for TCP messages. This policy operates on TCP/SSL listeners only',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'ProxyProtocol', AttributeType: 'Boolean', Cardinality: 'ONE' },
    ],
  },
  {
    PolicyTypeName: 'PublicKeyPolicyType',
    Description:
      'Policy containing a list of public keys to accept when authenticating the back-end server(s). This policy cannot be applied directly to back-end servers or listeners but must be part of a BackendServerAuthenticationPolicyType.',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'PublicKey', AttributeType: 'String', Cardinality: 'ONE' },
    ],
  },
  {
    PolicyTypeName: 'BackendServerAuthenticationPolicyType',
    Description:
      'Policy that controls authentication to back-end server(s) and contains one or more policies, such as an instance of a PublicKeyPolicyType. This policy can be associated only with back-end servers that are using HTTPS/SSL.',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'PublicKeyPolicyName', AttributeType: 'PolicyName', Cardinality: 'ONE_OR_MORE' },
    ],
  },
  {
    PolicyTypeName: 'LBCookieStickinessPolicyType',
    Description:
      'Stickiness policy with session lifetimes controlled by the browser (user-agent) or a specified expiration period. This policy can be associated only with HTTP/HTTPS listeners.',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'CookieExpirationPeriod', AttributeType: 'Long', Cardinality: 'ZERO_OR_ONE' },
    ],
  },
  {
    PolicyTypeName: 'AppCookieStickinessPolicyType',
    Description:
      'Stickiness policy with session lifetimes controlled by the lifetime of the application-generated cookie. This policy can be associated only with HTTP/HTTPS listeners.',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'CookieName', AttributeType: 'String', Cardinality: 'ONE' },
    ],
  },
  {
    PolicyTypeName: 'SSLNegotiationPolicyType',
    Description:
      'Listener policy that defines the ciphers and protocols that will be accepted by the load balancer. This policy can be associated only with HTTPS/SSL listeners.',
    PolicyAttributeTypeDescriptions: [
      { AttributeName: 'Reference-Security-Policy', AttributeType: 'String', Cardinality: 'ZERO_OR_ONE' },
      ...sslProtocols.map((p) => boolean(p)),
      boolean('Server-Defined-Cipher-Order'),
      ...allCiphers.map((c) => boolean(c)),
    ],
  },
];

/** Listener policies go on listeners with these protocols; back-end policies go on instance ports. */
export const policyPlacement: Record<string, { listenerProtocols?: string[]; backend?: boolean }> = {
  AppCookieStickinessPolicyType: { listenerProtocols: ['HTTP', 'HTTPS'] },
  LBCookieStickinessPolicyType: { listenerProtocols: ['HTTP', 'HTTPS'] },
  SSLNegotiationPolicyType: { listenerProtocols: ['HTTPS', 'SSL'] },
  ProxyProtocolPolicyType: { backend: true },
  BackendServerAuthenticationPolicyType: { backend: true },
  PublicKeyPolicyType: {},
};

function securityPolicy(protocols: string[], ciphers: string[]): PolicyAttributeDescription[] {
  const on = new Set([...protocols, ...ciphers]);
  return [
    ...sslProtocols.map((p) => ({ AttributeName: p, AttributeValue: String(on.has(p)) })),
    { AttributeName: 'Server-Defined-Cipher-Order', AttributeValue: 'true' },
    ...allCiphers.map((c) => ({ AttributeName: c, AttributeValue: String(on.has(c)) })),
  ];
}

/** The predefined security policies: DescribeLoadBalancerPolicies answers these when no load balancer is named. */
export const predefinedPolicies = new Map<string, PolicyAttributeDescription[]>([
  [
    'ELBSecurityPolicy-2016-08',
    securityPolicy(
      ['Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'],
      [...tls12Ciphers, ...sha1Ciphers],
    ),
  ],
  ['ELBSecurityPolicy-TLS-1-2-2017-01', securityPolicy(['Protocol-TLSv1.2'], tls12Ciphers)],
  [
    'ELBSecurityPolicy-TLS-1-1-2017-01',
    securityPolicy(['Protocol-TLSv1.1', 'Protocol-TLSv1.2'], [...tls12Ciphers, ...sha1Ciphers]),
  ],
  [
    'ELBSecurityPolicy-2015-05',
    securityPolicy(['Protocol-TLSv1', 'Protocol-TLSv1.1', 'Protocol-TLSv1.2'], allCiphers),
  ],
]);
