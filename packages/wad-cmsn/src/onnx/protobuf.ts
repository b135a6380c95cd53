/**
 * A protocol-buffers writer, just enough to encode ONNX models (varints, length-delimited fields,
 * fixed32 floats). Field numbers are the caller's; see `onnx-model.ts`.
 */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private size = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.size += this.scratch.length;
    this.scratch = [];
  }

  /** An unsigned varint; negative numbers are written as 64-bit two's complement. */
  varint(value: number | bigint): this {
    let n = BigInt(value);
    if (n < 0n) n += 1n << 64n;
    while (n >= 0x80n) {
      this.scratch.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.scratch.push(Number(n));
    return this;
  }

  private key(field: number, wireType: 0 | 2 | 5): this {
    return this.varint((field << 3) | wireType);
  }

  /** An integer field (int32, int64, enum). */
  int(field: number, value: number | bigint): this {
    return this.key(field, 0).varint(value);
  }

  /** A float field (fixed32). */
  float(field: number, value: number): this {
    this.key(field, 5);
    const bytes = new Uint8Array(Float32Array.of(value).buffer);
    for (const b of bytes) this.scratch.push(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2).varint(value.length);
    this.flushScratch();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, message: ProtoWriter): this {
    return this.bytes(field, message.finish());
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}
