// Small DOM helpers shared by every screen: element building, error reporting, actions that
// the package may not offer yet, and formatting of ids and times.

/**
 * Builds an element. `props` sets attributes, except `onX` (event listeners), `dataset`
 * and the DOM properties listed in `properties`; children are nodes or text, null skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (properties.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
const properties = new Set(['className', 'value', 'checked', 'disabled', 'textContent']);

/** True when `obj` has a method called `name`: the package may not offer every call yet. */
export function offers(obj, name) {
  return typeof obj?.[name] === 'function';
}

/** Marks a control as waiting for a package feature, so it is visible but clearly inert. */
export function notAvailable(el, what) {
  el.disabled = true;
  el.title = 'not available yet';
  el.dataset.unavailable = what;
  return el;
}

/**
 * Wires a button to an async action: the button is disabled while it runs, and a failure is
 * shown with its code. `needs` is [object, method]: without that method the button is shown
 * disabled as "not available yet".
 */
export function action(button, label, needs, run) {
  const [obj, method] = needs;
  if (!offers(obj, method)) return notAvailable(button, method);
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await run();
    } catch (err) {
      showError(label, err);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Shows a failure to the user, with the stable code every goxmtp error carries. */
export function showError(what, err) {
  console.error(`${what} failed (${err?.code ?? 'unknown'}): ${err?.message ?? err}`);
  const code = err?.code ?? 'unknown';
  const item = h(
    'li',
    { className: 'error' },
    h('strong', {}, `${what} failed`),
    ' ',
    h('code', {}, code),
    h('span', {}, `: ${err?.message ?? String(err)}`),
    h('button', { type: 'button', className: 'link', 'aria-label': 'Dismiss', onClick: () => item.remove() }, '×'),
  );
  document.getElementById('errors').append(item);
}

/** Tells screen readers something that happened out of their focus (a message arrived). */
export function announce(text) {
  document.getElementById('announcer').textContent = text;
}

/** An Error with a code, for failures the app itself detects (bad input). */
export function appError(code, message) {
  return Object.assign(new Error(message), { code });
}

/** Shortens a long hex id or address for display: 0x1234…abcd. */
export function shortId(id) {
  if (!id) return '';
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** A <time> element for a Date: the time today, else the date and time. */
export function timeEl(date) {
  const sameDay = date.toDateString() === new Date().toDateString();
  const text = sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString() }, text);
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
