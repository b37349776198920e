import { useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { InspectedToken } from '../generate/use-completion.ts';
import { confidenceWord, doubtAlpha, formatProb, visibleToken } from './token-look.ts';

const prob = (logprob: number): number => Math.exp(logprob);

/**
 * The generated tokens, shaded by how unsure the model was. Hovering or focusing a token
 * shows its probability and the five likeliest alternatives; picking one regenerates from
 * there with it. The list is one tab stop; arrow keys move between tokens.
 */
export function TokenInspector({
  tokens,
  canBranch,
  whyNot,
  onBranch,
}: {
  tokens: InspectedToken[];
  canBranch: boolean;
  /** Shown instead of the alternatives' buttons when branching is not possible. */
  whyNot: string;
  onBranch: (index: number, tokenId: number) => void;
}) {
  const [active, setActive] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const detailsId = useId();
  const current = Math.min(active, Math.max(0, tokens.length - 1));
  const token = tokens[current];

  const move = (event: KeyboardEvent, index: number): void => {
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tokens.length - 1
              : null;
    if (next === null || next < 0 || next >= tokens.length) return;
    event.preventDefault();
    setActive(next);
    buttons.current[next]?.focus();
  };

  return (
    <section className="pg-inspector" aria-labelledby={`${detailsId}-title`}>
      <h3 id={`${detailsId}-title`}>Token inspector</h3>
      {tokens.length === 0 ? (
        <p className="muted">Generate to see each token with its probability.</p>
      ) : (
        <>
          <div
            className="pg-tokens"
            role="group"
            aria-label="Generated tokens"
            aria-describedby={detailsId}
          >
            {tokens.map((t, i) => {
              const p = prob(t.logprob);
              return (
                <button
                  key={i}
                  type="button"
                  ref={(el) => {
                    buttons.current[i] = el;
                  }}
                  className={`pg-token${i === current ? ' active' : ''}${t.branched ? ' branched' : ''}`}
                  style={{ backgroundColor: `rgb(234 88 12 / ${doubtAlpha(p)})` }}
                  tabIndex={i === current ? 0 : -1}
                  aria-label={`Token ${i + 1}: ${visibleToken(t.text)}, ${formatProb(p)}, ${confidenceWord(p)}`}
                  onMouseEnter={() => setActive(i)}
                  onFocus={() => setActive(i)}
                  onKeyDown={(e) => move(e, i)}
                  data-testid={`token-${i}`}
                  data-prob={p}
                  data-token-id={t.tokenId}
                >
                  {visibleToken(t.text)}
                </button>
              );
            })}
          </div>
          {token && (
            <div
              id={detailsId}
              className="pg-token-details"
              aria-live="polite"
              data-testid="token-details"
            >
              <p>
                Token {current + 1} <code>{visibleToken(token.text)}</code>:{' '}
                <strong data-testid="chosen" data-prob={prob(token.logprob)}>
                  {formatProb(prob(token.logprob))}
                </strong>
                {token.branched && ' · picked by hand'}
              </p>
              <ol className="pg-alternatives" data-testid="alternatives" aria-label="Alternatives">
                {token.top.map((alt) => {
                  const p = prob(alt.logprob);
                  return (
                    <li key={alt.tokenId}>
                      <button
                        type="button"
                        disabled={!canBranch}
                        onClick={() => onBranch(current, alt.tokenId)}
                        title={canBranch ? 'Regenerate from here with this token' : whyNot}
                        data-testid="alternative"
                        data-token-id={alt.tokenId}
                        data-prob={p}
                      >
                        <code>{visibleToken(alt.text)}</code>
                        <span
                          className="pg-alt-bar"
                          style={{ width: `${Math.max(2, p * 100)}%` }}
                        />
                        <span>{formatProb(p)}</span>
                      </button>
                    </li>
                  );
                })}
              </ol>
              {!canBranch && <p className="muted">{whyNot}</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
