import type { Page } from 'playwright-core';
import type { TraceInputStep } from './traceInput.ts';

/**
 * Plays a human trace into a page as real keyboard and mouse events, one step per call, looping.
 * The mouse looks by dragging (the demo runs with ?lock=0: headless Chromium grants no pointer
 * lock): the button goes down at the centre of the view, moves with the trace, and is let go and
 * put back at the centre before it leaves the canvas. A click throws a ball (the demo keeps at
 * most 12). `release()` lets go of everything.
 */
export class TraceDriver {
  private readonly page: Page;
  private readonly steps: readonly TraceInputStep[];
  private readonly held = new Set<string>();
  private readonly centre: { x: number; y: number };
  /** How far from the centre the pointer may go, CSS pixels (inside the square canvas). */
  private readonly reach: number;
  private x: number;
  private y: number;
  private dragging = false;
  private next = 0;

  constructor(page: Page, steps: readonly TraceInputStep[], viewport: { width: number; height: number }) {
    this.page = page;
    this.steps = steps;
    this.centre = { x: Math.round(viewport.width / 2), y: Math.round(viewport.height / 2) };
    this.reach = Math.floor(Math.min(viewport.width, viewport.height) * 0.35);
    this.x = this.centre.x;
    this.y = this.centre.y;
  }

  /** Steps played so far (the trace loops). */
  get played(): number {
    return this.next;
  }

  /** Play the next tick of the trace. */
  async step(): Promise<void> {
    const step = this.steps[this.next % this.steps.length]!;
    this.next++;
    const { keyboard, mouse } = this.page;
    for (const code of [...this.held]) {
      if (!step.keys.includes(code)) {
        this.held.delete(code);
        await keyboard.up(code);
      }
    }
    for (const code of step.keys) {
      if (!this.held.has(code)) {
        this.held.add(code);
        await keyboard.down(code);
      }
    }
    if (step.click) {
      if (this.dragging) await this.letGo();
      await mouse.click(this.x, this.y);
    }
    if (step.dx === 0 && step.dy === 0) return;
    let x = this.x + step.dx;
    let y = this.y + step.dy;
    if (Math.abs(x - this.centre.x) > this.reach || Math.abs(y - this.centre.y) > this.reach) {
      // Let go near the edge and take hold again at the centre: the view does not move meanwhile.
      if (this.dragging) await this.letGo();
      this.x = this.centre.x;
      this.y = this.centre.y;
      await mouse.move(this.x, this.y);
      x = this.x + step.dx;
      y = this.y + step.dy;
    }
    if (!this.dragging) {
      await mouse.move(this.x, this.y);
      await mouse.down();
      this.dragging = true;
    }
    await mouse.move(x, y);
    this.x = x;
    this.y = y;
  }

  /** Let go of every key and the mouse button. */
  async release(): Promise<void> {
    for (const code of this.held) await this.page.keyboard.up(code);
    this.held.clear();
    if (this.dragging) await this.letGo();
  }

  private async letGo(): Promise<void> {
    await this.page.mouse.up();
    this.dragging = false;
  }
}
