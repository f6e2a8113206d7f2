/**
 * The logger both buses write to: the subset of pino's API they use, so a pino logger (or a
 * child of one) can be passed as is. The default drops everything.
 */
export interface BusLog {
  error(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  debug(obj: Record<string, unknown>, msg: string): void;
}

const ignore = (): void => {};

/** A logger that drops every record. */
export const silentLog: BusLog = { error: ignore, warn: ignore, info: ignore, debug: ignore };
