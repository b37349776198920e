import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions101to115: SolutionSet = {
  '101': {
    turns: [
      py`my_numbers = {A}`,
      py`def distinct(lst):
    return list(set(lst))`,
      py`unique_list = distinct(my_numbers)`,
      py`unique_list.sort()
print(unique_list[-2] if len(unique_list) > 1 else unique_list[-1])`,
    ],
    wrong: {
      turn: 3,
      completion: py`my_numbers.sort()
print(my_numbers[-2])`,
      why: 'ignores duplicates',
    },
  },
  '102': {
    turns: [
      py`my_numbers = {A}`,
      py`def prefix_sum(lst):
    result = []
    total = 0
    for x in lst:
        total += x
        result.append(total)
    return result`,
      py`prefix_sum_list = prefix_sum(my_numbers)`,
      py`print(max(prefix_sum_list))`,
    ],
    wrong: {
      turn: 3,
      completion: py`print(prefix_sum_list[-1])`,
      why: 'the total, not the maximum',
    },
  },
  '103': {
    turns: [
      py`my_numbers = {A}`,
      py`distances = [abs(x) for x in my_numbers]`,
      py`closest_number = min(my_numbers, key=abs)`,
      py`print(abs(closest_number))`,
    ],
    wrong: {
      turn: 2,
      completion: py`closest_number = min(my_numbers)`,
      why: 'the smallest number',
    },
  },
  '104': {
    turns: [
      py`my_string = "{A}"`,
      py`def is_unique(s):
    return len(set(s)) == len(s)`,
      py`result_substring = ""
for i in range(len(my_string)):
    for j in range(i + 1, len(my_string) + 1):
        if is_unique(my_string[i:j]) and j - i > len(result_substring):
            result_substring = my_string[i:j]`,
      py`print(len(result_substring))`,
    ],
    wrong: {
      turn: 1,
      completion: py`def is_unique(s):
    return s[0] != s[-1]`,
      why: 'only compares the ends',
    },
  },
  '105': {
    turns: [
      py`my_string = "{A}"`,
      py`repeated = [ch for ch in set(my_string) if my_string.count(ch) > 1]`,
      py`frequencies = {{ch: my_string.count(ch) for ch in repeated}}`,
      py`print(max(frequencies.values()) if frequencies else 0)`,
    ],
    wrong: {
      turn: 3,
      completion: py`print(len(frequencies))`,
      why: 'the number of repeated characters',
    },
  },
  '106': {
    turns: [
      py`my_string = "{A}"`,
      py`def is_palindrome(s):
    return s == s[::-1]`,
      py`palindromes = [my_string[i:j] for i in range(len(my_string)) for j in range(i + 1, len(my_string) + 1) if is_palindrome(my_string[i:j])]`,
      py`print(max(len(p) for p in palindromes))`,
    ],
    wrong: { turn: 3, completion: py`print(len(palindromes))`, why: 'counts the palindromes' },
  },
  '107': {
    turns: [
      py`my_integer = {A}`,
      py`def is_prime(n):
    if n < 2:
        return False
    for d in range(2, int(n ** 0.5) + 1):
        if n % d == 0:
            return False
    return True`,
      py`prime_result = [n for n in range(my_integer) if is_prime(n)]`,
      py`print(len(prime_result))`,
    ],
    wrong: {
      turn: 2,
      completion: py`prime_result = [n for n in range(my_integer + 1) if is_prime(n)]`,
      why: 'includes my_integer',
    },
  },
  '108': {
    turns: [
      py`my_array = {A}`,
      py`k = {K}`,
      py`def rotate(arr):
    return arr[-1:] + arr[:-1]`,
      py`rotated_result = my_array
for _ in range(k):
    rotated_result = rotate(rotated_result)`,
      py`print(rotated_result)`,
    ],
    wrong: {
      turn: 2,
      completion: py`def rotate(arr):
    return arr[1:] + arr[:1]`,
      why: 'rotates left',
    },
  },
  '109': {
    turns: [
      py`my_array = {A}`,
      py`my_sum = sum(my_array)`,
      py`def can_partition(arr):
    total = sum(arr)
    if total % 2:
        return False
    sums = {{0}}
    for x in arr:
        sums = sums | {{s + x for s in sums}}
    return total // 2 in sums`,
      py`print(can_partition(my_array))`,
    ],
  },
  '110': {
    turns: [
      py`my_number = {A}`,
      py`import math
root_number = math.sqrt(my_number)`,
      py`def integer_part(x):
    return int(x)`,
      py`print(integer_part(root_number))`,
    ],
  },
  '111': {
    turns: [
      py`my_number = {A}`,
      py`plus_number = my_number + 1`,
      py`def digits(n):
    return [int(d) for d in str(n)]`,
      py`print(digits(plus_number))`,
    ],
    wrong: { turn: 3, completion: py`print(digits(my_number))`, why: 'forgets the plus one' },
  },
  '112': {
    turns: [
      py`my_number = {A}`,
      py`def square_sum(a, b):
    return a * a + b * b`,
      py`def is_sum_of_squares(n):
    for a in range(int(n ** 0.5) + 1):
        for b in range(a, int(n ** 0.5) + 1):
            if square_sum(a, b) == n:
                return True
    return False`,
      py`print("True" if is_sum_of_squares(my_number) else "False")`,
    ],
  },
  '113': {
    turns: [
      py`my_array = {A}`,
      py`def std(arr):
    mean = sum(arr) / len(arr)
    return (sum((x - mean) ** 2 for x in arr) / len(arr)) ** 0.5`,
      py`result = std(my_array)`,
      py`print("True" if result < 1 else "False")`,
    ],
    wrong: {
      turn: 3,
      completion: py`print("True" if result > 1 else "False")`,
      why: 'the comparison reversed',
    },
  },
  '114': {
    turns: [
      py`my_matrix = {A}`,
      py`row_number = len(my_matrix)`,
      py`column_number = len(my_matrix[0])`,
      py`print(row_number + column_number)`,
    ],
    wrong: { turn: 2, completion: py`column_number = len(my_matrix)`, why: 'rows twice' },
  },
  '115': {
    turns: [
      py`my_array = {A}`,
      py`mean_number = sum(my_array) / len(my_array)`,
      py`import statistics
median_number = statistics.median(my_array)`,
      py`print(mean_number - median_number)`,
    ],
    wrong: { turn: 3, completion: py`print(median_number - mean_number)`, why: 'the other sign' },
  },
};
