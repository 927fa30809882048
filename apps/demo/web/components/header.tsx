import type { InstanceStream } from '../hooks/use-instance-stream';

export function Header({ status, error }: { status: InstanceStream['status']; error: string | undefined }) {
  return (
    <header className="header">
      <h1>aws-trpc</h1>
      <span className="subtitle">EC2 + Classic ELB, live</span>
      <span className={`stream-status ${status}`} data-testid="stream-status" title={error}>
        {status === 'live'
          ? '● live'
          : status === 'offline'
            ? '○ gateway unreachable, reconnecting…'
            : status}
      </span>
    </header>
  );
}
