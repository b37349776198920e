import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { ModelState } from '../model-manager/model-store.ts';
import type { ModelWorkerContract } from '../shared/contracts/model-worker.ts';
import { AppError } from '../shared/errors.ts';
import type { RpcClient } from '../shared/rpc/client.ts';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import type { EditorCommands } from './editor/CodeEditor.tsx';
import type { EditorPort } from './editor/editor-port.ts';
import { TabFocusSwitch } from './editor/TabFocusSwitch.tsx';
import { GenerationLine } from './GenerationLine.tsx';
import type { GenerationStats } from './generate/stats.ts';
import { modelProblem } from './generate/model-problem.ts';
import { useEditorCompletion } from './generate/use-completion.ts';
import { TokenInspector } from './inspector/TokenInspector.tsx';
import { ConsolePanel } from './run/ConsolePanel.tsx';
import { usePythonRun } from './run/use-python.ts';
import { SettingsForm } from './SettingsForm.tsx';
import { loadTabMovesFocus, saveTabMovesFocus } from './state/persist.ts';
import { resolveSettings } from './state/settings.ts';
import type { PlaygroundSnapshot } from './state/share-state.ts';
import {
  DEFAULT_TEXT,
  DEFAULT_TURNS,
  initialSnapshot,
  useDocumentSync,
} from './state/use-document.ts';
import { useTheme } from './state/use-theme.ts';
import { Toolbar } from './Toolbar.tsx';
import type { ProblemInfo } from './turns/TurnsPanel.tsx';
import { TurnsPanel } from './turns/TurnsPanel.tsx';
import { programOf, useTurns } from './turns/use-turns.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { exposeEditor } from './editor-api.ts';
import './playground.css';

// Monaco is the largest part of the page: it loads in its own chunk, after the shell.
const CodeEditor = lazy(() => import('./editor/CodeEditor.tsx'));

/**
 * The playground: Python in Monaco continued by CodeGen token by token, a token inspector
 * that branches, MTPB-style multi-turn prompting, and Run in the Python sandbox.
 */
