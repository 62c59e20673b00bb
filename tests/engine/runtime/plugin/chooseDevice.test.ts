import { afterEach, describe, expect, it } from 'vitest';
import { chooseDevice } from '../../../../engine/runtime/plugin/chooseDevice.ts';

const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
function withAdapter(adapter: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { gpu: { requestAdapter: async () => adapter } } });
}

afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

describe('chooseDevice', () => {
  it('honours an explicit request', async () => {
    expect((await chooseDevice('wasm')).device).toBe('wasm');
    expect((await chooseDevice('webgpu')).device).toBe('webgpu');
  });

  it('uses WebGPU on a hardware adapter', async () => {
    withAdapter({ info: { vendor: 'nvidia', architecture: 'ampere' } });
    expect(await chooseDevice('auto')).toMatchObject({ device: 'webgpu', reason: null });
  });

  it('prefers WASM over a software adapter or no WebGPU, and says why', async () => {
    withAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } });
    const software = await chooseDevice('auto');
    expect(software.device).toBe('wasm');
    expect(software.reason).toMatch(/software renderer/);
    withAdapter(null);
    expect((await chooseDevice('auto')).reason).toMatch(/no adapter/);
    Object.defineProperty(globalThis, 'navigator', { configurable: true, value: {} });
    expect((await chooseDevice('auto')).reason).toMatch(/no WebGPU/);
  });

  it('reports whether WASM can use threads', async () => {
    const choice = await chooseDevice('wasm');
    expect(choice.wasmThreads).toBe(false); // Node has no crossOriginIsolated
    expect(choice.threadsReason).toMatch(/cross-origin isolated/);
  });
});
