// thidua works without this script; it only asks before a destructive
// action. A button or form with data-confirm is confirmed first.
document.addEventListener("submit", function (e) {
  var b = e.submitter;
  var text = (b && b.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) {
    e.preventDefault();
  }
});
