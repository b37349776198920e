import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions061to080: SolutionSet = {
  '61': {
    turns: [
      py`my_matrix = {A}`,
      py`rows = my_matrix if isinstance(my_matrix[0], list) else [my_matrix]
diag_elements = [rows[i][i] for i in range(min(len(rows), len(rows[0])))]`,
      py`print(sum(diag_elements))`,
    ],
    wrong: {
      turn: 1,
      completion: py`rows = my_matrix if isinstance(my_matrix[0], list) else [my_matrix]
diag_elements = rows[0]`,
      why: 'the first row',
    },
  },
  '62': {
    turns: [
      py`my_matrix = {A}`,
      py`t = {T}`,
      py`result = np.linalg.cond(my_matrix)`,
      py`"True" if result < t else "False"`,
    ],
  },
  '63': {
    turns: [
      py`a = {A}`,
      py`b = {B}`,
      py`result = [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]`,
      py`print(sum(sum(row) for row in result))`,
    ],
    wrong: {
      turn: 2,
      completion: py`result = [[a[i][j] * b[i][j] for j in range(min(len(a[i]), len(b[i])))] for i in range(min(len(a), len(b)))]`,
      why: 'element-wise product',
    },
  },
  '64': {
    turns: [
      py`a = {A}`,
      py`b = {B}`,
      py`def determinant(m):
    if len(m) == 1:
        return m[0][0]
    if len(m) == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    total = 0
    for j in range(len(m)):
        minor = [row[:j] + row[j + 1:] for row in m[1:]]
        total += (-1) ** j * m[0][j] * determinant(minor)
    return total`,
      py`print("True" if determinant(a) > determinant(b) else "False")`,
    ],
    wrong: {
      turn: 2,
      completion: py`def determinant(m):
    return m[0][0] * m[1][1] - m[0][1] * m[1][0]`,
      why: 'the 2x2 formula for every size',
    },
  },
  '65': {
    turns: [
      py`my_numbers = {A}`,
      py`import math

def exponential(numbers):
    return [math.exp(x) for x in numbers]`,
      py`def summation(numbers):
    return sum(numbers)`,
      py`def log(x):
    return math.log(x)`,
      py`shift = max(my_numbers)
print(shift + log(summation(exponential([x - shift for x in my_numbers]))))`,
    ],
    wrong: {
      turn: 4,
      completion: py`print(log(summation(my_numbers)))`,
      why: 'forgets the exponential',
    },
  },
  '66': {
    turns: [
      py`my_points = {A}`,
      py`k = {K}`,
      py`import math

def distance(point):
    return math.sqrt(point[0] ** 2 + point[1] ** 2)`,
      py`def k_closest(points, k):
    return sorted(points, key=distance)[:k]`,
      py`result = k_closest(my_points, k)
print(result[0] if k == 1 else result)`,
    ],
    wrong: {
      turn: 3,
      completion: py`def k_closest(points, k):
    return sorted(points, key=distance)[-k:]`,
      why: 'the farthest',
    },
  },
  '67': {
    turns: [
      py`def LCP(a, b):
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]`,
      py`lst1 = {l1}`,
      py`from functools import reduce
prefix = reduce(LCP, lst1)`,
      py`print(prefix)`,
    ],
    wrong: {
      turn: 2,
      completion: py`prefix = LCP(lst1[0], lst1[1])`,
      why: 'only the first two strings',
    },
  },
  '68': {
    turns: [
      py`lst1 = {lst1}`,
      py`from collections import Counter
freq = Counter(lst1)`,
      py`lst2 = [x for x, count in freq.items() if count > 1]`,
      py`print(lst2)`,
    ],
    wrong: {
      turn: 2,
      completion: py`lst2 = [x for x, count in freq.items() if count >= 1]`,
      why: 'every element',
    },
  },
  '69': {
    turns: [
      py`w1 = '{w}'`,
      py`first = next(ch for ch in w1 if w1.count(ch) == 1)`,
      py`n1 = w1.index(first)`,
      py`print(n1)`,
    ],
  },
  '70': {
    turns: [
      py`sentence1 = '{s1}'`,
      py`sentence2 = '{s2}'`,
      py`words1 = [w.strip(".,!?") for w in sentence1.split()]`,
      py`words2 = [w.strip(".,!?") for w in sentence2.split()]`,
      py`from collections import Counter
counts = Counter(words1 + words2)
uncommon_words = [w for w in words1 + words2 if counts[w] == 1]`,
      py`print(uncommon_words)`,
    ],
    wrong: {
      turn: 4,
      completion: py`uncommon_words = [w for w in words1 if w not in words2]`,
      why: 'one side only',
    },
  },
  '71': {
    turns: [
      py`sentence1 = '{s1}'`,
      py`words1 = sentence1.split()`,
      py`import string
words1 = [w.strip(string.punctuation) for w in words1]`,
      py`avg = sum(len(w) for w in words1) / len(words1)`,
      py`print(avg)`,
    ],
    wrong: { turn: 2, completion: py`words1 = words1`, why: 'counts punctuation' },
  },
  '72': {
    turns: [
      py`w1 = "{w1}"
w2 = "{w2}"`,
      py`w1 = w1.lower()
w2 = w2.lower()`,
      py`from collections import Counter
f1 = Counter(w1)
f2 = Counter(w2)`,
      py`print(f1 == f2)`,
    ],
    wrong: {
      turn: 3,
      completion: py`print(w1 == w2)`,
      why: 'compares the words, not their letters',
    },
  },
  '73': {
    turns: [py`w1 = "{w}"`, py`w2 = "".join(reversed(w1))`, py`print(w2)`],
  },
  '74': {
    turns: [
      py`num = {n}`,
      py`lst1 = list(range(1, num + 1))`,
      py`n1 = sum(x ** 2 for x in lst1)`,
      py`n2 = sum(lst1) ** 2`,
      py`print(n1 - n2)`,
    ],
    wrong: { turn: 4, completion: py`print(n2 - n1)`, why: 'the other sign' },
  },
  '75': {
    turns: [
      py`vec1 = {lst1}`,
      py`vec2 = {lst2}`,
      py`import math
norm1 = math.sqrt(sum(x * x for x in vec1))
vec1 = [x / norm1 for x in vec1]`,
      py`norm2 = math.sqrt(sum(x * x for x in vec2))
vec2 = [x / norm2 for x in vec2]`,
      py`dot = sum(x * y for x, y in zip(vec1, vec2))`,
      py`print(dot)`,
    ],
    wrong: { turn: 3, completion: py`vec2 = vec2`, why: 'one vector not normalized' },
  },
  '76': {
    turns: [
      py`vec1 = {lst1}`,
      py`vec2 = {lst2}`,
      py`vec3 = {lst3}`,
      py`vec1, vec2, vec3 = np.array(vec1), np.array(vec2), np.array(vec3)`,
      py`def dist(a, b):
    return np.linalg.norm(a - b)`,
      py`d1 = dist(vec1, vec2)`,
      py`d2 = dist(vec1, vec3)`,
      py`print(d1 > d2)`,
    ],
  },
  '77': {
    turns: [
      py`lst1 = {l1}`,
      py`lst2 = {l2}`,
      py`def std(numbers):
    mean = sum(numbers) / len(numbers)
    return (sum((x - mean) ** 2 for x in numbers) / len(numbers)) ** 0.5`,
      py`std1 = std(lst1)
std2 = std(lst2)`,
      py`print(round(min(std1, std2), 2))`,
    ],
    wrong: { turn: 4, completion: py`print(round(max(std1, std2), 2))`, why: 'the larger' },
  },
  '78': {
    turns: [
      py`lst1 = {l1}`,
      py`lst2 = {l2}`,
      py`def mean(numbers):
    return sum(numbers) / len(numbers)`,
      py`mean1 = mean(lst1)
mean2 = mean(lst2)`,
      py`print(min(mean1, mean2))`,
    ],
    wrong: {
      turn: 2,
      completion: py`def mean(numbers):
    return sum(numbers) / (len(numbers) + 1)`,
      why: 'divides by n + 1',
    },
  },
  '79': {
    turns: [
      py`lst1 = {l1}`,
      py`avg = sum(lst1) / len(lst1)
sd = (sum((x - avg) ** 2 for x in lst1) / len(lst1)) ** 0.5`,
      py`cv = sd / avg`,
      py`print(cv)`,
    ],
    wrong: { turn: 2, completion: py`cv = avg / sd if sd else 0.0`, why: 'inverted ratio' },
  },
  '80': {
    turns: [py`lst1 = {l1}`, py`lst2 = [abs(x) for x in lst1]`, py`l1 = sum(lst2)`, py`print(l1)`],
    wrong: { turn: 1, completion: py`lst2 = lst1`, why: 'no absolute value' },
  },
};
