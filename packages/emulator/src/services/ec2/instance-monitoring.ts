import type {
  InstanceMonitoring,
  ModifyInstanceMaintenanceOptionsCommandInput,
  ModifyInstanceMaintenanceOptionsCommandOutput,
  MonitorInstancesCommandInput,
  MonitorInstancesCommandOutput,
  UnmonitorInstancesCommandInput,
  UnmonitorInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { checkDryRun, incorrectInstanceState, invalidParameterValue, missingParameter } from './errors';
import { type InstanceRecord, onLaunch } from './instance-state';
import { resolveInstances } from './instances';

/**
 * Detailed CloudWatch monitoring (MonitorInstances, UnmonitorInstances, RunInstances' Monitoring) and
 * the maintenance options (simplified automatic recovery). The answers say `pending` / `disabling`
 * as AWS's do; DescribeInstances shows the new state at once.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_MonitorInstances.html
 */
onLaunch((_scope, launch) => {
  if (!launch.input.Monitoring?.Enabled) return undefined;
  return (rec) => {
    rec.monitoring = true;
  };
});

function monitorable(recs: readonly InstanceRecord[]) {
  for (const r of recs)
    if (r.state === 'terminated' || r.state === 'shutting-down')
      throw incorrectInstanceState(
        `The instance '${r.id}' is not in a state from which it can be monitored.`,
      );
}

const monitorInstances: Handler<MonitorInstancesCommandInput, Out<MonitorInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const recs = resolveInstances(ctx.region, input.InstanceIds, ctx.clock.now());
  monitorable(recs);
  checkDryRun(input);
  const InstanceMonitorings: InstanceMonitoring[] = recs.map((r) => {
    r.monitoring = true;
    return { InstanceId: r.id, Monitoring: { State: 'pending' } };
  });
  return { InstanceMonitorings };
};

const unmonitorInstances: Handler<UnmonitorInstancesCommandInput, Out<UnmonitorInstancesCommandOutput>> = (
  input,
  ctx,
) => {
  const recs = resolveInstances(ctx.region, input.InstanceIds, ctx.clock.now());
  monitorable(recs);
  checkDryRun(input);
  const InstanceMonitorings: InstanceMonitoring[] = recs.map((r) => {
    r.monitoring = false;
    return { InstanceId: r.id, Monitoring: { State: 'disabling' } };
  });
  return { InstanceMonitorings };
};

/** AutoRecovery `default` (recover on a system status check failure) or `disabled`. */
const modifyInstanceMaintenanceOptions: Handler<
  ModifyInstanceMaintenanceOptionsCommandInput,
  Out<ModifyInstanceMaintenanceOptionsCommandOutput>
> = (input, ctx) => {
  const [rec] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const v = input.AutoRecovery;
  if (v === undefined && input.RebootMigration === undefined) throw missingParameter('AutoRecovery');
  if (v !== undefined && v !== 'default' && v !== 'disabled')
    throw invalidParameterValue(`Value (${v}) for parameter autoRecovery is invalid.`);
  if (input.RebootMigration !== undefined)
    throw invalidParameterValue('RebootMigration is not supported for this instance type.');
  checkDryRun(input);
  rec!.autoRecovery = v;
  return { InstanceId: rec!.id, AutoRecovery: rec!.autoRecovery };
};

export const instanceMonitoringHandlers: HandlerMap = {
  MonitorInstances: monitorInstances,
  UnmonitorInstances: unmonitorInstances,
  ModifyInstanceMaintenanceOptions: modifyInstanceMaintenanceOptions,
};
