/** What every procedure declares about itself; middleware (authorization, audit, metrics) reads it. */
export interface ProcedureMeta {
  service: 'ec2' | 'elb';
  /** The AWS operation name, e.g. 'RunInstances'. For a subscription or waiter, the operation it reads. */
  operation: string;
  kind: 'query' | 'mutation' | 'subscription';
}
