/* fouille-widget.js -- an embeddable search box for a fouille daemon.
 *
 * Embed (the daemon serves this file and its CSS; list the page's origin in
 * the daemon's cors_origins):
 *   <link rel="stylesheet" href="https://search.example.org/widget.css">
 *   <div data-fouille-url="https://search.example.org"></div>
 *   <script src="https://search.example.org/widget.js" defer></script>
 *
 * Every element with data-fouille-url becomes a search box. Options, as
 * data- attributes or through FouilleWidget.mount(element, options):
 *   url        the daemon's base URL (required; "" for the same origin)
 *   perPage    results per page (data-per-page, default 10)
 *   docBase    base URL of the documents, when the daemon gives no url
 *              (data-doc-base)
 *   texts      interface strings, French by default (see TEXTS); as an
 *              attribute, JSON: data-texts='{"submit": "Search"}'.
 *              {n}, {p} and {pages} are replaced by numbers.
 *   history    the search lives in the page's address (q, its filters,
 *              page), so that links, bookmarks, reload, Back and Forward
 *              work; data-history="off" leaves the address alone (for a
 *              page that uses those parameters itself)
 *   showPath   each hit also shows its folder, file name and format
 *              (data-show-path; the staff page sets it)
 *   analytics  when the daemon counts searches (its answers carry a
 *              query_id), opening a result sends its rank with
 *              navigator.sendBeacon to /click (the query id and the rank,
 *              nothing else), and a query typed and left for a moment is
 *              searched once as a whole (the daemon counts whole searches,
 *              not the prefixes typed on the way); data-analytics="off"
 *              does neither
 *
 * Snippets come HTML-escaped from the daemon with <mark> around matches;
 * they are still rebuilt here node by node, so that nothing but <mark> and
 * text can ever reach the page. Titles, types and dates are set as text.
 *
 * Keyboard: type to search (Enter searches at once), ArrowDown moves from
 * the box into the results and between them, ArrowUp back up to the box,
 * Enter opens a result, Escape returns to the box, then clears it. */
