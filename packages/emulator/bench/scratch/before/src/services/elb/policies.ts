import type {
  CreateAppCookieStickinessPolicyCommandInput,
  CreateAppCookieStickinessPolicyCommandOutput,
  CreateLBCookieStickinessPolicyCommandInput,
  CreateLBCookieStickinessPolicyCommandOutput,
  CreateLoadBalancerPolicyCommandInput,
  CreateLoadBalancerPolicyCommandOutput,
  DeleteLoadBalancerPolicyCommandInput,
  DeleteLoadBalancerPolicyCommandOutput,
  DescribeLoadBalancerPoliciesCommandInput,
  DescribeLoadBalancerPoliciesCommandOutput,
  DescribeLoadBalancerPolicyTypesCommandInput,
  DescribeLoadBalancerPolicyTypesCommandOutput,
  Policies,
  PolicyAttributeDescription,
  PolicyDescription,
  SetLoadBalancerPoliciesForBackendServerCommandInput,
  SetLoadBalancerPoliciesForBackendServerCommandOutput,
  SetLoadBalancerPoliciesOfListenerCommandInput,
  SetLoadBalancerPoliciesOfListenerCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  duplicatePolicyName,
  invalidConfigurationRequest,
  listenerNotFound,
  policyNotFound,
  policyTypeNotFound,
  validationError,
} from './errors';
import { policyPlacement, policyTypes, predefinedPolicies } from './policy-types';
import { findLoadBalancer, type LoadBalancer, type PolicyState } from './state';

const appCookieType = 'AppCookieStickinessPolicyType';
const lbCookieType = 'LBCookieStickinessPolicyType';

function addPolicy(
  lb: LoadBalancer,
  name: string | undefined,
  typeName: string,
  attributes: PolicyAttributeDescription[],
) {
  if (!name) throw validationError('PolicyName is required');
  if (!/^[A-Za-z0-9-]{1,255}$/.test(name))
    throw validationError(`PolicyName '${name}' must contain only alphanumeric characters and hyphens`);
  if (lb.policies.has(name)) throw duplicatePolicyName();
  lb.policies.set(name, { name, typeName, attributes });
}

/** The policies of the load balancer named in a request, each known or PolicyNotFound. */
function policiesNamed(lb: LoadBalancer, names: string[]): PolicyState[] {
  const missing = names.filter((n) => !lb.policies.has(n));
  if (missing.length) throw policyNotFound(missing);
  return names.map((n) => lb.policies.get(n) as PolicyState);
}

/** The `Policies` member of a LoadBalancerDescription. */
export function describePolicies(lb: LoadBalancer): Policies {
  const all = [...lb.policies.values()];
  const attr = (p: PolicyState, name: string) =>
    p.attributes.find((a) => a.AttributeName === name)?.AttributeValue;
  return {
    AppCookieStickinessPolicies: all
      .filter((p) => p.typeName === appCookieType)
      .map((p) => ({ PolicyName: p.name, CookieName: attr(p, 'CookieName') })),
    LBCookieStickinessPolicies: all
      .filter((p) => p.typeName === lbCookieType)
      .map((p) => {
        const period = attr(p, 'CookieExpirationPeriod');
        return {
          PolicyName: p.name,
          ...(period === undefined ? {} : { CookieExpirationPeriod: Number(period) }),
        };
      }),
    OtherPolicies: all
      .filter((p) => p.typeName !== appCookieType && p.typeName !== lbCookieType)
      .map((p) => p.name),
  };
}

const createAppCookieStickinessPolicy: Handler<
  CreateAppCookieStickinessPolicyCommandInput,
  Out<CreateAppCookieStickinessPolicyCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  if (!input.CookieName) throw validationError('CookieName is required');
  addPolicy(lb, input.PolicyName, appCookieType, [
    { AttributeName: 'CookieName', AttributeValue: input.CookieName },
  ]);
  return {};
};

