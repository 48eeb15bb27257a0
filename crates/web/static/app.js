// thidua works without this script; it only asks before a destructive
// action. A button or form with data-confirm is confirmed first.
document.addEventListener("submit", function (e) {
  var b = e.submitter;
  var text = (b && b.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) {
    e.preventDefault();
  }
});

// A unit field (data-unit-picker) suggests units as the person types a
// name without diacritics or a code; the server accepts either.
(function () {
  var fields = document.querySelectorAll("input[data-unit-picker]");
  Array.prototype.forEach.call(fields, function (input, i) {
    var list = document.createElement("datalist");
    list.id = "goi-y-don-vi-" + i;
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        var form = input.form;
        var boundary = form && form.querySelector("[name=ranh_gioi]");
        // A list's filter (data-unit-picker="ca-hai") reads both maps.
        var maps = boundary ? boundary.value : input.getAttribute("data-unit-picker");
        var url = "/to-chuc/chon?q=" + encodeURIComponent(q) +
          (maps ? "&ranh_gioi=" + encodeURIComponent(maps) : "");
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (units) {
            list.innerHTML = "";
            units.forEach(function (u) {
              var o = document.createElement("option");
              o.value = u.code;
              o.label = u.name + (u.within ? " — " + u.within : "");
              o.textContent = o.label;
              list.appendChild(o);
            });
            input.setAttribute("data-suggestions", String(units.length));
          });
      }, 200);
    });
  });
})();
