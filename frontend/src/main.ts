// Entry point: builds the bridge for this environment and mounts the UI.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createApi, detectTransport, stripToken } from './bridge';
import type { WailsGlobals } from './bridge/wails';

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}
const api = createApi(detectTransport(window as unknown as WailsGlobals, window.location));
// The web token now lives in sessionStorage; keep it out of the address bar and history.
stripToken(window.location, window.history);
mount(App, { target, props: { api } });
