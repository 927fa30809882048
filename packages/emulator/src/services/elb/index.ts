import type { HandlerMap } from '../../core/types';

/** Every implemented Classic ELB action, keyed by its AWS action name. */
export const elbHandlers: HandlerMap = {};
