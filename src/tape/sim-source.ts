/** The simulator as a tape: its ticks as candidates, validated like any other feed. */
import type { Candidate } from '../ticks/candidate.ts';
import { createSimulator, type SimulatorConfig } from './simulator.ts';

/** Wraps `createSimulator` so its ticks enter through the same validation as files and feeds. */
export function simulatorTape(config: SimulatorConfig): Iterable<Candidate> {
  return {
    *[Symbol.iterator]() {
      let line = 0;
      for (const t of createSimulator(config)) yield { src: t.src ?? 'sim', line: ++line, value: t };
    },
  };
}
