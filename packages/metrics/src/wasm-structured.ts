import { assembler, op, type ValueType } from './wasm-assembler.js';

/**
 * Structured helpers over {@link assembler} for the bounded ranking's WebAssembly: typed array
 * reads and writes by element index, counted and conditional loops, and if / else. Every helper
 * either returns bytes (an expression that leaves one value) or emits a whole statement. Arrays
 * are locals holding byte offsets; `$a` is a scratch i32 local every function using {@link
 * StructuredAssembler.add} must declare.
 */
export function structured(params: [string, ValueType][], locals: [string, ValueType][]) {
  const asm = assembler(params, locals);
  const { emit, get, set, tee, const32 } = asm;
  const address = (array: string, index: number[], shift: number) => [
    ...get(array),
    ...index,
    ...const32(shift),
    ...op.i32Shl,
    ...op.i32Add,
  ];
  return {
    ...asm,
    /** `array[index]`, int32. */
    i32: (array: string, index: number[]) => [...address(array, index, 2), ...op.i32Load],
    /** `array[index]`, float64. */
    f64: (array: string, index: number[]) => [...address(array, index, 3), ...op.f64Load],
    /** `array[index] = value`, int32. */
    setI32: (array: string, index: number[], value: number[]) =>
      emit(address(array, index, 2), value, op.i32Store),
    /** `array[index] = value`, float64. */
    setF64: (array: string, index: number[], value: number[]) =>
      emit(address(array, index, 3), value, op.f64Store),
    /** `array[index] += delta`, int32 (uses `$a`). */
    add: (array: string, index: number[], delta: number[]) =>
      emit(
        address(array, index, 2),
        tee('$a'),
        get('$a'),
        op.i32Load,
        delta,
        op.i32Add,
        op.i32Store,
      ),
    /** `array[0..count) = 0` for 4-byte elements. */
    zero: (array: string, count: number[]) =>
      emit(get(array), const32(0), count, const32(2), op.i32Shl, op.memoryFill),
    /** `local += by`. */
    step: (local: string, by: number[] = const32(1)) => emit(get(local), by, op.i32Add, set(local)),
    /** `for (i = from; i < to; i++) body()`, `to` evaluated before each pass. */
    forRange: (i: string, from: number[], to: number[], body: () => void) => {
      emit(from, set(i), op.block, op.loop, get(i), to, op.i32GeS, op.brIf(1));
      body();
      emit(get(i), const32(1), op.i32Add, set(i), op.br(0), op.end, op.end);
    },
    /** `while (c0 && c1 && ...) body()`, each condition evaluated only when the ones before hold. */
    whileAll: (conditions: number[][], body: () => void) => {
      emit(op.block, op.loop);
      for (const c of conditions) emit(c, op.i32Eqz, op.brIf(1));
      body();
      emit(op.br(0), op.end, op.end);
    },
    /** `if (condition) then() else otherwise()`. */
    when: (condition: number[], then: () => void, otherwise?: () => void) => {
      emit(condition, op.if);
      then();
      if (otherwise) {
        emit(op.else);
        otherwise();
      }
      emit(op.end);
    },
  };
}

/** What {@link structured} returns. */
export type StructuredAssembler = ReturnType<typeof structured>;
