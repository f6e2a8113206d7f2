import type { SurfaceView } from './surface-types.ts';

/** What the panels drawn from the latest surface share: the surface they hold and their redraw flag. */
export abstract class SurfacePanel {
  protected surface: SurfaceView | undefined;
  protected dirty = true;

  /** Shows surface `s` at the next frame. */
  set(s: SurfaceView): void {
    this.surface = s;
    this.dirty = true;
  }

  /** Forgets what was shown (the engine restarted). */
  reset(): void {
    this.surface = undefined;
    this.dirty = true;
  }
}
