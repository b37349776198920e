import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions021to040: SolutionSet = {
  '21': {
    turns: [
      py`elements = {numbers}`,
      py`even = sum(x for x in elements if x % 2 == 0)`,
      py`odd = sum(x for x in elements if x % 2 != 0)`,
      py`my_result = [even, odd]`,
      py`print(my_result)`,
    ],
    wrong: { turn: 3, completion: py`my_result = [odd, even]`, why: 'swapped order' },
  },
  '22': {
    turns: [
      py`elements = {lst}`,
      py`zero_count = len([x for x in elements if x == 0 and x is not False])`,
      py`non_zero = [x for x in elements if not (x == 0 and x is not False)]`,
      py`result = non_zero + [0] * zero_count
print(result)`,
    ],
    wrong: {
      turn: 1,
      completion: py`zero_count = elements.count(0)`,
      why: 'counts False as a zero',
    },
  },
  '23': {
    turns: [
      {
        byInput: 'array',
        cases: {
          'consisting of 1000 randomly sampled integers ranging from 0 to 10': py`X = np.random.randint(0, 11, 1000)`,
          'consisting of 1000 uniformly sampled floats in [0, 1)': py`X = np.random.rand(1000)`,
          '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]': py`X = np.arange(50)`,
          '[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]': py`X = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])`,
        },
      },
      py`def bootstrap(x):
    return np.random.choice(x, size=len(x), replace=True)`,
      py`samples = np.vstack([bootstrap(X) for _ in range({n})])`,
      py`mean = samples.mean(axis=1)`,
      py`percentile = [np.percentile(mean, 2.5), np.percentile(mean, 97.5)]`,
      py`print(percentile)`,
    ],
  },
  '24': {
    turns: [
      py`a, b = {a}, {b}
my_digits = [d for d in range(min(a, b), max(a, b) + 1) if d < 10 and d % 2 == 0]`,
      py`result = sum(my_digits)`,
      py`print(int(result))`,
    ],
    wrong: {
      turn: 0,
      completion: py`a, b = {a}, {b}
my_digits = [d for d in range(a, b + 1) if d < 10 and d % 2 == 0]`,
      why: 'assumes a <= b',
    },
  },
  '25': {
    turns: [
      py`my_list = {A}
my_max = max(my_list)`,
      py`my_min = min(my_list)`,
      py`difference = my_max - my_min`,
      py`print(difference)`,
    ],
  },
  '26': {
    turns: [
      py`my_string = "{A}"`,
      py`my_string = my_string.lower()`,
      py`chars = list(set(my_string))`,
      py`chars.sort()`,
      py`print(chars)`,
    ],
    wrong: { turn: 1, completion: py`my_string = my_string`, why: 'keeps upper case' },
  },
  '27': {
    turns: [
      py`a = "{A}"
b = "{B}"`,
      py`def len_str(s):
    return len(s)`,
      py`len_a = len_str(a)
len_b = len_str(b)`,
      py`result = a if len_a > len_b else b`,
      py`print(result)`,
    ],
    wrong: { turn: 3, completion: py`result = a if len_a < len_b else b`, why: 'the shorter' },
  },
  '28': {
    turns: [py`f = {A}`, py`a = int(f)`, py`b = int(str(f).split(".")[1])`, py`print(a + b)`],
    wrong: { turn: 2, completion: py`b = int((f - a) * 100)`, why: 'two digits only' },
  },
  '29': {
    turns: [
      py`my_string = "{s}"`,
      py`my_string = my_string.lower()`,
      py`count = sum(1 for ch in my_string if ch in "aeiou")`,
      py`print(count)`,
    ],
    wrong: { turn: 1, completion: py`my_string = my_string`, why: 'misses capital vowels' },
  },
  '30': {
    turns: [
      py`f = {n}`,
      py`numbers = list(range(1, f + 1))`,
      py`factorial = 1`,
      py`for x in numbers:
    factorial *= x`,
      py`print(factorial)`,
    ],
    wrong: { turn: 1, completion: py`numbers = list(range(1, f))`, why: 'excludes f' },
  },
  '31': {
    turns: [
      py`two_edges = {a} + {b}`,
      py`maximum_edge = two_edges - 1`,
      py`minimum_edge = abs({a} - {b}) + 1`,
      py`my_tuple = (maximum_edge, minimum_edge)`,
      py`print(my_tuple)`,
    ],
    wrong: { turn: 2, completion: py`minimum_edge = abs({a} - {b})`, why: 'a degenerate triangle' },
  },
  '32': {
    turns: [
      py`def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result`,
      py`def remainder(n):
    return n % 10`,
      py`print(remainder(factorial({n})))`,
    ],
    wrong: {
      turn: 1,
      completion: py`def remainder(n):
    return n // 10`,
      why: 'the quotient',
    },
  },
  '33': {
    turns: [
      py`n = {n}`,
      py`angle = (n - 2) * 180`,
      py`import math
angle = math.radians(angle)`,
      py`angle = round(angle, 2)`,
      py`print(angle)`,
    ],
    wrong: { turn: 1, completion: py`angle = n * 180`, why: 'n instead of n - 2' },
  },
  '34': {
    turns: [
      py`s1 = "{s1}"
s2 = "{s2}"`,
      py`s1 = int(s1)
s2 = int(s2)`,
      py`s = s1 + s2`,
      py`print(s)`,
    ],
    wrong: {
      turn: 1,
      completion: py`s1 = s1.strip()
s2 = s2.strip()`,
      why: 'concatenates strings',
    },
  },
  '35': {
    turns: [
      py`lst = {l}`,
      py`ma = max(lst)`,
      py`mi = min(lst)`,
      py`numbers = list(range(mi, ma + 1))`,
      py`print(sum(numbers))`,
    ],
  },
  '36': {
    turns: [
      py`def shared_chars(w1, w2):
    return set(w1) & set(w2)`,
      py`def count_vowels(s):
    return sum(1 for ch in s if ch in "aeiou")`,
      py`s = "".join(shared_chars("{s1}", "{s2}"))`,
      py`print(count_vowels(s))`,
    ],
    wrong: {
      turn: 0,
      completion: py`def shared_chars(w1, w2):
    return set(w1) | set(w2)`,
      why: 'the union',
    },
  },
  '37': {
    turns: [
      py`lst1 = {l}`,
      py`lst2 = [x for x in lst1 if x < 0]`,
      py`total = sum(lst2)`,
      py`print(total)`,
    ],
  },
  '38': {
    turns: [
      py`import pandas as pd`,
      py`df = pd.read_csv("./datasets/mlbootcamp5_train.csv")`,
      py`my_counts = df.groupby("gender")["{a1}"].value_counts()`,
      py`plain_list = my_counts.values`,
      py`print(max(plain_list))`,
    ],
  },
  '39': {
    turns: [
      py`s = '{s}'`,
      py`import re
pattern = re.compile(r"[,.]")`,
      py`s2 = pattern.sub("", s)`,
      py`words = s2.split()`,
      py`print([len(word) for word in words])`,
    ],
    wrong: { turn: 3, completion: py`words = s2.split(" ")`, why: 'keeps empty words' },
  },
  '40': {
    turns: [
      py`s = '{s}'`,
      py`s2 = s.lower()`,
      py`import re
pattern3 = re.compile(r"#[0-9a-f]{{3}}")`,
      py`pattern6 = re.compile(r"#[0-9a-f]{{6}}")`,
      py`print(bool(pattern3.fullmatch(s2) or pattern6.fullmatch(s2)))`,
    ],
    wrong: { turn: 1, completion: py`s2 = s`, why: 'misses upper-case digits' },
  },
};
