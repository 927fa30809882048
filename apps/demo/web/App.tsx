import { useState } from 'react';
import { ErrorBanner } from './components/ErrorBanner';
import { EventLog } from './components/EventLog';
import { Header } from './components/Header';
import { InstancesPanel } from './components/InstancesPanel';
import { LoadBalancersPanel } from './components/LoadBalancersPanel';
import type { TagFilterValue } from './components/TagFilter';
import { WaiterPanel } from './components/WaiterPanel';
import { useInstanceStream } from './hooks/useInstanceStream';
import { usePermissions } from './hooks/usePermissions';

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
