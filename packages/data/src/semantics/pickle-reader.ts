import { PickleError } from '../errors.js';

/** A numpy dtype as a pickle describes it: type code (`f8`, `i4`, ...) and byte order. */
export interface PickledDtype {
  kind: 'dtype';
  code: string;
  /** `<` little, `>` big, `|` not applicable, `=` native. */
  byteOrder: string;
}

/** A numpy array rebuilt from a pickle (`numpy.core.multiarray._reconstruct` + state). */
export interface PickledArray {
  kind: 'ndarray';
  shape: number[];
  dtype: PickledDtype;
  fortran: boolean;
  /** Raw element bytes for numeric dtypes; the elements for object arrays. */
  data: Uint8Array | unknown[];
}

/** A Python `bytes` / py2 `str` value. */
export interface PickledBytes {
  kind: 'bytes';
  bytes: Uint8Array;
}

type Callable = (args: unknown[]) => unknown;

const MARK = Symbol('mark');

function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

function bytesOf(v: unknown, what: string): Uint8Array {
  if (typeof v === 'object' && v !== null && (v as PickledBytes).kind === 'bytes') {
    return (v as PickledBytes).bytes;
  }
  if (typeof v === 'string') return latin1(v);
  throw new PickleError(`${what}: expected bytes`);
}

function newDtype(args: unknown[]): PickledDtype {
  const code = String(args[0]);
  const order = /^[<>|=]/.test(code) ? code[0]! : '=';
  return { kind: 'dtype', code: code.replace(/^[<>|=]/, ''), byteOrder: order };
}

/** Protocol 5 arrays: `_frombuffer(buffer, dtype, shape, order)`. */
function fromBuffer(args: unknown[]): PickledArray {
  const [buffer, dtype, shape, order] = args as [unknown, PickledDtype, number[], string];
  return {
    kind: 'ndarray',
    shape: [...shape],
    dtype,
    fortran: order === 'F',
    data: bytesOf(buffer, 'ndarray buffer'),
  };
}

function reconstruct(): PickledArray {
  return {
    kind: 'ndarray',
    shape: [],
    dtype: { kind: 'dtype', code: 'b1', byteOrder: '|' },
    fortran: false,
    data: [],
  };
}

/**
 * The Python callables a numpy pickle names, and nothing else: any other global is refused, so
 * reading a pickle never runs code.
 */
const GLOBALS: Record<string, Callable> = {
  'numpy.core.multiarray._reconstruct': reconstruct,
  'numpy._core.multiarray._reconstruct': reconstruct,
  'numpy.ndarray': reconstruct,
  'numpy.core.numeric._frombuffer': fromBuffer,
  'numpy._core.numeric._frombuffer': fromBuffer,
  'numpy.dtype': newDtype,
  'numpy.core.multiarray.scalar': (args) => ({
    kind: 'scalar',
    dtype: args[0],
    bytes: bytesOf(args[1], 'scalar'),
  }),
  'numpy._core.multiarray.scalar': (args) => ({
    kind: 'scalar',
    dtype: args[0],
    bytes: bytesOf(args[1], 'scalar'),
  }),
  '_codecs.encode': (args) => ({ kind: 'bytes', bytes: latin1(String(args[0])) }),
  'collections.OrderedDict': () => new Map(),
  'builtins.dict': () => new Map(),
  '__builtin__.dict': () => new Map(),
};

function build(target: unknown, state: unknown): void {
  if (typeof target !== 'object' || target === null) throw new PickleError('BUILD on a non-object');
  const t = target as { kind?: string };
  if (t.kind === 'dtype' && Array.isArray(state)) {
    (target as PickledDtype).byteOrder = String(state[1]);
    return;
  }
  if (t.kind === 'ndarray' && Array.isArray(state)) {
    const arr = target as PickledArray;
    const [, shape, dtype, fortran, raw] = state as [
      number,
      number[],
      PickledDtype,
      boolean,
      unknown,
    ];
    arr.shape = [...shape];
    arr.dtype = dtype;
    arr.fortran = Boolean(fortran);
    arr.data = Array.isArray(raw) ? raw : bytesOf(raw, 'ndarray data');
    return;
  }
  if (target instanceof Map && state instanceof Map) {
    for (const [k, v] of state) target.set(k, v);
    return;
  }
  throw new PickleError(`BUILD: cannot set state on ${t.kind ?? typeof target}`);
}

