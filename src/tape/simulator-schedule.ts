/**
 * The tick schedule of the simulator: market time runs 09:30-16:00 New York on weekdays, cut
 * into equal steps (one SPX print and one path step each); the ticks of a step are spread evenly
 * over it, in integer epoch microseconds, and none falls at or after the close.
 */
import { easternToMicros, isTradingDay, nextTradingDay, SESSION_CLOSE_S, SESSION_OPEN_S } from './simulator-calendar.ts';

/** Steps through the sessions. */
export class MarketClock {
  /** Current session's day number. */
  day: number;
  /** Step index within the session. */
  step = 0;
  /** Steps taken since the start (across sessions). */
  totalSteps = 0;
  /** Event time of the current step's start, epoch microseconds. */
  stepStart = 0;
  private openMicros = 0;
  private closeMicros = 0;
  readonly stepMicros: number;

  /**
   * @param startDay day of the first session (moved to the next trading day when needed)
   * @param startSeconds seconds after local midnight to start at (clamped into the session)
   * @param stepSeconds length of one step
   * @param ticksPerStep ticks emitted per step
   */
  constructor(startDay: number, startSeconds: number, stepSeconds: number, readonly ticksPerStep: number) {
    this.stepMicros = Math.round(stepSeconds * 1e6);
    if (!(this.stepMicros >= 1)) throw new RangeError(`stepSeconds: expected at least one microsecond, got ${stepSeconds}`);
    let day = startDay;
    let secs = Math.max(startSeconds, SESSION_OPEN_S);
    if (!isTradingDay(day) || secs >= SESSION_CLOSE_S) {
      day = nextTradingDay(secs >= SESSION_CLOSE_S ? day + 1 : day);
      secs = SESSION_OPEN_S;
    }
    this.day = day;
    this.openSession(day);
    this.step = Math.floor(((secs - SESSION_OPEN_S) * 1e6) / this.stepMicros);
    this.stepStart = this.openMicros + this.step * this.stepMicros;
  }

  private openSession(day: number): void {
    this.day = day;
    this.openMicros = easternToMicros(day, SESSION_OPEN_S);
    this.closeMicros = easternToMicros(day, SESSION_CLOSE_S);
    this.step = 0;
    this.stepStart = this.openMicros;
  }

  /** Event time of the i-th tick of the current step, or -1 when it would fall at or after the close. */
  tickTime(i: number): number {
    const t = this.stepStart + Math.floor((i * this.stepMicros) / this.ticksPerStep);
    return t < this.closeMicros ? t : -1;
  }

  /** Moves to the next step; returns true when that starts a new session. */
  advance(): boolean {
    this.totalSteps++;
    this.step++;
    this.stepStart = this.openMicros + this.step * this.stepMicros;
    if (this.stepStart < this.closeMicros) return false;
    this.openSession(nextTradingDay(this.day + 1));
    return true;
  }
}