const createLBCookieStickinessPolicy: Handler<
  CreateLBCookieStickinessPolicyCommandInput,
  Out<CreateLBCookieStickinessPolicyCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const period = input.CookieExpirationPeriod;
  if (period !== undefined && (!Number.isInteger(period) || period < 0))
    throw validationError('CookieExpirationPeriod must be a non-negative number of seconds');
  // Without a period the cookie lasts for the browser session, and AWS stores no attribute.
  const attributes =
    period === undefined ? [] : [{ AttributeName: 'CookieExpirationPeriod', AttributeValue: String(period) }];
  addPolicy(lb, input.PolicyName, lbCookieType, attributes);
  return {};
};

const createLoadBalancerPolicy: Handler<
  CreateLoadBalancerPolicyCommandInput,
  Out<CreateLoadBalancerPolicyCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const typeName = input.PolicyTypeName ?? '';
  const type = policyTypes.find((t) => t.PolicyTypeName === typeName);
  if (!type) throw policyTypeNotFound([typeName]);
  const given = (input.PolicyAttributes ?? []).map((a) => ({
    AttributeName: a.AttributeName,
    AttributeValue: a.AttributeValue,
  }));
  const known = new Map((type.PolicyAttributeTypeDescriptions ?? []).map((d) => [d.AttributeName, d]));
  for (const a of given)
    if (!known.has(a.AttributeName))
      throw invalidConfigurationRequest(
        `Attribute '${a.AttributeName}' is not valid for policy type ${typeName}`,
      );
  for (const d of known.values()) {
    const count = given.filter((a) => a.AttributeName === d.AttributeName).length;
    if ((d.Cardinality === 'ONE' || d.Cardinality === 'ONE_OR_MORE') && count === 0)
      throw invalidConfigurationRequest(
        `Policy type ${typeName} requires the attribute '${d.AttributeName}'`,
      );
    if ((d.Cardinality === 'ONE' || d.Cardinality === 'ZERO_OR_ONE') && count > 1)
      throw invalidConfigurationRequest(`Attribute '${d.AttributeName}' may be given at most once`);
  }
  let attributes: PolicyAttributeDescription[] = given;
  const reference = given.find((a) => a.AttributeName === 'Reference-Security-Policy')?.AttributeValue;
  if (reference !== undefined) {
    // A policy that references a predefined security policy takes that policy's protocols and ciphers.
    const referenced = predefinedPolicies.get(reference);
    if (!referenced) throw policyNotFound([reference]);
    attributes = [{ AttributeName: 'Reference-Security-Policy', AttributeValue: reference }, ...referenced];
  }
  const keys = given
    .filter((a) => a.AttributeName === 'PublicKeyPolicyName')
    .map((a) => a.AttributeValue ?? '');
  for (const p of policiesNamed(lb, keys))
    if (p.typeName !== 'PublicKeyPolicyType')
      throw invalidConfigurationRequest(`Policy '${p.name}' is not a PublicKeyPolicyType policy`);
  addPolicy(lb, input.PolicyName, typeName, attributes);
  return {};
};

const deleteLoadBalancerPolicy: Handler<
  DeleteLoadBalancerPolicyCommandInput,
  Out<DeleteLoadBalancerPolicyCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const name = input.PolicyName ?? '';
  const inUse =
    [...lb.listeners.values()].some((l) => l.policyNames.includes(name)) ||
    [...lb.backendPolicies.values()].some((names) => names.includes(name));
  // https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_DeleteLoadBalancerPolicy.html
  if (inUse)
    throw invalidConfigurationRequest(
      `Cannot delete policy ${name}: it is enabled on a listener or back-end server`,
    );
  lb.policies.delete(name);
  return {};
};

function describe(
  name: string,
  typeName: string,
  attributes: PolicyAttributeDescription[],
): PolicyDescription {
  return {
    PolicyName: name,
    PolicyTypeName: typeName,
    PolicyAttributeDescriptions: attributes.map((a) => ({ ...a })),
  };
}

/** Without a load balancer name AWS describes its predefined (sample) policies. */
const describeLoadBalancerPolicies: Handler<
  DescribeLoadBalancerPoliciesCommandInput,
  Out<DescribeLoadBalancerPoliciesCommandOutput>
