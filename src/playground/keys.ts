/**
 * The playground's shortcuts as the platform spells them. macOS keeps ⌘M for minimising the
 * window, so Monaco's Tab-moves-focus switch is ⌃⇧M there, Ctrl+M elsewhere.
 */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';
export const TAB_FOCUS_KEYS = isMac ? '⌃⇧M' : 'Ctrl+M';
