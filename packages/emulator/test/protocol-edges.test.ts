import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../src/core/errors';
import { serializeError } from '../src/protocol/error-xml';
import { parseQueryInput } from '../src/protocol/query-input';
import { ec2Protocol, elbProtocol } from '../src/protocol/service-protocol';
import { serializeOutput } from '../src/protocol/xml-output';
import { capturingHandler } from './helpers/capturing-handler';

/** Wire details the generated round trip does not reach: what botocore sends, bad values, envelopes. */
const ec2 = (action: string) => ec2Protocol.operation(action)!;
const elb = (action: string) => elbProtocol.operation(action)!;
const form = (s: string) => new URLSearchParams(s);

function thrown(f: () => unknown): AwsError {
  try {
    f();
  } catch (e) {
    if (e instanceof AwsError) return e;
    throw e;
  }
  throw new Error('expected an AwsError');
}

describe('parsing query forms', () => {
  it('reads EC2 flattened lists in index order and query names, and refuses unknown keys', () => {
    const body =
      'Action=CreateTags&Version=2016-11-15&ResourceId.2=i-2&ResourceId.1=i-1&Tag.1.Key=k&Tag.1.Value=v+w';
    const input = parseQueryInput(ec2Protocol, ec2('CreateTags'), form(body));
    expect(input).toEqual({ Resources: ['i-1', 'i-2'], Tags: [{ Key: 'k', Value: 'v w' }] });
    expect(() => parseQueryInput(ec2Protocol, ec2('CreateTags'), form(`${body}&Bogus=1`))).toThrow(
      expect.objectContaining({ code: 'UnknownParameter', message: 'The parameter Bogus is not recognized' }),
    );
    expect(() => parseQueryInput(ec2Protocol, ec2('CreateTags'), form(`${body}&Tag.1.Kye=x`))).toThrow(
      expect.objectContaining({
        code: 'UnknownParameter',
        message: 'The parameter Tag.1.Kye is not recognized',
      }),
    );
  });

  it('reads what botocore sends for RunInstances (capitalised names, booleans, numbers)', () => {
    const input = parseQueryInput(
      ec2Protocol,
      ec2('RunInstances'),
      form(
        'Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1&MaxCount=2&SecurityGroupId.1=sg-1' +
          '&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web' +
          '&Placement.AvailabilityZone=us-east-1a&DisableApiTermination=true&UserData=aGk%3D',
      ),
    );
    expect(input).toEqual({
      ImageId: 'ami-1',
      MinCount: 1,
      MaxCount: 2,
      SecurityGroupIds: ['sg-1'],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
      Placement: { AvailabilityZone: 'us-east-1a' },
      DisableApiTermination: true,
      UserData: 'aGk=',
    });
  });

  it('reads AWS Query member lists, entry maps, and `Name=` as an empty list', () => {
    const input = parseQueryInput(
      elbProtocol,
      elb('CreateLoadBalancer'),
      form(
        'LoadBalancerName=web&Listeners.member.1.Protocol=HTTP&Listeners.member.1.LoadBalancerPort=80' +
          '&Listeners.member.1.InstancePort=8080&AvailabilityZones=',
      ),
    );
    expect(input).toEqual({
      LoadBalancerName: 'web',
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
      AvailabilityZones: [],
    });
  });

  it('names a missing required parameter by its wire name, also when nested', () => {
    const e = thrown(() => parseQueryInput(ec2Protocol, ec2('CreateTags'), form('Tag.1.Key=k')));
    expect([e.code, e.message, e.status]).toEqual([
      'MissingParameter',
      'The request must contain the parameter ResourceId',
      400,
    ]);
    const nested = thrown(() =>
      parseQueryInput(
        elbProtocol,
        elb('CreateLoadBalancer'),
        form('LoadBalancerName=a&Listeners.member.1.Protocol=HTTP'),
      ),
    );
    expect(nested.code).toBe('ValidationError');
    expect(nested.message).toContain("'listeners.member.1.LoadBalancerPort'");
  });

  it('rejects values that do not fit the member type', () => {
    const e = thrown(() =>
      parseQueryInput(ec2Protocol, ec2('RunInstances'), form('MinCount=one&MaxCount=1')),
    );
    expect([e.code, e.message]).toEqual(['InvalidParameterValue', "Invalid value 'one' for MinCount"]);
    const b = thrown(() => parseQueryInput(ec2Protocol, ec2('DescribeInstances'), form('DryRun=yes')));
    expect(b.code).toBe('InvalidParameterValue');
  });
});

describe('writing XML', () => {
  it('answers `<return>true</return>` for EC2 operations without an output shape', () => {
    const xml = serializeOutput(ec2Protocol, ec2('CreateTags'), undefined, 'rid');
    expect(xml).toContain(
      '<CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>rid</requestId>',
    );
    expect(xml).toContain('<return>true</return></CreateTagsResponse>');
  });

  it('wraps ELB results and request metadata', () => {
    const xml = serializeOutput(elbProtocol, elb('CreateLoadBalancer'), { DNSName: 'a&b' }, 'rid');
    expect(xml).toContain(
      '<CreateLoadBalancerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">' +
        '<CreateLoadBalancerResult><DNSName>a&amp;b</DNSName></CreateLoadBalancerResult>' +
        '<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></CreateLoadBalancerResponse>',
    );
  });

  it('keeps text the SDK reads back exactly: markup, CR, CDATA ends, unicode', async () => {
    const tricky = 'a<b>&c]]>\r\nd "e" \'f\' ✓';
    const { handler } = capturingHandler(() => ({
      body: serializeOutput(ec2Protocol, ec2('DescribeInstances'), { NextToken: tricky }, 'rid'),
    }));
    const client = new EC2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: handler,
    });
    expect((await client.send(new DescribeInstancesCommand({}))).NextToken).toBe(tricky);
  });

  it('writes each protocol’s error envelope', () => {
    const err = { code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-1' <x>", status: 400 };
    expect(serializeError(ec2Protocol, err, 'rid')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>' +
        "<Message>The instance ID 'i-1' &lt;x&gt;</Message></Error></Errors><RequestID>rid</RequestID></Response>",
    );
    expect(serializeError(elbProtocol, { code: 'InternalFailure', message: 'm', status: 500 }, 'rid')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">' +
        '<Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>m</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
    );
  });

  it('serializes 10,000 instances that the SDK reads back in full', { timeout: 120_000 }, async () => {
    const instances = Array.from({ length: 10_000 }, (_, i) => ({
      InstanceId: `i-${i.toString(16).padStart(17, '0')}`,
      State: { Code: 16, Name: 'running' as const },
      LaunchTime: new Date(Date.UTC(2026, 0, 1)),
      Tags: [{ Key: 'Name', Value: `web-${i}` }],
    }));
    const xml = serializeOutput(
      ec2Protocol,
      ec2('DescribeInstances'),
      { Reservations: [{ Instances: instances }] },
      'r',
    );
    const { handler } = capturingHandler(() => ({ body: xml }));
    const client = new EC2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: handler,
    });
    const out = await client.send(new DescribeInstancesCommand({}));
    expect(out.Reservations?.[0]?.Instances).toHaveLength(10_000);
    expect(out.Reservations?.[0]?.Instances?.[9_999]).toEqual(instances[9_999]);
  });
});
