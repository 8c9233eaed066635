import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w @liandong/console` proxies the API to a running `npm start` (12345 desk on :3000;
// set LIANDONG_API for the 110 desk on :3001).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    // Two pages: the staff console (index.html) and the citizens' mobile page (citizen.html, served at /m/).
    rollupOptions: { input: { console: 'index.html', citizen: 'citizen.html' } },
  },
  server: { proxy: { '/api': process.env.LIANDONG_API ?? 'http://127.0.0.1:3000' } },
});
