(function () {
  "use strict";
  // The data: gzip-compressed JSON in base64, inflated by the browser itself.
  function inflate(element) {
    var text = atob(element.textContent.trim()), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  var element = document.getElementById("report-data");
  if (typeof DecompressionStream === "undefined") {
    document.getElementById("passages").insertAdjacentHTML("beforeend",
      "<p class='flag'>This browser is too old to open the report's passages; use a current " +
      "Firefox, Chrome, Edge or Safari.</p>");
    return;
  }
  inflate(element).then(start).catch(function (error) {
    document.getElementById("passages").insertAdjacentHTML("beforeend",
      "<p class='flag'>The report's data could not be read: " + String(error) + "</p>");
  });

  function start(D) {
    var P = D.passages, DOCS = D.documents, N = P.text.length, COLORS = D.colors;
    var STORE = "framingclf:" + D.report_id;
    var $ = function (id) { return document.getElementById(id); };

    // -- helpers ---------------------------------------------------------------------------
    function esc(s) {
      return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
    function labelOf(i) { return P.label[i] >= 0 ? P.labels[P.label[i]] : ""; }
    function fmt(v, col) {
      if (v == null) { return "–"; }
      if (Array.isArray(v)) { return v.length ? v.join("; ") : "–"; }
      if (typeof v === "boolean") { return v ? "yes" : "no"; }
      if (typeof v === "number") {
        if (/^share_|_rate$/.test(col)) { return Math.round(v * 100) + "%"; }
        return Number.isInteger(v) ? String(v) : v.toFixed(2);
      }
      return String(v);
    }
    function csvCell(v) {
      var s = v == null ? "" : Array.isArray(v) ? JSON.stringify(v) : String(v);
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    function csv(columns, rows) {
      return [columns.join(",")].concat(rows.map(function (r) {
        return columns.map(function (c) { return csvCell(r[c]); }).join(",");
      })).join("\n") + "\n";
    }
    function download(name, text) {
      var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }
    function load(key, fallback) {
      try { var v = localStorage.getItem(key); return v == null ? fallback : JSON.parse(v); }
      catch (e) { return fallback; }
    }
    function save(key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
    }
    function status(text) { $("status").textContent = text; }

    // -- state -----------------------------------------------------------------------------
    var byDoc = DOCS.doc_id.map(function () { return []; });
    for (var k = 0; k < N; k++) { byDoc[P.doc[k]].push(k); }
    var indexOf = {};
    P.id.forEach(function (id, i) { indexOf[id] = i; });
    var corrections = load(STORE, {});
    var lower = null;
    var matches = [];
    var page = 0;
    var pageSize = D.page_size;
    var target = -1;

    // -- filters -------------------------------------------------------------------------------
    function chips(holder, name, values, names, counts, colors) {
      holder.innerHTML = values.map(function (v, j) {
        var color = colors ? colors[j] : "#bbb";
        return "<label class='chip' style='border-color:" + color + "'><input type='checkbox' id='f-" +
          name + "-" + esc(names[j]).replace(/\s+/g, "-") + "' data-value='" + v + "' checked> " +
          esc(names[j]) + " <span class='count'>" + counts[j].toLocaleString() + "</span></label>";
      }).join("");
    }
    function count(values, codes) {
      var c = values.map(function () { return 0; });
      codes.forEach(function (x) { var j = values.indexOf(x); if (j >= 0) { c[j]++; } });
      return c;
    }
    var labelValues = P.labels.map(function (_, j) { return j; }).concat([-1]);
    var labelNames = P.labels.concat(["no label"]);
    chips($("f-labels"), "label", labelValues, labelNames, count(labelValues, P.label),
          P.labels.map(function (l) { return COLORS[l]; }).concat(["#bbb"]));
    var kindValues = P.kinds.map(function (_, j) { return j; });
    chips($("f-kinds"), "kind", kindValues, P.kinds, count(kindValues, P.kind));
    var orgs = Array.from(new Set(DOCS.organisation.filter(function (o) { return o; }))).sort();
    $("f-org").innerHTML += orgs.map(function (o) {
      return "<option value='" + esc(o) + "'>" + esc(o) + "</option>";
    }).join("");
    $("f-doc").innerHTML += DOCS.title.map(function (t, d) {
      return "<option value='" + d + "'>" + esc(t) + "</option>";
    }).join("");

    function checked(holder) {
      var on = {};
      holder.querySelectorAll("input").forEach(function (b) { on[b.dataset.value] = b.checked; });
      return on;
    }
    function applyFilters() {
      var labels = checked($("f-labels")), kinds = checked($("f-kinds"));
      var cmin = parseFloat($("f-cmin").value), cmax = parseFloat($("f-cmax").value);
      if (isNaN(cmin)) { cmin = 0; }
      if (isNaN(cmax)) { cmax = 1; }
      var whole = cmin <= 0 && cmax >= 1;
      var org = $("f-org").value, doc = parseInt($("f-doc").value, 10);
      var review = $("f-review").checked, corrected = $("f-corrected").checked;
      var q = $("f-search").value.trim().toLowerCase();
      if (q && !lower) { lower = P.text.map(function (t) { return t.toLowerCase(); }); }
      matches = [];
      for (var i = 0; i < N; i++) {
        if (!labels[P.label[i]] || !kinds[P.kind[i]]) { continue; }
        var c = P.confidence[i];
        if (!whole && (c == null || c < cmin || c > cmax)) { continue; }
        if (doc >= 0 && P.doc[i] !== doc) { continue; }
        if (org && DOCS.organisation[P.doc[i]] !== org) { continue; }
        if (review && !P.review[i]) { continue; }
        if (corrected && !corrections[P.id[i]]) { continue; }
        if (q && lower[i].indexOf(q) < 0) { continue; }
        matches.push(i);
      }
      $("shown").textContent = matches.length.toLocaleString();
      page = 0;
      render();
    }

    // -- the passages table ------------------------------------------------------------------
    function highlight(text, cues, color) {
      var html = esc(text);
      if (!cues || !cues.length) { return html; }
      var words = cues.map(function (c) { return esc(c).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
      var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + words.join("|") + ")(?![\\p{L}\\p{N}])", "giu");
      return html.replace(re, "$1<mark class='cue' style='background:" + color +
        "55' title='a cue for the model&#39;s label'>$2</mark>");
    }
    function options(current) {
      return "<option value=''>keep the model's label</option>" + P.labels.map(function (l) {
        return "<option value='" + l + "'" + (l === current ? " selected" : "") + ">" + l + "</option>";
      }).join("");
    }
    function row(i) {
      var d = P.doc[i], label = labelOf(i), color = COLORS[label] || "#bbb";
      var fix = corrections[P.id[i]] || {};
      var pageNo = P.page[i], section = P.sections[P.section[i]] || "";
      var where = "<a href='#documents' data-doc='" + d + "'>" + esc(DOCS.title[d]) + "</a>" +
        (pageNo != null ? " · <a href='" + esc(DOCS.href[d]) + "#page=" + pageNo +
          "' target='_blank'>p. " + pageNo + "</a>" : "") +
        (section ? "<div class='muted' title='" + esc(section) + "'>" +
          esc(section.split(" > ").pop()) + "</div>" : "");
      var conf = P.confidence[i];
      var lab = label ? "<span class='badge' style='background:" + color + "'>" + label + "</span>" +
        "<div class='conf' title='calibrated probability of the label'><span class='bar'><span style='width:" +
        Math.round((conf || 0) * 100) + "%;background:" + color + "'></span></span>" +
        (conf == null ? "–" : conf.toFixed(2)) + "</div>" : "<span class='muted'>no label</span>";
      if (P.review[i]) { lab += " <span class='flag'>review</span>"; }
      var kind = P.kinds[P.kind[i]];
      if (kind !== "prose") { lab += " <span class='kind'>" + esc(kind) + "</span>"; }
      var tags = [];
      if (P.deficit[i] && P.deficit[i].length) { tags.push("deficit labels: " + esc(P.deficit[i].join(", "))); }
      if (P.cues && P.cues[i] && P.cues[i].length) { tags.push("cues: " + esc(P.cues[i].join(", "))); }
      return "<tr data-i='" + i + "' class='" + (P.review[i] ? "needs-review " : "") +
        (corrections[P.id[i]] ? "corrected " : "") + (i === target ? "target" : "") + "'>" +
        "<td class='where'>" + where + "</td><td class='lab'>" + lab + "</td>" +
        "<td class='text'>" + highlight(P.text[i], P.cues && P.cues[i], color) +
        (tags.length ? "<div class='tags'>" + tags.join(" · ") + "</div>" : "") + "</td>" +
        "<td class='fix'><select class='fix-label' aria-label='your label'>" + options(fix.label || "") +
        "</select><input class='fix-memo' type='text' placeholder='memo' aria-label='memo' value='" +
        esc(fix.memo || "") + "'></td></tr>";
    }
    function pager(holder) {
      var pages = Math.max(1, Math.ceil(matches.length / pageSize));
      var first = matches.length ? page * pageSize + 1 : 0;
      var last = Math.min(matches.length, (page + 1) * pageSize);
      holder.innerHTML = "<button type='button' data-go='-1'" + (page ? "" : " disabled") +
        ">‹ previous</button><span>" + first.toLocaleString() + "–" + last.toLocaleString() + " of " +
        matches.length.toLocaleString() + " (page " + (page + 1) + " of " + pages + ")</span>" +
        "<button type='button' data-go='1'" + (page + 1 < pages ? "" : " disabled") +
        ">next ›</button><label>per page <select class='page-size'>" +
        [25, 50, 100, 200, 500].map(function (n) {
          return "<option" + (n === pageSize ? " selected" : "") + ">" + n + "</option>";
        }).join("") + "</select></label>";
    }
    function render() {
      var shown = matches.slice(page * pageSize, (page + 1) * pageSize);
      $("passage-rows").innerHTML = shown.map(row).join("");
      pager($("pager-top"));
      pager($("pager-bottom"));
    }
    function onPager(event) {
      var go = event.target.dataset.go;
      if (go) {
        page = Math.max(0, page + parseInt(go, 10));
        render();
        $("passages").scrollIntoView();
      }
    }
    function onPageSize(event) {
      if (event.target.classList.contains("page-size")) {
        pageSize = parseInt(event.target.value, 10);
        page = 0;
        render();
      }
    }

    // -- corrections -------------------------------------------------------------------------
    function updateCount() { $("corrections-count").textContent = Object.keys(corrections).length; }
    function onEdit(event) {
      var tr = event.target.closest("tr");
      if (!tr) { return; }
      var i = parseInt(tr.dataset.i, 10), id = P.id[i];
      var label = tr.querySelector(".fix-label").value, memo = tr.querySelector(".fix-memo").value;
      if (label || memo.trim()) { corrections[id] = { label: label, memo: memo }; }
      else { delete corrections[id]; }
      tr.classList.toggle("corrected", !!corrections[id]);
      save(STORE, corrections);
      updateCount();
    }
    function correctionRows() {
      var coder = $("coder").value.trim(), rows = [], skipped = 0;
      Object.keys(corrections).map(function (id) { return indexOf[id]; })
        .filter(function (i) { return i !== undefined; })
        .sort(function (a, b) { return a - b; })
        .forEach(function (i) {
          var fix = corrections[P.id[i]], model = labelOf(i), d = P.doc[i];
          if (!fix.label && !model) { skipped++; return; }
          rows.push({ passage_id: P.id[i], doc_id: DOCS.doc_id[d], path: DOCS.path[d],
                      page_start: P.page[i], text: P.text[i], label: fix.label || model,
                      model_label: model, confidence: P.confidence[i], coder: coder,
                      memo: fix.memo || "" });
        });
      return { rows: rows, skipped: skipped };
    }
    function downloadCorrections() {
      var found = correctionRows();
      if (!found.rows.length) { status("no corrections to download yet"); return; }
      download("corrections-" + D.report_id + ".csv", csv(D.correction_columns, found.rows));
      status("downloaded " + found.rows.length + " correction(s)" + (found.skipped ?
        "; " + found.skipped + " memo(s) on passages without any label left out: give them a label" : ""));
    }
    function exportFiltered() {
      var rows = matches.map(function (i) {
        var d = P.doc[i];
        return { passage_id: P.id[i], doc_id: DOCS.doc_id[d], title: DOCS.title[d], path: DOCS.path[d],
                 organisation: DOCS.organisation[d], date: DOCS.date[d], page_start: P.page[i],
                 page_end: P.page_end[i], section: P.sections[P.section[i]] || "",
                 kind: P.kinds[P.kind[i]], label: labelOf(i), confidence: P.confidence[i],
                 review: P.review[i] ? "true" : "false", deficit_terms: P.deficit[i] || [],
                 text: P.text[i] };
      });
      download("passages-" + D.report_id + ".csv", csv(D.export_columns, rows));
      status("exported " + rows.length + " passage(s)");
    }

    // -- documents ----------------------------------------------------------------------------
    function shareBar(shares) {
      if (!shares) { return ""; }
      return "<span class='sharebar'>" + D.framings.map(function (f, j) {
        return "<span style='width:" + Math.round((shares[j] || 0) * 100) + "%;background:" +
          COLORS[f] + "' title='" + f + " " + Math.round((shares[j] || 0) * 100) + "%'></span>";
      }).join("") + "</span>";
    }
    function documentTable() {
      var head = "<tr><th class='key'>document</th><th class='key'>organisation</th><th>passages</th>" +
        "<th>review</th><th>framing shares</th><th>upstream index [95% interval]</th></tr>";
      $("doc-table").innerHTML = head + DOCS.title.map(function (t, d) {
        var x = DOCS.index[d] || [];
        return "<tr data-doc='" + d + "'><td class='key'>" + esc(t) + "</td><td class='key'>" +
          esc(DOCS.organisation[d] || "") + "</td><td>" + byDoc[d].length.toLocaleString() + "</td><td>" +
          DOCS.n_review[d] + "</td><td>" + shareBar(DOCS.shares[d]) + "</td><td>" + fmt(x[0]) +
          (x[1] != null ? " <span class='muted'>[" + fmt(x[1]) + "–" + fmt(x[2]) + "]</span>" : "") +
          "</td></tr>";
      }).join("");
    }
    function strip(d) {
      var rows = byDoc[d], pages = DOCS.n_pages[d] || 1, perPage = {};
      rows.forEach(function (i) { var p = P.page[i] || 1; perPage[p] = (perPage[p] || 0) + 1; if (p > pages) { pages = p; } });
      var w = Math.max(3, Math.min(40, Math.floor(960 / pages))), h = 90, seen = {};
      var cells = rows.map(function (i) {
        var p = P.page[i] || 1, n = perPage[p], k = seen[p] = (seen[p] || 0) + 1;
        var label = labelOf(i), ch = h / n;
        return "<rect data-i='" + i + "' x='" + (p - 1) * w + "' y='" + ((k - 1) * ch).toFixed(2) +
          "' width='" + Math.max(w - 1, 1) + "' height='" + Math.max(ch - 0.6, 0.4).toFixed(2) +
          "' fill='" + (label ? COLORS[label] : "#fff") + "' stroke='" + (P.review[i] ? "#222" : label ? "none" : "#bbb") +
          "'" + (P.review[i] ? " stroke-dasharray='2 1'" : "") + "><title>p. " + p + " · " +
          (label || P.kinds[P.kind[i]]) + (P.confidence[i] != null ? " " + P.confidence[i].toFixed(2) : "") +
          "</title></rect>";
      });
      return "<div class='strip'><svg xmlns='http://www.w3.org/2000/svg' width='" + pages * w +
        "' height='" + (h + 14) + "' role='img' aria-label='page strip'>" + cells.join("") +
        "<text x='0' y='" + (h + 12) + "' font-size='10' fill='#666'>p. 1</text><text x='" +
        Math.max(pages * w - 4, 30) + "' y='" + (h + 12) + "' font-size='10' fill='#666' text-anchor='end'>p. " +
        pages + "</text></svg></div><p class='muted'>One column per page, one cell per passage from the top; " +
        "dashed outline: marked for review; white: no label (a heading, table or caption). Click a cell to read it.</p>";
    }
    function auditTable(d) {
      var checks = D.audit ? D.audit[d] || [] : [];
      if (!checks.length) { return ""; }
      return "<h4>Audit</h4><table class='audit'><tr><th>check</th><th>verdict</th>" +
        "<th>evidence</th><th>passages</th></tr>" + checks.map(function (c) {
          var links = c[4].map(function (id) {
            var i = indexOf[id];
            return i === undefined ? "" : "<a href='#' data-passage='" + i + "'>p. " +
              esc(P.page[i] || "?") + "</a>";
          }).filter(function (a) { return a; }).join(" ");
          return "<tr><td class='key'>" + esc(c[0].replace(/_/g, " ")) + "</td><td>" + esc(c[1]) +
            (c[2] != null ? " <span class='muted'>(" + fmt(c[2]) + ")</span>" : "") + "</td><td>" +
            esc(c[3]) + "</td><td>" + links + "</td></tr>";
        }).join("") + "</table><p class='muted'>The critic's questions asked of this document; " +
        "the confidence is how often the verdict survives redrawing the passage tags. " +
        "Click a page to read the passage the evidence cites.</p>";
    }
    function showDocument(d) {
      var panel = $("doc-panel"), known = DOCS.columns, extra = [];
      var items = known.map(function (col, j) {
        var value = DOCS.rows[d][j], link = col === "path" ?
          "<a href='" + esc(DOCS.href[d]) + "' target='_blank'>" + esc(value) + "</a>" : esc(fmt(value, col));
        var isExtra = D.schema_columns.indexOf(col) < 0;
        var item = "<dt>" + esc(col.replace(/_/g, " ")) + "</dt><dd>" + link + "</dd>";
        if (isExtra) { extra.push(item); return ""; }
        return item;
      }).join("");
      panel.innerHTML = "<h3>" + esc(DOCS.title[d]) + "</h3>" + strip(d) + "<dl>" + items + "</dl>" +
        (extra.length ? "<dl class='extra'>" + extra.join("") + "</dl>" : "") + auditTable(d) +
        "<button type='button' id='show-doc-passages'>show its passages</button> " +
        "<button type='button' id='close-panel'>close</button>";
      panel.hidden = false;
      $("show-doc-passages").onclick = function () { focusDocument(d, -1); };
      $("close-panel").onclick = function () { panel.hidden = true; };
      panel.scrollIntoView();
    }
    function focusDocument(d, i) {
      $("f-doc").value = String(d);
      applyFilters();
      target = i;
      if (i >= 0) {
        var at = matches.indexOf(i);
        if (at < 0) { resetFilters(false); $("f-doc").value = String(d); applyFilters(); at = matches.indexOf(i); }
        page = Math.max(0, Math.floor(at / pageSize));
        render();
      }
      var tr = document.querySelector("#passage-rows tr.target");
      (tr || $("passages")).scrollIntoView();
    }
    function resetFilters(apply) {
      document.querySelectorAll("#f-labels input, #f-kinds input").forEach(function (b) { b.checked = true; });
      $("f-cmin").value = 0; $("f-cmax").value = 1; $("f-org").value = ""; $("f-doc").value = "-1";
      $("f-review").checked = false; $("f-corrected").checked = false; $("f-search").value = "";
      if (apply !== false) { applyFilters(); }
    }

    // -- wiring -------------------------------------------------------------------------------
    $("filters").addEventListener("change", function (e) {
      if (e.target.id !== "coder" && e.target.id !== "f-search") { applyFilters(); }
    });
    $("f-search").addEventListener("input", applyFilters);
    $("f-reset").addEventListener("click", function () { resetFilters(); });
    ["pager-top", "pager-bottom"].forEach(function (id) {
      $(id).addEventListener("click", onPager);
      $(id).addEventListener("change", onPageSize);
    });
    $("passage-rows").addEventListener("change", onEdit);
    $("passage-rows").addEventListener("input", function (e) {
      if (e.target.classList.contains("fix-memo")) { onEdit(e); }
    });
    $("passage-rows").addEventListener("click", function (e) {
      var a = e.target.closest("a[data-doc]");
      if (a) { e.preventDefault(); showDocument(parseInt(a.dataset.doc, 10)); }
    });
    $("doc-table").addEventListener("click", function (e) {
      var tr = e.target.closest("tr[data-doc]");
      if (tr) { showDocument(parseInt(tr.dataset.doc, 10)); }
    });
    $("doc-panel").addEventListener("click", function (e) {
      var cited = e.target.closest("a[data-passage]");
      if (cited) {
        e.preventDefault();
        var j = parseInt(cited.dataset.passage, 10);
        focusDocument(P.doc[j], j);
        return;
      }
      if (e.target.tagName === "rect") {
        var i = parseInt(e.target.dataset.i, 10);
        focusDocument(P.doc[i], i);
      }
    });
    $("coder").value = load("framingclf:coder", "");
    $("coder").addEventListener("input", function () { save("framingclf:coder", $("coder").value); });
    $("download-corrections").addEventListener("click", downloadCorrections);
    $("clear-corrections").addEventListener("click", function () {
      if (!Object.keys(corrections).length || window.confirm("Clear all corrections in this report?")) {
        corrections = {};
        save(STORE, corrections);
        updateCount();
        render();
      }
    });
    $("export-csv").addEventListener("click", exportFiltered);
    documentTable();
    updateCount();
    applyFilters();
    document.body.dataset.ready = "1";
  }
})();