(function () {
  'use strict';

  var TEXTS = {
    label: 'Rechercher dans les publications',
    placeholder: 'Rechercher (ex. : foncier, mobilité)…',
    submit: 'Rechercher',
    results: 'Résultats de la recherche',
    noResults: 'Aucun document ne correspond à votre recherche.',
    one: '1 résultat',
    many: '{n} résultats',
    didYouMean: 'Vouliez-vous dire :',
    unreachable: 'Le service de recherche ne répond pas. Réessayez dans un instant.',
    error: 'La recherche a échoué : ',
    allTypes: 'Tous les types',
    allYears: 'Toutes les années',
    type: 'Type de document',
    year: 'Année',
    allFolders: 'Tous les dossiers',
    folder: 'Dossier',
    sort: 'Ordre des résultats',
    byRelevance: 'Les plus pertinents',
    newest: 'Les plus récents',
    oldest: 'Les plus anciens',
    dateFrom: 'Depuis le',
    dateTo: 'Jusqu\u2019au',
    pages: 'Pages de résultats',
    previous: 'Précédent',
    next: 'Suivant',
    page: 'Page {p} sur {pages}',
    pdfPage: 'page {p}',
    relaxed: 'Aucun document ne contient tous les mots ; résultats approchants',
    relaxedSome: 'Peu de documents contiennent tous les mots ; suivent des résultats approchants',
    missing: 'Mots absents :',
    corrected: 'Recherche élargie à :',
    variants: 'Aussi en :'
  };

  var uid = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    if (text != null) e.textContent = text;
    return e;
  }

  /* Only text and <mark> survive: the snippet is parsed in an inert
   * document, and only the text of each node is copied out. */
  function renderSnippet(html, into) {
    var doc = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
    var nodes = doc.body.firstChild ? doc.body.firstChild.childNodes : [];
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType === 1 && n.nodeName === 'MARK') into.appendChild(el('mark', null, n.textContent));
      else into.appendChild(document.createTextNode(n.textContent));
    }
  }

  function mount(root, options) {
    if (root.fouilleWidget) return root.fouilleWidget;
    options = options || {};
    var attr = function (name) { return root.getAttribute('data-' + name); };
    var opts = {
      url: options.url != null ? options.url : attr('fouille-url') || '',
      perPage: Math.max(1, +(options.perPage || attr('per-page') || 10) || 10),
      docBase: options.docBase || attr('doc-base') || '',
      history: (options.history != null ? String(options.history) : attr('history') || 'on') !== 'off' &&
        !!(window.history && window.history.pushState),
      showPath: options.showPath != null ? !!options.showPath : root.hasAttribute('data-show-path'),
      analytics: (options.analytics != null ? String(options.analytics) : attr('analytics') || 'on') !== 'off'
    };
    var t = {}, k, custom = options.texts || {};
    try { if (attr('texts')) custom = JSON.parse(attr('texts')); } catch (e) { /* keep the defaults */ }
    for (k in TEXTS) t[k] = TEXTS[k];
    for (k in custom) if (typeof custom[k] === 'string' || typeof custom[k] === 'function') t[k] = custom[k];
    function say(key, vars) {
      var s = t[key];
      if (typeof s === 'function') return String(s(vars && (vars.n != null ? vars.n : vars.p), vars && vars.pages));
      return s.replace(/\{(\w+)\}/g, function (m, v) { return vars && vars[v] != null ? vars[v] : m; });
    }
    var base = opts.url.replace(/\/+$/, '');
    var id = 'fouille-' + (++uid);
    /* The filters, by their names in the address and the API. */
    var FILTERS = ['type', 'year', 'folder', 'sort', 'date_from', 'date_to'];
    var state = { q: '', page: 1 };
    FILTERS.forEach(function (f) { state[f] = ''; });
    function filtered() { return FILTERS.some(function (f) { return f !== 'sort' && state[f]; }); }
    var timer = null, inflight = null, pages = 0, typing = false;
    var settle = null, SETTLE_MS = 1500;

    root.classList.add('fouille');
    var form = el('form', { role: 'search', class: 'fouille-form', 'aria-label': say('label') });
    var label = el('label', { for: id + '-q', class: 'fouille-label' }, say('label'));
    var input = el('input', {
      id: id + '-q', type: 'search', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search',
      placeholder: say('placeholder'), 'aria-controls': id + '-results', 'aria-describedby': id + '-status',
      class: 'fouille-input'
    });
    var button = el('button', { type: 'submit', class: 'fouille-submit' }, say('submit'));
    var filters = el('div', { class: 'fouille-filters', hidden: '' });
    var typeSel = el('select', { 'aria-label': say('type'), class: 'fouille-type' });
    var yearSel = el('select', { 'aria-label': say('year'), class: 'fouille-year' });
    var folderSel = el('select', { 'aria-label': say('folder'), class: 'fouille-folder' });
    var sortSel = el('select', { 'aria-label': say('sort'), class: 'fouille-sort' });
    [['', 'byRelevance'], ['date:desc', 'newest'], ['date:asc', 'oldest']].forEach(function (o) {
      sortSel.appendChild(el('option', { value: o[0] }, say(o[1])));
    });
    var fromInput = el('input', { type: 'date', 'aria-label': say('dateFrom'), title: say('dateFrom'), class: 'fouille-date-from' });
    var toInput = el('input', { type: 'date', 'aria-label': say('dateTo'), title: say('dateTo'), class: 'fouille-date-to' });
    /* The live region: the count, "no results", the error, the suggestion. */
    var live = el('div', { class: 'fouille-live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    var status = el('p', { id: id + '-status', class: 'fouille-status' });
    var suggest = el('p', { class: 'fouille-suggestion', hidden: '' });
    var relaxedNote = el('p', { class: 'fouille-relaxed', hidden: '' });
    var correctedNote = el('p', { class: 'fouille-corrected', hidden: '' });
    var list = el('ol', { id: id + '-results', class: 'fouille-results', 'aria-label': say('results') });
    var pager = el('nav', { class: 'fouille-pager', 'aria-label': say('pages'), hidden: '' });
    var prev = el('button', { type: 'button', class: 'fouille-prev' }, say('previous'));
    var counter = el('span', { class: 'fouille-page', 'aria-live': 'polite' });
    var next = el('button', { type: 'button', class: 'fouille-next' }, say('next'));
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    filters.appendChild(typeSel);
    filters.appendChild(yearSel);
    filters.appendChild(folderSel);
    filters.appendChild(fromInput);
    filters.appendChild(toInput);
    filters.appendChild(sortSel);
    live.appendChild(status);
    live.appendChild(correctedNote);
    live.appendChild(relaxedNote);
    live.appendChild(suggest);
    pager.appendChild(prev);
    pager.appendChild(counter);
    pager.appendChild(next);
    [form, filters, live, list, pager].forEach(function (e) { root.appendChild(e); });

    /* A link only to http(s) addresses, relative ones resolved against the
     * daemon (which links documents it serves itself as /doc/...). */
    function docUrl(hit) {
      var url = hit.url;
      if (!url && opts.docBase) {
        url = opts.docBase.replace(/\/?$/, '/') + hit.path.split('/').map(encodeURIComponent).join('/');
        if (hit.page) url += '#page=' + hit.page;
      }
      if (!url) return null;
      try {
        var u = new URL(url, base ? base + '/' : document.baseURI);
        /* The staff page may link a file share (staff_base_url = file://...). */
        return /^https?:$/.test(u.protocol) || (opts.showPath && u.protocol === 'file:') ? u.href : null;
      } catch (e) { return null; }
    }

    /* Tell the daemon which result was opened: the search's id and the
     * rank, once per link and search, as the page is left. */
    function beaconOn(link, queryId, rank) {
      if (!opts.analytics || !navigator.sendBeacon) return;
      var sent = false;
      function send(e) {
        if (sent || (e.type === 'auxclick' && e.button !== 1)) return;
        sent = true;
        try {
          navigator.sendBeacon(base + '/click', JSON.stringify({ query_id: String(queryId), rank: rank }));
        } catch (err) { /* analytics never break a link */ }
      }
      link.addEventListener('click', send);
      link.addEventListener('auxclick', send);
    }

    function fillSelect(sel, all, counts, current, byValue) {
      sel.textContent = '';
      sel.appendChild(el('option', { value: '' }, all));
      var keys = Object.keys(counts || {});
      if (byValue) keys.sort().reverse();
      if (current && keys.indexOf(current) < 0) keys.push(current);
      keys.forEach(function (v) {
        var o = el('option', { value: v }, v + (counts && counts[v] != null ? ' (' + counts[v] + ')' : ''));
        if (v === current) o.selected = true;
        sel.appendChild(o);
      });
    }

    function clear(message, isError) {
      list.textContent = '';
      pager.hidden = true;
      suggest.hidden = true;
      suggest.textContent = '';
      relaxedNote.hidden = true;
      relaxedNote.textContent = '';
      correctedNote.hidden = true;
      correctedNote.textContent = '';
      status.textContent = message || '';
      root.classList.toggle('fouille-has-error', !!isError);
      root.removeAttribute('aria-busy');
    }

    function show(data) {
      clear(data.total === 0 ? say('noResults')
        : data.total === 1 ? say('one') : say('many', { n: data.total }));
      if (data.suggestion) {
        suggest.hidden = false;
        suggest.appendChild(document.createTextNode(say('didYouMean') + ' '));
        var a = el('a', { href: '#', class: 'fouille-suggest-link' }, data.suggestion);
        a.addEventListener('click', function (e) {
          e.preventDefault();
          input.value = data.suggestion;
          state.q = data.suggestion; state.page = 1;
          run(false);
          input.focus();
        });
        suggest.appendChild(a);
      }
      var corrected = data.corrected ? Object.keys(data.corrected) : [];
      if (corrected.length) {
        correctedNote.hidden = false;
        correctedNote.appendChild(document.createTextNode(say('corrected') + ' '));
        corrected.forEach(function (typed, i) {
          if (i) correctedNote.appendChild(document.createTextNode(', '));
          correctedNote.appendChild(el('s', { class: 'fouille-typed' }, typed));
          correctedNote.appendChild(document.createTextNode(' → '));
          correctedNote.appendChild(el('strong', { class: 'fouille-used' }, String(data.corrected[typed])));
        });
      }
      var hits = data.hits || [];
      if (data.relaxed && hits.length) {
        relaxedNote.hidden = false;
        relaxedNote.textContent = say(hits[0].missing && hits[0].missing.length ? 'relaxed' : 'relaxedSome');
      }
      hits.forEach(function (hit, i) {
        var li = el('li', { class: 'fouille-hit' });
        var url = docUrl(hit);
        var title = el(url ? 'a' : 'span', url ? { href: url, class: 'fouille-title' }
          : { class: 'fouille-title', tabindex: '0' }, hit.title || hit.path);
        if (url && data.query_id) beaconOn(title, data.query_id, (data.page - 1) * data.per_page + i + 1);
        var h = el('h3', { class: 'fouille-hit-title' });
        h.appendChild(title);
        li.appendChild(h);
        var meta = [hit.type, hit.date, hit.page ? say('pdfPage', { p: hit.page }) : null];
        li.appendChild(el('p', { class: 'fouille-meta' }, meta.filter(Boolean).join(' · ')));
        if (opts.showPath) {
          /* Hits with the same title (the reports of several years) tell
           * apart by where they are and what they are. */
          var path = String(hit.path);
          var format = (path.match(/\.([^./]+)$/) || [null, ''])[1].toUpperCase();
          var where = el('p', { class: 'fouille-path' });
          where.appendChild(el('code', null, path));
          if (format) where.appendChild(el('span', { class: 'fouille-format' }, format));
          li.appendChild(where);
        }
        var snip = el('p', { class: 'fouille-snippet' });
        renderSnippet(hit.snippet || '', snip);
        li.appendChild(snip);
        if (hit.missing && hit.missing.length) {
          var miss = el('p', { class: 'fouille-missing' }, say('missing') + ' ');
          hit.missing.forEach(function (w, i) {
            if (i) miss.appendChild(document.createTextNode(' '));
            miss.appendChild(el('s', null, String(w)));
          });
          li.appendChild(miss);
        }
        if (hit.variants && hit.variants.length) {
          var vars = el('p', { class: 'fouille-variants' }, say('variants') + ' ');
          hit.variants.forEach(function (v, i) {
            if (i) vars.appendChild(document.createTextNode(' · '));
            var fmt = (String(v.path).match(/\.([^./]+)$/) || [null, '?'])[1].toUpperCase();
            var vurl = docUrl({ url: v.url, path: String(v.path), variantOf: hit.path });
            vars.appendChild(vurl ? el('a', { href: vurl, class: 'fouille-variant' }, fmt)
              : el('span', { class: 'fouille-variant' }, fmt));
          });
          li.appendChild(vars);
        }
        list.appendChild(li);
      });
      filters.hidden = false;
      fillSelect(typeSel, say('allTypes'), data.facets && data.facets.type, state.type);
      fillSelect(yearSel, say('allYears'), data.facets && data.facets.year, state.year, true);
      fillSelect(folderSel, say('allFolders'), data.facets && data.facets.folder, state.folder);
      sortSel.value = state.sort;
      fromInput.value = state.date_from;
      toInput.value = state.date_to;
      pages = Math.ceil(data.total / opts.perPage);
      pager.hidden = pages <= 1;
      counter.textContent = say('page', { p: state.page, pages: pages });
      /* A focused button that gets disabled would drop the focus. */
      var focused = document.activeElement;
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
      if (focused === prev && prev.disabled) next.focus();
      if (focused === next && next.disabled) prev.focus();
    }

    /* The search in the page's address: pushed for a new search, a filter
     * or a page; replaced while typing, so that Back skips the keystrokes. */
    var KEYS = ['q', 'page'].concat(FILTERS);
    function writeAddress(push) {
      if (!opts.history) return;
      var u = new URL(window.location.href);
      KEYS.forEach(function (k) { u.searchParams.delete(k); });
      if (state.q) u.searchParams.set('q', state.q);
      FILTERS.forEach(function (f) { if (state[f]) u.searchParams.set(f, state[f]); });
      if (state.page > 1) u.searchParams.set('page', state.page);
      if (u.href === window.location.href) return;
      var s = { fouille: { q: state.q, page: state.page } };
      if (push) window.history.pushState(s, '', u.href);
      else window.history.replaceState(s, '', u.href);
    }
    function readAddress() {
      var p = new URL(window.location.href).searchParams;
      state.q = p.get('q') || '';
      FILTERS.forEach(function (f) { state[f] = p.get(f) || ''; });
      state.page = Math.max(1, parseInt(p.get('page'), 10) || 1);
      input.value = state.q;
      return !!(state.q || filtered());
    }

    function run(asYouType, fromAddress) {
      if (!fromAddress) {
        writeAddress(!asYouType || !typing);
        typing = asYouType;
      }
      if (inflight) inflight.abort();
      inflight = null;
      if (!state.q.trim() && !filtered()) {
        clear();
        filters.hidden = true;
        return;
      }
      var params = new URLSearchParams({ q: state.q, page: state.page, per_page: opts.perPage });
      FILTERS.forEach(function (f) { if (state[f]) params.set(f, state[f]); });
      if (asYouType && /\S$/.test(state.q)) params.set('prefix', '1');
      if (!state.q.trim() && !state.sort) params.set('sort', 'date');
      var ctl = window.AbortController ? new AbortController() : { abort: function () {} };
      inflight = ctl;
      root.setAttribute('aria-busy', 'true');
      fetch(base + '/search?' + params, { signal: ctl.signal, headers: { Accept: 'application/json' } })
        .then(function (r) {
          return r.json().then(function (j) { return { ok: r.ok, body: j }; },
            function () { return { ok: false, body: { error: 'HTTP ' + r.status } }; });
        })
        .then(function (r) {
          if (inflight !== ctl) return;
          inflight = null;
          /* The daemon's French message; never a library's English. */
          if (!r.ok) return clear(say('error') + (r.body && (r.body.message || r.body.code) || ''), true);
          /* A word being typed matches as a prefix; when nothing starts
           * with it, ask again for the whole word, which brings the
           * spelling suggestion. */
          if (params.get('prefix') && r.body.total === 0 && !r.body.suggestion) return run(false);
          show(r.body);
        })
        .catch(function (e) {
          if (inflight !== ctl || (e && e.name === 'AbortError')) return;
          inflight = null;
          clear(say('unreachable'), true);
        });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      state.q = input.value; state.page = 1;
      root.setAttribute('aria-busy', 'true'); /* new results are coming */
      timer = setTimeout(function () { run(true); }, 200);
      clearTimeout(settle);
      if (opts.analytics) {
        settle = setTimeout(function () {
          /* The query stayed as typed: search it whole, once. */
          if (input.value === state.q && /\S$/.test(state.q)) run(false);
        }, SETTLE_MS);
      }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      clearTimeout(settle);
      state.q = input.value; state.page = 1;
      run(false);
    });
    typeSel.addEventListener('change', function () { state.type = typeSel.value; state.page = 1; run(false); });
    yearSel.addEventListener('change', function () { state.year = yearSel.value; state.page = 1; run(false); });
    folderSel.addEventListener('change', function () { state.folder = folderSel.value; state.page = 1; run(false); });
    sortSel.addEventListener('change', function () { state.sort = sortSel.value; state.page = 1; run(false); });
    [[fromInput, 'date_from'], [toInput, 'date_to']].forEach(function (d) {
      d[0].addEventListener('change', function () {
        /* An incomplete date typed in the box is "" until it is whole. */
        state[d[1]] = d[0].value; state.page = 1; run(false);
      });
    });
    prev.addEventListener('click', function () { if (state.page > 1) { state.page--; run(false); } });
    next.addEventListener('click', function () { if (state.page < pages) { state.page++; run(false); } });

    root.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var links = Array.prototype.slice.call(list.querySelectorAll('.fouille-title'));
      var i = links.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') {
        if (document.activeElement === input && links.length) { links[0].focus(); e.preventDefault(); }
        else if (i >= 0 && i + 1 < links.length) { links[i + 1].focus(); e.preventDefault(); }
      } else if (e.key === 'ArrowUp') {
        if (i > 0) { links[i - 1].focus(); e.preventDefault(); }
        else if (i === 0) { input.focus(); e.preventDefault(); }
      } else if (e.key === 'Escape') {
        if (document.activeElement === input) {
          clearTimeout(timer);
          input.value = ''; state.q = ''; state.page = 1; run(false);
        } else input.focus();
        e.preventDefault();
      }
    });

    if (opts.history) {
      window.addEventListener('popstate', function () {
        clearTimeout(timer);
        typing = false;
        readAddress();
        run(false, true);
      });
      if (readAddress()) run(false, true);
    }

    var api = { search: function (q) { input.value = q; state.q = q; state.page = 1; run(false); }, input: input };
    root.fouilleWidget = api;
    return api;
  }

  function mountAll() {
    var roots = document.querySelectorAll('[data-fouille-url]');
    for (var i = 0; i < roots.length; i++) mount(roots[i]);
  }

  window.FouilleWidget = { mount: mount, texts: TEXTS };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
