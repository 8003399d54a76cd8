import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` serves the web app with hot reload and sends API calls to the CRM server on :3000.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000', '/ws': { target: 'ws://localhost:3000', ws: true } } },
});
