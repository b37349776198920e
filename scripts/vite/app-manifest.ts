import type { ManifestOptions } from 'vite-plugin-pwa';

/**
 * The web app manifest: what makes the app installable. Paths are relative to the manifest,
 * so the same build works at the root of a host or under BASE_PATH.
 */
export const appManifest: Partial<ManifestOptions> = {
  name: 'CodeGen WebGPU Playground',
  short_name: 'CodeGen',
  description:
    'Run Salesforce CodeGen models on your own GPU, run their Python, and measure them on the MTPB benchmark, in the browser and offline.',
  start_url: '.',
  scope: '.',
  display: 'standalone',
  background_color: '#111827',
  theme_color: '#1f2937',
  categories: ['developer', 'education', 'productivity'],
  icons: [
    { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};
