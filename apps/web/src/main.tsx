// First: configures zod before any schema exists (see zod-config.ts).
import './zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App.tsx';
import './styles.css';
import { registerVerifierServiceWorker } from './verifier/sw-register.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Offline mode for the public verifier only (see verifier/sw-register.ts).
registerVerifierServiceWorker();
