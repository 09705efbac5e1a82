/* fouille-widget.js -- an embeddable search box for a fouille daemon.
 *
 * Embed:
 *   <link rel="stylesheet" href="https://search.example.org/widget.css">
 *   <div data-fouille-url="https://search.example.org"></div>
 *   <script src="https://search.example.org/widget.js" defer></script>
 *
 * Every element with data-fouille-url becomes a search box. Options, as
 * data- attributes or through FouilleWidget.mount(element, options):
 *   url        the daemon's base URL (required)
 *   perPage    results per page (default 10)
 *   docBase    base URL of the documents, when the daemon has no
 *              public_base_url configured
 *   texts      interface strings (French by default), see TEXTS below
 *
 * Snippets come HTML-escaped from the daemon with <mark> around matches;
 * they are still rebuilt here node by node, so that nothing but <mark> and
 * text can ever reach the page. */
(function () {
  'use strict';

  var TEXTS = {
    label: 'Rechercher dans les publications',
    placeholder: 'Rechercher (ex. : foncier, mobilité)…',
    submit: 'Rechercher',
    results: function (n) { return n === 0 ? 'Aucun résultat' : n === 1 ? '1 résultat' : n + ' résultats'; },
    none: 'Aucun document ne correspond à votre recherche.',
    didYouMean: 'Vouliez-vous dire :',
    unreachable: 'Le service de recherche ne répond pas. Réessayez dans un instant.',
    error: 'La recherche a échoué : ',
    allTypes: 'Tous les types',
    allYears: 'Toutes les années',
    type: 'Type',
    year: 'Année',
    previous: 'Précédent',
    next: 'Suivant',
    page: function (p, n) { return 'Page ' + p + ' sur ' + n; },
    pdfPage: function (p) { return 'page ' + p; }
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

  /* Only text and <mark> survive. */
  function renderSnippet(html, into) {
    var doc = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
    var nodes = doc.body.firstChild ? doc.body.firstChild.childNodes : [];
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (n.nodeType === 1 && n.nodeName === 'MARK') into.appendChild(el('mark', null, n.textContent));
      else into.appendChild(document.createTextNode(n.textContent));
    }
  }

  function docUrl(hit, opts) {
    var url = hit.url;
    if (!url && opts.docBase) {
      url = opts.docBase.replace(/\/?$/, '/') + hit.path.split('/').map(encodeURIComponent).join('/');
      if (hit.page) url += '#page=' + hit.page;
    }
    return url || null;
  }

  function mount(root, options) {
    if (root.fouilleWidget) return root.fouilleWidget;
    var opts = {
      url: (options && options.url) || root.getAttribute('data-fouille-url') || '',
      perPage: +((options && options.perPage) || root.getAttribute('data-per-page') || 10),
      docBase: (options && options.docBase) || root.getAttribute('data-doc-base') || '',
      texts: {}
    };
    var t = opts.texts;
    for (var k in TEXTS) t[k] = TEXTS[k];
    var custom = (options && options.texts) || {};
    for (k in custom) t[k] = custom[k];
    var base = opts.url.replace(/\/+$/, '');
    var id = 'fouille-' + (++uid);
    var state = { q: '', type: '', year: '', page: 1 };
    var timer = null, inflight = null;

    root.classList.add('fouille');
    var form = el('form', { role: 'search', class: 'fouille-form', 'aria-label': t.label });
    var label = el('label', { for: id + '-q', class: 'fouille-label' }, t.label);
    var input = el('input', {
      id: id + '-q', type: 'search', autocomplete: 'off', spellcheck: 'false',
      placeholder: t.placeholder, 'aria-controls': id + '-results', class: 'fouille-input'
    });
    var button = el('button', { type: 'submit', class: 'fouille-submit' }, t.submit);
    var filters = el('div', { class: 'fouille-filters' });
    var typeSel = el('select', { 'aria-label': t.type, class: 'fouille-type' });
    var yearSel = el('select', { 'aria-label': t.year, class: 'fouille-year' });
    filters.appendChild(typeSel);
    filters.appendChild(yearSel);
    var status = el('p', { class: 'fouille-status', role: 'status', 'aria-live': 'polite' });
    var suggest = el('p', { class: 'fouille-suggestion', hidden: '' });
    var list = el('ol', { id: id + '-results', class: 'fouille-results', 'aria-label': t.label });
    var pager = el('nav', { class: 'fouille-pager', hidden: '' });
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    root.appendChild(form);
    root.appendChild(filters);
    root.appendChild(status);
    root.appendChild(suggest);
    root.appendChild(list);
    root.appendChild(pager);
    filters.hidden = true;

    function fillSelect(sel, all, counts, current) {
      sel.textContent = '';
      sel.appendChild(el('option', { value: '' }, all));
      var keys = Object.keys(counts || {});
      if (current && keys.indexOf(current) < 0) keys.push(current);
      keys.forEach(function (v) {
        var o = el('option', { value: v }, v + (counts && counts[v] != null ? ' (' + counts[v] + ')' : ''));
        if (v === current) o.selected = true;
        sel.appendChild(o);
      });
    }

    function show(data) {
      list.textContent = '';
      status.textContent = t.results(data.total);
      if (data.total === 0) status.textContent = t.none;
      suggest.textContent = '';
      suggest.hidden = !data.suggestion;
      if (data.suggestion) {
        suggest.appendChild(document.createTextNode(t.didYouMean + ' '));
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
      (data.hits || []).forEach(function (hit) {
        var li = el('li', { class: 'fouille-hit' });
        var url = docUrl(hit, opts);
        var title = el(url ? 'a' : 'span', url ? { href: url, class: 'fouille-title' } : { class: 'fouille-title', tabindex: '0' }, hit.title);
        var h = el('h3', { class: 'fouille-hit-title' });
        h.appendChild(title);
        li.appendChild(h);
        var meta = [hit.type, hit.date, hit.page ? t.pdfPage(hit.page) : null].filter(Boolean).join(' · ');
        li.appendChild(el('p', { class: 'fouille-meta' }, meta));
        var snip = el('p', { class: 'fouille-snippet' });
        renderSnippet(hit.snippet || '', snip);
        li.appendChild(snip);
        list.appendChild(li);
      });
      filters.hidden = false;
      fillSelect(typeSel, t.allTypes, data.facets && data.facets.type, state.type);
      fillSelect(yearSel, t.allYears, data.facets && data.facets.year, state.year);
      var pages = Math.ceil(data.total / opts.perPage);
      pager.textContent = '';
      pager.hidden = pages <= 1;
      if (pages > 1) {
        var prev = el('button', { type: 'button', class: 'fouille-prev' }, t.previous);
        var next = el('button', { type: 'button', class: 'fouille-next' }, t.next);
        prev.disabled = state.page <= 1;
        next.disabled = state.page >= pages;
        prev.addEventListener('click', function () { state.page--; run(false); });
        next.addEventListener('click', function () { state.page++; run(false); });
        pager.appendChild(prev);
        pager.appendChild(el('span', { class: 'fouille-page' }, t.page(state.page, pages)));
        pager.appendChild(next);
      }
    }

    function run(asYouType) {
      if (inflight) inflight.abort();
      if (!state.q.trim() && !state.type && !state.year) {
        list.textContent = ''; status.textContent = ''; suggest.hidden = true;
        pager.hidden = true; filters.hidden = true;
        return;
      }
      var params = new URLSearchParams({ q: state.q, page: state.page, per_page: opts.perPage });
      if (state.type) params.set('type', state.type);
      if (state.year) params.set('year', state.year);
      if (asYouType) params.set('prefix', '1');
      if (!state.q.trim()) params.set('sort', 'date');
      var ctl = window.AbortController ? new AbortController() : null;
      inflight = ctl;
      root.setAttribute('aria-busy', 'true');
      fetch(base + '/search?' + params, { signal: ctl && ctl.signal, headers: { Accept: 'application/json' } })
        .then(function (r) {
          return r.json().then(function (j) { return { ok: r.ok, body: j }; });
        })
        .then(function (r) {
          if (inflight !== ctl) return;
          inflight = null;
          root.removeAttribute('aria-busy');
          if (!r.ok) { list.textContent = ''; status.textContent = t.error + (r.body.error || ''); return; }
          show(r.body);
        })
        .catch(function (e) {
          if (e && e.name === 'AbortError') return;
          if (inflight !== ctl) return;
          inflight = null;
          root.removeAttribute('aria-busy');
          list.textContent = '';
          pager.hidden = true;
          status.textContent = t.unreachable;
        });
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      state.q = input.value; state.page = 1;
      timer = setTimeout(function () { run(true); }, 200);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      state.q = input.value; state.page = 1;
      run(false);
    });
    typeSel.addEventListener('change', function () { state.type = typeSel.value; state.page = 1; run(false); });
    yearSel.addEventListener('change', function () { state.year = yearSel.value; state.page = 1; run(false); });

    /* Keyboard: arrows move between the input and the results, Escape
     * goes back to the input (and clears it when already there). */
    root.addEventListener('keydown', function (e) {
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
          input.value = ''; state.q = ''; state.page = 1; run(false);
        } else input.focus();
        e.preventDefault();
      }
    });

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
