import type { GroundTruthRenderer } from './groundtruth/GroundTruthRenderer.ts';
import type { ObservationRenderer } from './ObservationRenderer.ts';
import type { PolicySimulation } from './PolicySimulation.ts';

/**
 * Observations rendered by Three.js in headless Chromium: every view of a tick in one page
 * round trip, with the episode's physics objects drawn where they are. Closes the renderer only
 * when it owns it.
 */
export class GroundTruthObserver implements ObservationRenderer {
  readonly source = 'groundtruth' as const;
  readonly lastMs: Record<string, number> = { render: 0 };
  private readonly renderer: GroundTruthRenderer;
  private readonly ownsRenderer: boolean;

  constructor(renderer: GroundTruthRenderer, ownsRenderer: boolean) {
    this.renderer = renderer;
    this.ownsRenderer = ownsRenderer;
  }

  reset(sims: readonly PolicySimulation[]): Promise<Uint8Array[]> {
    return this.render(sims);
  }

  step(sims: readonly PolicySimulation[]): Promise<Uint8Array[]> {
    return this.render(sims);
  }

  private async render(sims: readonly PolicySimulation[]): Promise<Uint8Array[]> {
    const images = await this.renderer.render(sims.map((s) => ({ pose: s.pose, objects: s.objects })));
    this.lastMs.render = this.renderer.lastMs;
    return images;
  }

  async close(): Promise<void> {
    if (this.ownsRenderer) await this.renderer.close();
  }
}
