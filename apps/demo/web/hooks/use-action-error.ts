import { useCallback } from 'react';
import { isForbidden } from '../aws-error';
import { useErrors } from './use-errors';
import { type Action, usePermissions } from './use-permissions';

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
