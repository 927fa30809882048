import { AwsError } from '../../core/errors';

/**
 * Classic ELB's error codes, each as the wire code the SDK maps to its exception class (the
 * `awsQueryError` trait in the SDK's schemas), with AWS's own messages.
 * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/CommonErrors.html
 */
export const loadBalancerNotFound = (name: string) =>
  new AwsError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);

export const duplicateLoadBalancerName = (name: string) =>
  new AwsError(
    'DuplicateLoadBalancerName',
    `Load Balancer named '${name}' already exists and it is configured with different parameters.`,
  );

export const tooManyLoadBalancers = (max: number) =>
  new AwsError('TooManyLoadBalancers', `Exceeded quota of account: classic-load-balancers (${max})`);

export const validationError = (message: string) => new AwsError('ValidationError', message);

export const invalidConfigurationRequest = (message: string) =>
  new AwsError('InvalidConfigurationRequest', message, 409);

export const invalidInstance = (message: string) => new AwsError('InvalidInstance', message);

export const invalidScheme = (scheme: string) =>
  new AwsError(
    'InvalidScheme',
    `Invalid scheme '${scheme}': internal load balancers must be created in a VPC.`,
  );

export const listenerNotFound = (name: string, port: number) =>
  new AwsError('ListenerNotFound', `There is no listener on port ${port} for load balancer '${name}'.`);

export const duplicateListener = (name: string, port: number) =>
  new AwsError(
    'DuplicateListener',
    `A listener already exists for ${name} with LoadBalancerPort ${port}, but with a different InstancePort, Protocol, or SSLCertificateId`,
  );

export const unsupportedProtocol = (protocol: string) =>
  new AwsError(
    'UnsupportedProtocol',
    `Protocol '${protocol}' is not supported. Valid protocols: HTTP, HTTPS, TCP, SSL.`,
  );

export const certificateNotFound = (id: string) =>
  new AwsError(
    'CertificateNotFound',
    `Server Certificate not found for the key: ${id}. The specified ARN does not refer to a valid SSL certificate in AWS Identity and Access Management (IAM) or AWS Certificate Manager (ACM).`,
  );

export const policyNotFound = (names: string[]) =>
  new AwsError('PolicyNotFound', `There is no policy with name ${names.join(', ')} for load balancer.`);

export const duplicatePolicyName = () =>
  new AwsError(
    'DuplicatePolicyName',
    'Policy with the same name exists for this LoadBalancer. Please choose another name.',
  );

export const policyTypeNotFound = (names: string[]) =>
  new AwsError(
    'PolicyTypeNotFound',
    `One or more of the specified policy types do not exist: ${names.join(', ')}`,
  );

export const tooManyTags = (name: string, max: number) =>
  new AwsError('TooManyTags', `Load balancer ${name} would have more than ${max} tags.`);

export const duplicateTagKeys = (key: string) =>
  new AwsError('DuplicateTagKeys', `Tag key '${key}' was specified more than once.`);

export const subnetNotFound = (ids: string[]) =>
  new AwsError('SubnetNotFound', `One or more subnets were not found: ${ids.join(', ')}`);

export const invalidSubnet = (message: string) => new AwsError('InvalidSubnet', message);

export const invalidSecurityGroup = (ids: string[]) =>
  new AwsError('InvalidSecurityGroup', `One or more security groups are invalid: ${ids.join(', ')}`);

export const loadBalancerAttributeNotFound = (key: string) =>
  new AwsError(
    'LoadBalancerAttributeNotFound',
    `The specified load balancer attribute does not exist: ${key}`,
  );
