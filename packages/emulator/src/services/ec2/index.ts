import type { HandlerMap } from '../../core/types';

/** Every implemented EC2 action, keyed by its AWS action name. Each family file contributes its handlers. */
export const ec2Handlers: HandlerMap = {};
