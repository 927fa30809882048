import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';

/** What the figures were measured on; they mean little without it. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started and ended: a busy machine reads slower. */
  loadAverage: { start: number; end?: number };
}

export function describeMachine(): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    loadAverage: { start: loadavg()[0] ?? 0 },
  };
}

export function currentLoad(): number {
  return loadavg()[0] ?? 0;
}
