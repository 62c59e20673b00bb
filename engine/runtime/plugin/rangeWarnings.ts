import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import type { ModelManifest } from '../../../worldmodel/index.ts';

/** What the plug-in plays with, set beside what the model was trained with. */
export interface PlaySettings {
  /** The host camera's vertical field of view before the plug-in gave it the model's (degrees). */
  hostFovYDegrees: number;
  /** The character's eye height above its feet (metres). */
  eyeHeight: number;
  /** Model ticks per second the plug-in actually runs (the manifest's, rounded to whole physics steps). */
  tickHz: number;
}

// Slack before a difference counts: a rounding of the eye, a degree of lens, 2 % of the rate.
const EYE_SLACK_M = 0.05;
const FOV_SLACK_DEG = 1;
const TICK_SLACK = 0.02;

/**
 * Where play is outside what the model was trained on: one sentence per setting that differs,
 * saying which, by how much, and what it costs; empty when everything is in range.
 *
 * The field of view and the tick rate are the model's in play (the plug-in sets the camera and
 * the clock), so a difference there changes the host's game rather than the pictures; the eye
 * height is the host's, so a difference there is a viewpoint the model never saw, which costs
 * most where it has to imagine (README, "Out of range", has a measured case).
 */
export function rangeWarnings(manifest: Readonly<ModelManifest>, play: Readonly<PlaySettings>): string[] {
  const warnings: string[] = [];
  const id = manifest.id;
  // Models that predate training.eyeHeight were all recorded at the recorder's default.
  const eye = manifest.training?.eyeHeight ?? { min: DEFAULT_EYE_HEIGHT, max: DEFAULT_EYE_HEIGHT };
  if (play.eyeHeight < eye.min - EYE_SLACK_M || play.eyeHeight > eye.max + EYE_SLACK_M) {
    const seen = eye.min === eye.max ? `${eye.min} m` : `${eye.min}–${eye.max} m`;
    warnings.push(`eye height ${play.eyeHeight} m: model "${id}" was trained with the player's eyes at ${seen}. It has never seen the world from this height: expect it to paint worse where memory has nothing (README, "Out of range": for the generalist at 1 m, 0.6 dB on those pixels and 0.4 dB at tick 16). Record at your height (the CLI's record --eye-height ${play.eyeHeight}) and fine-tune (train --init).`);
  }
  const fov = manifest.camera.fovYDegrees;
  if (Math.abs(play.hostFovYDegrees - fov) > FOV_SLACK_DEG) {
    warnings.push(`field of view: your camera's ${round(play.hostFovYDegrees)}° was set to the ${round(fov)}° model "${id}" paints, so the game shows ${play.hostFovYDegrees < fov ? 'more' : 'less'} of the world than you framed. A model paints only the field of view it was trained at; to keep yours, record and train at it.`);
  }
  if (Math.abs(play.tickHz - manifest.tickHz) > TICK_SLACK * manifest.tickHz) {
    warnings.push(`tick rate: model "${id}" was trained at ${round(manifest.tickHz)} ticks a second and plays at ${round(play.tickHz)} (a whole number of physics steps per tick), so each of its frames covers ${play.tickHz < manifest.tickHz ? 'more' : 'less'} motion than it learned: expect smears on fast turns. Train at a rate that divides the physics rate (60 Hz: 60, 30, 20, 15, 12, 10).`);
  }
  return warnings;
}

const round = (x: number): string => String(Math.round(x * 10) / 10);
