/** @aws-trpc/demo: the live dashboard (`pnpm demo`) and the scripted walkthrough (`pnpm demo:walkthrough`). */
export type { ClockDriver } from './clock-driver';
export { type DashboardServer, type DashboardServerOptions, startDashboardServer } from './dashboard-server';
export { type DemoStack, type DemoStackOptions, startDemoStack, type Upstream } from './stack';
export { runWalkthrough, type WalkthroughOptions, type WalkthroughResult } from './walkthrough';
