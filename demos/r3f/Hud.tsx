// A small HUD: the world's latest stats, read with useNextframeStats inside the <Canvas> and
// shown by the page's DOM (a hook inside the Canvas cannot render DOM, so StatsOut hands it out).
import { useEffect, type ReactNode } from 'react';
import type { StatsEvent } from '../../engine/runtime/index.ts';
import { useNextframeStats } from '../../engine/runtime/r3f/index.ts';

/** Inside <NextframeWorld>: hands each new stats event to `onStats`. */
export function StatsOut({ onStats }: { onStats: (stats: StatsEvent) => void }): null {
  const stats = useNextframeStats();
  useEffect(() => {
    if (stats) onStats(stats);
  }, [stats, onStats]);
  return null;
}

/** The page's HUD (DOM, outside the Canvas). */
export function Hud({ stats }: { stats: StatsEvent | null }): ReactNode {
  if (!stats) return <div id="hud">loading the world model…</div>;
  const memory = stats.memoryState === 'none' ? 'memory –' : stats.memoryState === 'off' ? 'memory off' : stats.memoryCoverage === null ? 'memory on' : `memory ${Math.round(stats.memoryCoverage * 100)} %`;
  return (
    <div id="hud">
      <span id="hud-fps" title="display frame rate">{stats.displayFps.toFixed(0)} fps</span>
      <span id="hud-model" title="time the world model takes per frame">{stats.modelMs.toFixed(1)} ms/frame</span>
      <span id="hud-world" title="world frames per second (the model's tick rate when it keeps up)">world {stats.worldFps.toFixed(0)}/s</span>
      <span id="hud-backend" title="where the model runs">{stats.backend.toUpperCase()}</span>
      <span id="hud-memory" title="spatial memory: share of the view it covered for the last frame">{memory}</span>
    </div>
  );
}
