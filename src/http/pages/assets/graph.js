// The drawing of a graph page: fitted to its frame on load; drag to pan, wheel to zoom
// around the pointer; "fit" and "reset" buttons; hovering a node lights it, its edges
// and its neighbours and dims the rest; the search box centres the node it names.
(function () {
  var box = document.getElementById('graph');
  if (!box) return;
  var svg = box.querySelector('svg');
  if (!svg) return;
  // The frame takes the rest of the window, so that a fitted drawing is seen whole.
  var top = box.getBoundingClientRect().top + window.scrollY;
  box.style.height = Math.max(360, window.innerHeight - top - 16) + 'px';
  var view = svg.viewBox && svg.viewBox.baseVal;
  var width = view && view.width ? view.width : svg.getBBox().width;
  var height = view && view.height ? view.height : svg.getBBox().height;
  // One unit of the drawing is one pixel at scale 1, whatever unit Graphviz wrote.
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.style.transformOrigin = '0 0';
  var scale = 1, x = 0, y = 0, drag = null;
  function apply() {
    svg.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')';
  }
  function fit() {
    unlight();
    var bw = box.clientWidth, bh = box.clientHeight;
    scale = Math.min(bw / width, bh / height, 4);
    x = (bw - width * scale) / 2;
    y = (bh - height * scale) / 2;
    apply();
  }
  function reset() {
    unlight();
    scale = 1; x = 0; y = 0;
    apply();
  }
  fit();
  box.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = box.getBoundingClientRect();
    var mx = e.clientX - r.left, my = e.clientY - r.top;
    var f = e.deltaY < 0 ? 1.1 : 1 / 1.1;
    x = mx - (mx - x) * f;
    y = my - (my - y) * f;
    scale *= f;
    apply();
  });
  box.addEventListener('mousedown', function (e) { drag = [e.clientX - x, e.clientY - y]; });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (e) {
    if (drag) {
      x = e.clientX - drag[0];
      y = e.clientY - drag[1];
      apply();
    }
  });
  var fitButton = document.getElementById('fit');
  if (fitButton) fitButton.addEventListener('click', fit);
  var resetButton = document.getElementById('reset');
  if (resetButton) resetButton.addEventListener('click', reset);

  // Nodes by their DOT id (the <title> Graphviz writes), with their edges.
  var nodes = {};
  svg.querySelectorAll('g.node').forEach(function (g) {
    var title = g.querySelector('title');
    if (!title) return;
    var label = Array.prototype.map.call(g.querySelectorAll('text'), function (t) {
      return t.textContent;
    }).join('');
    nodes[title.textContent] = { g: g, edges: [], label: label };
  });
  svg.querySelectorAll('g.edge').forEach(function (g) {
    var title = g.querySelector('title');
    if (!title) return;
    var ends = title.textContent.split(/--|->/);
    if (ends.length !== 2) return;
    if (nodes[ends[0]]) nodes[ends[0]].edges.push([g, ends[1]]);
    if (nodes[ends[1]]) nodes[ends[1]].edges.push([g, ends[0]]);
  });
  function light(node) {
    svg.classList.add('dim');
    node.g.classList.add('hl');
    node.edges.forEach(function (e) {
      e[0].classList.add('hl');
      if (nodes[e[1]]) nodes[e[1]].g.classList.add('hl');
    });
  }
  function unlight() {
    svg.classList.remove('dim');
    svg.querySelectorAll('.hl').forEach(function (el) { el.classList.remove('hl'); });
  }
  Object.keys(nodes).forEach(function (id) {
    var node = nodes[id];
    node.g.addEventListener('mouseenter', function () { light(node); });
    node.g.addEventListener('mouseleave', unlight);
  });

  var find = document.getElementById('find');
  var list = document.getElementById('node-names');
  if (!find) return;
  if (list) {
    Object.keys(nodes).map(function (id) { return nodes[id].label; }).sort().forEach(function (label) {
      var option = document.createElement('option');
      option.value = label;
      list.appendChild(option);
    });
  }
  function centre() {
    var want = find.value.trim();
    if (!want) return;
    var ids = Object.keys(nodes);
    var hit = ids.filter(function (id) { return nodes[id].label === want; })[0] ||
      ids.filter(function (id) { return nodes[id].label.indexOf(want) >= 0; })[0];
    if (!hit) {
      find.setCustomValidity('no node ' + want);
      find.reportValidity();
      return;
    }
    find.setCustomValidity('');
    if (scale < 1) {
      scale = 1;
      apply();
    }
    var r = nodes[hit].g.getBoundingClientRect(), b = box.getBoundingClientRect();
    x += (b.left + b.width / 2) - (r.left + r.width / 2);
    y += (b.top + b.height / 2) - (r.top + r.height / 2);
    apply();
    unlight();
    light(nodes[hit]);
  }
  find.addEventListener('change', centre);
  find.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); centre(); } });
})();
