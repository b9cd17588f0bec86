/** A binary min-heap under a comparator (the simulator's queues and its clock of completions). */
export class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly order: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const xs = this.items;
    xs.push(item);
    let i = xs.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.order(xs[i], xs[parent]) >= 0) break;
      [xs[i], xs[parent]] = [xs[parent], xs[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const xs = this.items;
    const top = xs[0];
    const last = xs.pop();
    if (xs.length === 0 || last === undefined) return top;
    xs[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < xs.length && this.order(xs[l], xs[m]) < 0) m = l;
      if (r < xs.length && this.order(xs[r], xs[m]) < 0) m = r;
      if (m === i) return top;
      [xs[i], xs[m]] = [xs[m], xs[i]];
      i = m;
    }
  }
}
