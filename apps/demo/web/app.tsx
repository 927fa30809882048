import { useState } from 'react';
import { ErrorBanner } from './components/error-banner';
import { EventLog } from './components/event-log';
import { Header } from './components/header';
import { InstancesPanel } from './components/instances-panel';
import { LoadBalancersPanel } from './components/load-balancers-panel';
import type { TagFilterValue } from './components/tag-filter';
import { WaiterPanel } from './components/waiter-panel';
import { useInstanceStream } from './hooks/use-instance-stream';
import { usePermissions } from './hooks/use-permissions';

export function App() {
  const [tagFilter, setTagFilter] = useState<TagFilterValue | undefined>();
  const filters = tagFilter ? [{ Name: `tag:${tagFilter.key}`, Values: [tagFilter.value] }] : [];
  const stream = useInstanceStream(filters);
  const { ready } = usePermissions();
  return (
    <div className="app" data-permissions={ready ? 'ready' : 'probing'}>
      <Header status={stream.status} error={stream.error} />
      <ErrorBanner />
      <WaiterPanel />
      <main className="grid">
        <InstancesPanel stream={stream} tagFilter={tagFilter} onTagFilter={setTagFilter} />
        <LoadBalancersPanel stream={stream} />
        <EventLog events={stream.events} />
      </main>
    </div>
  );
}
