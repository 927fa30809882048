import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, someImageId, startStack, TRANSITION_MS } from './stack';

let stack: Stack;
let imageId: string;
beforeAll(async () => {
  stack = await startStack();
  imageId = await someImageId(stack);
});
afterAll(() => stack?.close());

/** Launches `count` instances tagged fleet=<fleet> and lets them reach running. */
async function launchFleet(fleet: string, count: number): Promise<string[]> {
  const instances = await stack.ec2.createInstances({
    ImageId: imageId,
    MinCount: count,
    MaxCount: count,
    TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'fleet', Value: fleet }] }],
  });
  stack.emu.clock.advance(TRANSITION_MS);
  return instances.map((i) => i.id).sort();
}

const byFleet = (fleet: string) => [{ Name: 'tag:fleet', Values: [fleet] }];
const describeCalls = () => stack.emu.control.requests.count({ action: 'DescribeInstances' });

describe('ec2.instances', () => {
  it('filter() by tag is an async iterable of Instance objects', async () => {
    const ids = await launchFleet('iterable', 3);
    await launchFleet('other', 2);
    const seen: string[] = [];
    for await (const instance of stack.ec2.instances.filter({ Filters: byFleet('iterable') })) {
      expect(instance.state?.Name).toBe('running');
      seen.push(instance.id);
    }
    expect(seen.sort()).toEqual(ids);
  });

  it('filter() by InstanceIds, and filters add up', async () => {
    const ids = await launchFleet('by-id', 3);
    const picked = await stack.ec2.instances.filter({ InstanceIds: [ids[0] ?? '', ids[2] ?? ''] }).all();
    expect(picked.map((i) => i.id).sort()).toEqual([ids[0], ids[2]]);
    const none = await stack.ec2.instances
      .filter({ Filters: byFleet('by-id') })
      .filter({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] })
      .all();
    expect(none).toEqual([]);
  });

  it('pageSize() pages through DescribeInstances; limit() stops early', async () => {
    const ids = await launchFleet('paged', 12);
    const before = describeCalls();
    const pages: number[] = [];
    for await (const page of stack.ec2.instances
      .filter({ Filters: byFleet('paged') })
      .pageSize(5)
      .pages()) {
      pages.push(page.length);
    }
    expect(pages).toEqual([5, 5, 2]);
    expect(describeCalls() - before).toBe(3);

    const limited = await stack.ec2.instances
      .filter({ Filters: byFleet('paged') })
      .pageSize(5)
      .limit(7)
      .all();
    expect(limited).toHaveLength(7);
    expect(new Set(limited.map((i) => i.id)).size).toBe(7);
    expect(limited.every((i) => ids.includes(i.id))).toBe(true);
  });

  it('collections are immutable: filter() returns a new one', async () => {
    await launchFleet('immutable', 2);
    const all = stack.ec2.instances;
    const narrowed = all.filter({ Filters: byFleet('immutable') });
    expect(narrowed).not.toBe(all);
    expect(await narrowed.all()).toHaveLength(2);
    expect((await all.all()).length).toBeGreaterThan(2);
  });

  it('batch actions: plan with dryRun, then stop, start, createTags and terminate', async () => {
    const ids = await launchFleet('batch', 3);
    const fleet = stack.ec2.instances.filter({ Filters: byFleet('batch') });

    const plan = await fleet.stop({ dryRun: true });
    expect(plan).toEqual({ dryRun: true, ids: expect.arrayContaining(ids), permitted: true });
    expect(plan.ids).toHaveLength(3);
    expect((await fleet.all()).map((i) => i.state?.Name)).toEqual(['running', 'running', 'running']);

    const stopped = await fleet.stop();
    expect(stopped.dryRun).toBe(false);
    expect(stopped.responses[0]?.StoppingInstances).toHaveLength(3);
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await fleet.all()).map((i) => i.state?.Name)).toEqual(['stopped', 'stopped', 'stopped']);

    await fleet.start();
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await fleet.all()).map((i) => i.state?.Name)).toEqual(['running', 'running', 'running']);

    await fleet.createTags([{ Key: 'owner', Value: 'ci' }]);
    const tagged = await stack.ec2.instances
      .filter({ Filters: [{ Name: 'tag:owner', Values: ['ci'] }] })
      .all();
    expect(tagged.map((i) => i.id).sort()).toEqual(ids);

    const terminated = await fleet.terminate();
    expect(terminated.ids.sort()).toEqual(ids);
    stack.emu.clock.advance(TRANSITION_MS);
    expect((await fleet.all()).map((i) => i.state?.Name)).toEqual(['terminated', 'terminated', 'terminated']);
  });

  it('a dry run the caller may not do answers permitted: false, and changes nothing', async () => {
    const ids = await launchFleet('forbidden', 2);
    // EC2 answers UnauthorizedOperation to a DryRun the caller's IAM policy does not allow.
    stack.emu.control.faults.fail(1, { action: 'StopInstances', code: 'UnauthorizedOperation', status: 403 });
    const plan = await stack.ec2.instances.filter({ Filters: byFleet('forbidden') }).stop({ dryRun: true });
    expect(plan).toEqual({ dryRun: true, ids: expect.arrayContaining(ids), permitted: false });
    const states = (await stack.ec2.instances.filter({ InstanceIds: ids }).all()).map((i) => i.state?.Name);
    expect(states).toEqual(['running', 'running']);
  });

  it('batch actions are chunked to 1000 ids per call', async () => {
    await launchFleet('big', 600);
    await launchFleet('big', 600);
    const before = stack.emu.control.requests.count({ action: 'CreateTags' });
    const result = await stack.ec2.instances
      .filter({ Filters: byFleet('big') })
      .createTags([{ Key: 'wave', Value: '1' }]);
    expect(result.ids).toHaveLength(1200);
    expect(result.responses).toHaveLength(2);
    expect(stack.emu.control.requests.count({ action: 'CreateTags' }) - before).toBe(2);
    const tagged = await stack.ec2.instances.filter({ Filters: [{ Name: 'tag:wave', Values: ['1'] }] }).all();
    expect(tagged).toHaveLength(1200);
  });

  it('a dry run on an empty collection sends nothing', async () => {
    const before = stack.emu.control.requests.count({ action: 'TerminateInstances' });
    const plan = await stack.ec2.instances.filter({ Filters: byFleet('nobody') }).terminate({ dryRun: true });
    expect(plan).toEqual({ dryRun: true, ids: [], permitted: true });
    expect(stack.emu.control.requests.count({ action: 'TerminateInstances' })).toBe(before);
  });
});

describe('Reservation', () => {
  it('runInstances returns a Reservation; stopAll, startAll and terminateAll act on its instances', async () => {
    const reservation = await stack.ec2.runInstances({ ImageId: imageId, MinCount: 2, MaxCount: 2 });
    expect(reservation.id).toMatch(/^r-[0-9a-f]+$/);
    expect(reservation.instances).toHaveLength(2);
    stack.emu.clock.advance(TRANSITION_MS);

    const plan = await reservation.terminateAll({ dryRun: true });
    expect(plan.permitted).toBe(true);
    expect(plan.ids).toEqual(reservation.instanceIds);

    await reservation.stopAll();
    stack.emu.clock.advance(TRANSITION_MS);
    await reservation.load();
    expect(reservation.instances.map((i) => i.state?.Name)).toEqual(['stopped', 'stopped']);

    await reservation.startAll();
    stack.emu.clock.advance(TRANSITION_MS);
    await reservation.load();
    expect(reservation.instances.map((i) => i.state?.Name)).toEqual(['running', 'running']);

    await reservation.terminateAll();
    stack.emu.clock.advance(TRANSITION_MS);
    await reservation.load();
    expect(reservation.instances.map((i) => i.state?.Name)).toEqual(['terminated', 'terminated']);
  });
});