/**
 * Reads a pickle (protocols 2-5, as `np.save` writes object arrays and `pickle.dump` writes dicts
 * of arrays) into plain values: dicts become `Map`, lists and tuples arrays, `bytes`
 * {@link PickledBytes}, numpy arrays {@link PickledArray}. Only the callables numpy pickles name
 * are known; no code is run.
 *
 * @throws {PickleError} naming the opcode or global it does not support, and where.
 */
export function readPickle(bytes: Uint8Array, source = '<bytes>'): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8');
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const fail = (msg: string): never => {
    throw new PickleError(`${source}: pickle byte ${pos}: ${msg}`);
  };
  /** Moves past `n` bytes and returns where they start. */
  const advance = (n: number): number => {
    if (pos + n > bytes.length) fail(`truncated (wanted ${n} more bytes)`);
    pos += n;
    return pos - n;
  };
  const take = (n: number): Uint8Array => bytes.subarray(advance(n), pos);
  const u8 = () => bytes[advance(1)]!;
  const u16 = () => view.getUint16(advance(2), true);
  const u32 = () => view.getUint32(advance(4), true);
  const u64 = () => Number(view.getBigUint64(advance(8), true));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('unterminated line');
    const s = text.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => (stack.length === 0 ? fail('stack underflow') : stack.pop());
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('no MARK on the stack');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = () => (stack.length === 0 ? fail('stack underflow') : stack[stack.length - 1]);
  const global = (module: string, name: string) => {
    const fn = GLOBALS[`${module}.${name}`];
    if (!fn) fail(`global ${module}.${name} is not a numpy array, dtype or dict: refused`);
    return fn;
  };
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail('SETITEM(S) on a non-dict');
    for (let i = 0; i + 1 < items.length; i += 2)
      (dict as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        u64();
        break; // FRAME
      case 0x2e:
        return pop(); // STOP
      case 0x28:
        stack.push(MARK);
        break;
      case 0x7d:
        stack.push(new Map());
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push([]);
        break; // EMPTY_TUPLE
      case 0x74:
        stack.push(popMark());
        break; // TUPLE
      case 0x85:
        stack.push([pop()]);
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        stack.push([pop(), b]);
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      } // TUPLE3
      case 0x61: {
        const v = pop();
        (top() as unknown[]).push(v);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        (top() as unknown[]).push(...items);
        break;
      } // APPENDS
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x4a:
        stack.push(view.getInt32(advance(4), true));
        break; // BININT
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x8a: {
        // LONG1
        const n = u8();
        let v = 0n;
        const b = take(n);
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47:
        stack.push(view.getFloat64(advance(8), false));
        break; // BINFLOAT
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x8c:
        stack.push(text.decode(take(u8())));
        break; // SHORT_BINUNICODE
      case 0x58:
        stack.push(text.decode(take(u32())));
        break; // BINUNICODE
      case 0x8d:
        stack.push(text.decode(take(u64())));
        break; // BINUNICODE8
      case 0x43:
        stack.push({ kind: 'bytes', bytes: take(u8()) });
        break; // SHORT_BINBYTES
      case 0x42:
        stack.push({ kind: 'bytes', bytes: take(u32()) });
        break; // BINBYTES
      case 0x8e:
      case 0x96:
        stack.push({ kind: 'bytes', bytes: take(u64()) });
        break; // BINBYTES8, BYTEARRAY8
      case 0x55:
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break; // SHORT_BINSTRING (py2)
      case 0x54:
        stack.push(new TextDecoder('latin1').decode(take(u32())));
        break; // BINSTRING (py2)
      case 0x63: {
        const module = line();
        stack.push(global(module, line()));
        break;
      } // GLOBAL
      case 0x93: {
        const name = String(pop());
        stack.push(global(String(pop()), name));
        break;
      } // STACK_GLOBAL
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x68: {
        const k = u8();
        stack.push(memo.has(k) ? memo.get(k) : fail(`memo ${k} unset`));
        break;
      } // BINGET
      case 0x6a: {
        const k = u32();
        stack.push(memo.has(k) ? memo.get(k) : fail(`memo ${k} unset`));
        break;
      } // LONG_BINGET
      case 0x52: {
        const args = pop() as unknown[];
        const fn = pop() as Callable;
        stack.push(fn(args));
        break;
      } // REDUCE
      case 0x81: {
        const args = pop() as unknown[];
        const cls = pop() as Callable;
        stack.push(cls(args));
        break;
      } // NEWOBJ
      case 0x62: {
        const state = pop();
        build(top(), state);
        break;
      } // BUILD
      default:
        fail(`unsupported opcode 0x${op.toString(16)} (protocol 0/1 text pickles are not read)`);
    }
  }
}
