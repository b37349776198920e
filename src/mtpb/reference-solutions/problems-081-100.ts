import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions081to100: SolutionSet = {
  '81': {
    turns: [
      py`lst1 = {lst1}`,
      py`mean = sum(lst1) / len(lst1)`,
      py`std = (sum((x - mean) ** 2 for x in lst1) / len(lst1)) ** 0.5`,
      py`z = mean / std`,
      py`print(z)`,
    ],
    wrong: { turn: 3, completion: py`z = (mean - 1) / std`, why: 'tests a mean of 1' },
  },
  '82': {
    turns: [
      py`lst1 = {lst}`,
      py`lst_pos = [x for x in lst1 if x > 0]
lst_neg = [x for x in lst1 if x < 0]`,
      py`lst2 = lst_pos + lst_neg`,
      py`print(lst2)`,
    ],
    wrong: { turn: 2, completion: py`lst2 = lst_neg + lst_pos`, why: 'negatives first' },
  },
  '83': {
    turns: [
      py`w = "{w}"`,
      py`w = w.lower()`,
      py`import re
w = re.sub("[a-z]", "", w)`,
      py`print(w)`,
    ],
    wrong: { turn: 1, completion: py`w = w`, why: 'misses capitals' },
  },
  '84': {
    turns: [
      py`X = np.array({X})`,
      py`Xn = X @ X.T`,
      py`np.fill_diagonal(Xn, 0)`,
      py`print(float(Xn.max()))`,
    ],
  },
  '85': {
    turns: [
      py`pred = np.array({pred})
y = np.array({y})`,
      py`match = pred == y`,
      py`non_zero = y > 0`,
      py`correct = np.logical_and(match, non_zero)`,
      py`prec = correct.sum() / pred.sum()`,
      py`rec = correct.sum() / non_zero.sum()`,
      py`print(2 * prec * rec / (prec + rec))`,
    ],
  },
  '86': {
    turns: [
      py`concat = "{x}"`,
      py`import re
pat = re.compile(r"([A-Z])")`,
      py`result = pat.sub(r" \1", concat)`,
      py`print(result)`,
    ],
    wrong: { turn: 2, completion: py`result = pat.sub(r"\1 ", concat)`, why: 'the space after' },
  },
  '87': {
    turns: [
      py`x = {x}`,
      py`mean = np.mean(x)
std = np.std(x)`,
      py`results = [v for v in x if v <= mean - 2 * std or v >= mean + 2 * std]`,
      py`print(sorted(results))`,
    ],
  },
  '88': {
    turns: [
      py`x = {x}`,
      py`vocab = sorted(set(x))`,
      py`v2i = {{v: i for i, v in enumerate(vocab)}}`,
      py`features = np.zeros((len(x), len(vocab)), dtype=int)`,
      py`for i, v in enumerate(x):
    features[i, v2i[v]] = 1`,
      py`print(features)`,
    ],
  },
  '89': {
    turns: [
      py`x = {x}`,
      py`mapped = [{fun}(e) for e in x]`,
      py`mapped = [m.__name__ if isinstance(m, type) else str(m) for m in mapped]`,
      py`results = {{m: [] for m in mapped}}`,
      py`for m, v in zip(mapped, x):
    results[m].append(v)`,
      py`print(results)`,
    ],
  },
  '90': {
    turns: [
      py`best = -1
array = {array}`,
      py`minimum = array[0]`,
      py`for value in array[1:]:
    if value - minimum > best:
        best = value - minimum
    if value < minimum:
        minimum = value`,
      py`print(best)`,
    ],
    wrong: {
      turn: 2,
      completion: py`for value in array[1:]:
    best = max(best, value - array[0])`,
      why: 'only buys on the first day',
    },
  },
  '91': {
    turns: [
      py`target = {target}
nums = {nums}
result = []`,
      py`for i, n in enumerate(nums):
    if n == target:
        result.append(i)`,
      py`print(sum(result))`,
    ],
    wrong: {
      turn: 1,
      completion: py`for i, n in enumerate(nums):
    if n == target:
        result.append(n)`,
      why: 'sums the values',
    },
  },
  '92': {
    turns: [
      py`nums = {nums}
N = {N}`,
      py`all_nums = set(range(1, N + 1))`,
      py`diff = all_nums - set(nums)`,
      py`print(diff.pop())`,
    ],
  },
  '93': {
    turns: [
      py`X = {x}`,
      py`common = set(X[0])`,
      py`for row in X:
    common = common & set(row)`,
      py`print(list(common))`,
    ],
    wrong: {
      turn: 2,
      completion: py`for row in X:
    common = common | set(row)`,
      why: 'the union',
    },
  },
  '94': {
    turns: [
      py`start = {start}
seq = [{start}]`,
      py`while start != 1:
    if start % 2 == 0:
        start = start // 2
    else:
        start = start * 3 + 1
    seq.append(start)`,
      py`results = sum(seq)`,
      py`print(results)`,
    ],
    wrong: { turn: 2, completion: py`results = sum(seq[1:])`, why: 'drops the start' },
  },
  '95': {
    turns: [
      py`pos = "{start}"
swap = {swap}`,
      py`def move(x, y):
    return y.replace(x, "")`,
      py`for s in swap:
    if pos in s:
        pos = move(pos, s)`,
      py`print(pos)`,
    ],
  },
  '96': {
    turns: [
      py`stack = []
num = str({x})`,
      py`for ch in num:
    stack.append(ch)`,
      py`result = ""
while stack:
    result += stack.pop()`,
      py`print(int(result))`,
    ],
    wrong: { turn: 2, completion: py`result = "".join(stack)`, why: 'not reversed' },
  },
  '97': {
    turns: [
      py`arrows = {x}
joined_arrow = "".join(arrows)`,
      py`left = joined_arrow.count("<")
right = joined_arrow.count(">")`,
      py`if right > left:
    print(">" * (right - left))`,
      py`else:
    print("<" * (left - right))`,
    ],
    wrong: {
      turn: 3,
      completion: py`else:
    print("<" * left)`,
      why: 'all left arrows',
    },
  },
  '98': {
    turns: [
      py`array = {x}`,
      py`diff = max(array) - min(array)`,
      py`result = diff in array`,
      py`print(result)`,
    ],
    wrong: { turn: 2, completion: py`result = diff not in array`, why: 'negated' },
  },
  '99': {
    turns: [
      py`original = "{x}"`,
      py`from collections import OrderedDict
dic = OrderedDict((ch, 0) for ch in original)`,
      py`for ch in original:
    dic[ch] += 1`,
      py`result = ""
for key, value in dic.items():
    result += key + str(value)`,
      py`print(result)`,
    ],
    wrong: {
      turn: 3,
      completion: py`result = ""
for key, value in sorted(dic.items()):
    result += key + str(value)`,
      why: 'alphabetical order',
    },
  },
  '100': {
    turns: [
      py`import re
pattern = re.compile(r"[\w.]+@[\w.]+\.\w+")`,
      py`address = pattern.search("{x}").group(0)`,
      py`address = address[:address.index("@")]`,
      py`address = re.sub("[^a-zA-Z]", " ", address)`,
      py`print(address)`,
    ],
    wrong: {
      turn: 3,
      completion: py`address = re.sub("[^a-zA-Z]", "", address)`,
      why: 'removes instead of spacing',
    },
  },
};
