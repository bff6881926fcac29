import { render } from 'preact';
import { App } from './app';
import { basePath, servedAsNotFound } from './lib/app-location';
import './styles.css';

render(<App />, document.getElementById('app') as HTMLElement);

// Installable: the manifest and the service worker live at the server's root (under its path prefix, if any),
// whatever page this is; the worker caches the app shell only (web/public/sw.js).
const root = servedAsNotFound() ? '/' : `${basePath()}/`;
const manifest = document.createElement('link');
manifest.rel = 'manifest';
manifest.href = `${root}manifest.webmanifest`;
document.head.append(manifest);
if ('serviceWorker' in navigator && isSecureContext && !servedAsNotFound()) {
  addEventListener('load', () => {
    navigator.serviceWorker.register(`${root}sw.js`, { scope: root }).catch(() => undefined); // an extra, never a failure
  });
}
