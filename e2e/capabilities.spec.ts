import { expect, test } from './fixtures.ts';
import { CapabilityPanel } from './helpers/capability-panel.ts';

test('the capability panel reports WebGPU, the self-check and isolation', async ({
  page,
}, testInfo) => {
  const panel = new CapabilityPanel(page);
  await panel.open();
  const project = testInfo.project.name;

  await expect(panel.fact('cross-origin-isolated')).toHaveText(
    project === 'plain' ? 'false' : 'true',
  );
  if (project === 'plain') await expect(panel.fact('isolation-warning')).toBeVisible();
  else await expect(panel.fact('isolation-warning')).toHaveCount(0);
  await expect(panel.fact('hardware-concurrency')).toHaveText(/^\d+$/);
  await expect(panel.fact('storage')).toContainText(/of|Storage/);

  if (project === 'no-webgpu') {
    await expect(panel.fact('webgpu-status')).toContainText('No WebGPU');
    await expect(panel.fact('webgpu-status')).toContainText('WebAssembly (WASM)');
    expect(await panel.selfCheckStatus()).toBe('skipped');
    return;
  }

  // Headless Chromium with --enable-unsafe-webgpu gets SwiftShader: a fallback adapter.
  await expect(panel.fact('webgpu-status')).toContainText('WebGPU adapter found');
  await expect(panel.fact('adapter')).not.toBeEmpty();
  await expect(panel.fact('is-fallback-adapter')).toHaveText(/^(true|false)$/);
  if ((await panel.fact('is-fallback-adapter').textContent()) === 'true') {
    // SwiftShader: the panel says Auto uses WASM here, as the model manager does.
    await expect(panel.fact('webgpu-status')).toContainText('Auto runs inference on WASM');
    await expect(panel.fact('fallback-warning')).toContainText('Auto backend uses WASM');
  }
  await expect(panel.fact('feature-subgroups')).toHaveText(/^(yes|no)$/);
  await expect(panel.fact('feature-timestamp-query')).toHaveText(/^(yes|no)$/);
  await expect(panel.fact('feature-shader-f16')).toHaveText(/^(yes|no)/);
  await expect(panel.fact('limit-binding')).toHaveText(/\d+(\.\d+)? (MB|GB)/);
  await expect(panel.fact('limit-buffer')).toHaveText(/\d+(\.\d+)? (MB|GB)/);
  expect(await panel.selfCheckStatus()).toBe('passed');
  await expect(panel.fact('self-check')).toContainText('max |error|');
  await page.screenshot({ path: testInfo.outputPath('capabilities.png'), fullPage: true });
});

test('a model worker that fails to start is reported, and the page keeps working', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'isolated', 'one server setup is enough');
  await page.route('**/model.worker-*.js', (route) => route.fulfill({ status: 404, body: '' }));
  const panel = new CapabilityPanel(page);
  await panel.open();
  await expect(panel.fact('webgpu-status')).toContainText('The inference worker did not answer');
  await expect(panel.fact('webgpu-status')).toContainText('model worker stopped');
  await expect(panel.fact('cross-origin-isolated')).toHaveText('true');
});
