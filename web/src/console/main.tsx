import '../i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const el = document.getElementById('root');
if (!el) throw new Error('#root missing from console/index.html');
createRoot(el).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
