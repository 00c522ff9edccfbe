// The portal's entry: sign in with a token, ask GET /api/v1/me who it is, and show the screens
// of that role. One live feed (live.ts) per signed-in tab; its state is always visible.
import './style.css';
import { api, ApiError, Me, setToken, token } from './api';
import { clear, field, h } from './dom';
import { ConnectionState, LiveFeed, Screen } from './live';
import { officerScreen } from './officer';
import { providerScreen } from './provider';
import { complianceScreen } from './compliance';
import { assessmentsScreen } from './assessments';
import { earlyWarningScreen } from './early_warning';
import { tabbed } from './nav';
import { reportsScreen } from './reports';

const main = document.getElementById('main')!;
const who = document.getElementById('who')!;
const connection = document.getElementById('connection')!;
const signOut = document.getElementById('sign-out') as HTMLButtonElement;

let feed: LiveFeed | null = null;

function setConnection(state: ConnectionState, text: string): void {
  connection.dataset.state = state;
  connection.textContent = text;
}

function signInScreen(problem = ''): void {
  clear(main);
  who.textContent = '';
  signOut.hidden = true;
  const input = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const f = field('Access token', input, 'Paste the token you were given (the server prints the first ones when it starts).');
  f.setError(problem);
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'sign-in-title', novalidate: true },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', {}, 'Brokerage officers, compliance officers and providers sign in with their access token. It is kept only for this browser tab.'),
    f.wrap,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = input.value.trim();
    if (!t) return f.setError('Enter your access token.');
    setToken(t);
    await start();
  });
  main.append(form);
  input.focus();
}

async function start(): Promise<void> {
  if (!token()) return signInScreen();
  let me: Me;
  try {
    me = await api<Me>('GET', '/me');
  } catch (e) {
    setToken(null);
    return signInScreen(e instanceof ApiError && e.status === 401
      ? 'That token is not known. Check it and try again.'
      : `The server could not be reached (${(e as Error).message}).`);
  }
  clear(main);
  who.textContent = me.role === 'provider' ? `${me.provider_name ?? me.provider} (provider)` : `${me.name} (${me.role})`;
  signOut.hidden = false;
  let screen: Screen | null = null;
  feed = new LiveFeed((f) => screen?.onFrame(f), setConnection);
  // Officers, compliance and admin: their screens behind a navigation bar (nav.ts).
  const earlyWarning = { id: 'early-warning', label: 'Early warning', mount: earlyWarningScreen };
  const reports = { id: 'reports', label: 'Reports', mount: reportsScreen };
  screen = me.role === 'officer' ? tabbed(main, [{ id: 'packages', label: 'Packages', mount: (a) => officerScreen(a, me) }, earlyWarning, reports])
    : me.role === 'provider' ? providerScreen(main, me, feed)
    : tabbed(main, [{ id: 'locations', label: 'Locations', mount: (a) => complianceScreen(a, me) },
      ...(me.role === 'compliance' ? [{ id: 'assessments', label: 'Assessment cycles', mount: assessmentsScreen }] : []), earlyWarning, reports]);
  (window as any).carebrokerLive = feed;
  feed.start();
}

signOut.addEventListener('click', () => {
  feed?.stop();
  feed = null;
  setToken(null);
  signInScreen();
});

void start();
