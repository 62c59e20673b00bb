import { IDLE_INTENT, type Intent } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import type { PlayerObservation, ScriptedPlayer } from './ScriptedPlayer.ts';

/**
 * A scripted run to replay: a start camera pose and one intent per tick. `intents[t]` drives
 * tick t → t + 1, so an episode of it has `intents.length + 1` frames (frame 0 is the start
 * view). Plain data, so it can travel to the recorder page as JSON.
 */
export interface ReplayScript {
  /** Camera pose of frame 0, as in poses.npy (y is eye height: the feet stand 1.6 m below). */
  start: Pose;
  intents: readonly Intent[];
}

/**
 * Plays a fixed list of per-tick intents, ignoring what it observes (open loop): the same
 * start pose and intents give the same poses, since physics is deterministic. Past the end of
 * the list it stands still.
 */
export class ReplayPlayer implements ScriptedPlayer {
  readonly name = 'replay';
  private readonly intents: readonly Intent[];

  constructor(intents: readonly Intent[]) {
    this.intents = intents;
  }

  act(obs: PlayerObservation, out: Intent): Intent {
    return Object.assign(out, IDLE_INTENT, this.intents[obs.tick]);
  }
}
