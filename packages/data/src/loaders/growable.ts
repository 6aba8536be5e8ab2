type NumericArray = Int32Array | Float32Array | Float64Array;

interface NumericArrayConstructor<A extends NumericArray> {
  new (length: number): A;
}

/** An append-only typed array that doubles its capacity, so parsers never keep per-row objects. */
export class GrowableArray<A extends NumericArray> {
  private buffer: A;
  length = 0;

  constructor(
    private readonly Ctor: NumericArrayConstructor<A>,
    initialCapacity = 1024,
  ) {
    this.buffer = new Ctor(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new this.Ctor(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  /** A view of the values pushed so far (shares memory; invalid after the next push). */
  view(): A {
    return this.buffer.subarray(0, this.length) as A;
  }

  /** A trimmed copy of the values pushed so far. */
  toArray(): A {
    return this.buffer.slice(0, this.length) as A;
  }
}
