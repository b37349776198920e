import { pack, unpack } from './share-state.ts';
import type { PlaygroundSnapshot } from './share-state.ts';

const SNAPSHOT_KEY = 'codegen-playground:snapshot:v1';
const THEME_KEY = 'codegen-playground:theme';
const TAB_FOCUS_KEY = 'codegen-playground:tab-moves-focus';

export type ThemeChoice = 'system' | 'light' | 'dark';

// Storage may be off (private mode, a sandbox) or full: settings then last for the visit only.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not kept; nothing else to do
  }
}

export function loadSnapshot(): PlaygroundSnapshot | null {
  const json = read(SNAPSHOT_KEY);
  return json === null ? null : unpack(json);
}

export function saveSnapshot(snapshot: PlaygroundSnapshot): void {
  write(SNAPSHOT_KEY, pack(snapshot));
}

export function loadTheme(): ThemeChoice {
  const value = read(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function saveTheme(theme: ThemeChoice): void {
  write(THEME_KEY, theme);
}

/** Whether Tab leaves the editor instead of indenting (Monaco's tab focus mode). */
export function loadTabMovesFocus(): boolean {
  return read(TAB_FOCUS_KEY) === 'true';
}

export function saveTabMovesFocus(on: boolean): void {
  write(TAB_FOCUS_KEY, String(on));
}
