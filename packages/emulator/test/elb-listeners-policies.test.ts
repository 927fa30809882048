import {
  CreateAppCookieStickinessPolicyCommand,
  CreateLBCookieStickinessPolicyCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  CreateLoadBalancerPolicyCommand,
  DeleteLoadBalancerListenersCommand,
  DeleteLoadBalancerPolicyCommand,
  DescribeLoadBalancerPoliciesCommand,
  DescribeLoadBalancerPolicyTypesCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
  SetLoadBalancerListenerSSLCertificateCommand,
  SetLoadBalancerPoliciesForBackendServerCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index';

const cert = 'arn:aws:iam::123456789012:server-certificate/my-cert';
const otherCert = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';

let emu: Emulator;
let elb: ElasticLoadBalancingClient;
beforeAll(async () => {
  emu = await startEmulator({ clock: 'virtual' });
  elb = new ElasticLoadBalancingClient({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(() => emu.close());

let counter = 0;
async function newLoadBalancer(): Promise<string> {
  const LoadBalancerName = `lp-${++counter}`;
  await elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName,
      Listeners: [
        { Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 },
        {
          Protocol: 'HTTPS',
          LoadBalancerPort: 443,
          InstanceProtocol: 'HTTP',
          InstancePort: 80,
          SSLCertificateId: cert,
        },
      ],
      AvailabilityZones: ['us-east-1a'],
    }),
  );
  return LoadBalancerName;
}

async function describeOne(name: string): Promise<LoadBalancerDescription> {
  const { LoadBalancerDescriptions } = await elb.send(
    new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }),
  );
  const lb = LoadBalancerDescriptions?.[0];
  if (!lb) throw new Error(`${name} not described`);
  return lb;
}

const ports = (lb: LoadBalancerDescription) =>
  lb.ListenerDescriptions?.map((l) => l.Listener?.LoadBalancerPort);

