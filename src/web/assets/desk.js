/*
 * The listening desk (Listen and log), for a browser with JavaScript. Without it the page still
 * works: the browser's own audio controls, and "Add another threat" and Submit post the form back.
 * With it: speed, skips, keyboard shortcuts that work while typing, the position bar, transcript
 * lines that play from their time, "mark this moment", a threat added here, and a log with errors
 * shown again without reloading the page (so the recording keeps playing).
 *
 * Everything is found by data-desk-* attributes; nothing is attached inline (the page's CSP allows
 * scripts only from this site).
 */
import { ErrorSummary, NotificationBanner, initAll } from '/assets/govuk-frontend.min.js';

const RATES = [0.75, 1, 1.25, 1.5, 1.75, 2];
const MAX_THREATS = 20;

const audio = document.querySelector('[data-desk-audio]');
const status = document.querySelector('[data-desk-status]');

/** `75.4` → `1:15`. */
function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds || 0));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function say(text) {
  if (status) status.textContent = text;
}

const logForm = () => document.querySelector('[data-desk-log]');
const summaryField = () => logForm()?.querySelector('[name="summary"]') ?? null;

/** The recording's length: the browser's once it has loaded, else the call record's. */
function duration() {
  if (audio && Number.isFinite(audio.duration) && audio.duration > 0) return audio.duration;
  return Number(audio?.dataset.duration) || 0;
}

for (const el of document.querySelectorAll('[data-desk-controls], [data-desk-shortcuts]')) {
  el.hidden = false;
}

// On a phone the player sticks to the top of the window: what is scrolled to (a field with focus,
// an error's field) stops below it, never under it.
const panel = document.querySelector('[data-qa="player-panel"]');
if (panel && window.ResizeObserver) {
  new ResizeObserver(() => {
    const sticky = getComputedStyle(panel).position === 'sticky';
    document.documentElement.style.scrollPaddingTop = sticky ? `${panel.offsetHeight + 10}px` : '';
  }).observe(panel);
}

// --- The player -----------------------------------------------------------------------------

function togglePlay() {
  if (!audio) return;
  if (audio.paused) void audio.play().catch(() => say('The recording could not be played.'));
  else audio.pause();
}

function seekTo(seconds) {
  if (!audio) return;
  const end = duration();
  audio.currentTime = Math.max(0, end ? Math.min(seconds, end) : seconds);
  showPosition();
}

function skip(seconds) {
  if (!audio) return;
  seekTo(audio.currentTime + seconds);
  say(
    `${seconds < 0 ? 'Back' : 'Forward'} ${Math.abs(seconds)} seconds: ${clock(audio.currentTime)}`,
  );
}

const speed = document.querySelector('[data-desk-speed]');

function setRate(rate) {
  if (!audio) return;
  audio.playbackRate = rate;
  audio.defaultPlaybackRate = rate;
  if (speed) speed.value = String(rate);
  say(`Speed ${rate}×`);
}

function stepRate(step) {
  const i = RATES.indexOf(audio?.playbackRate ?? 1);
  const next = RATES[Math.min(RATES.length - 1, Math.max(0, (i === -1 ? 1 : i) + step))];
  setRate(next);
}

const playButton = document.querySelector('[data-desk-play]');
const timeText = document.querySelector('[data-desk-time]');
const played = document.querySelector('[data-desk-played]');
const lines = [...document.querySelectorAll('[data-desk-transcript] [data-at]')];
const transcriptList = document.querySelector('[data-desk-transcript]');

/** The transcript line being heard at `seconds` (the last that began before it). */
function lineAt(seconds) {
  let found = null;
  for (const line of lines) {
    if (Number(line.dataset.at) <= seconds + 0.25) found = line;
    else break;
  }
  return found;
}

let nowLine = null;

function showPosition() {
  if (!audio) return;
  const t = audio.currentTime;
  const end = duration();
  if (timeText) timeText.textContent = end ? `${clock(t)} of ${clock(end)}` : clock(t);
  if (played && end) played.setAttribute('width', String(Math.min(100, (t / end) * 100)));
  const line = lineAt(t);
  if (line !== nowLine) {
    nowLine?.classList.remove('app-transcript__line--now');
    line?.classList.add('app-transcript__line--now');
    nowLine = line;
    // Keep the line in view within the transcript's own scroll, never scrolling the page.
    if (line && transcriptList && !audio.paused) {
      const top = line.offsetTop - transcriptList.offsetTop;
      if (
        top < transcriptList.scrollTop ||
        top > transcriptList.scrollTop + transcriptList.clientHeight - line.offsetHeight
      ) {
        transcriptList.scrollTop = Math.max(0, top - transcriptList.clientHeight / 3);
      }
    }
  }
}

