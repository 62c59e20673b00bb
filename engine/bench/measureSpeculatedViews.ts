import { psnr, PSNR_CAP_DB, rgbToFrame, type EvalEpisode, type View, type WorldModel } from '../../worldmodel/index.ts';
import type { Pose } from '../physics/Pose.ts';
import { poseAfterAction } from '../physics/poseAfterAction.ts';

/** How close a speculated frame is to the frame the tick needed, by the view it was painted for. */
export interface SpeculatedViewScores {
  /** Frames scored (every tick after the K start frames). */
  frames: number;
  /** PSNR against the recorded truth: painted on demand for the tick's own view (what a miss shows). */
  psnrOwnView: number;
  /** … painted for the last tick's view (speculation without a view prediction). */
  psnrLastView: number;
  /** … painted for the view predicted from the last pose and the quantised action. */
  psnrPredictedView: number;
  /** PSNR against the on-demand frame: how much a hit differs from what a miss would show. */
  agreementLastView: number;
  agreementPredictedView: number;
  /** Mean distance between the predicted camera position and the real one, metres (quantisation and physics). */
  predictedPositionErrorM: number;
  /** Mean yaw error of the predicted view, degrees. */
  predictedYawErrorDeg: number;
}

/**
 * On recorded episodes, one step at a time from the real frames before each tick (teacher-forced,
 * as eval-fidelity's one-step score): the model paints the tick's action three times in one batched run, for the tick's own view (what painting on demand gives), for the last
 * tick's view, and for the view predicted from the last pose and the quantised action
 * (`poseAfterAction`, depth from `depthAt`), as speculation would before the pose is known.
 * Scores each against the truth and against the on-demand frame (PSNR capped at PSNR_CAP_DB).
 */
export async function measureSpeculatedViews(
  model: WorldModel,
  episodes: readonly EvalEpisode[],
  depthAt: (pose: Readonly<Pose>, out: Float32Array) => Float32Array,
  onTick?: () => void,
): Promise<SpeculatedViewScores> {
  const { width: W, height: H, contextFrames: K, codec } = model;
  const HW = W * H;
  const A = codec.size;
  const sums = { own: 0, last: 0, predicted: 0, agreeLast: 0, agreePredicted: 0, position: 0, yaw: 0 };
  let frames = 0;
  for (const episode of episodes) {
    if (!episode.poses || !episode.depth) throw new Error(`measureSpeculatedViews: episode ${episode.name} has no poses or depth (record it with this build).`);
    const poses = episode.poses;
    const depths = episode.depth;
    const frameAt = (t: number): Float32Array => rgbToFrame(episode.frames.subarray(t * 3 * HW, (t + 1) * 3 * HW), W, H);
    const poseAt = (t: number): Pose => ({ x: poses[5 * t]!, y: poses[5 * t + 1]!, z: poses[5 * t + 2]!, yaw: poses[5 * t + 3]!, pitch: poses[5 * t + 4]! });
    const viewAt = (t: number): View => ({ pose: poseAt(t), depth: depths.subarray(t * HW, (t + 1) * HW) });
    for (let t = K; t < episode.ticks; t++) {
      // One step from the real frames before t (their actions and views, so memory holds them).
      model.reset(
        Array.from({ length: K }, (_, i) => frameAt(t - K + i)),
        Array.from({ length: K }, (_, i) => episode.actions.subarray((t - K + i) * A, (t - K + i + 1) * A)),
        Array.from({ length: K }, (_, i) => viewAt(t - K + i)),
      );
      const action = episode.actions.subarray(t * A, (t + 1) * A);
      // The action speculation would have guessed: the quantised one, at its bin's centre.
      const raw = codec.toRaw(codec.dequantise(codec.quantise(action)));
      const predicted = poseAfterAction(poseAt(t - 1), { forward: raw.forward ?? 0, strafe: raw.strafe ?? 0, up: raw.up ?? 0, yaw: raw.yaw ?? 0, pitch: raw.pitch ?? 0 });
      const predictedView = { pose: predicted, depth: depthAt(predicted, new Float32Array(HW)) };
      const [own, last, guessed] = await model.sampleBranches([
        { action, conditioning: { view: viewAt(t) } },
        { action, conditioning: { view: viewAt(t - 1) } },
        { action, conditioning: { view: predictedView } },
      ]);
      const truth = frameAt(t);
      // Capped: standing still, the last view is the tick's own and the frames are identical.
      const score = (a: Float32Array, b: Float32Array): number => Math.min(psnr(a, b), PSNR_CAP_DB);
      sums.own += score(own!.frame, truth);
      sums.last += score(last!.frame, truth);
      sums.predicted += score(guessed!.frame, truth);
      sums.agreeLast += score(last!.frame, own!.frame);
      sums.agreePredicted += score(guessed!.frame, own!.frame);
      const real = poseAt(t);
      sums.position += Math.hypot(predicted.x - real.x, predicted.y - real.y, predicted.z - real.z);
      sums.yaw += (Math.abs(Math.atan2(Math.sin(predicted.yaw - real.yaw), Math.cos(predicted.yaw - real.yaw))) * 180) / Math.PI;
      frames++;
      onTick?.();
    }
  }
  const n = Math.max(1, frames);
  return {
    frames,
    psnrOwnView: sums.own / n,
    psnrLastView: sums.last / n,
    psnrPredictedView: sums.predicted / n,
    agreementLastView: sums.agreeLast / n,
    agreementPredictedView: sums.agreePredicted / n,
    predictedPositionErrorM: sums.position / n,
    predictedYawErrorDeg: sums.yaw / n,
  };
}