describe('listeners', () => {
  it('adds listeners, treats an identical one as a no-op, and deletes them', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new CreateLoadBalancerListenersCommand({
        LoadBalancerName: name,
        Listeners: [
          {
            Protocol: 'SSL',
            LoadBalancerPort: 8443,
            InstanceProtocol: 'TCP',
            InstancePort: 8443,
            SSLCertificateId: otherCert,
          },
          { Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 80 },
        ],
      }),
    );
    expect(ports(await describeOne(name))).toEqual([80, 443, 8443]);
    await elb.send(
      new DeleteLoadBalancerListenersCommand({ LoadBalancerName: name, LoadBalancerPorts: [80, 9999] }),
    );
    expect(ports(await describeOne(name))).toEqual([443, 8443]);
  });

  it.each([
    [
      'a different listener on a taken port',
      { Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 81 },
      'DuplicateListenerException',
    ],
    [
      'an unknown protocol',
      { Protocol: 'FTP', LoadBalancerPort: 2121, InstancePort: 21 },
      'UnsupportedProtocolException',
    ],
    [
      'a port ELB cannot listen on',
      { Protocol: 'TCP', LoadBalancerPort: 22, InstancePort: 22 },
      'ValidationError',
    ],
    [
      'an instance port out of range',
      { Protocol: 'TCP', LoadBalancerPort: 2222, InstancePort: 70000 },
      'ValidationError',
    ],
    [
      'mixed protocol layers',
      { Protocol: 'HTTP', LoadBalancerPort: 8080, InstanceProtocol: 'TCP', InstancePort: 80 },
      'ValidationError',
    ],
    [
      'HTTPS without a certificate',
      { Protocol: 'HTTPS', LoadBalancerPort: 8443, InstancePort: 80 },
      'ValidationError',
    ],
    [
      'a certificate that is not an ARN',
      { Protocol: 'HTTPS', LoadBalancerPort: 8443, InstancePort: 80, SSLCertificateId: 'mycert' },
      'CertificateNotFoundException',
    ],
  ])('rejects %s and changes nothing', async (_what, listener, name) => {
    const lb = await newLoadBalancer();
    await expect(
      elb.send(
        new CreateLoadBalancerListenersCommand({
          LoadBalancerName: lb,
          Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 6000, InstancePort: 6000 }, listener],
        }),
      ),
    ).rejects.toMatchObject({ name });
    expect(ports(await describeOne(lb))).toEqual([80, 443]);
  });

  it('sets the certificate of an HTTPS listener, only of an existing secure one', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new SetLoadBalancerListenerSSLCertificateCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 443,
        SSLCertificateId: otherCert,
      }),
    );
    const lb = await describeOne(name);
    expect(lb.ListenerDescriptions?.[1]?.Listener?.SSLCertificateId).toBe(otherCert);
    await expect(
      elb.send(
        new SetLoadBalancerListenerSSLCertificateCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 8443,
          SSLCertificateId: otherCert,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ListenerNotFoundException' });
    await expect(
      elb.send(
        new SetLoadBalancerListenerSSLCertificateCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 80,
          SSLCertificateId: otherCert,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidConfigurationRequestException',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(
      elb.send(
        new SetLoadBalancerListenerSSLCertificateCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 443,
          SSLCertificateId: 'x',
        }),
      ),
    ).rejects.toMatchObject({ name: 'CertificateNotFoundException' });
  });

  it('answers LoadBalancerNotFound for listeners of an unknown load balancer', async () => {
    await expect(
      elb.send(
        new CreateLoadBalancerListenersCommand({
          LoadBalancerName: 'ghost',
          Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 80 }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessPointNotFoundException' });
  });
});

describe('policies', () => {
  it('creates stickiness policies, shows them in the description, and sets one on a listener', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new CreateAppCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'app-sticky',
        CookieName: 'SESSION',
      }),
    );
    await elb.send(
      new CreateLBCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'lb-sticky',
        CookieExpirationPeriod: 600,
      }),
    );
    await expect(
      elb.send(
        new CreateAppCookieStickinessPolicyCommand({
          LoadBalancerName: name,
          PolicyName: 'app-sticky',
          CookieName: 'X',
        }),
      ),
    ).rejects.toMatchObject({ name: 'DuplicatePolicyNameException' });

    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 80,
        PolicyNames: ['lb-sticky'],
      }),
    );
    const lb = await describeOne(name);
    expect(lb.Policies).toEqual({
      AppCookieStickinessPolicies: [{ PolicyName: 'app-sticky', CookieName: 'SESSION' }],
      LBCookieStickinessPolicies: [{ PolicyName: 'lb-sticky', CookieExpirationPeriod: 600 }],
      OtherPolicies: [],
    });
    expect(lb.ListenerDescriptions?.[0]?.PolicyNames).toEqual(['lb-sticky']);

    const { PolicyDescriptions } = await elb.send(
      new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name, PolicyNames: ['app-sticky'] }),
    );
    expect(PolicyDescriptions).toEqual([
      {
        PolicyName: 'app-sticky',
        PolicyTypeName: 'AppCookieStickinessPolicyType',
        PolicyAttributeDescriptions: [{ AttributeName: 'CookieName', AttributeValue: 'SESSION' }],
      },
    ]);

    // A policy in use cannot be deleted; once the listener drops it, it can.
    await expect(
      elb.send(new DeleteLoadBalancerPolicyCommand({ LoadBalancerName: name, PolicyName: 'lb-sticky' })),
    ).rejects.toMatchObject({
      name: 'InvalidConfigurationRequestException',
    });
    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 80,
        PolicyNames: [],
      }),
    );
    await elb.send(new DeleteLoadBalancerPolicyCommand({ LoadBalancerName: name, PolicyName: 'lb-sticky' }));
    const after = await elb.send(new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name }));
    expect(after.PolicyDescriptions?.map((p) => p.PolicyName)).toEqual(['app-sticky']);
  });

  it('rejects listener policies that do not fit', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new CreateAppCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'a1',
        CookieName: 'A',
      }),
    );
    await elb.send(
      new CreateAppCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'a2',
        CookieName: 'B',
      }),
    );
    await expect(
      elb.send(
        new SetLoadBalancerPoliciesOfListenerCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 80,
          PolicyNames: ['nope'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'PolicyNotFoundException' });
    await expect(
      elb.send(
        new SetLoadBalancerPoliciesOfListenerCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 81,
          PolicyNames: ['a1'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ListenerNotFoundException' });
    await expect(
      elb.send(
        new SetLoadBalancerPoliciesOfListenerCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 80,
          PolicyNames: ['a1', 'a2'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
  });

  it('creates an SSL negotiation policy from a predefined security policy and sets it on the HTTPS listener only', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'tls12',
        PolicyTypeName: 'SSLNegotiationPolicyType',
        PolicyAttributes: [
          { AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01' },
        ],
      }),
    );
    const [policy] =
      (
        await elb.send(
          new DescribeLoadBalancerPoliciesCommand({ LoadBalancerName: name, PolicyNames: ['tls12'] }),
        )
      ).PolicyDescriptions ?? [];
    const attrs = Object.fromEntries(
      (policy?.PolicyAttributeDescriptions ?? []).map((a) => [a.AttributeName, a.AttributeValue]),
    );
    expect(attrs).toMatchObject({
      'Reference-Security-Policy': 'ELBSecurityPolicy-TLS-1-2-2017-01',
      'Protocol-TLSv1.2': 'true',
      'Protocol-TLSv1': 'false',
    });

    await elb.send(
      new SetLoadBalancerPoliciesOfListenerCommand({
        LoadBalancerName: name,
        LoadBalancerPort: 443,
        PolicyNames: ['tls12'],
      }),
    );
    await expect(
      elb.send(
        new SetLoadBalancerPoliciesOfListenerCommand({
          LoadBalancerName: name,
          LoadBalancerPort: 80,
          PolicyNames: ['tls12'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    expect((await describeOne(name)).Policies?.OtherPolicies).toEqual(['tls12']);
  });

  it('sets back-end server policies (proxy protocol) and clears them', async () => {
    const name = await newLoadBalancer();
    await elb.send(
      new CreateLoadBalancerPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'proxy',
        PolicyTypeName: 'ProxyProtocolPolicyType',
        PolicyAttributes: [{ AttributeName: 'ProxyProtocol', AttributeValue: 'true' }],
      }),
    );
    await elb.send(
      new SetLoadBalancerPoliciesForBackendServerCommand({
        LoadBalancerName: name,
        InstancePort: 80,
        PolicyNames: ['proxy'],
      }),
    );
    expect((await describeOne(name)).BackendServerDescriptions).toEqual([
      { InstancePort: 80, PolicyNames: ['proxy'] },
    ]);
    await elb.send(
      new CreateAppCookieStickinessPolicyCommand({
        LoadBalancerName: name,
        PolicyName: 'sticky',
        CookieName: 'S',
      }),
    );
    await expect(
      elb.send(
        new SetLoadBalancerPoliciesForBackendServerCommand({
          LoadBalancerName: name,
          InstancePort: 80,
          PolicyNames: ['sticky'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    await elb.send(
      new SetLoadBalancerPoliciesForBackendServerCommand({
        LoadBalancerName: name,
        InstancePort: 80,
        PolicyNames: [],
      }),
    );
    expect((await describeOne(name)).BackendServerDescriptions).toEqual([]);
  });

  it('rejects unknown policy types and attributes', async () => {
    const name = await newLoadBalancer();
    await expect(
      elb.send(
        new CreateLoadBalancerPolicyCommand({
          LoadBalancerName: name,
          PolicyName: 'p',
          PolicyTypeName: 'NoSuchPolicyType',
        }),
      ),
    ).rejects.toMatchObject({ name: 'PolicyTypeNotFoundException' });
    await expect(
      elb.send(
        new CreateLoadBalancerPolicyCommand({
          LoadBalancerName: name,
          PolicyName: 'p',
          PolicyTypeName: 'ProxyProtocolPolicyType',
          PolicyAttributes: [{ AttributeName: 'CookieName', AttributeValue: 'x' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
    await expect(
      elb.send(
        new CreateLoadBalancerPolicyCommand({
          LoadBalancerName: name,
          PolicyName: 'p',
          PolicyTypeName: 'ProxyProtocolPolicyType',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidConfigurationRequestException' });
  });

  it('describes the predefined security policies when no load balancer is named', async () => {
    const { PolicyDescriptions = [] } = await elb.send(new DescribeLoadBalancerPoliciesCommand({}));
    expect(PolicyDescriptions.map((p) => p.PolicyName)).toContain('ELBSecurityPolicy-2016-08');
    expect(PolicyDescriptions.every((p) => p.PolicyTypeName === 'SSLNegotiationPolicyType')).toBe(true);
    await expect(
      elb.send(new DescribeLoadBalancerPoliciesCommand({ PolicyNames: ['ELBSecurityPolicy-1999'] })),
    ).rejects.toMatchObject({
      name: 'PolicyNotFoundException',
    });
  });

  it('describes policy types, all or by name', async () => {
    const all = await elb.send(new DescribeLoadBalancerPolicyTypesCommand({}));
    expect(all.PolicyTypeDescriptions?.map((t) => t.PolicyTypeName)).toEqual(
      expect.arrayContaining([
        'AppCookieStickinessPolicyType',
        'LBCookieStickinessPolicyType',
        'SSLNegotiationPolicyType',
        'ProxyProtocolPolicyType',
      ]),
    );
    const one = await elb.send(
      new DescribeLoadBalancerPolicyTypesCommand({ PolicyTypeNames: ['AppCookieStickinessPolicyType'] }),
    );
    expect(one.PolicyTypeDescriptions).toEqual([
      expect.objectContaining({
        PolicyTypeName: 'AppCookieStickinessPolicyType',
        PolicyAttributeTypeDescriptions: [
          { AttributeName: 'CookieName', AttributeType: 'String', Cardinality: 'ONE' },
        ],
      }),
    ]);
    await expect(
      elb.send(new DescribeLoadBalancerPolicyTypesCommand({ PolicyTypeNames: ['Nope'] })),
    ).rejects.toMatchObject({
      name: 'PolicyTypeNotFoundException',
    });
  });
});