if (audio) {
  audio.addEventListener('timeupdate', showPosition);
  audio.addEventListener('loadedmetadata', showPosition);
  audio.addEventListener('play', () => {
    if (playButton) playButton.textContent = 'Pause';
  });
  audio.addEventListener('pause', () => {
    if (playButton) playButton.textContent = 'Play';
  });
  playButton?.addEventListener('click', togglePlay);
  for (const button of document.querySelectorAll('[data-desk-skip]')) {
    button.addEventListener('click', () => skip(Number(button.dataset.deskSkip)));
  }
  speed?.addEventListener('change', () => setRate(Number(speed.value)));
  document.querySelector('[data-desk-bar]')?.addEventListener('click', (event) => {
    const box = event.currentTarget.getBoundingClientRect();
    const end = duration();
    if (end && box.width) seekTo(((event.clientX - box.left) / box.width) * end);
  });
  showPosition();
}

// --- The transcript: each line's time plays from there (one tab stop; arrow keys move) ------

const seekButtons = lines.map((line, i) => {
  const time = line.querySelector('[data-desk-seek]');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'app-transcript__seek';
  button.textContent = time.textContent.trim();
  button.setAttribute('aria-label', `Play from ${button.textContent}`);
  button.tabIndex = i === 0 ? 0 : -1;
  button.dataset.qa = 'transcript-seek';
  button.addEventListener('click', () => {
    seekTo(Number(line.dataset.at));
    if (audio?.paused) togglePlay();
  });
  time.replaceChildren(button);
  return button;
});

// The lines' buttons make the transcript reachable by keyboard; without them the list itself is.
if (transcriptList && seekButtons.length) transcriptList.removeAttribute('tabindex');

transcriptList?.addEventListener('keydown', (event) => {
  const i = seekButtons.indexOf(document.activeElement);
  if (i === -1) return;
  const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: seekButtons.length - 1 }[event.key];
  if (to === undefined || to < 0 || to >= seekButtons.length) return;
  event.preventDefault();
  seekButtons[i].tabIndex = -1;
  seekButtons[to].tabIndex = 0;
  seekButtons[to].focus();
});

// --- Mark this moment: a time-stamped quote in the field being written, else the summary ----

