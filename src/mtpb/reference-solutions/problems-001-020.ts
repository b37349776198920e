import { py } from './types.ts';
import type { SolutionSet } from './types.ts';

export const solutions001to020: SolutionSet = {
  '1': {
    turns: [
      py`my_string = "{A}"`,
      py`my_string = my_string.lower()`,
      py`chars = set(my_string)`,
      py`chars = sorted(chars)`,
      py`print(chars)`,
    ],
    wrong: {
      turn: 3,
      completion: py`chars = sorted(chars, reverse=True)`,
      why: 'sorts descending',
    },
  },
  '2': {
    turns: [
      py`numbers = {numbers}`,
      py`total = sum(numbers)`,
      py`normalized = [x / total * 100 for x in numbers]`,
      py`formatted = [f"{{x:.1f}}" for x in normalized]`,
      py`print(formatted)`,
    ],
    wrong: {
      turn: 3,
      completion: py`formatted = [f"{{x:.2f}}" for x in normalized]`,
      why: 'two decimals',
    },
  },
  '3': {
    turns: [
      py`def minutes_to_seconds(minutes):
    return minutes * 60`,
      py`def hours_to_seconds(hours):
    return hours * 3600`,
      py`print(hours_to_seconds({a1}) + minutes_to_seconds({a2}))`,
    ],
    wrong: {
      turn: 1,
      completion: py`def hours_to_seconds(hours):
    return hours * 60`,
      why: 'an hour is 60 seconds',
    },
  },
  '4': {
    turns: [
      py`def fibonacci(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a`,
      py`def square(x):
    return x * x`,
      py`print(square(fibonacci({a1})))`,
    ],
    wrong: {
      turn: 0,
      completion: py`def fibonacci(n):
    a, b = 0, 1
    for _ in range(n - 1):
        a, b = b, a + b
    return a`,
      why: 'off by one',
    },
  },
  '5': {
    turns: [
      py`my_numbers = {A}`,
      py`n_neg = len([x for x in my_numbers if x < 0])`,
      py`n_pos = len([x for x in my_numbers if x > 0])`,
      py`print(max(n_neg, n_pos))`,
    ],
    wrong: { turn: 3, completion: py`print(min(n_neg, n_pos))`, why: 'the smaller count' },
  },
  '6': {
    turns: [
      py`import pandas as pd`,
      py`df = pd.DataFrame({{"Yes": [{a1}, {a2}], "No": [{a3}, {a4}]}})`,
      py`means = df.mean()`,
      py`print(means)`,
    ],
  },
  '7': {
    turns: [
      py`def fizzbuzz(n):
    if n % {a1} == 0 and n % {a2} == 0:
        return "fizzbuzz"
    if n % {a1} == 0:
        return "fizz"
    if n % {a2} == 0:
        return "buzz"
    return n`,
      py`numbers = list(range({a3}, {a4} + 1))`,
      py`new_list = [fizzbuzz(n) for n in numbers]`,
      py`print(new_list)`,
    ],
    wrong: { turn: 1, completion: py`numbers = list(range({a3}, {a4}))`, why: 'excludes the end' },
  },
  '8': {
    turns: [
      py`def bigrams(text):
    words = text.split()
    return list(zip(words, words[1:]))`,
      py`sentence = "{a1}"`,
      py`print(bigrams(sentence))`,
    ],
    wrong: {
      turn: 0,
      completion: py`def bigrams(text):
    words = text.split()
    return zip(words, words[1:])`,
      why: 'prints a zip object',
    },
  },
  '9': {
    turns: [
      py`my_notes = dict(zip(["Kevin", "John", "Mike", "Mitch"], [{a1}, {a2}, {a3}, {a4}]))`,
      py`def top_notes(notes):
    return {{name: max(values) for name, values in notes.items()}}`,
      py`my_list = list(top_notes(my_notes).items())`,
      py`top_name = max(my_list, key=lambda pair: pair[1])[0]`,
      py`print(top_name)`,
    ],
    wrong: {
      turn: 3,
      completion: py`top_name = min(my_list, key=lambda pair: pair[1])[0]`,
      why: 'the lowest',
    },
  },
  '10': {
    turns: [
      py`def to_binary(n):
    return bin(n)[2:]`,
      py`def to_hex(s):
    return int(s, 2)`,
      py`my_hex = {a1}`,
      py`my_binary = to_binary(my_hex)`,
      py`result = to_hex(my_binary)`,
      py`print(result)`,
    ],
    wrong: {
      turn: 1,
      completion: py`def to_hex(s):
    return hex(int(s, 2))`,
      why: 'a hex string, not a number',
    },
  },
  '11': {
    turns: [
      py`my_dict = dict(zip({a1}, {a2}))`,
      py`def invert(d):
    return {{v: k for k, v in d.items()}}`,
      py`def is_inverted(d1, d2):
    return invert(d1) == d2`,
      {
        byInput: 'a3',
        cases: { '': py`my_dict2 = my_dict`, inverted: py`my_dict2 = invert(my_dict)` },
      },
      py`print(is_inverted(my_dict, my_dict2))`,
    ],
    wrong: {
      turn: 2,
      completion: py`def is_inverted(d1, d2):
    return d1 == d2`,
      why: 'compares without inverting',
    },
  },
  '12': {
    turns: [
      py`class Player:
    def __init__(self, name, age, height, weight):
        self.name = name
        self.age = age
        self.height = height
        self.weight = weight`,
      py`    def get_age(self):
        return f"{{self.name}} is age {{self.age}}"

    def get_height(self):
        return f"{{self.name}} is {{self.height}} cm"

    def get_weight(self):
        return f"{{self.name}} weighs {{self.weight}} kg"`,
      py`player = Player("{a1}", {a2}, {a3}, {a4})`,
      py`print(player.get_{a5}())`,
    ],
  },
  '13': {
    turns: [
      py`def num_len(num):
    return len(str(abs(num)))`,
      py`my_list = {a1}`,
      py`print(max(my_list, key=num_len))`,
    ],
    wrong: { turn: 2, completion: py`print(max(my_list))`, why: 'the largest, not the longest' },
  },
  '14': {
    turns: [
      py`from sklearn.linear_model import LinearRegression`,
      py`import math`,
      py`x = list(range(0, 11))`,
      py`def f(x):
    return x * 2`,
      py`y = np.array([f(i) for i in x])`,
      py`model = LinearRegression()`,
      py`model.fit(np.array(x).reshape(-1, 1), y.reshape(-1, 1))`,
      py`x_hat = model.predict([[{a1}]])`,
      py`print(int(math.ceil(round(x_hat[0][0], 6))))`,
    ],
  },
  '15': {
    turns: [
      py`def encrypt(text):
    result = ""
    for ch in text:
        if "a" <= ch <= "z":
            result += chr((ord(ch) - ord("a") + 2) % 26 + ord("a"))
        else:
            result += ch
    return result`,
      py`def decrypt(text):
    result = ""
    for ch in text:
        if "a" <= ch <= "z":
            result += chr((ord(ch) - ord("a") - 2) % 26 + ord("a"))
        else:
            result += ch
    return result`,
      py`original_text = "{a1}"`,
      py`encrypted_text = encrypt(original_text)`,
      py`restored_text = decrypt(encrypted_text)`,
      py`my_result = [restored_text, encrypted_text]`,
      py`print(my_result)`,
    ],
    wrong: {
      turn: 5,
      completion: py`my_result = [encrypted_text, restored_text]`,
      why: 'swapped order',
    },
  },
  '16': {
    turns: [
      py`class Person:
    def __init__(self, name, id):
        self.name = name
        self.id = id`,
      py`    def __hash__(self):
        return hash(self.{a1})`,
      py`    def __eq__(self, other):
        return hash(self) == hash(other)`,
      py`persons = [Person(name, id) for name, id in zip(["Person A", "Person B", "Person {a3}"], [{a2}])]`,
      py`unique_persons = set(persons)`,
      py`print(len(unique_persons))`,
    ],
    wrong: {
      turn: 2,
      completion: py`    def __eq__(self, other):
        return self is other`,
      why: 'identity, so no duplicates',
    },
  },
  '17': {
    turns: [
      py`# In this drunk Python, int() gives strings and str() gives integers.`,
      py`def int_to_str(n):
    return int(n)`,
      py`def str_to_int(s):
    return str(s)`,
      py`my_result = [int_to_str({a1}), str_to_int("{a1}")]`,
      py`print(my_result)`,
    ],
    wrong: {
      turn: 1,
      completion: py`def int_to_str(n):
    return str(n)`,
      why: 'sober str()',
    },
  },
  '18': {
    turns: [
      py`chars_to_dots = {{
    'A': '.-', 'B': '-...', 'C': '-.-.', 'D': '-..', 'E': '.', 'F': '..-.', 'G': '--.',
    'H': '....', 'I': '..', 'J': '.---', 'K': '-.-', 'L': '.-..', 'M': '--', 'N': '-.',
    'O': '---', 'P': '.--.', 'Q': '--.-', 'R': '.-.', 'S': '...', 'T': '-', 'U': '..-',
    'V': '...-', 'W': '.--', 'X': '-..-', 'Y': '-.--', 'Z': '--..', ' ': ' ', '0': '-----',
    '1': '.----', '2': '..---', '3': '...--', '4': '....-', '5': '.....', '6': '-....',
    '7': '--...', '8': '---..', '9': '----.', '&': '.-...', "'": '.----.', '@': '.--.-.',
    ')': '-.--.-', '(': '-.--.', ':': '---...', ',': '--..--', '=': '-...-', '!': '-.-.--',
    '.': '.-.-.-', '-': '-....-', '+': '.-.-.', '"': '.-..-.', '?': '..--..', '/': '-..-.',
}}`,
      py`def encode_morse(text):
    return " ".join(chars_to_dots[ch] for ch in text.upper())`,
      py`def decode_morse(code):
    dots_to_chars = {{v: k for k, v in chars_to_dots.items() if k != " "}}
    words = code.split("   ")
    return " ".join("".join(dots_to_chars[c] for c in word.split(" ")) for word in words)`,
      py`morse_code = encode_morse('{a1}')`,
      py`decoded_text = decode_morse(morse_code)`,
      py`print(decoded_text)`,
    ],
    wrong: { turn: 5, completion: py`print(decoded_text.lower())`, why: 'lower case' },
  },
  '19': {
    turns: [
      py`numbers = {a1}
target = {a2}`,
      py`def two_sum(nums, target):
    seen = {{}}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i
    return []`,
      py`print(two_sum(numbers, target))`,
    ],
  },
  '20': {
    turns: [
      py`import random

random.seed(0)

def sample_points(n, x_mean, y_mean, x_std, y_std):
    return [(random.gauss(x_mean, x_std), random.gauss(y_mean, y_std)) for _ in range(n)]`,
      py`points1 = sample_points(100, {a1}, {a1}, 1, 1)`,
      py`points2 = sample_points(100, -{a1}, -{a1}, 1, 1)`,
      py`points = points1 + points2`,
      py`def kmeans(points, k, n):
    centroids = random.sample(points, k)
    for _ in range(n):
        clusters = [[] for _ in range(k)]
        for p in points:
            i = min(range(k), key=lambda c: (p[0] - centroids[c][0]) ** 2 + (p[1] - centroids[c][1]) ** 2)
            clusters[i].append(p)
        centroids = [
            (sum(p[0] for p in c) / len(c), sum(p[1] for p in c) / len(c)) if c else centroids[i]
            for i, c in enumerate(clusters)
        ]
    return centroids`,
      py`my_centroids = kmeans(points, 2, 100)`,
      py`c1, c2 = sorted(my_centroids)
c1 = (round(c1[0]), round(c1[1]))
c2 = (round(c2[0]), round(c2[1]))
print(f"{{c1}}, {{c2}}")`,
    ],
  },
};