> = (input, ctx) => {
  const names = input.PolicyNames ?? [];
  if (input.LoadBalancerName === undefined) {
    const missing = names.filter((n) => !predefinedPolicies.has(n));
    if (missing.length) throw policyNotFound(missing);
    const chosen = names.length ? names : [...predefinedPolicies.keys()];
    return {
      PolicyDescriptions: chosen.map((n) =>
        describe(n, 'SSLNegotiationPolicyType', predefinedPolicies.get(n) ?? []),
      ),
    };
  }
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const chosen = names.length ? policiesNamed(lb, names) : [...lb.policies.values()];
  return { PolicyDescriptions: chosen.map((p) => describe(p.name, p.typeName, p.attributes)) };
};

const describeLoadBalancerPolicyTypes: Handler<
  DescribeLoadBalancerPolicyTypesCommandInput,
  Out<DescribeLoadBalancerPolicyTypesCommandOutput>
> = (input) => {
  const names = input.PolicyTypeNames ?? [];
  const missing = names.filter((n) => !policyTypes.some((t) => t.PolicyTypeName === n));
  if (missing.length) throw policyTypeNotFound(missing);
  return {
    PolicyTypeDescriptions: policyTypes.filter(
      (t) => !names.length || names.includes(t.PolicyTypeName ?? ''),
    ),
  };
};

/** Each policy type may appear once on a listener or back-end port. */
function checkOnePerType(policies: PolicyState[]): void {
  const types = new Set<string>();
  for (const p of policies) {
    if (types.has(p.typeName))
      throw invalidConfigurationRequest(`Only one policy of type ${p.typeName} may be set at a time`);
    types.add(p.typeName);
  }
}

const setLoadBalancerPoliciesOfListener: Handler<
  SetLoadBalancerPoliciesOfListenerCommandInput,
  Out<SetLoadBalancerPoliciesOfListenerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const port = input.LoadBalancerPort ?? 0;
  const listener = lb.listeners.get(port);
  if (!listener) throw listenerNotFound(lb.name, port);
  const policies = policiesNamed(lb, input.PolicyNames ?? []);
  for (const p of policies) {
    const allowed = policyPlacement[p.typeName]?.listenerProtocols ?? [];
    if (!allowed.includes(listener.listener.Protocol))
      throw invalidConfigurationRequest(
        `Policy '${p.name}' of type ${p.typeName} cannot be set on a ${listener.listener.Protocol} listener`,
      );
  }
  checkOnePerType(policies);
  listener.policyNames = policies.map((p) => p.name);
  return {};
};

const setLoadBalancerPoliciesForBackendServer: Handler<
  SetLoadBalancerPoliciesForBackendServerCommandInput,
  Out<SetLoadBalancerPoliciesForBackendServerCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const port = input.InstancePort;
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    throw validationError('InstancePort must be within 1~65535 inclusive');
  const policies = policiesNamed(lb, input.PolicyNames ?? []);
  for (const p of policies)
    if (!policyPlacement[p.typeName]?.backend)
      throw invalidConfigurationRequest(
        `Policy '${p.name}' of type ${p.typeName} cannot be set on a back-end server`,
      );
  checkOnePerType(policies);
  if (policies.length)
    lb.backendPolicies.set(
      port,
      policies.map((p) => p.name),
    );
  else lb.backendPolicies.delete(port);
  return {};
};

export const policyHandlers: HandlerMap = {
  CreateAppCookieStickinessPolicy: createAppCookieStickinessPolicy,
  CreateLBCookieStickinessPolicy: createLBCookieStickinessPolicy,
  CreateLoadBalancerPolicy: createLoadBalancerPolicy,
  DeleteLoadBalancerPolicy: deleteLoadBalancerPolicy,
  DescribeLoadBalancerPolicies: describeLoadBalancerPolicies,
  DescribeLoadBalancerPolicyTypes: describeLoadBalancerPolicyTypes,
  SetLoadBalancerPoliciesOfListener: setLoadBalancerPoliciesOfListener,
  SetLoadBalancerPoliciesForBackendServer: setLoadBalancerPoliciesForBackendServer,
};
