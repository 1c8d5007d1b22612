// The query page: runs the editor's query against /sparql, draws SELECT rows as a table
// (IRIs link to their entity pages), shows CONSTRUCT/DESCRIBE results as Turtle with a
// link that draws them as a graph, and points the download links at the current query.
(function () {
  var form = document.getElementById('q');
  var pick = document.getElementById('named');
  var out = document.getElementById('results');
  pick.addEventListener('change', function () {
    var option = pick.options[pick.selectedIndex];
    if (option.dataset.text) form.query.value = option.dataset.text;
  });
  function cell(row, term) {
    var c = row.insertCell();
    if (!term) return;
    if (term.type === 'uri') {
      var a = document.createElement('a');
      a.href = '/entity?iri=' + encodeURIComponent(term.value);
      a.textContent = term.value;
      c.appendChild(a);
    } else {
      c.textContent = term.value;
    }
  }
  function table(data) {
    var t = document.createElement('table');
    t.id = 'rows';
    var head = t.insertRow();
    data.head.vars.forEach(function (v) {
      var th = document.createElement('th');
      th.textContent = v;
      head.appendChild(th);
    });
    data.results.bindings.forEach(function (b) {
      var row = t.insertRow();
      data.head.vars.forEach(function (v) { cell(row, b[v]); });
    });
    return t;
  }
  function graph(turtle) {
    var box = document.createElement('div');
    var draw = document.createElement('a');
    draw.id = 'draw';
    draw.href = '/graph/construct?query=' + encodeURIComponent(form.query.value);
    draw.textContent = 'draw as graph';
    var pre = document.createElement('pre');
    pre.id = 'triples';
    pre.textContent = turtle;
    box.appendChild(draw);
    box.appendChild(pre);
    return box;
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    out.textContent = '…';
    fetch('/sparql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/sparql-query',
        'Accept': 'application/sparql-results+json, text/turtle;q=0.9'
      },
      body: form.query.value
    }).then(function (r) {
      return r.text().then(function (text) {
        if (!r.ok) throw new Error(text);
        out.textContent = '';
        var type = r.headers.get('Content-Type') || '';
        if (type.indexOf('text/turtle') === 0) {
          out.appendChild(graph(text));
          return;
        }
        var data = JSON.parse(text);
        if (data.boolean !== undefined) {
          out.textContent = String(data.boolean);
          return;
        }
        out.appendChild(table(data));
      });
    }).catch(function (err) { out.textContent = err.message; });
  });
  document.querySelectorAll('a.download').forEach(function (a) {
    a.addEventListener('click', function () {
      a.href = '/sparql?format=' + a.dataset.format + '&query=' + encodeURIComponent(form.query.value);
    });
  });
})();
