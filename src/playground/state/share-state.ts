import type { Turn } from '../../mtpb/protocol.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { SettingsDraft } from './settings.ts';

/** One turn of a multi-turn session: the MTPB turn (a prompt and the kept completion). */
export type { Turn } from '../../mtpb/protocol.ts';

/** What the playground holds: free text in the editor, or a list of turns. */
export type PlaygroundDocument =
  { kind: 'editor'; text: string } | { kind: 'turns'; turns: Turn[] };

export interface PlaygroundSnapshot {
  settings: SettingsDraft;
  doc: PlaygroundDocument;
}

/**
 * The compact form kept in the URL (`#playground?s=…`, base64url of this JSON) and in
 * localStorage: short keys, settings as one array.
 * s: [mode ('g' | 's'), maxNewTokens, temperature, topP, topK, seed, mtpb truncation (0 | 1)]
 */
interface Packed {
  v: 1;
  s: [string, string, string, string, string, string, number];
  e?: string;
  u?: Array<[string, string]>;
}

export function pack(snapshot: PlaygroundSnapshot): string {
  const { settings: d, doc } = snapshot;
  const packed: Packed = {
    v: 1,
    s: [
      d.mode === 'greedy' ? 'g' : 's',
      d.maxNewTokens,
      d.temperature,
      d.topP,
      d.topK,
      d.seed,
      d.mtpbTruncation ? 1 : 0,
    ],
    ...(doc.kind === 'editor'
      ? { e: doc.text }
      : { u: doc.turns.map((t): [string, string] => [t.prompt, t.completion]) }),
  };
  return JSON.stringify(packed);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The inverse of pack; null for anything malformed (a URL is untrusted input). */
export function unpack(json: string): PlaygroundSnapshot | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || !('v' in raw) || raw.v !== 1) return null;
  if (!('s' in raw) || !Array.isArray(raw.s) || raw.s.length !== 7) return null;
  const s: unknown[] = raw.s;
  const [mode, maxNewTokens, temperature, topP, topK, seed, truncation] = s;
  if (
    !isString(maxNewTokens) ||
    !isString(temperature) ||
    !isString(topP) ||
    !isString(topK) ||
    !isString(seed)
  )
    return null;
  const settings: SettingsDraft = {
    ...DEFAULT_SETTINGS,
    mode: mode === 'g' ? 'greedy' : 'sample',
    maxNewTokens,
    temperature,
    topP,
    topK,
    seed,
    mtpbTruncation: truncation === 1,
  };
  if ('e' in raw && isString(raw.e)) return { settings, doc: { kind: 'editor', text: raw.e } };
  if ('u' in raw && Array.isArray(raw.u)) {
    const list: unknown[] = raw.u;
    const turns: Turn[] = [];
    for (const item of list) {
      if (!Array.isArray(item)) return null;
      const pair: unknown[] = item;
      const [prompt, completion] = pair;
      if (!isString(prompt) || !isString(completion)) return null;
      turns.push({ prompt, completion });
    }
    return { settings, doc: { kind: 'turns', turns } };
  }
  return null;
}

/** UTF-8 → base64url without padding, so the URL needs no escaping. */
export function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(encoded: string): string | null {
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The playground's part of the URL: `#playground?s=…` (shared state) or `?problem=&case=`. */
export type HashRequest =
  | { kind: 'snapshot'; snapshot: PlaygroundSnapshot }
  | { kind: 'problem'; problemId: string; caseIndex: number }
  | { kind: 'none' };

export const PLAYGROUND_VIEW = 'playground';

/** Splits `#view?a=b` into the view name and its parameters. */
export function splitHash(hash: string): { view: string; params: URLSearchParams } {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const at = body.indexOf('?');
  return at < 0
    ? { view: body, params: new URLSearchParams() }
    : { view: body.slice(0, at), params: new URLSearchParams(body.slice(at + 1)) };
}

export function readHash(hash: string): HashRequest {
  const { params } = splitHash(hash);
  const problem = params.get('problem');
  if (problem !== null && problem !== '') {
    const caseIndex = Number(params.get('case') ?? '0');
    return {
      kind: 'problem',
      problemId: problem,
      caseIndex: Number.isInteger(caseIndex) && caseIndex >= 0 ? caseIndex : 0,
    };
  }
  const packed = params.get('s');
  const json = packed === null ? null : fromBase64Url(packed);
  const snapshot = json === null ? null : unpack(json);
  return snapshot ? { kind: 'snapshot', snapshot } : { kind: 'none' };
}

export function snapshotHash(snapshot: PlaygroundSnapshot): string {
  return `#${PLAYGROUND_VIEW}?s=${toBase64Url(pack(snapshot))}`;
}
