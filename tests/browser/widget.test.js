// widget.test.js -- the search widget and the staff page in headless
// Chromium, driven by playwright-core, against a real fouilled.
//
// Run by tests/test-browser.sh, which starts the daemon and a static server
// for the example page, and passes through the environment:
//   FOUILLE_URL   the daemon, http://127.0.0.1:PORT
//   EXAMPLE_URL   contrib/widget/example.html as served by the static server
//   FOREIGN_URL   the same page from an origin the daemon does not allow
//   FOUILLE_PID   the daemon's pid (stopped at the end, mid-session)
//   CHROMIUM      the browser (default /usr/bin/chromium)
//   SCREENSHOT    where to write a PNG of the example page with results
//   EXPECT_PDF    set when the pdf plugin is built: a PDF hit must exist
// Prints one line per check, "ok - ..." or "not ok - ...", and "# ..." for
// diagnostics; the shell script turns them into TAP.
'use strict';
const { chromium } = require('playwright-core');

const env = process.env;
const base = env.FOUILLE_URL;
const STEP_MS = 15000;

let failed = 0;
function ok(cond, desc, diag) {
  if (!cond) failed++;
  console.log((cond ? 'ok - ' : 'not ok - ') + desc);
  if (!cond && diag !== undefined) console.log('# ' + String(diag).replace(/\n/g, '\n# '));
}
function diag(s) { console.log('# ' + s); }

// Everything has a deadline: a stuck step fails, it never hangs the suite.
function within(ms, promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out after ' + ms + ' ms: ' + what)), ms);
  })]).finally(() => clearTimeout(timer));
}
async function step(desc, fn) {
  try {
    await within(STEP_MS, fn(), desc);
  } catch (e) {
    ok(false, desc, e && e.message);
  }
}

async function api(q) {
  const r = await fetch(base + '/search?' + new URLSearchParams(q));
  return r.json();
}

// The widget's state, read in the page.
function snapshot(page) {
  return page.evaluate(() => {
    const root = document.querySelector('.fouille');
    const q = (s) => root.querySelector(s);
    const a = document.activeElement;
    return {
      status: q('.fouille-status').textContent,
      error: root.classList.contains('fouille-has-error'),
      hits: root.querySelectorAll('.fouille-hit').length,
      titles: Array.from(root.querySelectorAll('.fouille-title'), (e) => e.textContent),
      metas: Array.from(root.querySelectorAll('.fouille-meta'), (e) => e.textContent),
      pager: !q('.fouille-pager').hidden && q('.fouille-pager').offsetParent !== null,
      counter: q('.fouille-page').textContent,
      prevDisabled: q('.fouille-prev').disabled,
      nextDisabled: q('.fouille-next').disabled,
      input: q('.fouille-input').value,
      focus: a === q('.fouille-input') ? 'input'
        : a && a.classList.contains('fouille-title')
          ? 'result ' + Array.from(root.querySelectorAll('.fouille-title')).indexOf(a)
          : a ? a.tagName.toLowerCase() + '.' + a.className : 'none',
    };
  });
}

// Wait until the status line matches (and no request is in flight).
async function waitStatus(page, re) {
  try {
    await page.waitForFunction((src) => {
      const root = document.querySelector('.fouille');
      const s = root && root.querySelector('.fouille-status');
      return s && !root.hasAttribute('aria-busy') && new RegExp(src).test(s.textContent);
    }, re.source, { timeout: 8000 });
  } catch (e) {
    const s = await snapshot(page).catch(() => ({}));
    throw new Error('status never matched ' + re + '; state: ' + JSON.stringify(s));
  }
}

async function typeQuery(page, text) {
  const input = page.locator('.fouille-input');
  await input.focus();
  await input.fill('');
  await page.keyboard.type(text, { delay: 15 });
}

const count = (n) => (n === 1 ? '1 résultat' : n + ' résultats');

