import { partition } from '@aws-sdk/core/client';
import { isRegionName } from './config';

/**
 * A region of the SDK's partition data (the installed @aws-sdk/core's endpoint partitions, where only
 * listed regions carry a description), spelled as AWS spells it: lower case, and a real region rather
 * than a pseudo-region such as `aws-global`. The SDK clients the gateway creates are bounded by it.
 */
export function isKnownRegion(value: string): boolean {
  return isRegionName(value) && (partition(value) as { description?: string }).description !== undefined;
}
