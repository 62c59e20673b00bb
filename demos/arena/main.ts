// The arena demo: walk around a world painted frame by frame by the world model, with physics
// balls and crates drawn over it. ?model=URL, ?device=wasm|webgpu, ?view=split|truth|memory, ?seed=N,
// ?upsampler=URL|off, ?display=auto|learned|bicubic, ?split=1 (B: bicubic | upsampler).
import { bootDemo } from '../shared/bootDemo.ts';

void bootDemo();
