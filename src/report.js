/* report.js -- the search analytics page (/stats.html): a chart of the
 * searches per day in inline SVG and the tables of the most frequent and
 * zero-result queries, from GET /analytics. No framework; every text is
 * set as text. */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';

  function el(name, attrs, text) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function svg(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function dayName(ms) { return new Date(ms).toISOString().slice(0, 10); }

  /* Every day of the period, those without searches at zero. */
  function series(r) {
    var by = {};
    r.per_day.forEach(function (d) { by[d.day] = d; });
    var out = [], end = Date.parse(r.to + 'T00:00:00Z');
    for (var i = r.days - 1; i >= 0; i--) {
      var name = dayName(end - i * 86400000);
      out.push(by[name] || { day: name, searches: 0, zero_results: 0, clicks: 0 });
    }
    return out;
  }

  function chart(days) {
    var w = 640, h = 200, pad = 28, max = 1;
    days.forEach(function (d) { if (d.searches > max) max = d.searches; });
    var s = svg('svg', { viewBox: '0 0 ' + w + ' ' + (h + pad), width: '100%',
                         role: 'img', 'aria-label': 'Recherches par jour', class: 'fouille-chart' });
    var bw = (w - pad) / days.length;
    s.appendChild(svg('text', { x: 0, y: 12, 'font-size': 11 }, String(max)));
    s.appendChild(svg('line', { x1: pad, y1: h, x2: w, y2: h, stroke: '#888' }));
    days.forEach(function (d, i) {
      var x = pad + i * bw, bh = d.searches / max * (h - 16), zh = d.zero_results / max * (h - 16);
      var bar = svg('rect', { x: x + 1, y: h - bh, width: Math.max(1, bw - 2), height: bh,
                              fill: '#4a7bd0', class: 'day', 'data-day': d.day, 'data-searches': d.searches });
      bar.appendChild(svg('title', {}, d.day + ' : ' + d.searches + ' recherches, ' +
                                         d.zero_results + ' sans résultat'));
      s.appendChild(bar);
      if (zh > 0) s.appendChild(svg('rect', { x: x + 1, y: h - zh, width: Math.max(1, bw - 2), height: zh,
                                              fill: '#d0674a', class: 'zero' }));
    });
    s.appendChild(svg('text', { x: pad, y: h + 18, 'font-size': 11 }, days[0].day));
    s.appendChild(svg('text', { x: w, y: h + 18, 'font-size': 11, 'text-anchor': 'end' },
                      days[days.length - 1].day));
    return s;
  }

  function table(id, rows) {
    var body = document.querySelector('#' + id + ' tbody');
    body.textContent = '';
    if (!rows.length) body.appendChild(el('tr', {})).appendChild(el('td', { colspan: 2 }, 'Aucune'));
    rows.forEach(function (r) {
      var tr = body.appendChild(el('tr', {}));
      tr.appendChild(el('td', {}, r.query || '(sans mot)'));
      tr.appendChild(el('td', {}, r.error ? r.count + ' ± ' + r.error : String(r.count)));
    });
  }

  function pct(x) { return (Math.round(x * 1000) / 10) + ' %'; }

  function load(days) {
    fetch('/analytics?days=' + days + '&top=20', { headers: { Accept: 'application/json' } })
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
      .then(function (r) {
        document.getElementById('summary').textContent =
          r.searches + ' recherches du ' + r.from + ' au ' + r.to + ', dont ' + r.zero_results +
          ' sans résultat (' + pct(r.zero_result_rate) + ') ; ' + r.clicks + ' résultats ouverts, ' +
          'taux de clic ' + pct(r.click_through_rate) +
          (r.clicks ? ', rang moyen ' + (Math.round(r.mean_click_rank * 10) / 10) : '') + '.';
        var c = document.getElementById('chart');
        c.textContent = '';
        c.appendChild(chart(series(r)));
        table('top', r.top);
        table('top-zero', r.top_zero);
      })
      .catch(function (e) {
        document.getElementById('summary').textContent = 'Statistiques indisponibles : ' + e.message;
      });
  }

  var sel = document.getElementById('days');
  sel.addEventListener('change', function () { load(sel.value); });
  load(sel.value);
})();
