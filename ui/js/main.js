// Boot: sign-in, the header, and a hash router over the four views. The live model (store.js)
// is started once per sign-in; views re-render from it.

import { api, session, whenUnauthenticated } from './api.js';
import { Store } from './store.js';
import { fill, h } from './dom.js';
import { signInView } from './views/signin.js';
import { clusterView } from './views/cluster.js';
import { servicesView } from './views/services.js';
import { serviceView } from './views/service.js';
import { deploymentsView } from './views/deployments.js';

const app = document.getElementById('app');
let store = null;
let current = null;
let unsubscribe = null;

function route() {
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/cluster';
  const m = /^\/services\/(.+)$/.exec(path);
  if (m) return { name: 'service', view: serviceView, arg: m[1] };
  if (path === '/services') return { name: 'services', view: servicesView };
  if (path === '/deployments') return { name: 'deployments', view: deploymentsView };
  return { name: 'cluster', view: clusterView };
}

function signOut(message) {
  store?.stop();
  store = null;
  unsubscribe?.();
  current?.unmount?.();
  current = null;
  session.clear();
  showSignIn(message);
}

function showSignIn(message) {
  document.body.dataset.signedIn = 'false';
  fill(app, signInView({ message, onSignedIn: (me) => start(me) }));
}

function header(me) {
  const nav = ['cluster', 'services', 'deployments'].map((n) => h('a', { href: `#/${n}`, dataset: { nav: n } }, n[0].toUpperCase() + n.slice(1)));
  const conn = h('span', { class: 'conn', id: 'connection', title: 'live event stream' });
  const scope = me.scope ? Object.entries(me.scope.labels).map(([k, v]) => `${k}=${v}`).join(',') : null;
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/cluster' }, 'Swarm'),
    h('nav', {}, nav),
    h('span', { class: 'spacer' }),
    conn,
    h('span', { class: 'who', id: 'whoami', dataset: { role: me.role } }, me.name, h('span', { class: 'role' }, me.role), scope ? h('span', { class: 'scope', title: 'token scope' }, scope) : null),
    h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: () => signOut() }, 'Sign out'),
  );
}

function renderConnection() {
  const el = document.getElementById('connection');
  if (!el || !store) return;
  const { status, info } = store.connection;
  if (status === 'unauthenticated') return signOut('The token was refused: sign in again.');
  el.dataset.status = status;
  el.textContent = status === 'reconnecting' ? `reconnecting in ${Math.ceil(info.inMs / 1000)} s` : status;
  document.body.dataset.connection = status;
}

function show() {
  unsubscribe?.();
  current?.unmount?.();
  const r = route();
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === (r.name === 'service' ? 'services' : r.name)));
  const main = document.getElementById('view');
  main.replaceChildren();
  main.dataset.view = r.name;
  current = r.view({ root: main, store, me: store.me, arg: r.arg });
  const update = () => {
    renderConnection();
    current?.update?.();
  };
  unsubscribe = store.subscribe(update);
  update();
}

async function start(me) {
  document.body.dataset.signedIn = 'true';
  fill(app, header(me), h('main', { id: 'view' }));
  store = new Store();
  try {
    await store.start(me);
  } catch (e) {
    if (e.status === 401) return signOut('The token was refused: sign in again.');
    store.loadFailed(e);
  }
  show();
}

async function boot() {
  window.addEventListener('hashchange', () => store && show());
  let me;
  try {
    // Without a token this succeeds only when the server runs with AUTH_DISABLED=true.
    me = await api.whoami();
  } catch (e) {
    if (session.token || e.status !== 401) {
      const message = e.status === 401 ? 'The token was refused: sign in again.' : `Cannot reach the API: ${e.message}`;
      session.clear();
      return showSignIn(message);
    }
    return showSignIn();
  } finally {
    whenUnauthenticated(() => signOut('The token was refused: sign in again.'));
  }
  return start(me);
}

boot();
