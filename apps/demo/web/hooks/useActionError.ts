import { useCallback } from 'react';
import { isForbidden } from '../awsError';
import { useErrors } from './useErrors';
import { type Action, usePermissions } from './usePermissions';

/** An onError for a mutation: shows the error, and hides the action's buttons if it was FORBIDDEN. */
export function useActionError(): (action: Action) => (error: unknown) => void {
  const { report } = useErrors();
  const { deny } = usePermissions();
  return useCallback(
    (action: Action) => (error: unknown) => {
      report(error, action);
      if (isForbidden(error)) deny(action);
    },
    [report, deny],
  );
}
