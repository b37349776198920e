import type { loadPyodide, PyodideAPI } from 'pyodide';
import { AppError } from '../../shared/errors.ts';
import type { CallContext, Handlers } from '../../shared/rpc/index.ts';
import type {
  BootInfo,
  BootRequest,
  PythonWorkerContract,
  RunProgramRequest,
  SandboxEvent,
} from '../../shared/contracts/python-worker.ts';
import { hostOutcome, parseHarnessOutcome } from './outcome.ts';
import type { CaseOutcome } from './outcome.ts';
import { OutputStream } from './output-stream.ts';
import { guardNumpyPrelude, NUMPY_PRELUDE } from './program.ts';
import { Watchdog } from './watchdog.ts';

export type LoadPyodide = typeof loadPyodide;

/** Receives what a program writes to stdout or stderr, as it writes it (harness.py). */
type OutputSink = (stream: unknown, text: unknown) => void;

type PyFunction = (...args: (string | boolean | null | undefined | OutputSink)[]) => string;

interface Harness {
  runCase: PyFunction;
  requirements: PyFunction;
  prepare: PyFunction;
}

/**
 * The interpreter worker's logic, with no Worker in sight: the browser entry and the Node entry
 * both serve `handlers()` over their message port, and unit tests call it directly.
 */
export class PythonHandler {
  private py: PyodideAPI | null = null;
  private harness: Harness | null = null;
  private watchdog: Watchdog | null = null;
  /** import name → package name, from the lock file */
  private packageOf = new Map<string, string>();
  private failedPackages = new Set<string>();
  private dead: string | null = null;
  private memoryLimit = Infinity;
  /** `js.<name>` lookups a running program made; all of them come back undefined. */
  private jsLookups: string[] = [];
  private running = false;
  /** The running program's live output, when its run asked for `stream`. */
  private output: OutputStream | null = null;

