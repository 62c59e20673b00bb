import { useCallback, useSyncExternalStore } from 'react';
import type { StatsEvent } from '../index.ts';
import { useNextframe } from './NextframeContext.ts';

/**
 * The latest `stats` event of the world (display and world frame rates, model milliseconds,
 * memory coverage…), null until the first (about half a second after the world starts). The
 * component re-renders with each new event, about twice a second.
 */
export function useNextframeStats(): StatsEvent | null {
  const { plugin } = useNextframe();
  const subscribe = useCallback((notify: () => void) => plugin.on('stats', notify), [plugin]);
  return useSyncExternalStore(
    subscribe,
    () => plugin.latestStats,
    () => null,
  );
}
