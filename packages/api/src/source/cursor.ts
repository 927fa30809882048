/**
 * A resume cursor: `<epoch>.<seq>`. The epoch names one life of a state source, so a cursor from a
 * source that has since been torn down is recognised and answered with a resync, never misread.
 */
export interface Cursor {
  epoch: string;
  seq: number;
}

export function formatCursor(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

export function parseCursor(id: string | null | undefined): Cursor | undefined {
  if (!id) return undefined;
  const dot = id.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const seq = Number(id.slice(dot + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { epoch: id.slice(0, dot), seq };
}

let epochs = 0;

/** A new epoch, unique within this process and unlikely to repeat across restarts. */
export function newEpoch(now: number): string {
  epochs++;
  return `${now.toString(36)}${epochs.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}
