import { episodeAction, episodeFrame, episodeView, NextframeError, psnr, PSNR_CAP_DB, type EvalEpisode, type WorldModel } from '../../../worldmodel/index.ts';
import { wrapAngle, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { poseAfterAction } from '../../../worldmodel/geometry/poseAfterAction.ts';

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
    if (!episode.poses || !episode.depth) throw new NextframeError('bad-episode', `measureSpeculatedViews: episode ${episode.name} has no poses or depth (record it with this build).`);
    const frameAt = (t: number): Float32Array => episodeFrame(episode, t, W, H);
    const actionAt = (t: number): Float32Array => episodeAction(episode, t, A);
    const viewAt = (t: number) => episodeView(episode, t, W, H);
    for (let t = K; t < episode.ticks; t++) {
      // One step from the real frames before t (their actions and views, so memory holds them).
      model.reset(
        Array.from({ length: K }, (_, i) => frameAt(t - K + i)),
        Array.from({ length: K }, (_, i) => actionAt(t - K + i)),
        Array.from({ length: K }, (_, i) => viewAt(t - K + i)),
      );
      const action = actionAt(t);
      const last = viewAt(t - 1);
      // The action speculation would have guessed: the quantised one, at its bin's centre.
      const predicted: Pose = poseAfterAction(last.pose, codec.toRaw(codec.dequantise(codec.quantise(action))));
      const predictedView = { pose: predicted, depth: depthAt(predicted, new Float32Array(HW)) };
      const real = viewAt(t);
      const [own, stale, guessed] = await model.sampleBranches([
        { action, conditioning: { view: real } },
        { action, conditioning: { view: last } },
        { action, conditioning: { view: predictedView } },
      ]);
      const truth = frameAt(t);
      // Capped: standing still, the last view is the tick's own and the frames are identical.
      const score = (a: Float32Array, b: Float32Array): number => Math.min(psnr(a, b), PSNR_CAP_DB);
      sums.own += score(own!.frame, truth);
      sums.last += score(stale!.frame, truth);
      sums.predicted += score(guessed!.frame, truth);
      sums.agreeLast += score(stale!.frame, own!.frame);
      sums.agreePredicted += score(guessed!.frame, own!.frame);
      sums.position += Math.hypot(predicted.x - real.pose.x, predicted.y - real.pose.y, predicted.z - real.pose.z);
      sums.yaw += (Math.abs(wrapAngle(predicted.yaw - real.pose.yaw)) * 180) / Math.PI;
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