export function PlaygroundView({
  client,
  model,
  active,
  onStats,
}: {
  client: RpcClient<ModelWorkerContract>;
  model: ModelState;
  /** Whether the view is shown (it stays mounted when another view is). */
  active: boolean;
  onStats: (stats: GenerationStats) => void;
}) {
  const [initial] = useState(initialSnapshot);
  const [settings, setSettings] = useState(initial.snapshot.settings);
  const [kind, setKind] = useState(initial.snapshot.doc.kind);
  const [port, setPort] = useState<EditorPort | null>(null);
  const [notice, setNotice] = useState<AppError | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [tabMovesFocus, setTabMovesFocus] = useState(loadTabMovesFocus);
  const editorText = useRef(
    initial.snapshot.doc.kind === 'editor' ? initial.snapshot.doc.text : DEFAULT_TEXT,
  );
  const theme = useTheme();
  const completion = useEditorCompletion(client, onStats);
  const turns = useTurns(
    client,
    initial.snapshot.doc.kind === 'turns' ? initial.snapshot.doc.turns : DEFAULT_TURNS,
    onStats,
  );
  const python = usePythonRun();
  const resolved = resolveSettings(settings);
  const generating = completion.state.status === 'running' || turns.state.running !== null;
  const pythonBusy = python.state.status === 'booting' || python.state.status === 'running';
  const program = programOf(turns.state.turns);
  const { reset: resetCompletion, detach } = completion;
  const { replaceTurns } = turns;

  const snapshot = useCallback((): PlaygroundSnapshot | null => {
    if (kind === 'turns') return { settings, doc: { kind, turns: turns.state.turns } };
    return port ? { settings, doc: { kind, text: port.getValue() } } : null;
  }, [kind, settings, turns.state.turns, port]);

  const switchKind = (next: 'editor' | 'turns', text = editorText.current): void => {
    if (kind === 'editor' && port) editorText.current = port.getValue();
    if (next === 'editor') {
      editorText.current = text;
      port?.setValue(text);
    }
    resetCompletion();
    setKind(next);
  };

  const sync = useDocumentSync({
    initialProblem: initial.problem,
    active,
    snapshot,
    changes: completion.state,
    onSnapshot: (shared) => {
      setSettings(shared.settings);
      setProblem(null);
      if (shared.doc.kind === 'turns') {
        replaceTurns(shared.doc.turns);
        switchKind('turns');
      } else switchKind('editor', shared.doc.text);
    },
    onProblem: (list, settingsOf, info) => {
      replaceTurns(list);
      setSettings(settingsOf);
      setProblem(info);
      switchKind('turns');
    },
  });
  const { touch } = sync;

  // In multi-turn mode the editor shows the program the turns make, as it is written.
  useEffect(() => {
    if (!port || kind !== 'turns') return;
    port.setValue(program);
    if (generating) port.revealOffset(program.length);
  }, [port, kind, program, generating]);

  useEffect(() => {
    if (!port) return;
    const listener = port.onUserEdit(() => {
      detach();
      touch();
    });
    return () => listener.dispose();
  }, [port, detach, touch]);

  useEffect(() => {
    if (!port) return;
    port.markErrorLine(python.state.status === 'done' ? python.state.report.errorLine : null);
  }, [port, python.state]);

  useEffect(
    () =>
      port
        ? exposeEditor(port, () => {
            detach();
            touch();
          })
        : undefined,
    [port, detach, touch],
  );

  /** Checks what generating needs; says what is missing and how to fix it. */
  const readyParams = () => {
    const problemNow = modelProblem(model);
    if (problemNow || !resolved.ok) {
      setNotice(
        problemNow ??
          new AppError('bad-input', 'Some decoding settings are invalid.', {
            hint: 'Correct the marked fields and generate again.',
          }),
      );
      return null;
    }
    setNotice(null);
    return resolved;
  };
  const answerFrom = (index: number): void => {
    const ready = readyParams();
    if (ready) void turns.runFrom(index, ready.params, turns.state.turns);
  };
  const generate = (): void => {
    if (kind === 'turns') {
      const firstOpen = turns.state.turns.findIndex((t) => t.completion === '');
      return answerFrom(firstOpen < 0 ? 0 : firstOpen);
    }
    const ready = readyParams();
    if (ready && port)
      void completion.generate(port, { params: ready.params, truncation: ready.truncation });
  };
  const run = (): void => {
    const source = kind === 'editor' ? port?.getValue() : program;
    if (source !== undefined) void python.run(source);
  };
  const stop = (): void => {
    completion.stop();
    turns.stop();
    python.stop();
  };
  const setTabFocus = (on: boolean): void => {
    setTabMovesFocus(on);
    saveTabMovesFocus(on);
  };
  const toggleTabFocus = (): void => setTabFocus(!tabMovesFocus);
  const commands = useRef<EditorCommands>({ generate, run, stop, toggleTabFocus });
  useEffect(() => {
    commands.current = { generate, run, stop, toggleTabFocus };
  });
  useShortcuts(active, commands);

  // "No model is ready" is stale once a model is: it must not outlive the load that fixed it.
  const stale = notice?.code === 'no-model' && modelProblem(model) === null;
  const error = (stale ? null : notice) ?? completion.state.error;
  const tokens = kind === 'editor' ? completion.state.tokens : turns.state.tokens;
  const status = kind === 'editor' ? completion.state.status : generating ? 'running' : 'idle';

  return (
    <section className="pg" aria-label="Playground" data-testid="playground">
      <Toolbar
        kind={kind}
        onKind={(k) => switchKind(k)}
        generating={generating}
        running={pythonBusy}
        onGenerate={generate}
        onStop={stop}
        onRun={run}
        theme={theme.choice}
        onTheme={theme.setChoice}
      />
      {error && (
        <ErrorNotice error={error} testId="generate-error">
          {error.code === 'no-model' && (
            <button
              type="button"
              onClick={() =>
                document.getElementById('model-title')?.scrollIntoView({ behavior: 'smooth' })
              }
            >
              Go to the model manager
            </button>
          )}
        </ErrorNotice>
      )}
      <div className="pg-main">
        <div className="pg-editor-column">
          <div
            className="pg-editor"
            data-testid="editor"
            data-status={status}
            data-error-line={
              python.state.status === 'done' ? (python.state.report.errorLine ?? '') : ''
            }
          >
            <Suspense fallback={<p className="muted">Loading the editor…</p>}>
              <CodeEditor
                initialValue={
                  kind === 'turns'
                    ? program
                    : initial.snapshot.doc.kind === 'editor'
                      ? initial.snapshot.doc.text
                      : DEFAULT_TEXT
                }
                dark={theme.dark}
                readOnly={generating || kind === 'turns'}
                tabMovesFocus={tabMovesFocus}
                commands={commands}
                onReady={setPort}
                onChange={touch}
              />
            </Suspense>
          </div>
          <div className="pg-editor-foot">
            <GenerationLine
              status={status}
              stats={completion.state.stats}
              tokens={tokens.length}
              kind={kind}
            />
            <TabFocusSwitch on={tabMovesFocus} onChange={setTabFocus} />
          </div>
          <ConsolePanel state={python.state} onClear={python.clear} />
        </div>
        <aside className="pg-side">
          <SettingsForm
            draft={settings}
            issues={resolved.ok ? {} : resolved.issues}
            onChange={(draft) => {
              setSettings(draft);
              touch();
            }}
          />
          {kind === 'turns' && (
            <TurnsPanel
              state={turns.state}
              problem={problem}
              problemError={sync.problemError}
              busy={generating}
              onEdit={(i, change) => {
                turns.edit(i, change);
                touch();
              }}
              onRunFrom={answerFrom}
              onChangeTurns={(list) => {
                replaceTurns(list);
                touch();
              }}
              onOpenProblem={sync.openProblem}
            />
          )}
          <TokenInspector
            tokens={tokens}
            canBranch={kind === 'editor' && completion.state.attached && !generating}
            whyNot={
              kind === 'turns'
                ? 'Branching works in editor mode.'
                : generating
                  ? 'Wait for the generation to finish, or stop it.'
                  : 'The text was edited since: generate again to branch.'
            }
            onBranch={(index, tokenId) => {
              if (port) void completion.branch(port, index, tokenId);
            }}
          />
        </aside>
      </div>
    </section>
  );
}
