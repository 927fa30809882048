import type { LoadBalancerDescription } from './load-balancer-card';

export function ListenersTable({
  listeners,
}: {
  listeners: NonNullable<LoadBalancerDescription['ListenerDescriptions']>;
}) {
  return (
    <div className="sub">
      <h4>Listeners</h4>
      <ul className="plain">
        {listeners.map(({ Listener: l }) => (
          <li key={`${l?.Protocol}-${l?.LoadBalancerPort}`}>
            {l?.Protocol}:{l?.LoadBalancerPort} → {l?.InstanceProtocol}:{l?.InstancePort}
          </li>
        ))}
      </ul>
    </div>
  );
}
