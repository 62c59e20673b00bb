import type { Device } from '../../../worldmodel/index.ts';

export interface DeviceChoice {
  device: 'webgpu' | 'wasm';
  /** Why WASM was chosen when WebGPU was not ruled out by the caller, else null. */
  reason: string | null;
  /** WASM can use threads here (cross-origin isolated, SharedArrayBuffer available). */
  wasmThreads: boolean;
  /** Why WASM is single-threaded, else null. */
  threadsReason: string | null;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/**
 * Pick the backend for a world model in this browser. `auto`: WebGPU on a hardware adapter;
 * WASM when there is no WebGPU, no adapter, or only a software adapter (SwiftShader, which
 * runs a U-Net many times slower than WASM on the same CPU). An explicit request is honoured.
 */
export async function chooseDevice(requested: Device = 'auto'): Promise<DeviceChoice> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const wasmThreads = isolated && typeof SharedArrayBuffer !== 'undefined';
  const threadsReason = wasmThreads ? null : isolated ? 'SharedArrayBuffer is unavailable' : 'the page is not cross-origin isolated (COOP/COEP headers missing)';
  const base = { wasmThreads, threadsReason };
  if (requested !== 'auto') return { device: requested, reason: null, ...base };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return { device: 'wasm', reason: 'this browser has no WebGPU', ...base };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { device: 'wasm', reason: `WebGPU gave no adapter (${error instanceof Error ? error.message : String(error)})`, ...base };
  }
  if (!adapter) return { device: 'wasm', reason: 'WebGPU gave no adapter (no usable GPU)', ...base };
  const info = adapter.info ?? {};
  const name = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  if (info.isFallbackAdapter || adapter.isFallbackAdapter || /swiftshader|llvmpipe|software/i.test(name)) {
    return { device: 'wasm', reason: `the only WebGPU adapter is a software renderer (${name.trim() || 'fallback adapter'}), slower than WASM`, ...base };
  }
  return { device: 'webgpu', reason: null, ...base };
}
