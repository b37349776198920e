// What the generator needs to know about a tokenizer.json: how many ids it uses
// and which id ends a text.

export interface TokenizerFiles {
  tokenizerJson: object;
  tokenizerConfig: object;
}

interface AddedToken {
  id: number;
  content: string;
}

function parts(json: object): { vocab: Record<string, number>; added: AddedToken[] } {
  const j = json as { model?: { vocab?: Record<string, number> }; added_tokens?: AddedToken[] };
  if (!j.model?.vocab) throw new Error('tokenizer.json: model.vocab missing');
  return { vocab: j.model.vocab, added: j.added_tokens ?? [] };
}

/**
 * Number of ids the tokenizer can emit: highest id + 1 over model.vocab and added_tokens
 * (an added token such as <|endoftext|> may also sit in the vocab, so counting both
 * would count it twice).
 */
export function tokenizerSize(json: object): number {
  const { vocab, added } = parts(json);
  let max = -1;
  for (const id of Object.values(vocab)) max = Math.max(max, id);
  for (const t of added) max = Math.max(max, t.id);
  return max + 1;
}

/** Id of tokenizer_config's eos_token (string or {content}), else of <|endoftext|>. */
export function eosTokenId(files: TokenizerFiles): number {
  const { vocab, added } = parts(files.tokenizerJson);
  const cfg = files.tokenizerConfig as { eos_token?: string | { content?: string } };
  const eos =
    typeof cfg.eos_token === 'string' ? cfg.eos_token : (cfg.eos_token?.content ?? '<|endoftext|>');
  const id = added.find((t) => t.content === eos)?.id ?? vocab[eos];
  if (id === undefined) throw new Error(`tokenizer: eos token ${eos} not found`);
  return id;
}
