import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions041to060: SolutionSet = {
  '41': {
    turns: [
      py`def count_values(lst):
    counts = {{}}
    for x in lst:
        counts[x] = counts.get(x, 0) + 1
    return counts`,
      py`lst = {lst}
counts = count_values(lst)`,
      py`best = max(counts, key=counts.get) if counts else None
if best is not None and counts[best] > len(lst) / 2:
    print(best)
else:
    print(None)`,
    ],
    wrong: { turn: 2, completion: py`print(min(counts, key=counts.get))`, why: 'the rarest value' },
  },
  '42': {
    turns: [
      py`import datetime
today = datetime.datetime({year}, {month}, {day})`,
      py`week = today + datetime.timedelta(days=7)`,
      py`print(week.strftime("%m/%d/%Y"))`,
    ],
    wrong: { turn: 2, completion: py`print(week.strftime("%d/%m/%Y"))`, why: 'day first' },
  },
  '43': {
    turns: [
      py`def word_weight(word):
    return sum(ord(ch) for ch in word if ch.isalpha())`,
      py`words = {words}
weights = [word_weight(word) for word in words]`,
      py`print(sorted(weights) == weights)`,
    ],
    wrong: {
      turn: 0,
      completion: py`def word_weight(word):
    return sum(ord(ch) for ch in word)`,
      why: 'counts punctuation',
    },
  },
  '44': {
    turns: [
      py`def is_palindrome(n):
    return str(n) == str(n)[::-1]`,
      py`def descent(n):
    digits = str(n)
    return int("".join(str(int(digits[i]) + int(digits[i + 1])) for i in range(0, len(digits) - 1, 2)) + (digits[-1] if len(digits) % 2 else ""))`,
      py`base = {n}`,
      py`while len(str(base)) > 1:
    if is_palindrome(base):
        break
    base = descent(base)`,
      py`print(len(str(base)) > 1)`,
    ],
  },
  '45': {
    turns: [
      py`input = '{input}'
stack = []`,
      py`for ch in input:
    if ch == "@":
        if stack:
            stack.pop()
    else:
        stack.append(ch)`,
      py`print("".join(stack))`,
    ],
    wrong: {
      turn: 1,
      completion: py`for ch in input:
    if ch == "@" and stack:
        stack.pop()
    else:
        stack.append(ch)`,
      why: 'keeps an @ typed on an empty line',
    },
  },
  '46': {
    turns: [
      py`import pandas as pd`,
      py`from sklearn.model_selection import train_test_split
df = pd.read_csv("./datasets/melb_data.csv")`,
      py`y = df["Price"]`,
      py`melb_predictors = df.drop(["Price"], axis=1)`,
      py`X = melb_predictors.select_dtypes(exclude=["object"])`,
      py`x_train, x_valid, y_train, y_valid = train_test_split(X, y, train_size={a1} / 100, test_size={a2} / 100, random_state=0)`,
      py`print("{{:.1f}} {{:.1f}}".format(x_train.iloc[:, 0].sum(), y_train.sum()))`,
    ],
  },
  '47': {
    turns: [
      py`lst1 = {l}`,
      py`a = min(lst1)
b = max(lst1)`,
      py`lst2 = list(range(a, b + 1))`,
      py`missing = [x for x in lst2 if x not in lst1]`,
      py`print(sum(missing))`,
    ],
    wrong: {
      turn: 3,
      completion: py`missing = [x for x in lst1 if x not in lst2]`,
      why: 'the wrong way round',
    },
  },
  '48': {
    turns: [
      py`lst1 = {l}`,
      py`def num_in_str(s):
    return any(ch.isdigit() for ch in s)`,
      py`lst2 = [s for s in lst1 if num_in_str(s)]`,
      py`print(lst2)`,
    ],
    wrong: {
      turn: 1,
      completion: py`def num_in_str(s):
    return s[0].isdigit()`,
      why: 'only a leading digit',
    },
  },
  '49': {
    turns: [
      py`def a(x):
    return x * {a1}`,
      py`def b(x):
    return x * {a2}`,
      py`def c(x):
    return x * {a3}`,
      py`abc = [a, b, c]`,
      py`my_init = {a4}`,
      py`my_result = abc[0](my_init)`,
      py`for f in abc[1:]:
    my_result = f(my_result)`,
      py`print(my_result)`,
    ],
    wrong: {
      turn: 6,
      completion: py`for f in abc[1:]:
    my_result = f(my_init)`,
      why: 'does not chain',
    },
  },
  '50': {
    turns: [
      py`def to_plural(words):
    return {{word + "s" if words.count(word) > 1 else word for word in words}}`,
      py`def is_plural(word):
    return word.endswith("s")`,
      py`words = {a1}`,
      py`words_plural = to_plural(words)`,
      py`contains_plural = any(is_plural(word) for word in words_plural)`,
      py`print(contains_plural)`,
    ],
    wrong: {
      turn: 4,
      completion: py`contains_plural = all(is_plural(word) for word in words_plural)`,
      why: 'all instead of any',
    },
  },
  '51': {
    turns: [
      py`my_relative_altitude = {A}`,
      py`my_net_altitude = [0]
for x in my_relative_altitude:
    my_net_altitude.append(my_net_altitude[-1] + x)`,
      py`print(max(my_net_altitude))`,
    ],
    wrong: {
      turn: 1,
      completion: py`my_net_altitude = []
total = 0
for x in my_relative_altitude:
    total += x
    my_net_altitude.append(total)`,
      why: 'forgets the starting 0',
    },
  },
  '52': {
    turns: [
      py`my_sentences = {A}`,
      py`k = {K}`,
      py`truncated_list = my_sentences[:k]`,
      py`print(truncated_list)`,
    ],
  },
  '53': {
    turns: [
      py`my_numbers = {A}`,
      py`from collections import Counter
frequencies = Counter(my_numbers)`,
      py`one_time = [x for x, count in frequencies.items() if count == 1][0]`,
      py`print(one_time)`,
    ],
  },
  '54': {
    turns: [
      py`my_numbers = {A}`,
      py`val = {Val}`,
      py`remove_numbers = [x for x in my_numbers if x != val]`,
      py`print(remove_numbers)`,
    ],
    wrong: {
      turn: 2,
      completion: py`remove_numbers = list(my_numbers)
remove_numbers.remove(val)`,
      why: 'removes only the first',
    },
  },
  '55': {
    turns: [
      py`my_numbers = {A}`,
      py`val = {Val}`,
      py`sum_numbers = sum(my_numbers)`,
      py`"True" if sum_numbers == val else "False"`,
    ],
  },
  '56': {
    turns: [
      py`my_numbers1 = {A}`,
      py`my_numbers2 = {B}`,
      py`new_list = sorted(my_numbers1 + my_numbers2)`,
      py`print(new_list)`,
    ],
  },
  '57': {
    turns: [
      py`my_array = {A}`,
      py`best_sum = None
best_start = best_end = 0
current_sum = 0
current_start = 0
for i, x in enumerate(my_array):
    if current_sum <= 0:
        current_start = i
        current_sum = x
    else:
        current_sum += x
    if best_sum is None or current_sum > best_sum:
        best_sum = current_sum
        best_start, best_end = current_start, i + 1
max_subarray = my_array[best_start:best_end]`,
      py`sum_subarry = sum(max_subarray)`,
      py`print(sum_subarry)`,
    ],
  },
  '58': {
    turns: [
      py`my_number = {A}`,
      py`import math
square_root = math.sqrt(my_number)`,
      py`largest_square_root = math.floor(square_root)`,
      py`print(largest_square_root)`,
    ],
    wrong: {
      turn: 2,
      completion: py`largest_square_root = math.ceil(square_root)`,
      why: 'rounds up',
    },
  },
  '59': {
    turns: [
      py`my_words = {A}`,
      py`word_count = {{word: len(word) for word in my_words}}`,
      py`longest_word = max(word_count, key=word_count.get)`,
      py`print(longest_word)`,
    ],
    wrong: {
      turn: 2,
      completion: py`longest_word = max(word_count)`,
      why: 'the last in alphabetical order',
    },
  },
  '60': {
    turns: [
      py`my_numbers = {A}`,
      py`my_uniques = [x for x in my_numbers if my_numbers.count(x) == 1]`,
      py`print(sum(my_uniques))`,
    ],
    wrong: {
      turn: 1,
      completion: py`my_uniques = list(set(my_numbers))`,
      why: 'distinct, not unique',
    },
  },
};
