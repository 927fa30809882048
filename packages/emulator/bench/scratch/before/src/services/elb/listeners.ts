import type {
  CreateLoadBalancerListenersCommandInput,
  CreateLoadBalancerListenersCommandOutput,
  DeleteLoadBalancerListenersCommandInput,
  DeleteLoadBalancerListenersCommandOutput,
  Listener,
  SetLoadBalancerListenerSSLCertificateCommandInput,
  SetLoadBalancerListenerSSLCertificateCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing';
import type { Handler, HandlerMap, Out } from '../../core/types';
import {
  certificateNotFound,
  duplicateListener,
  invalidConfigurationRequest,
  listenerNotFound,
  unsupportedProtocol,
  validationError,
} from './errors';
import { findLoadBalancer, type ListenerState, type LoadBalancer } from './state';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html
const protocols = ['HTTP', 'HTTPS', 'TCP', 'SSL'] as const;
const isSecure = (p: string) => p === 'HTTPS' || p === 'SSL';
const layer = (p: string) => (p === 'HTTP' || p === 'HTTPS' ? 'application' : 'transport');

function protocol(value: string | undefined, member: string): string {
  if (!value) throw validationError(`${member} is required`);
  const p = value.toUpperCase();
  if (!(protocols as readonly string[]).includes(p)) throw unsupportedProtocol(value);
  return p;
}

// Ports a Classic load balancer may listen on: https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html
function isLoadBalancerPort(port: number): boolean {
  return [25, 80, 443, 465, 587].includes(port) || (port >= 1024 && port <= 65535);
}

/** Certificates live in IAM or ACM, which the emulator does not have: any IAM or ACM certificate ARN is accepted. */
export function checkCertificate(id: string): void {
  if (!/^arn:aws[a-z-]*:(iam|acm):[^:]*:\d{12}:(server-certificate|certificate)\/.+$/.test(id))
    throw certificateNotFound(id);
}

/** A listener from a request, validated and with AWS's defaults filled in. */
export function toListenerState(input: Listener): ListenerState {
  const Protocol = protocol(input.Protocol, 'Protocol');
  const InstanceProtocol = input.InstanceProtocol
    ? protocol(input.InstanceProtocol, 'InstanceProtocol')
    : Protocol;
  const { LoadBalancerPort, InstancePort } = input;
  if (
    LoadBalancerPort === undefined ||
    !Number.isInteger(LoadBalancerPort) ||
    !isLoadBalancerPort(LoadBalancerPort)
  )
    throw validationError(`LoadBalancerPort must be either 25, 80, 443, 465, 587, or 1024~65535 inclusive`);
  if (
    InstancePort === undefined ||
    !Number.isInteger(InstancePort) ||
    InstancePort < 1 ||
    InstancePort > 65535
  )
    throw validationError('InstancePort must be within 1~65535 inclusive');
  if (layer(Protocol) !== layer(InstanceProtocol))
    throw validationError(
      `Listener protocol '${Protocol}' and instance protocol '${InstanceProtocol}' are not compatible`,
    );
  let SSLCertificateId: string | undefined;
  if (isSecure(Protocol)) {
    if (!input.SSLCertificateId)
      throw validationError(`SSLCertificateId is required for the ${Protocol} protocol`);
    checkCertificate(input.SSLCertificateId);
    SSLCertificateId = input.SSLCertificateId;
  }
  return {
    listener: { Protocol, LoadBalancerPort, InstanceProtocol, InstancePort, SSLCertificateId },
    policyNames: [],
  };
}

const sameListener = (a: ListenerState, b: ListenerState) =>
  a.listener.Protocol === b.listener.Protocol &&
  a.listener.InstanceProtocol === b.listener.InstanceProtocol &&
  a.listener.InstancePort === b.listener.InstancePort &&
  a.listener.SSLCertificateId === b.listener.SSLCertificateId;

/**
 * Adds listeners; re-adding an identical one is a no-op, a different one on a taken port is DuplicateListener.
 * All are validated before any is added, so a failed call changes nothing.
 */
export function addListeners(lb: LoadBalancer, inputs: Listener[] | undefined): void {
  if (!inputs || inputs.length === 0) throw validationError('Listeners must contain at least one listener');
  const added = new Map<number, ListenerState>();
  for (const input of inputs) {
    const next = toListenerState(input);
    const port = next.listener.LoadBalancerPort;
    const existing = added.get(port) ?? lb.listeners.get(port);
    if (existing && !sameListener(existing, next)) throw duplicateListener(lb.name, port);
    if (!existing) added.set(port, next);
  }
  for (const [port, l] of added) lb.listeners.set(port, l);
}

const createLoadBalancerListeners: Handler<
  CreateLoadBalancerListenersCommandInput,
  Out<CreateLoadBalancerListenersCommandOutput>
> = (input, ctx) => {
  addListeners(findLoadBalancer(ctx, input.LoadBalancerName), input.Listeners);
  return {};
};

/** Deleting a port without a listener is not an error (AWS answers success). */
const deleteLoadBalancerListeners: Handler<
  DeleteLoadBalancerListenersCommandInput,
  Out<DeleteLoadBalancerListenersCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  for (const port of input.LoadBalancerPorts ?? []) lb.listeners.delete(port);
  return {};
};

const setLoadBalancerListenerSSLCertificate: Handler<
  SetLoadBalancerListenerSSLCertificateCommandInput,
  Out<SetLoadBalancerListenerSSLCertificateCommandOutput>
> = (input, ctx) => {
  const lb = findLoadBalancer(ctx, input.LoadBalancerName);
  const port = input.LoadBalancerPort ?? 0;
  const l = lb.listeners.get(port);
  if (!l) throw listenerNotFound(lb.name, port);
  if (!isSecure(l.listener.Protocol))
    throw invalidConfigurationRequest(
      `The listener on port ${port} uses ${l.listener.Protocol}; only HTTPS and SSL listeners have a certificate.`,
    );
  checkCertificate(input.SSLCertificateId ?? '');
  l.listener.SSLCertificateId = input.SSLCertificateId;
  return {};
};

export const listenerHandlers: HandlerMap = {
  CreateLoadBalancerListeners: createLoadBalancerListeners,
  DeleteLoadBalancerListeners: deleteLoadBalancerListeners,
  SetLoadBalancerListenerSSLCertificate: setLoadBalancerListenerSSLCertificate,
};
