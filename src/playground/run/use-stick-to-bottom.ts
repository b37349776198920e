import { useCallback, useLayoutEffect, useRef } from 'react';

/** How close to the end counts as "at the end", in pixels (sub-pixel scroll positions). */
const SLACK_PX = 4;

/**
 * Keeps a scrollable element showing its newest content while `content` grows, as a terminal
 * does, unless the user has scrolled up to read; scrolling back to the end follows again.
 * Where the element does not scroll, this does nothing.
 */
export function useStickToBottom<E extends HTMLElement>(content: string) {
  const element = useRef<E | null>(null);
  const pinned = useRef(true);

  const onScroll = useCallback(() => {
    const el = element.current;
    if (el) pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - SLACK_PX;
  }, []);

  useLayoutEffect(() => {
    const el = element.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [content]);

  return { ref: element, onScroll };
}
