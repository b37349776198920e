import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextTokenizer } from '../../src/engine/tokenizer.ts';

// Ordinary Python, so the ids are the ones a user's prompt would produce (with random
// weights the text does not change the cost of a step, but out-of-vocabulary ids would
// fail on WASM and read garbage on WebGPU).
const SOURCE = `import math
from collections import Counter, defaultdict


def mean(values):
    """Arithmetic mean of a non-empty list."""
    return sum(values) / len(values)


def variance(values):
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


class Inventory:
    def __init__(self):
        self.items = defaultdict(int)

    def add(self, name, count=1):
        if count <= 0:
            raise ValueError("count must be positive")
        self.items[name] += count

    def most_common(self, n=3):
        return Counter(self.items).most_common(n)


def primes_below(limit):
    sieve = [True] * limit
    sieve[0:2] = [False, False]
    for i in range(2, int(math.sqrt(limit)) + 1):
        if sieve[i]:
            sieve[i * i :: i] = [False] * len(range(i * i, limit, i))
    return [i for i, is_prime in enumerate(sieve) if is_prime]

`;

/**
 * Prompt ids for a model folder: the Python above, tokenized with the folder's own
 * tokenizer and repeated until long enough. Row r starts r × 11 tokens later, so the rows
 * of a batch differ while all have exactly `length` tokens (no padding in the measurement).
 */
export class PromptSource {
  private readonly stream: number[];
  private readonly tokenizer: TextTokenizer;

  constructor(modelDir: string) {
    const read = (name: string): unknown =>
      JSON.parse(readFileSync(join(modelDir, name), 'utf8')) as unknown;
    this.tokenizer = new TextTokenizer(read('tokenizer.json'), read('tokenizer_config.json'), -1);
    this.stream = this.tokenizer.encode(SOURCE);
  }

  /** Tokens of `text` in this model's tokenizer. */
  countTokens(text: string): number {
    return this.tokenizer.encode(text).length;
  }

  rows(batch: number, length: number): number[][] {
    return Array.from({ length: batch }, (_, row) =>
      Array.from({ length }, (_, i) => this.stream[(row * 11 + i) % this.stream.length] ?? 0),
    );
  }
}
