import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultDataset } from './load-dataset.ts';

const PROBLEM = JSON.stringify({
  id: 1,
  name: 'Sandwich string',
  description: 'Append a string in the middle of another string.',
  category: 'string',
  prompts: ['Assign "{a}" to a variable named "a".', 'Print a.'],
  inputs: [{ a: 'x' }],
  outputs: ['x'],
  max_gen_length: 128,
});

// A host with a single-page fallback: every unknown path answers index.html.
const server = createServer((request, response) => {
  if (request.url === '/good/datasets/mtpb.jsonl') {
    response.writeHead(200, { 'Content-Type': 'application/jsonl' });
    response.end(`${PROBLEM}\n`);
  } else if (request.url?.startsWith('/spa/')) {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><html><body><div id="root"></div></body></html>');
  } else {
    response.writeHead(404);
    response.end();
  }
});
let origin = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loadDefaultDataset', () => {
  it("reads the app's own copy", async () => {
    const dataset = await loadDefaultDataset(`${origin}/good/`, undefined, `${origin}/missing`);
    expect(dataset.problems).toHaveLength(1);
    expect(dataset.label).toMatch(/served by this app/);
  });

  it('says "not found" when a static host answers with its index page', async () => {
    const failure = loadDefaultDataset(`${origin}/spa/`, undefined, `${origin}/missing`);
    await expect(failure).rejects.toThrow(
      /served by this app\): not found \(the host answered with a web page\)/,
    );
    await expect(failure).rejects.toThrow(/on GitHub\): .*404/);
  });
});
