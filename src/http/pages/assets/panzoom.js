// Pan (drag) and zoom (wheel) for the inline SVG of a graph.
(function () {
  var box = document.getElementById('graph');
  if (!box) return;
  var svg = box.querySelector('svg');
  if (!svg) return;
  var scale = 1, x = 0, y = 0, drag = null;
  svg.style.transformOrigin = '0 0';
  function apply() {
    svg.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')';
  }
  box.addEventListener('wheel', function (e) {
    e.preventDefault();
    scale *= e.deltaY < 0 ? 1.1 : 1 / 1.1;
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
})();
