// A role's screens behind one navigation bar. Each screen is mounted on its first visit into a
// region of its own and only hidden when another is shown, so a live screen keeps its state (and
// a half-typed form) across visits. The address's hash names the screen (#reports): the back
// button and a bookmark work, and an unknown hash shows the first screen.
import { h } from './dom';
import { Frame, Screen } from './live';

export interface Tab {
  id: string;
  label: string;
  mount(area: HTMLElement): Screen | void;
}

export function tabbed(main: HTMLElement, tabs: Tab[]): Screen {
  const links = tabs.map((t) => h('a', { href: `#${t.id}`, id: `tab-${t.id}` }, t.label));
  const nav = h('nav', { class: 'tabs', 'aria-label': 'Screens' }, h('ul', {}, links.map((a) => h('li', {}, a))));
  main.append(nav);
  const areas = new Map<string, HTMLElement>();
  const screens: Screen[] = [];

  function show(id: string, focus: boolean): void {
    const tab = tabs.find((t) => t.id === id) ?? tabs[0];
    links.forEach((a, i) => {
      if (tabs[i] === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    let area = areas.get(tab.id);
    if (!area) {
      area = h('div', { class: 'screen', id: `screen-${tab.id}`, tabindex: '-1', 'aria-label': tab.label, role: 'region' });
      main.append(area);
      areas.set(tab.id, area);
      const s = tab.mount(area);
      if (s) screens.push(s);
    }
    for (const [key, a] of areas) a.hidden = key !== tab.id;
    if (focus) area.focus();
  }

  const onHash = () => {
    if (!nav.isConnected) return window.removeEventListener('hashchange', onHash);  // signed out
    show(location.hash.slice(1), true);
  };
  window.addEventListener('hashchange', onHash);
  show(location.hash.slice(1), false);
  return { onFrame(f: Frame) { for (const s of screens) s.onFrame(f); } };
}
