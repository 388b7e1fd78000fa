// The float32 SIMD backend: one WebAssembly.Memory per network (shared with worker threads when `threads` > 1), owned
// and laid out by TypeScript; the kernels in assembly/ do the arithmetic. Offsets from the layout are 4-byte slots,
// so a kernel's byte pointer is offset × 4.

import { outOfMemory } from '../../core/errors.js';
import type { Backend, DrawKind, Kernels } from '../../core/kernels.js';
import type { NumpyRandom } from '../../core/random.js';
import type { SimdMode } from '../../core/spec.js';
import { SLOT_BYTES, ptr, wasmKernels } from './kernels.js';
import { type CoreExports, coreImports, coreModule } from './module.js';

const PAGE_BYTES = 65536;
/** MT19937's state words (the block assembly/random.ts draws from). */
const STATE_WORDS = 624;

export class WasmBackend implements Backend {
  readonly float64 = false;
  readonly kernels: Kernels;
  readonly kernelsFor?: (flops: number, elements: number) => Kernels;
  readonly baseSlot: number;
  /** The core's packing areas for large products (assembly/matmul.ts), planned by the layout. */
  readonly packing: Backend['packing'];
  private memory: WebAssembly.Memory;
  private f32: Float32Array;
  private i32: Int32Array;

  private constructor(memory: WebAssembly.Memory, private readonly core: CoreExports, kernels: Kernels, threads: number,
    private stopThreads?: () => void, kernelsFor?: (flops: number, elements: number) => Kernels) {
    this.memory = memory;
    this.kernels = kernels;
    this.kernelsFor = kernelsFor;
    this.baseSlot = Math.ceil(core.heapBase() / 16) * (16 / SLOT_BYTES);
    this.packing = {
      slots: threads * core.packAreaBytes() / SLOT_BYTES, // one area per thread
      threshold: core.packThreshold() / SLOT_BYTES,
      use: (offset) => core.setPackArea(ptr(offset)),
    };
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /**
   * A backend over a fresh memory, running the default core or (`simd: 'relaxed'`) the relaxed-SIMD build; with
   * `threads` > 1, over a shared memory with threads − 1 workers (src/backends/wasm/threads/, imported only then).
   */
  static async create(options: { simd?: SimdMode; threads?: number } = {}): Promise<WasmBackend> {
    const simd = options.simd ?? 'default';
    if ((options.threads ?? 1) > 1) {
      const { startThreads } = await import('./threads/index.js');
      const { memory, core, kernels, kernelsFor, stop } = await startThreads(simd, options.threads!);
      return new WasmBackend(memory, core, kernels, options.threads!, stop, kernelsFor);
    }
    const memory = new WebAssembly.Memory({ initial: 1 });
    const core = (await WebAssembly.instantiate(await coreModule(simd), coreImports(memory))).exports as unknown as
      CoreExports;
    return new WasmBackend(memory, core, wasmKernels(core), 1);
  }

  /** The one place memory grows; every view is rebuilt right after, since old views see a detached buffer. */
  ensureCapacity(slots: number): void {
    const bytes = slots * SLOT_BYTES;
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    } catch (error) {
      throw outOfMemory(bytes, error);
    }
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  view(offset: number, count: number): Float32Array {
    return this.f32.subarray(offset, offset + count);
  }

  read(offset: number, count: number): Float32Array {
    // The constructor copies a view several times faster than slice() does (V8 11).
    return new Float32Array(this.f32.subarray(offset, offset + count));
  }

  write(offset: number, source: ArrayLike<number>, sourceStart = 0, count = source.length - sourceStart): void {
    if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
      const typed = source as unknown as Float32Array;
      this.f32.set(typed.subarray(sourceStart, sourceStart + count), offset);
      return;
    }
    const f32 = this.f32;
    for (let i = 0; i < count; i++) f32[offset + i] = source[sourceStart + i];
  }

  writeIndices(offset: number, indices: Int32Array): void {
    this.i32.set(indices, offset);
  }

  fill(offset: number, count: number, value: number): void {
    this.f32.fill(value, offset, offset + count);
  }

  /** Draws in the core (assembly/random.ts), through its state block: the same numbers as JsBackend's. */
  draw(kind: DrawKind, rng: NumpyRandom, offset: number, count: number, scale: number): void {
    const { buffer } = this.memory;
    const at = this.core.randomState();
    const words = new Uint32Array(buffer, at, STATE_WORDS);
    const flags = new Int32Array(buffer, at + STATE_WORDS * 4, 2); // position, whether a gauss is cached
    const gauss = new Float64Array(buffer, at + STATE_WORDS * 4 + 8, 1);
    const state = rng.getState();
    words.set(state.key);
    flags[0] = state.position;
    flags[1] = state.gauss === undefined ? 0 : 1;
    gauss[0] = state.gauss ?? 0;
    const fn = kind === 'uniform' ? this.core.drawUniform : kind === 'normal' ? this.core.drawNormal : this.core.drawMask;
    fn(ptr(offset), count, scale);
    rng.setState({ key: words, position: flags[0], gauss: flags[1] ? gauss[0] : undefined });
  }

  dispose(): void {
    // Dropping the last reference to the memory frees it; empty views make any stray use fail loudly.
    this.stopThreads?.();
    this.stopThreads = undefined;
    this.memory = new WebAssembly.Memory({ initial: 0 });
    this.f32 = new Float32Array(0);
    this.i32 = new Int32Array(0);
  }
}
