import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ErrorsProvider } from './hooks/use-errors';
import { PermissionsProvider } from './hooks/use-permissions';
import { WaitersProvider } from './hooks/use-waiters';
import './styles.css';
import { createDashboardClient, TRPCProvider } from './trpc';

function Root() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }),
  );
  const [trpcClient] = useState(() =>
    createDashboardClient(new URLSearchParams(window.location.search).get('token') ?? undefined),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ErrorsProvider>
          <PermissionsProvider>
            <WaitersProvider>
              <App />
            </WaitersProvider>
          </PermissionsProvider>
        </ErrorsProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
