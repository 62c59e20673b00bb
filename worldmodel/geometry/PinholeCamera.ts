/**
 * Camera intrinsics as the manifest gives them (DESIGN.md "Conventions"): vertical field of view
 * in degrees, aspect = width / height, near and far planes in metres.
 */
export interface CameraIntrinsics {
  fovYDegrees: number;
  /** width / height */
  aspect: number;
  near: number;
  far: number;
}

/** A pinhole camera at a pixel resolution (its aspect is width / height): what spatial memory renders through. */
export interface PinholeCamera {
  width: number;
  height: number;
  fovYDegrees: number;
  near: number;
  far: number;
}

/**
 * The image plane of a pinhole camera at view depth 1, with its pixel grid: the image spans
 * x ∈ [−tanX, tanX] left to right and y ∈ [tanY, −tanY] top to bottom (row 0 is the top).
 * Precomputed once per camera; the functions below map pixels ↔ camera-space rays with it.
 */
export interface ImagePlane {
  readonly width: number;
  readonly height: number;
  /** tan of half the horizontal / vertical field of view. */
  readonly tanX: number;
  readonly tanY: number;
}

/**
 * The image plane of a `width × height` camera with vertical field of view `fovYDegrees`.
 * `aspect`: the manifest's, when the camera has one (tanX = tanY · aspect); without it the pixel
 * grid sets it, as tanX = (tanY · width) / height, rounded as models/memory.py rounds it (the
 * last bit differs from tanY · (width / height), and memory's parity with Python keeps it).
 */
export function imagePlane(width: number, height: number, fovYDegrees: number, aspect?: number): ImagePlane {
  const tanY = Math.tan((fovYDegrees * Math.PI) / 360);
  const tanX = aspect === undefined ? (tanY * width) / height : tanY * aspect;
  return { width, height, tanX, tanY };
}

// The per-pixel maps take numbers, not the plane: hot loops hoist tanX, width, … into locals
// (reading them off the plane for every pixel measured up to twice as slow).

/** Camera-space x at view depth 1 of the point `column` pixels from the left edge of a `width`-pixel image (a pixel centre: i + 0.5). */
export function rayX(column: number, width: number, tanX: number): number {
  return ((column / width) * 2 - 1) * tanX;
}

/** Camera-space y at view depth 1 of the point `row` pixels below the top edge of a `height`-pixel image (a pixel centre: j + 0.5). */
export function rayY(row: number, height: number, tanY: number): number {
  return (1 - (row / height) * 2) * tanY;
}

/**
 * The camera-space ray (x[p], y[p], −1) of every pixel centre, row-major, into `outX` and `outY`
 * (W·H each): a surface at view depth d in pixel p is at (x[p]·d, y[p]·d, −d).
 */
export function pixelRays<T extends Float32Array | Float64Array>(plane: ImagePlane, outX: T, outY: T): void {
  const { width, height, tanX, tanY } = plane;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      outX[j * width + i] = rayX(i + 0.5, width, tanX);
      outY[j * width + i] = rayY(j + 0.5, height, tanY);
    }
  }
}

/**
 * Camera-space x at view depth `depth` → the continuous pixel column of a `width`-pixel image,
 * pixel centres at integers (0 is the centre of the leftmost column; the image spans [−0.5, width − 0.5)).
 */
export function pixelU(x: number, depth: number, width: number, tanX: number): number {
  return ((x / depth / tanX + 1) / 2) * width - 0.5;
}

/** Camera-space y at view depth `depth` → the continuous pixel row of a `height`-pixel image, pixel centres at integers, row 0 at the top. */
export function pixelV(y: number, depth: number, height: number, tanY: number): number {
  return ((1 - y / depth / tanY) / 2) * height - 0.5;
}