// One page holding the widget: the example embedding or the staff page.
async function suite(page, name, url, expect) {
  const t = (s) => name + ': ' + s;
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Refused connections once the daemon is stopped are expected; a CSP
  // violation or any other console error is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  const strayRequests = [];
  page.on('request', (r) => { if (/\/x$/.test(r.url())) strayRequests.push(r.url()); });

  let mounted = false;
  await step(t('the page loads and the widget mounts, in French'), async () => {
    const r = await page.goto(url);
    ok(r && r.ok(), t('the page loads (HTTP ' + (r && r.status()) + ')'));
    await page.waitForSelector('.fouille .fouille-input');
    const label = await page.textContent('.fouille-label');
    ok(label === 'Rechercher dans les publications', t('the widget mounts with its French label'), label);
    mounted = true;
  });
  if (!mounted) return errors; // nothing else can work: fail fast

  await step(t('ARIA: search landmark and live region'), async () => {
    const a = await page.evaluate(() => {
      const f = document.querySelector('.fouille [role=search]');
      const live = document.querySelector('.fouille [aria-live]');
      const input = document.querySelector('.fouille-input');
      return {
        search: !!f && f.contains(input),
        label: input.labels.length === 1,
        live: !!live && live.contains(document.querySelector('.fouille-status')),
        describedby: input.getAttribute('aria-describedby') === document.querySelector('.fouille-status').id,
      };
    });
    ok(a.search && a.label, t('the box is labelled, inside a role=search form'), JSON.stringify(a));
    ok(a.live && a.describedby, t('the result count is in an aria-live region the box points to'), JSON.stringify(a));
  });

  if (expect.texts) {
    await step(t('interface texts can be overridden'), async () => {
      const r = await page.evaluate(() => {
        const div = document.createElement('div');
        div.setAttribute('data-texts', JSON.stringify({ label: 'Search the publications', submit: 'Search' }));
        document.body.appendChild(div);
        window.FouilleWidget.mount(div, { url: 'http://127.0.0.1:9' });
        const out = [div.querySelector('.fouille-label').textContent, div.querySelector('.fouille-submit').textContent,
          div.querySelector('.fouille-input').placeholder];
        div.remove();
        return out;
      });
      ok(r[0] === 'Search the publications' && r[1] === 'Search' && /^Rechercher \(ex/.test(r[2]),
        t('data-texts overrides interface strings, the others stay French'), JSON.stringify(r));
    });
  }

  await step(t('Tab reaches the box first'), async () => {
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press('Tab');
    const s = await snapshot(page);
    ok(s.focus === 'input', t('Tab from the top of the page focuses the search box'), s.focus);
  });

  await step(t('search as you type: foncier'), async () => {
    await page.keyboard.type('foncier', { delay: 20 });
    await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
    const s = await snapshot(page);
    ok(s.hits === Math.min(10, expect.total), t('typing foncier lists the first page of ' + count(expect.total)), JSON.stringify(s));
    const m = await page.evaluate(() => {
      const marks = Array.from(document.querySelectorAll('.fouille-snippet mark'));
      const snippets = Array.from(document.querySelectorAll('.fouille-snippet'), (e) => e.textContent);
      return {
        marks: marks.length,
        words: Array.from(new Set(marks.map((e) => e.textContent.toLowerCase()))).sort(),
        literal: snippets.some((s) => s.indexOf('<mark>') >= 0 || s.indexOf('&lt;') >= 0 || s.indexOf('&#39;') >= 0),
        elementsOnly: Array.from(document.querySelectorAll('.fouille-snippet *')).every((e) => e.tagName === 'MARK'),
      };
    });
    ok(m.marks >= 10 && m.words.every((w) => /^fonci/.test(w)), t('matches are highlighted with <mark> elements'), JSON.stringify(m));
    ok(!m.literal && m.elementsOnly, t('snippets hold text and <mark> only, no markup shown as text'), JSON.stringify(m));
    ok(m.words.indexOf('foncière') >= 0 && m.words.indexOf('fonciers') >= 0, t('inflections are found and highlighted (foncière, fonciers)'), m.words.join(', '));
  });

  if (expect.screenshot) {
    await step(t('screenshot'), async () => {
      await page.evaluate(() => document.activeElement.blur());
      await page.screenshot({ path: expect.screenshot });
      ok(true, t('screenshot of the results written'));
    });
  }

  await step(t('keyboard navigation'), async () => {
    await page.locator('.fouille-input').focus();
    await page.keyboard.press('ArrowDown');
    let s = await snapshot(page);
    ok(s.focus === 'result 0', t('ArrowDown from the box focuses the first result'), s.focus);
    const outline = await page.evaluate(() => {
      const cs = getComputedStyle(document.activeElement);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    ok(outline.style !== 'none' && outline.width >= 2, t('the focused result has a visible focus ring'), JSON.stringify(outline));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    s = await snapshot(page);
    ok(s.focus === 'result 2', t('ArrowDown moves down the results'), s.focus);
    await page.keyboard.press('ArrowUp');
    s = await snapshot(page);
    ok(s.focus === 'result 1', t('ArrowUp moves up'), s.focus);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    s = await snapshot(page);
    ok(s.focus === 'input', t('ArrowUp from the first result returns to the box'), s.focus);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    s = await snapshot(page);
    ok(s.focus === 'input' && s.input === 'foncier', t('Escape in the results returns to the box'), JSON.stringify(s));
    await page.keyboard.press('Escape');
    s = await snapshot(page);
    ok(s.input === '' && s.hits === 0 && s.status === '' && !s.pager, t('Escape in the box clears the query and the results'), JSON.stringify(s));
  });

  await step(t('pagination'), async () => {
    await typeQuery(page, 'foncier');
    await page.keyboard.press('Enter');
    await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
    let s = await snapshot(page);
    const first = s.titles;
    const pages = Math.ceil(expect.total / 10);
    ok(s.pager && s.counter === 'Page 1 sur ' + pages && s.prevDisabled && !s.nextDisabled,
      t('a pager shows "Page 1 sur ' + pages + '", Précédent disabled'), JSON.stringify(s));
    await page.click('.fouille-next');
    await page.waitForFunction(() => /^Page 2 /.test(document.querySelector('.fouille-page').textContent)
      && !document.querySelector('.fouille').hasAttribute('aria-busy'));
    s = await snapshot(page);
    ok(s.hits === Math.min(10, expect.total - 10) && s.titles.every((x) => first.indexOf(x) < 0),
      t('Suivant shows page 2 with other documents'), JSON.stringify(s));
    ok(s.nextDisabled === (pages === 2) && !s.prevDisabled, t('on the last page Suivant is disabled'), JSON.stringify(s));
    ok(s.focus === 'button.fouille-prev', t('the focus stays in the pager when Suivant gets disabled'), s.focus);
    await page.keyboard.press('Enter'); // on Précédent, by keyboard
    await page.waitForFunction(() => /^Page 1 /.test(document.querySelector('.fouille-page').textContent)
      && !document.querySelector('.fouille').hasAttribute('aria-busy'));
    s = await snapshot(page);
    ok(JSON.stringify(s.titles) === JSON.stringify(first), t('Précédent (Enter) goes back to page 1'), JSON.stringify(s));
  });

  await step(t('facet filters'), async () => {
    const options = await page.$$eval('.fouille-type option', (os) => os.map((o) => o.value + '=' + o.textContent));
    ok(options.indexOf('rapport=rapport (' + expect.rapports + ')') >= 0, t('the type filter lists the types with their counts'), options.join(', '));
    await page.selectOption('.fouille-type', 'rapport');
    await waitStatus(page, new RegExp('^' + count(expect.rapports) + '$'));
    let s = await snapshot(page);
    ok(s.hits === expect.rapports && s.metas.every((m) => /^rapport · /.test(m)) && !s.pager,
      t('choosing "rapport" keeps only the ' + expect.rapports + ' reports'), JSON.stringify(s));
    const years = await page.$$eval('.fouille-year option', (os) => os.map((o) => o.value));
    ok(JSON.stringify(years) === JSON.stringify([''].concat(expect.rapportYears)), t('the year filter lists the years of what is shown, newest first'), years.join(','));
    await page.selectOption('.fouille-type', '');
    await page.selectOption('.fouille-year', '2016');
    await waitStatus(page, new RegExp('^' + count(expect.y2016) + '$'));
    s = await snapshot(page);
    ok(s.metas.every((m) => / · 2016-/.test(m)), t('choosing 2016 keeps only documents of 2016'), JSON.stringify(s.metas));
    await page.selectOption('.fouille-year', '');
    await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
    ok(true, t('"Toutes les années" brings every result back'));
  });

  if (expect.pdf) {
    await step(t('a PDF hit links to its page'), async () => {
      await typeQuery(page, 'prix');
      await waitStatus(page, /résultat/);
      const hit = await page.evaluate(() => {
        const li = Array.from(document.querySelectorAll('.fouille-hit'))
          .find((e) => /Étude 2017/.test(e.textContent));
        return li && { href: li.querySelector('a.fouille-title').href, meta: li.querySelector('.fouille-meta').textContent };
      });
      ok(hit && hit.href === expect.docBase + 'rapports/2017/etude-2017.pdf#page=2' && /page 2$/.test(hit.meta),
        t('the PDF result opens the document at the matching page (#page=2)'), JSON.stringify(hit));
    });
  }

  await step(t('hostile titles'), async () => {
    await typeQuery(page, 'piégé');
    await waitStatus(page, new RegExp('^' + count(expect.hostile.length) + '$'));
    const x = await page.evaluate(() => ({
      flag: window.fouilleXss,
      titles: Array.from(document.querySelectorAll('.fouille-title'), (e) => e.textContent),
      elements: document.querySelectorAll('.fouille script, .fouille img, .fouille-title *').length,
    }));
    ok(JSON.stringify(x.titles) === JSON.stringify(expect.hostile) && x.titles.every((s) => /<(script|img)[ >]/.test(s)),
      t('titles holding <script> or <img onerror> are shown as text, exactly'), JSON.stringify([x.titles, expect.hostile]));
    ok(x.elements === 0, t('no script or img element is created in the results'), x.elements);
    await page.waitForTimeout(300);
    const flag = await page.evaluate(() => window.fouilleXss);
    ok(flag === undefined && strayRequests.length === 0, t('no injected script or handler ran, no image was requested'),
      'flag ' + flag + ', requests ' + strayRequests.join(' '));
  });

  await step(t('a typo is corrected'), async () => {
    await typeQuery(page, 'fonceir');
    await waitStatus(page, /résultat/);
    const s = await snapshot(page);
    const note = await page.textContent('.fouille-corrected');
    const struck = await page.textContent('.fouille-corrected s');
    ok(s.hits > 0 && /fonceir/.test(note) && /foncier/.test(note) && struck === 'fonceir',
      t('a typo finds the corrected word and says so, the typed word struck through'), JSON.stringify([s, note]));
  });

  await step(t('relaxed results'), async () => {
    await typeQuery(page, 'foncier zorglub');
    await waitStatus(page, /résultat/);
    const note = await page.textContent('.fouille-relaxed');
    const missing = await page.$$eval('.fouille-missing s', (e) => e.map((x) => x.textContent));
    ok(note === 'Aucun document ne contient tous les mots ; résultats approchants' &&
       missing.length > 0 && missing.every((w) => w === 'zorglub'),
      t('no document holds every word: approaching results, the missing word struck through'),
      JSON.stringify([note, missing]));
  });

  if (expect.variants) {
    await step(t('other formats'), async () => {
      await typeQuery(page, 'circuits courts');
      await waitStatus(page, /^1 résultat$/);
      const links = await page.$$eval('.fouille-variants a', (e) => e.map((a) => [a.textContent, a.href]));
      ok(links.length === 1 && /^(HTML|MD)$/.test(links[0][0]) && /bilan-circuits\.(html|md)$/.test(links[0][1]),
        t('one hit for a publication in two formats, the other offered as a small link'), JSON.stringify(links));
    });
  }

  await step(t('did you mean'), async () => {
    await typeQuery(page, 'fonsiet');
    await waitStatus(page, /^Aucun document/);
    const s = await snapshot(page);
    const text = await page.textContent('.fouille-suggestion');
    ok(s.hits === 0 && s.status === 'Aucun document ne correspond à votre recherche.' && text === 'Vouliez-vous dire : foncier',
      t('a misspelling too far to correct says there is no result and suggests "foncier"'), JSON.stringify([s, text]));
    // Keyboard only: Tab from the box past the button and filters to the link.
    await page.locator('.fouille-input').focus();
    for (let i = 0; i < 20; i++) { // the date boxes take three stops each
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.classList.contains('fouille-suggest-link'))) break;
    }
    await page.keyboard.press('Enter');
    await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
    const after = await snapshot(page);
    ok(after.input === 'foncier' && after.hits > 0 && after.focus === 'input',
      t('following the suggestion (Tab, Enter) searches for foncier'), JSON.stringify(after));
  });

  await step(t('320 px wide'), async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 640 });
    await typeQuery(page, 'foncier');
    await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
    await page.click('.fouille-next');
    await page.waitForFunction(() => /^Page 2 /.test(document.querySelector('.fouille-page').textContent));
    const w = await page.evaluate(() => ({
      scroll: document.scrollingElement.scrollWidth,
      widest: Math.max.apply(null, Array.from(document.querySelectorAll('.fouille *'), (e) => e.getBoundingClientRect().right)),
    }));
    ok(w.scroll <= 320 && w.widest <= 320, t('at 320 px nothing overflows sideways'), JSON.stringify(w));
    await page.setViewportSize(size);
  });

  if (expect.openDocument) {
    await step(t('Enter opens a result'), async () => {
      await typeQuery(page, 'foncier');
      await waitStatus(page, new RegExp('^' + count(expect.total) + '$'));
      // The first result the browser shows rather than downloads (HTML
      // documents are sent as attachments: Content-Disposition).
      let href = '';
      for (let i = 0; i < 10 && !/\.txt$/.test(href); i++) {
        await page.keyboard.press('ArrowDown');
        href = await page.evaluate(() => document.activeElement.href || '');
      }
      const [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      ok(resp && resp.status() === 200 && page.url() === href && href.indexOf(base + '/doc/') === 0,
        t('Enter on a focused result opens the document'), href + ' -> ' + (resp && resp.status()));
      await page.goBack();
      await page.waitForSelector('.fouille .fouille-input');
    });
  }

  return errors;
}

