import { useRef } from 'react';
import type { KeyboardEvent } from 'react';

export interface ViewTab<Id extends string> {
  id: Id;
  label: string;
}

/** The id of a view's tab and of its panel, so each can name the other (aria-controls/labelledby). */
export const tabId = (view: string): string => `tab-${view}`;
export const panelId = (view: string): string => `panel-${view}`;

/**
 * The page's views as a WAI-ARIA tablist: one tab stop (the selected tab); Left/Right move to
 * the previous/next tab and wrap, Home/End to the first/last. Moving selects (automatic
 * activation): showing a view costs nothing, every panel stays mounted once opened.
 */
export function ViewTabs<Id extends string>({
  tabs,
  selected,
  onSelect,
}: {
  tabs: readonly ViewTab<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
}) {
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const n = tabs.length;
    const current = tabs.findIndex((t) => t.id === selected);
    const moves: Partial<Record<string, number>> = {
      ArrowRight: (current + 1) % n,
      ArrowLeft: (current - 1 + n) % n,
      Home: 0,
      End: n - 1,
    };
    const next = moves[event.key];
    const tab = next === undefined ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.id);
    list.current?.querySelector<HTMLElement>(`#${tabId(tab.id)}`)?.focus();
  };

  return (
    <div className="tabs" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          id={tabId(t.id)}
          type="button"
          role="tab"
          aria-selected={t.id === selected}
          aria-controls={panelId(t.id)}
          tabIndex={t.id === selected ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
