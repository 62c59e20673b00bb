// The arena demo: walk around a world painted frame by frame by the world model, with physics
// balls and crates drawn over it. ?model=URL, ?device=wasm|webgpu, ?view=split|truth|memory, ?seed=N.
import { bootDemo } from '../shared/bootDemo.ts';

void bootDemo();
