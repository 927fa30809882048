import { memberNames } from '@aws-trpc/shared/sdk';

/**
 * A resource's typed attributes: the SDK shape's members, first letter lowered the way the SDK names
 * its client methods (`LaunchTime` → `launchTime`). Members that clash with a method are left out.
 */
export type Attributes<T, TMethods extends string = never> = {
  readonly [K in keyof T & string as Exclude<Uncapitalize<K>, TMethods>]: T[K];
};

/**
 * Defines one getter per member of the SDK's structure schema (e.g. `Instance$`) on `target`'s
 * prototype, reading `this.data`. The member list comes from the installed SDK, never from a copy.
 */
export function defineAttributes(target: { prototype: object }, schema: unknown): void {
  for (const member of memberNames(schema)) {
    const name = member.charAt(0).toLowerCase() + member.slice(1);
    if (name in target.prototype) continue;
    Object.defineProperty(target.prototype, name, {
      get(this: { data: Record<string, unknown> }) {
        return this.data[member];
      },
      enumerable: false,
      configurable: true,
    });
  }
}
