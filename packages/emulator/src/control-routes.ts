import type { Control, FaultTarget } from './control';
import { eventsRoute } from './control-events';
import type { ServiceName } from './core/types';
import { protocols } from './protocol/service-protocol';

interface ControlAnswer {
  status: number;
  body: unknown;
}

class BadControlInput extends Error {}

/** The HTTP face of `Control`, under /_emulator/. Bad input answers 400 naming the problem. */
export async function controlRoute(
  control: Control,
  method: string,
  path: string,
  text: string,
): Promise<ControlAnswer> {
  try {
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /coverage':
        return ok(control.coverage());
      case 'GET /requests':
        return ok(control.requests.snapshot());
      case 'DELETE /requests':
        control.requests.clear();
        return ok(control.requests.snapshot());
      case 'GET /clock':
        return ok(clockJson(control));
      case 'POST /clock/advance': {
        const { ms } = jsonObject(text);
        if (typeof ms !== 'number') throw new BadControlInput('body needs {"ms": <non-negative number>}');
        if (control.clock.kind !== 'virtual')
          throw new BadControlInput('the clock is real; start with --clock virtual');
        control.clock.advance(ms);
        return ok(clockJson(control));
      }
      case 'GET /delays':
        return ok(control.delays.get());
      case 'POST /delays':
        return ok(control.delays.set(jsonObject(text) as never));
      case 'POST /reset':
        control.reset();
        return ok({ reset: true });
      case 'GET /faults':
        return ok(faultsJson(control));
      case 'POST /faults':
        addFault(control, jsonObject(text));
        return ok(faultsJson(control));
      case 'DELETE /faults':
        control.faults.clear();
        return ok(faultsJson(control));
      default:
        return (
          eventsRoute(control.events, control.sqs, route, () => jsonObject(text)) ?? {
            status: 404,
            body: { error: `no control route ${route}`, routes: controlRoutes },
          }
        );
    }
  } catch (error) {
    if (error instanceof BadControlInput || error instanceof RangeError) {
      return { status: 400, body: { error: error.message } };
    }
    throw error;
  }
}

const controlRoutes = [
  'GET /_emulator/coverage',
  'GET /_emulator/requests',
  'DELETE /_emulator/requests',
  'GET /_emulator/clock',
  'POST /_emulator/clock/advance {"ms": 5000}',
  'GET /_emulator/delays',
  'POST /_emulator/delays {"pending": 1000}',
  'POST /_emulator/reset',
  'GET /_emulator/faults',
  'POST /_emulator/faults {"kind": "throttle"|"fail"|"insufficientCapacity"|"latency", …}',
  'DELETE /_emulator/faults',
  'GET /_emulator/events',
  'POST /_emulator/events/faults {"kind": "duplicate"|"reorder"|"delay", "count": 1, "ms"?: 2000}',
  'DELETE /_emulator/events/faults',
  'POST /_emulator/events/release',
  'GET /_emulator/sqs',
];

function ok(body: unknown): ControlAnswer {
  return { status: 200, body };
}

function clockJson(control: Control) {
  const now = control.clock.now();
  return { kind: control.clock.kind, now, iso: new Date(now).toISOString() };
}

/** The active rules; JSON drops each rule's error factory. */
function faultsJson(control: Control) {
  return control.faults.list();
}

function jsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text || '{}');
  } catch {
    throw new BadControlInput('body is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BadControlInput('body must be a JSON object');
  return value as Record<string, unknown>;
}

function targetOf(body: Record<string, unknown>): FaultTarget {
  const { service, action } = body;
  if (service !== undefined && !(typeof service === 'string' && Object.hasOwn(protocols, service))) {
    throw new BadControlInput(`"service" must be one of ${Object.keys(protocols).join(', ')}`);
  }
  const isActions = Array.isArray(action) && action.every((a) => typeof a === 'string');
  if (action !== undefined && typeof action !== 'string' && !isActions) {
    throw new BadControlInput('"action" must be an action name or a list of them');
  }
  return { service: service as ServiceName | undefined, action: action as string | string[] | undefined };
}

function addFault(control: Control, body: Record<string, unknown>): void {
  const target = targetOf(body);
  const n = body.count ?? 1;
  if (typeof n !== 'number') throw new BadControlInput('"count" must be a number');
  switch (body.kind) {
    case 'throttle':
      control.faults.throttle(n, target);
      return;
    case 'insufficientCapacity':
      control.faults.insufficientCapacity(n, target);
      return;
    case 'fail': {
      const { code, status, message } = body;
      if (typeof code !== 'string') throw new BadControlInput('"fail" needs "code": the AWS error code');
      if (typeof status !== 'number') throw new BadControlInput('"fail" needs "status": an HTTP status');
      if (message !== undefined && typeof message !== 'string')
        throw new BadControlInput('"message" must be text');
      control.faults.fail(n, { ...target, code, status, message });
      return;
    }
    case 'latency': {
      if (typeof body.ms !== 'number') throw new BadControlInput('"latency" needs "ms"');
      control.faults.latency(body.ms, target);
      return;
    }
    default:
      throw new BadControlInput('"kind" must be one of throttle, fail, insufficientCapacity, latency');
  }
}
