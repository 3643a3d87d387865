import { fileURLToPath } from 'node:url';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.TELEHALL_API ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/health', '/openapi.json', '/docs'];

/**
 * Deep links into the console (`/console/users`) must get the console's
 * index.html, everything else that is not a file gets the subscriber app's.
 * The production server does the same fallback; this keeps dev and preview
 * behaving like it.
 */
function historyFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const accept = req.headers.accept ?? '';
    const isPage = req.method === 'GET' && accept.includes('text/html') && !path.includes('.');
    if (isPage && !proxied.some((p) => path === p || path.startsWith(`${p}/`))) {
      req.url = path === '/console' || path.startsWith('/console/') ? '/console/index.html' : '/index.html';
    }
    next();
  };
  return {
    name: 'telehall-history-fallback',
    configureServer(server) {
      server.middlewares.use(rewrite);
    },
    configurePreviewServer(server) {
      server.middlewares.use(rewrite);
    },
  };
}

const proxy = Object.fromEntries(proxied.map((p) => [p, { target: apiTarget, changeOrigin: false }]));

export default defineConfig({
  root,
  base: '/',
  appType: 'mpa',
  plugins: [react(), historyFallback()],
  resolve: {
    // npm hoists React 18 to the repo root for peers of antd-mobile's dependencies (@react-spring 9)
    // while web/ has React 19; every import must get web's copy or hooks break ("useContext of null").
    dedupe: ['react', 'react-dom', 'react/jsx-runtime', 'scheduler'],
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      input: {
        subscriber: fileURLToPath(new URL('index.html', import.meta.url)),
        console: fileURLToPath(new URL('console/index.html', import.meta.url)),
      },
      output: {
        // Both apps share React, the router and TanStack Query; one named, long-cached vendor chunk for them.
        codeSplitting: {
          groups: [
            {
              name: 'vendor-react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
