/**
 * The shaders that paint the world model's frame. Two passes, because software GPUs pay per
 * texture fetch per pixel:
 *
 * 1. upscale (once per new world frame): the frame at model resolution → a texture a few times
 *    larger, with a 5-tap Catmull-Rom filter (bicubic quality from bilinear fetches).
 * 2. world (every draw): that texture stretched over the viewport with one bilinear fetch, and
 *    the depth buffer written from proxy depth (nearest, at model resolution), so overlay meshes
 *    drawn afterwards with the ordinary depth test hide behind the painted world exactly where
 *    the proxy geometry is in front of them. With a display frame (a learned upsampler's, several
 *    times the model's size) the colour comes from it instead, also one bilinear fetch; the split
 *    view takes the left part from the bicubic texture and the right from the display frame, a
 *    thin white line between them. Depth is proxy depth either way.
 *
 * The model's frame and depth are stored with row 0 at the top, hence the flipped v on them.
 * The memory view is a third, plain pass: the memory image (see memoryImage.ts) stretched over
 * the viewport, nearest.
 */
export const quadVertexShader = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

export const upscaleFragmentShader = /* glsl */ `
uniform sampler2D frameMap;
uniform vec2 frameSize;
varying vec2 vUv;

void main() {
  vec2 uv = vec2(vUv.x, 1.0 - vUv.y);
  vec2 samplePos = uv * frameSize;
  vec2 texPos1 = floor(samplePos - 0.5) + 0.5;
  vec2 f = samplePos - texPos1;
  vec2 w0 = f * (-0.5 + f * (1.0 - 0.5 * f));
  vec2 w1 = 1.0 + f * f * (-2.5 + 1.5 * f);
  vec2 w2 = f * (0.5 + f * (2.0 - 1.5 * f));
  vec2 w3 = f * f * (-0.5 + 0.5 * f);
  vec2 w12 = w1 + w2;
  vec2 p0 = (texPos1 - 1.0) / frameSize;
  vec2 p3 = (texPos1 + 2.0) / frameSize;
  vec2 p12 = (texPos1 + w2 / w12) / frameSize;
  // The four corner taps carry little weight; dropping them and renormalising keeps 5 fetches.
  vec3 c = texture2D(frameMap, vec2(p12.x, p0.y)).rgb * (w12.x * w0.y)
         + texture2D(frameMap, vec2(p0.x, p12.y)).rgb * (w0.x * w12.y)
         + texture2D(frameMap, p12).rgb * (w12.x * w12.y)
         + texture2D(frameMap, vec2(p3.x, p12.y)).rgb * (w3.x * w12.y)
         + texture2D(frameMap, vec2(p12.x, p3.y)).rgb * (w12.x * w3.y);
  float w = w12.x * w0.y + w0.x * w12.y + w12.x * w12.y + w3.x * w12.y + w12.x * w3.y;
  gl_FragColor = vec4(clamp(c / w, 0.0, 1.0), 1.0);
}
`;

export const worldFragmentShader = /* glsl */ `
uniform sampler2D colorMap;
uniform sampler2D displayMap;
uniform sampler2D depthMap;
uniform bool colorFlipped;
uniform bool displayFlipped;
// 0: the bicubic texture; 1: the display frame; 2: split at splitX (viewport u), bicubic left.
uniform int displayMode;
uniform float splitX;
// Half the divider's width, in viewport u.
uniform float splitHalfWidth;
uniform float cameraNear;
uniform float cameraFar;
uniform bool logDepth;
uniform bool reversedDepth;
varying vec2 vUv;

void main() {
  vec2 top = vec2(vUv.x, 1.0 - vUv.y);
  vec3 color;
  if (displayMode == 1 || (displayMode == 2 && vUv.x >= splitX)) color = texture2D(displayMap, displayFlipped ? top : vUv).rgb;
  else color = texture2D(colorMap, colorFlipped ? top : vUv).rgb;
  if (displayMode == 2 && abs(vUv.x - splitX) < splitHalfWidth) color = vec3(1.0);
  // Proxy depth is metric view-space depth; the depth buffer wants what the camera's projection
  // would have produced for a surface at that depth.
  float d = clamp(texture2D(depthMap, top).r, cameraNear, cameraFar);
  float z = logDepth
    ? log2(1.0 + d) / log2(1.0 + cameraFar)
    : cameraFar * (d - cameraNear) / (d * (cameraFar - cameraNear));
  gl_FragDepth = reversedDepth ? 1.0 - z : z;
  gl_FragColor = vec4(color, 1.0);
}
`;

export const memoryFragmentShader = /* glsl */ `
uniform sampler2D memoryMap;
varying vec2 vUv;

void main() {
  gl_FragColor = vec4(texture2D(memoryMap, vec2(vUv.x, 1.0 - vUv.y)).rgb, 1.0);
}
`;
