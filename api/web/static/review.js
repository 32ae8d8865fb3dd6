// Review marks on the findings page: POST /findings/{id}/review with the token the reviewer typed.
// The token stays in sessionStorage (this tab only) and is never put in the page or a URL.
(function () {
  "use strict";
  var KEY = "dutygraph-review-token";
  var STATUS_ZH = {open: "待审", accepted: "已确认", dismissed: "已驳回", resolved: "已解决", reopened: "证据已变,重新待审"};
  var tokenInput = document.getElementById("review-token");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem(KEY) || "";
    tokenInput.addEventListener("input", function () { sessionStorage.setItem(KEY, tokenInput.value.trim()); });
  }
  function say(form, text, ok) {
    var msg = form.querySelector(".msg");
    msg.textContent = text;
    msg.className = "msg " + (ok ? "ok" : "err");
  }
  document.querySelectorAll("form.review").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = event.submitter ? event.submitter.value : "accepted";
      var note = form.querySelector("textarea[name=note]").value.trim();
      var token = (tokenInput && tokenInput.value.trim()) || sessionStorage.getItem(KEY) || "";
      if (!token) { say(form, "请先在页面上方输入审核口令。", false); return; }
      if (status === "dismissed" && !note) { say(form, "驳回时请写明理由。", false); return; }
      var id = form.getAttribute("data-id");
      say(form, "正在保存…", true);
      fetch("/findings/" + encodeURIComponent(id) + "/review", {
        method: "POST",
        headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
        body: JSON.stringify({status: status, note: note})
      }).then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, code: response.status, body: body}; });
      }).then(function (r) {
        if (!r.ok) {
          var why = r.code === 401 ? "口令不正确" : (r.body.error && r.body.error.message) || ("错误 " + r.code);
          say(form, "未保存:" + why, false);
          return;
        }
        var badge = document.querySelector('[data-status-for="' + CSS.escape(id) + '"]');
        if (badge) {
          badge.textContent = STATUS_ZH[r.body.status] || r.body.status;
          badge.className = "status status-" + r.body.status;
        }
        say(form, "已保存:" + (STATUS_ZH[r.body.status] || r.body.status), true);
      }).catch(function () { say(form, "未保存:无法连接服务器", false); });
    });
  });
})();
