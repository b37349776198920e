import type { BackendChoice } from '../shared/contracts/model-worker.ts';

const KEY = 'codegen-playground:backend';

/** The Backend menu's last choice ('auto' until the user picks one), kept across visits. */
export function loadBackendChoice(): BackendChoice {
  let value: string | null = null;
  try {
    value = localStorage.getItem(KEY);
  } catch {
    // Storage may be off (private mode, a sandbox): Auto, as on a first visit.
  }
  return value === 'webgpu' || value === 'wasm' ? value : 'auto';
}

export function saveBackendChoice(choice: BackendChoice): void {
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // not kept; the choice lasts for this visit
  }
}
