/**
 * Partial selection over a logits row, so no step sorts the whole vocabulary: the k largest
 * entries (for top-k and the reported alternatives) and the top-p nucleus.
 */

/**
 * A size-k min-heap: O(n log k), and for k ≪ n nearly every entry costs one comparison
 * against the heap's root.
 *
 * Indices of the (at most) `k` largest finite values among `values[0..end)`, ordered by
 * value descending, ties by index ascending. NaN and -Infinity never qualify: they are
 * masked or broken logits, not candidates.
 */
export function topIndices(values: Float32Array, end: number, k: number): Int32Array {
  const n = Math.min(end, values.length);
  const cap = Math.max(0, Math.min(k, n));
  // heapIds[0] is the worst kept entry: lowest value, and among equal values the highest id.
  const heapIds = new Int32Array(cap);
  const heapVals = new Float64Array(cap);
  let size = 0;

  // Indices below are always < size ≤ cap, so the `?? 0` fallbacks never apply; they only
  // satisfy noUncheckedIndexedAccess.
  const worse = (a: number, b: number): boolean => {
    const va = heapVals[a] ?? 0;
    const vb = heapVals[b] ?? 0;
    return va < vb || (va === vb && (heapIds[a] ?? 0) > (heapIds[b] ?? 0));
  };
  const swap = (a: number, b: number): void => {
    const id = heapIds[a] ?? 0;
    const val = heapVals[a] ?? 0;
    heapIds[a] = heapIds[b] ?? 0;
    heapVals[a] = heapVals[b] ?? 0;
    heapIds[b] = id;
    heapVals[b] = val;
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < size && worse(left, worst)) worst = left;
      if (right < size && worse(right, worst)) worst = right;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };

  if (cap > 0) {
    for (let i = 0; i < n; i++) {
      const v = values[i] ?? Number.NaN;
      if (!(v > -Infinity)) continue; // also rejects NaN
      if (size < cap) {
        heapIds[size] = i;
        heapVals[size] = v;
        let j = size++;
        while (j > 0) {
          const parent = (j - 1) >> 1;
          if (!worse(j, parent)) break;
          swap(j, parent);
          j = parent;
        }
      } else if (v > (heapVals[0] ?? Infinity)) {
        // Ids arrive ascending, so an equal value never beats the root: ties keep the lower id.
        heapIds[0] = i;
        heapVals[0] = v;
        siftDown(0);
      }
    }
  }

  // Pop worst-first into the back of the result, which leaves it best-first.
  const out = new Int32Array(size);
  for (let last = size - 1; last >= 0; last--) {
    out[last] = heapIds[0] ?? 0;
    size--;
    if (size > 0) {
      heapIds[0] = heapIds[size] ?? 0;
      heapVals[0] = heapVals[size] ?? 0;
      siftDown(0);
    }
  }
  return out;
}

/**
 * The nucleus without sorting: the ids a best-first walk (weight descending, ties by id
 * ascending) takes before its running sum reaches `needed`, returned in ascending id order.
 *
 * A quickselect on mass finds the boundary weight v*: every id heavier than v* is in, and of
 * the ids weighing exactly v* the lowest few are in. Expected O(n), against O(n log n) for a
 * sort — which matters for flat distributions, where the nucleus is most of the vocabulary.
 */
export function nucleusIds(weights: Float64Array, end: number, needed: number): Int32Array {
  const n = Math.min(end, weights.length);
  const work = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if ((weights[i] ?? 0) > 0) work[count++] = i;

  const w = (slot: number): number => weights[work[slot] ?? 0] ?? 0;
  let lo = 0;
  let hi = count;
  let need = needed;
  let boundary = -1; // v*
  let tiesIn = 0; // how many ids weighing exactly v* are in
  while (lo < hi) {
    const pivot = medianOfThree(w(lo), w((lo + hi) >> 1), w(hi - 1));
    // Three-way partition of work[lo..hi): [heavier | equal | lighter].
    let lt = lo;
    let i = lo;
    let gt = hi;
    let heavier = 0;
    let equal = 0;
    while (i < gt) {
      const v = w(i);
      if (v > pivot) {
        heavier += v;
        swapSlots(work, lt++, i++);
      } else if (v < pivot) {
        swapSlots(work, i, --gt);
      } else {
        equal += v;
        i++;
      }
    }
    if (heavier >= need) {
      hi = lt;
    } else if (heavier + equal >= need) {
      boundary = pivot;
      let mass = heavier;
      while (mass < need && tiesIn < gt - lt) {
        mass += pivot;
        tiesIn++;
      }
      break;
    } else {
      need -= heavier + equal;
      lo = gt;
    }
  }

  const out = new Int32Array(count);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = weights[i] ?? 0;
    if (v <= 0) continue;
    // boundary -1 means rounding kept the running sum short of `needed`: keep everything.
    if (boundary < 0 || v > boundary) out[size++] = i;
    else if (v === boundary && tiesIn > 0) {
      out[size++] = i;
      tiesIn--;
    }
  }
  return out.subarray(0, size);
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

function swapSlots(a: Int32Array, i: number, j: number): void {
  const t = a[i] ?? 0;
  a[i] = a[j] ?? 0;
  a[j] = t;
}