  constructor(
    private readonly load: LoadPyodide,
    private readonly harnessSource: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  handlers(): Handlers<PythonWorkerContract> {
    return {
      boot: (request) => this.boot(request),
      run: (request, context) => this.run(request, context),
    };
  }

  async boot(request: BootRequest): Promise<BootInfo> {
    if (this.py) throw new AppError('bad-input', 'This Python worker is already booted.');
    const started = this.now();
    const py = await this.load({
      indexURL: request.indexURL,
      ...(request.lockFileURL === undefined ? {} : { lockFileURL: request.lockFileURL }),
      ...(request.packageBaseUrl === undefined ? {} : { packageBaseUrl: request.packageBaseUrl }),
      ...(request.packageCacheDir === undefined
        ? {}
        : { packageCacheDir: request.packageCacheDir }),
      jsglobals: request.exposeWorkerGlobals === true ? globalThis : this.jsGlobals(),
      stdout: () => {},
      stderr: () => {},
    });
    const heap = heapOf(py);
    this.watchdog = new Watchdog(this.now, () => heap.byteLength, request.interruptBuffer ?? null);
    py.setInterruptBuffer(this.watchdog.interruptBuffer(() => this.output?.poll()));
    this.harness = loadHarness(py, this.harnessSource);
    // pyodide_js is the whole Pyodide API; programs have no use for it. Defence in depth only:
    // the sandboxed iframe (browser/) is what keeps programs away from the app.
    py.unregisterJsModule('pyodide_js');
    py.runPython(
      'import sys\nfor m in [m for m in sys.modules if m.startswith("pyodide_js")]: del sys.modules[m]',
    );
    this.memoryLimit = request.memoryLimitBytes;
    for (const [name, info] of Object.entries(py.lockfile.packages)) {
      for (const module of info.imports) this.packageOf.set(module, name);
    }
    this.py = py;
    const pythonVersion = String(py.runPython('import sys; sys.version.split()[0]'));
    return {
      pyodideVersion: py.version,
      pythonVersion,
      bootMs: this.now() - started,
      heapBytes: heap.byteLength,
    };
  }

  async run(request: RunProgramRequest, context: CallContext<SandboxEvent>): Promise<CaseOutcome> {
    const { py, harness, watchdog } = this.ready();
    const heapBytes = (): number => heapOf(py).byteLength;
    if (this.dead !== null) return hostOutcome('crashed', this.dead, { heapBytes: heapBytes() });
    for (const name of request.unavailable) this.failedPackages.add(name);

    const humaneval = request.harness === 'humaneval';
    const hasPrefix = !humaneval && request.program.startsWith(NUMPY_PRELUDE);
    const body = hasPrefix ? request.program.slice(NUMPY_PRELUDE.length) : request.program;
    const needs = parseRequirements(harness.requirements(body));
    const wanted = new Set(
      needs.imports.map((m) => this.packageOf.get(m)).filter((p) => p !== undefined),
    );
    if (hasPrefix || needs.usesNp) wanted.add('numpy');
    await this.loadPackages([...wanted], context);

    const missing = [...wanted].filter((p) => !(p in py.loadedPackages));
    const numpyMissing = missing.includes('numpy');
    // numpy wanted only by the official prefix: guard the import and run the rest.
    const hardMissing = missing.filter(
      (p) => p !== 'numpy' || needs.usesNp || needs.imports.includes('numpy'),
    );
    if (hardMissing.length > 0) {
      return hostOutcome('unavailable', `Needs ${hardMissing.join(', ')}.`, {
        missingPackages: hardMissing,
        heapBytes: heapBytes(),
      });
    }
    const program = numpyMissing ? guardNumpyPrelude(request.program) : request.program;
    harness.prepare();

    context.emit({ kind: 'phase', phase: 'running' });
    watchdog.arm({
      timeLimitMs: request.timeLimitMs,
      hardStopMs: request.hardStopMs,
      memoryLimitBytes: this.memoryLimit,
    });
    let json: string;
    this.jsLookups = [];
    this.running = true;
    const output = request.stream
      ? new OutputStream((event) => context.emit(event), this.now)
      : null;
    this.output = output;
    try {
      json = output
        ? harness.runCase(
            program,
            request.expected,
            (stream: unknown, text: unknown) => {
              // Called from Python, where a program can reach the sink too: only text counts.
              if (typeof text === 'string')
                output.write(stream === 'stderr' ? 'stderr' : 'stdout', text);
            },
            humaneval,
          )
        : // undefined, not null: Pyodide passes JS null as JsNull, which is not None.
          harness.runCase(program, request.expected, undefined, humaneval);
    } catch (error) {
      // Python errors never get here (harness.py catches BaseException); this is Pyodide dying.
      this.dead =
        error instanceof Error ? (error.message.split('\n')[0] ?? 'fatal error') : String(error);
      return hostOutcome('crashed', `The Python runtime crashed: ${this.dead}`);
    } finally {
      this.running = false;
      watchdog.disarm();
      // Before the outcome, on the same port: the page has all the output when the run ends.
      output?.finish();
      this.output = null;
    }
    const parsed = parseHarnessOutcome(json, heapBytes());
    const outcome = {
      ...parsed,
      blocked: [...parsed.blocked, ...new Set(this.jsLookups)],
      // numpy guarded out of the prefix: the sandbox remembers it, so new workers do not retry.
      missingPackages: missing,
    };
    const lost = missingModule(outcome, numpyMissing, this.failedPackages, this.packageOf);
    return lost ? { ...outcome, status: 'unavailable', missingPackages: [lost] } : outcome;
  }

  /**
   * What `import js` gives a program: an empty object that notes what was looked up, so the
   * verdict can say "blocked: js.fetch" rather than a bare AttributeError.
   */
  private jsGlobals(): object {
    return new Proxy(Object.create(null) as object, {
      get: (_target, key) => {
        if (this.running && typeof key === 'string' && !key.startsWith('__'))
          this.jsLookups.push(`js.${key}`);
        return undefined;
      },
      has: () => false,
    });
  }

  private async loadPackages(wanted: string[], context: CallContext<SandboxEvent>): Promise<void> {
    const py = this.ready().py;
    const toLoad = wanted.filter((p) => !(p in py.loadedPackages) && !this.failedPackages.has(p));
    if (toLoad.length === 0) return;
    context.emit({ kind: 'phase', phase: 'loading-packages', packages: toLoad });
    try {
      await py.loadPackage(toLoad, { messageCallback: () => {}, errorCallback: () => {} });
    } catch {
      // Reported below by what is missing from loadedPackages.
    }
    for (const name of toLoad) if (!(name in py.loadedPackages)) this.failedPackages.add(name);
  }

  private ready(): { py: PyodideAPI; harness: Harness; watchdog: Watchdog } {
    if (!this.py || !this.harness || !this.watchdog) {
      throw new AppError('worker-start', 'The Python worker was asked to run before it booted.');
    }
    return { py: this.py, harness: this.harness, watchdog: this.watchdog };
  }
}

/** A program that failed only because a package we could not load is missing. */
function missingModule(
  outcome: CaseOutcome,
  numpyMissing: boolean,
  failed: ReadonlySet<string>,
  packageOf: ReadonlyMap<string, string>,
): string | null {
  if (outcome.status !== 'error' || outcome.error === null) return null;
  if (numpyMissing && outcome.errorType === 'NameError' && outcome.error.includes("'np'"))
    return 'numpy';
  if (outcome.errorType !== 'ModuleNotFoundError' && outcome.errorType !== 'ImportError')
    return null;
  const module = /No module named '([\w]+)/.exec(outcome.error)?.[1];
  const name = module === undefined ? undefined : packageOf.get(module);
  return name !== undefined && failed.has(name) ? name : null;
}

function parseRequirements(json: string): { imports: string[]; usesNp: boolean } {
  const raw = JSON.parse(json) as { imports?: unknown; usesNp?: unknown };
  const imports = Array.isArray(raw.imports)
    ? raw.imports.filter((m) => typeof m === 'string')
    : [];
  return { imports, usesNp: raw.usesNp === true };
}

/** Runs harness.py in a namespace of its own and takes the three functions the worker calls. */
function loadHarness(py: PyodideAPI, source: string): Harness {
  const namespace: unknown = py.toPy({});
  if (!(namespace instanceof py.ffi.PyDict))
    throw new AppError('worker-start', 'toPy({}) is not a dict');
  py.runPython(source, { globals: namespace, filename: 'harness.py' });
  const take = (name: string): PyFunction => {
    const fn: unknown = namespace.get(name);
    if (!(fn instanceof py.ffi.PyCallable)) {
      throw new AppError('worker-start', `harness.py has no ${name}()`);
    }
    return (...args) => {
      const result: unknown = fn(...args);
      if (typeof result !== 'string')
        throw new AppError('internal', `${name}() did not return JSON`);
      return result;
    };
  };
  return {
    runCase: take('run_case'),
    requirements: take('requirements'),
    prepare: take('prepare'),
  };
}

/** The wasm heap, which Pyodide does not type. Read afresh: it is replaced when memory grows. */
function heapOf(py: PyodideAPI): { readonly byteLength: number } {
  const module: unknown = (py as unknown as { _module?: unknown })._module;
  return {
    get byteLength(): number {
      const heap = (module as { HEAP8?: Int8Array } | undefined)?.HEAP8;
      return heap?.byteLength ?? 0;
    },
  };
}