function insertText(field, text) {
  const focused = document.activeElement === field;
  const value = field.value;
  const at = focused ? field.selectionStart : value.length;
  const before = value.slice(0, at);
  const lead = before && !/\s$/.test(before) ? (focused ? ' ' : '\n') : '';
  field.value = `${before}${lead}${text}${value.slice(at)}`;
  const caret = (before + lead + text).length;
  field.focus();
  field.setSelectionRange(caret, caret);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function markMoment() {
  const t = audio ? audio.currentTime : 0;
  const line = lineAt(t);
  const words = line?.querySelector('.app-transcript__text')?.textContent.trim();
  const active = document.activeElement;
  const field =
    active instanceof HTMLTextAreaElement && active.form === logForm() ? active : summaryField();
  if (!field) return;
  insertText(field, `[${clock(t)}]${words ? ` “${words}”` : ''} `);
  say(`Marked ${clock(t)} in ${field.labels?.[0]?.textContent.trim() ?? 'the log'}`);
}

document.querySelector('[data-desk-mark]')?.addEventListener('click', markMoment);

// --- No concerns: the level None and the page's summary, unless the listener chose others ----

const defaultSummary = () =>
  logForm()?.querySelector('[data-desk-no-concerns-summary]')?.value ?? '';

function applyNoConcerns(form) {
  const level = form.querySelector('[name="concernLevel"]:checked');
  if (!level) {
    const none = form.querySelector('[name="concernLevel"][value="NONE"]');
    if (none) none.checked = true;
  }
  const summary = form.querySelector('[name="summary"]');
  if (summary && !summary.value.trim()) {
    summary.value = defaultSummary();
    summary.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

function noConcerns() {
  const form = logForm();
  if (!form) return;
  for (const box of form.querySelectorAll('[name="themes"]')) {
    box.checked = box.value === 'NO_CONCERNS';
  }
  applyNoConcerns(form);
  form.querySelector('[data-desk-submit]')?.focus();
  say('No concerns chosen. Press Enter to submit the log.');
}

document.addEventListener('change', (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.matches('[data-desk-no-concerns]')) return;
  const form = box.form;
  if (box.checked) applyNoConcerns(form);
  else {
    // Unticked again: the summary written for "No concerns" goes with it.
    const summary = form.querySelector('[name="summary"]');
    if (summary && summary.value === defaultSummary()) {
      summary.value = '';
      summary.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
});

// --- Shortcuts, also while typing: Alt (Option) with a letter; by key position, not character --

document.addEventListener(
  'keydown',
  (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      KeyK: togglePlay,
      KeyJ: () => skip(event.shiftKey ? -15 : -5),
      KeyL: () => skip(event.shiftKey ? 15 : 5),
      Comma: () => stepRate(-1),
      Period: () => stepRate(1),
      KeyM: markMoment,
      KeyN: noConcerns,
    };
    const action = actions[event.code];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  },
  true,
);

// --- Add another threat, here: the next fieldset from the page's template ------------------

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element && event.target.closest('[data-desk-add-threat]');
  if (!button) return;
  const form = button.form;
  const template = document.querySelector('[data-desk-threat-template]');
  const count = form?.querySelector('[data-desk-threat-count]');
  const threats = form?.querySelector('[data-desk-threats]');
  if (!template || !count || !threats) return; // the post-back adds it
  event.preventDefault();
  const n = Number(count.value) || 0;
  if (n >= MAX_THREATS) {
    say(`A log records at most ${MAX_THREATS} threats.`);
    return;
  }
  threats.insertAdjacentHTML(
    'beforeend',
    template.innerHTML.replaceAll('__INDEX__', String(n)).replaceAll('__NUMBER__', String(n + 1)),
  );
  count.value = String(n + 1);
  const added = threats.lastElementChild;
  initAll({ scope: added });
  added.querySelector('input')?.focus();
  say(`Threat ${n + 1} added.`);
});

// --- Submit without reloading: errors come back into the page, the recording keeps playing --

let sending = false;

/** Posts the form as the browser would have (the same fields, the same page answers). */
function postNatively(form, submitter) {
  form.dataset.deskNative = 'true';
  form.requestSubmit(submitter ?? undefined);
}

/** The page the server answered with errors: its form and error summary take the old ones' place. */
function showErrors(html) {
  const page = new DOMParser().parseFromString(html, 'text/html');
  const form = page.querySelector('[data-desk-log]');
  const old = logForm();
  if (!form || !old) return false;
  old.replaceWith(form);
  document.querySelector('.govuk-error-summary')?.remove();
  const summary = page.querySelector('.govuk-error-summary');
  if (summary) document.querySelector('[data-qa="desk-header"]')?.before(summary);
  document.title = page.title;
  initAll({ scope: form });
  if (summary) new ErrorSummary(summary); // focuses it, as on a page load
  return true;
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-desk-log]')) return;
  if (form.dataset.deskNative === 'true' || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  if (sending) return;
  sending = true;
  const submitter = event.submitter;
  void fetch(form.getAttribute('action') ?? window.location.href, {
    method: 'POST',
    body: new URLSearchParams(new FormData(form, submitter)),
    credentials: 'same-origin',
  })
    .then(async (res) => {
      if (res.redirected) return window.location.assign(res.url);
      if (res.status === 400 && showErrors(await res.text())) return undefined;
      return postNatively(form, submitter);
    })
    .catch(() => postNatively(form, submitter))
    .finally(() => {
      sending = false;
    });
});

// --- Extend the lease without reloading: the lease bar and the message come back in place ----

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('[data-qa="extend-form"]')) return;
  if (form.dataset.deskNative === 'true' || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  void fetch(form.getAttribute('action') ?? window.location.href, {
    method: 'POST',
    body: new URLSearchParams(new FormData(form)),
    credentials: 'same-origin',
  })
    .then(async (res) => {
      const here = new URL(res.url).pathname === window.location.pathname;
      if (!res.ok || !res.redirected || !here) return postNatively(form, null);
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      const lease = page.querySelector('[data-qa="lease"] p');
      const flash = page.querySelector('[data-qa="flash"]');
      if (!lease) return postNatively(form, null);
      document.querySelector('[data-qa="lease"] p')?.replaceWith(lease);
      document.querySelector('[data-qa="flash"]')?.remove();
      if (flash) {
        document.querySelector('[data-qa="desk-header"]')?.before(flash);
        new NotificationBanner(flash); // a success banner takes focus, as on a page load
      }
      return undefined;
    })
    .catch(() => postNatively(form, null));
});
