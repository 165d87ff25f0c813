/* innowatch site script: charts, the language switch, indicator switches,
   sortable tables and print. No network, no dependencies beyond the
   vendored echarts. Each page defines INNOWATCH_CHARTS before this file:
   [{id, group, default, variants: {key: {zh: option, en: option}}}]. */
"use strict";
(function () {
  var root = document.documentElement;
  var charts = {};
  var variants = {};
  var lang = "zh";
  var LANG_KEY = "innowatch.lang";

  function stored() {
    try { return window.localStorage.getItem(LANG_KEY); } catch (e) { return null; }
  }
  function store(v) {
    try { window.localStorage.setItem(LANG_KEY, v); } catch (e) { /* file:// in some browsers */ }
  }

  function optionOf(spec) {
    var key = spec.group ? (variants[spec.group] || spec["default"]) : "";
    var v = spec.variants[key] || spec.variants[spec["default"]];
    return v ? v[lang] : null;
  }
  function draw(id) {
    var c = charts[id];
    var o = optionOf(c.spec);
    if (o) { c.chart.setOption(o, true); }
  }
  function drawAll() { Object.keys(charts).forEach(draw); }
  function resizeAll() { Object.keys(charts).forEach(function (id) { charts[id].chart.resize(); }); }

  function setLang(l) {
    lang = l === "en" ? "en" : "zh";
    root.classList.toggle("lang-en", lang === "en");
    root.setAttribute("lang", lang === "en" ? "en" : "zh-CN");
    document.querySelectorAll("[data-en]").forEach(function (el) {
      if (!el.hasAttribute("data-zh")) { el.setAttribute("data-zh", el.textContent); }
      el.textContent = el.getAttribute(lang === "en" ? "data-en" : "data-zh");
    });
    drawAll();
  }

  function setVariant(group, key) {
    variants[group] = key;
    document.querySelectorAll(".variant").forEach(function (el) {
      if (el.getAttribute("data-group") === group) { el.hidden = el.getAttribute("data-variant") !== key; }
    });
    Object.keys(charts).forEach(function (id) {
      if (charts[id].spec.group === group) { draw(id); }
    });
  }

  // The county map names every county (issue 14, item 9). The shapes'
  // own label points (cp) of Linyi's three central districts sit a few
  // pixels apart at their common corner, so their names covered each other
  // (and hideOverlap dropped 兰山区): each is named inside its own area,
  // registered again so that ECharts parses the new points.
  var labelAt = { "临沂": { "兰山区": [118.30, 35.22], "罗庄区": [118.25, 34.88], "河东区": [118.53, 35.15] } };
  Object.keys(labelAt).forEach(function (name) {
    var m = window.echarts && window.echarts.getMap && window.echarts.getMap(name);
    if (!m || !m.geoJSON) { return; }
    m.geoJSON.features.forEach(function (f) {
      var cp = labelAt[name][f.properties && f.properties.name];
      if (cp) { f.properties.cp = cp; }
    });
    window.echarts.registerMap(name, m.geoJSON, m.specialAreas);
  });

  (window.INNOWATCH_CHARTS || []).forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (el && window.echarts) {
      charts[spec.id] = { spec: spec, chart: window.echarts.init(el, null, { renderer: "canvas" }) };
    }
  });
  document.querySelectorAll("select[data-group]").forEach(function (sel) {
    var group = sel.getAttribute("data-group");
    variants[group] = sel.value;
    sel.addEventListener("change", function () { setVariant(group, sel.value); });
  });
  Object.keys(variants).forEach(function (g) { setVariant(g, variants[g]); });
  setLang(stored() === "en" ? "en" : "zh");

  var button = document.getElementById("lang-switch");
  if (button) {
    button.addEventListener("click", function () {
      setLang(lang === "en" ? "zh" : "en");
      store(lang);
    });
  }
  window.addEventListener("resize", resizeAll);

  // Print: open every data table and fit the charts to the A4 column.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = [];
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      if (!d.classList.contains("menu")) { closed.push(d); d.open = true; }
    });
    resizeAll();
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    resizeAll();
  });

  // Sortable tables: the first click sorts ascending, the next descending;
  // missing values ("—") stay last either way.
  function sortKey(td) {
    if (td.classList.contains("missing")) { return { empty: true }; }
    var s = td.getAttribute("data-sort");
    var t = s !== null ? s : td.textContent.trim();
    if (t === "" || t === "—") { return { empty: true }; }
    if (s !== null && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(s)) { return { num: true, v: parseFloat(s) }; }
    return { v: t };
  }
  document.querySelectorAll("table.data").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var btn = th.querySelector("button.sort");
      if (!btn) { return; }
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[col]);
          var y = sortKey(b.cells[col]);
          if (x.empty || y.empty) { return (x.empty ? 1 : 0) - (y.empty ? 1 : 0); }
          var r = x.num && y.num ? x.v - y.v : String(x.v).localeCompare(String(y.v), "zh-CN");
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        table.classList.add("sorted");
      });
    });
  });

  // Numbers keep their units on one line (issue 14, item 13: on a phone
  // "0.20个百分 / 点" and "100家以 / 上" broke): each number with its unit
  // is put in a nowrap span, in the page's text (not charts or scripts).
  var keep = /(?:\d+-)?[+-]?\d[\d,.]*(?:个百分点|百分点|%|万平方米|万亿元|亿元|万元|家|个|项|位|月|年)(?:以上)?|[+-]?\d[\d,.]*以上/g;
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var texts = [];
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    var p = n.parentElement;
    if (p && !p.closest("script, style, .chart, .nw, button, option, select") && keep.test(n.data)) { texts.push(n); }
    keep.lastIndex = 0;
  }
  texts.forEach(function (node) {
    var s = node.data, last = 0, frag = document.createDocumentFragment(), m;
    keep.lastIndex = 0;
    while ((m = keep.exec(s)) !== null) {
      if (m.index > last) { frag.appendChild(document.createTextNode(s.slice(last, m.index))); }
      var span = document.createElement("span");
      span.className = "nw";
      span.textContent = m[0];
      frag.appendChild(span);
      last = m.index + m[0].length;
    }
    if (last < s.length) { frag.appendChild(document.createTextNode(s.slice(last))); }
    node.parentNode.replaceChild(frag, node);
  });

  // A table wider than the screen scrolls sideways: say so (the cue is
  // shown only while the table overflows its frame).
  function markOverflow() {
    document.querySelectorAll(".table-wrap").forEach(function (w) {
      w.classList.toggle("overflows", w.scrollWidth > w.clientWidth + 1);
    });
  }
  markOverflow();
  window.addEventListener("resize", markOverflow);

  // Menus: opening one closes the other; a click elsewhere closes both.
  var menus = document.querySelectorAll("details.menu");
  menus.forEach(function (m) {
    m.addEventListener("toggle", function () {
      if (m.open) { menus.forEach(function (o) { if (o !== m) { o.open = false; } }); }
    });
  });
  document.addEventListener("click", function (e) {
    menus.forEach(function (m) { if (!m.contains(e.target)) { m.open = false; } });
  });
})();