async function main() {
  const browser = await within(20000, chromium.launch({
    executablePath: env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  }), 'launch chromium');
  diag('Chromium ' + browser.version());
  try {
    const all = await api({ q: 'foncier', per_page: 1 });
    const rapports = await api({ q: 'foncier', type: 'rapport', per_page: 1 });
    const y2016 = await api({ q: 'foncier', year: '2016', per_page: 1 });
    const pdf = await api({ q: 'prix', type: 'rapport' });
    const hostile = await api({ q: 'piégé' });
    const bilan = await api({ q: 'circuits courts' });
    const badYear = await fetch(base + '/search?q=foncier&year=20').then((r) => r.json());
    ok(badYear.status === 400 && badYear.code === 'bad_year' && /année/.test(badYear.message),
      'a parameter error has a stable code and a French message', JSON.stringify(badYear));
    const typed = ['foncier AND', '"foncier', '(foncier OR', '-', '*', 'NOT'];
    const statuses = await Promise.all(typed.map((q) => fetch(base + '/search?' + new URLSearchParams({ q })).then((r) => r.status)));
    ok(statuses.every((s) => s === 200), 'text typed in the box is never a 400', JSON.stringify(statuses));
    const expect = {
      total: all.total,
      rapports: rapports.total,
      rapportYears: Object.keys(rapports.facets.year).sort().reverse(),
      y2016: y2016.total,
      pdf: pdf.hits.some((h) => /\.pdf$/.test(h.path)),
      hostile: hostile.hits.map((h) => h.title),
      variants: bilan.hits.length === 1 && (bilan.hits[0].variants || []).length === 1,
    };
    diag('expected: ' + JSON.stringify(expect));
    if (env.EXPECT_VARIANTS)
      ok(expect.variants, 'a publication in two formats is one hit, the other format a variant', JSON.stringify(bilan));
    if (env.EXPECT_PDF) ok(expect.pdf, 'the PDF document is indexed (the pdf plugin is built)', JSON.stringify(pdf));
    else diag('no pdf plugin: the PDF link check is not run');

    const context = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'fr-FR' });
    context.setDefaultTimeout(8000);
    const example = await context.newPage();
    const errors = await suite(example, 'example page', env.EXAMPLE_URL,
      Object.assign({ screenshot: env.SCREENSHOT, texts: true, docBase: base + '/doc/' }, expect));
    const staff = await context.newPage();
    const staffErrors = await suite(staff, 'staff page', base + '/', Object.assign({ openDocument: true, docBase: base + '/doc/' }, expect));

    await step('staff page: a search lives in the address', async () => {
      const p = await context.newPage();
      const address = () => new URL(p.url()).searchParams;
      await p.goto(base + '/');
      await p.waitForSelector('.fouille .fouille-input');
      await typeQuery(p, 'foncier');
      await p.keyboard.press('Enter');
      await waitStatus(p, new RegExp('^' + count(expect.total) + '$'));
      ok(address().get('q') === 'foncier', 'staff page: the query goes into the address', p.url());
      await p.selectOption('.fouille-type', 'rapport');
      await waitStatus(p, new RegExp('^' + count(expect.rapports) + '$'));
      ok(address().get('type') === 'rapport', 'staff page: and so does a filter', p.url());
      const shared = p.url();
      await p.goBack();
      await waitStatus(p, new RegExp('^' + count(expect.total) + '$'));
      let s = await snapshot(p);
      ok(address().get('type') === null && s.input === 'foncier' &&
        await p.$eval('.fouille-type', (e) => e.value) === '',
      'staff page: Back returns to the search without the filter', JSON.stringify(s));
      await p.goForward();
      await waitStatus(p, new RegExp('^' + count(expect.rapports) + '$'));
      ok(await p.$eval('.fouille-type', (e) => e.value) === 'rapport',
        'staff page: Forward brings the filter back', p.url());
      const hit = await p.evaluate(() => {
        const li = document.querySelector('.fouille-hit');
        const path = li && li.querySelector('.fouille-path code');
        const format = li && li.querySelector('.fouille-format');
        return { path: path && path.textContent, format: format && format.textContent };
      });
      ok(hit.path && /^rapports\//.test(hit.path) && hit.format &&
        hit.format === hit.path.split('.').pop().toUpperCase(),
      'staff page: a hit shows its path and format', JSON.stringify(hit));
      await p.close();

      /* The address opened in a new page restores query, filter and page. */
      const q = await context.newPage();
      await q.goto(shared);
      await waitStatus(q, new RegExp('^' + count(expect.rapports) + '$'));
      s = await snapshot(q);
      ok(s.input === 'foncier' && s.hits === Math.min(10, expect.rapports) &&
        await q.$eval('.fouille-type', (e) => e.value) === 'rapport',
      'staff page: the address reloaded in a new page restores query and filter', JSON.stringify(s));
      if (expect.total > 10) {
        await q.goto(base + '/?q=foncier&page=2');
        await waitStatus(q, new RegExp('^' + count(expect.total) + '$'));
        s = await snapshot(q);
        ok(/^Page 2 sur/.test(s.counter) && s.hits === Math.min(10, expect.total - 10),
          'staff page: and the page number', JSON.stringify(s));
      } else diag('fewer than 11 hits for foncier: the page number is not checked');
      await q.close();
    });

    if (env.FOREIGN_URL) {
      await step('CORS: a site the daemon does not allow gets no results', async () => {
        const p = await context.newPage();
        await p.goto(env.FOREIGN_URL);
        await p.waitForSelector('.fouille .fouille-input');
        await typeQuery(p, 'foncier');
        await waitStatus(p, /ne répond pas/);
        ok(true, 'CORS: from an origin not in cors_origins the widget gets nothing and says so');
        await p.close();
      });
    }

    await step('staff page: folder, date range and sort controls', async () => {
      const p = await context.newPage();
      await p.goto(base + '/?q=foncier');
      await waitStatus(p, new RegExp('^' + count(expect.total) + '$'));
      const address = () => new URL(p.url()).searchParams;
      const paths = () => p.$$eval('.fouille-path code', (es) => es.map((e) => e.textContent));
      const folder = await p.$eval('.fouille-folder', (e) => Array.from(e.options).map((o) => o.value).find((v) => v && !v.includes('/')));
      await p.selectOption('.fouille-folder', folder);
      await p.waitForFunction((f) => Array.from(document.querySelectorAll('.fouille-path code')).length > 0 &&
        Array.from(document.querySelectorAll('.fouille-path code')).every((e) => e.textContent.startsWith(f + '/')), folder);
      ok(address().get('folder') === folder && (await paths()).every((x) => x.startsWith(folder + '/')),
        'staff page: the folder filter lists ' + folder + '/ only, and goes into the address', p.url());
      await p.selectOption('.fouille-folder', '');
      await p.selectOption('.fouille-sort', 'date:asc');
      await p.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'date:asc');
      await waitStatus(p, new RegExp('^' + count(expect.total) + '$'));
      const asc = await api({ q: 'foncier', sort: 'date:asc', per_page: 10 });
      const shown = await paths();
      ok(JSON.stringify(shown) === JSON.stringify(asc.hits.map((h) => h.path)),
        'staff page: sorting oldest first shows the API\'s date:asc order', JSON.stringify(shown));
      await p.fill('.fouille-date-from', '2100-01-01');
      await p.waitForFunction(() => new URL(location.href).searchParams.get('date_from') === '2100-01-01');
      await waitStatus(p, /Aucun document/);
      ok(true, 'staff page: a date range goes into the address and filters (nothing after 2100)');
      await p.close();
    });

    await step('analytics: opening a result sends the click beacon', async () => {
      const report = async () => (await fetch(base + '/analytics?days=1')).json();
      const before = await report();
      const p = await context.newPage();
      await p.goto(base + '/?q=foncier');
      await waitStatus(p, new RegExp('^' + count(expect.total) + '$'));
      const href = await p.getAttribute('.fouille-hit:nth-child(2) a.fouille-title', 'href');
      await Promise.all([p.waitForURL((u) => u.href !== base + '/?q=foncier'),
        p.click('.fouille-hit:nth-child(2) a.fouille-title')]);
      let after = before;
      for (let i = 0; i < 100 && after.clicks === before.clicks; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await report();
      }
      ok(after.clicks === before.clicks + 1 && after.searches_clicked >= 1,
        'analytics: the beacon of an opened result (rank 2, ' + href + ') reaches the daemon',
        JSON.stringify([before.clicks, after.clicks]));
      ok(after.top.some((e) => e.query === 'foncier'), 'analytics: the search is counted, folded', JSON.stringify(after.top));
      await p.close();
    });

    await step('analytics: the report page draws its chart and tables', async () => {
      const p = await context.newPage();
      const errs = [];
      p.on('pageerror', (e) => errs.push(e.message));
      await api({ q: 'Zorglubien' }); // found nowhere
      const r = await p.goto(base + '/stats.html');
      await p.waitForSelector('#chart svg rect.day', { state: 'attached' });
      await p.waitForSelector('#top tbody tr td');
      const s = await p.evaluate(() => ({
        bars: document.querySelectorAll('#chart svg rect.day').length,
        today: Array.from(document.querySelectorAll('#chart svg rect.day')).pop().getAttribute('data-searches'),
        height: +Array.from(document.querySelectorAll('#chart svg rect.day')).pop().getAttribute('height'),
        top: Array.from(document.querySelectorAll('#top tbody tr'), (tr) => tr.textContent),
        zero: Array.from(document.querySelectorAll('#top-zero tbody tr'), (tr) => tr.textContent),
        summary: document.getElementById('summary').textContent,
      }));
      ok(r.ok() && s.bars === 30 && +s.today > 0 && s.height > 0,
        'analytics: /stats.html draws 30 days of searches in SVG, today\'s bar not empty', JSON.stringify(s));
      ok(s.top.some((t) => /^foncier\d+$/.test(t)) && s.zero.includes('zorglubien1') && /recherches du/.test(s.summary),
        'analytics: with the tables of top and zero-result queries and a summary', JSON.stringify(s));
      await p.selectOption('#days', '7');
      await p.waitForFunction(() => document.querySelectorAll('#chart svg rect.day').length === 7);
      ok(errs.length === 0, 'analytics: the report page switches to 7 days without a JavaScript error', errs.join('; '));
      await p.close();
    });

    await step('the daemon stops mid-session', async () => {
      process.kill(+env.FOUILLE_PID, 'SIGTERM');
      for (let i = 0; i < 100; i++) {
        try { await fetch(base + '/health'); } catch (e) { break; }
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const [name, page] of [['example page', example], ['staff page', staff]]) {
        await page.bringToFront();
        await typeQuery(page, 'mobilité');
        await waitStatus(page, /ne répond pas/);
        const s = await snapshot(page);
        ok(s.status === 'Le service de recherche ne répond pas. Réessayez dans un instant.'
          && s.error && s.hits === 0 && !s.pager,
        name + ': with the daemon stopped, the widget says the service does not answer', JSON.stringify(s));
        await page.keyboard.press('Escape');
        const c = await snapshot(page);
        ok(c.input === '' && c.status === '' && !c.error, name + ': and the page stays usable (Escape clears the message)', JSON.stringify(c));
      }
    });
    ok(errors.length === 0, 'example page: no JavaScript error', errors.join('; '));
    ok(staffErrors.length === 0, 'staff page: no JavaScript error', staffErrors.join('; '));
  } finally {
    await within(10000, browser.close(), 'close chromium').catch((e) => diag(e.message));
  }
}

const watchdog = setTimeout(() => {
  ok(false, 'the browser tests finish within 100 s');
  process.exit(1);
}, 100000);
main().then(() => {
  clearTimeout(watchdog);
  process.exit(failed ? 1 : 0);
}, (e) => {
  ok(false, 'the browser tests run to the end', e && e.stack);
  process.exit(1);
});
