import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { type ShownError, shownError } from '../aws-error';

export interface ListedError extends ShownError {
  id: number;
}

interface Errors {
  errors: ListedError[];
  report(error: unknown, where?: string): void;
  dismiss(id: number): void;
}

const ErrorsContext = createContext<Errors | null>(null);

/** The failed calls the banner shows, newest first (at most 5). */
export function ErrorsProvider({ children }: { children: ReactNode }) {
  const [errors, setErrors] = useState<ListedError[]>([]);
  const nextId = useRef(1);
  const report = useCallback((error: unknown, where?: string) => {
    const id = nextId.current++;
    setErrors((list) => [{ ...shownError(error, where), id }, ...list].slice(0, 5));
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);
  const value = useMemo(() => ({ errors, report, dismiss }), [errors, report, dismiss]);
  return <ErrorsContext.Provider value={value}>{children}</ErrorsContext.Provider>;
}

export function useErrors(): Errors {
  const value = useContext(ErrorsContext);
  if (!value) throw new Error('useErrors outside ErrorsProvider');
  return value;
}
