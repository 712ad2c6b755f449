/// The dashboard's one stylesheet and one script, served from the binary at `/assets/...`.
enum DashboardAssets {
    static let stylesheet = """
        :root { --ink: #1d2430; --muted: #556070; --line: #d8dde5; --bg: #f6f7f9; --card: #fff;
          --accent: #1f5fbf; --ok: #1c7c3a; --bad: #b42318; --warn: #8a5a00; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        a { color: var(--accent); }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: #14233c; color: #fff; }
        .top a { color: #fff; text-decoration: none; }
        .brand { font-weight: 700; font-size: 17px; }
        .top nav { display: flex; gap: 14px; flex-wrap: wrap; }
        .top nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; }
        .signout { margin-left: auto; display: flex; align-items: center; gap: 10px; }
        .signout .who { color: #d5dceb; font-size: 13px; }
        .signout button.link { color: #fff; }
        main { max-width: 1100px; margin: 0 auto; padding: 16px 20px 48px; }
        h1 { font-size: 24px; margin: 8px 0 12px; }
        h2 { font-size: 18px; margin: 24px 0 10px; }
        h3 { font-size: 15px; margin: 0 0 4px; }
        .heading { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
        .heading h1 { margin-right: auto; }
        .narrow { max-width: 440px; margin: 40px auto; background: var(--card); padding: 20px 24px; border: 1px solid var(--line); border-radius: 8px; }
        .crumbs { margin: 0; color: var(--muted); font-size: 13px; }
        .sub, .note, .legend { color: var(--muted); font-size: 13px; margin: 2px 0; }
        .empty { color: var(--muted); padding: 12px 0; }
        .break { word-break: break-all; }
        label, .label { display: block; font-weight: 600; margin: 10px 0 4px; }
        .choice { font-weight: 400; margin: 4px 0; }
        input, select, textarea { font: inherit; padding: 7px 9px; border: 1px solid #8a94a3; border-radius: 6px; background: #fff; color: var(--ink); max-width: 100%; }
        input:not([type=checkbox]):not([type=radio]), textarea { width: 100%; }
        input[type=checkbox], input[type=radio] { width: auto; margin-right: 6px; }
        button, .button { display: inline-block; font: inherit; font-weight: 600; padding: 7px 14px; margin-top: 8px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger, .button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
        button.link { background: none; border: none; padding: 0; margin: 0; color: var(--accent); text-decoration: underline; font-weight: 400; }
        form.inline { display: inline; }
        .filters { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0; }
        .filters label { margin: 0; }
        .filters input:not([type=checkbox]):not([type=radio]) { width: auto; }
        .filters button { margin: 0; }
        .flash { padding: 10px 14px; border-radius: 6px; background: #e7f3ea; border: 1px solid #9fd0ad; }
        .flash-error { background: #fdecea; border-color: #f1a8a0; }
        .error { color: var(--bad); margin: 4px 0; font-weight: 600; }
        .invalid input, .invalid textarea { border-color: var(--bad); }
        .table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 13px; color: var(--muted); background: #fafbfc; }
        td.num { text-align: right; white-space: nowrap; }
        tr.bad td { background: #fff7f6; }
        tr.response td { border-top: none; }
        pre { white-space: pre-wrap; word-break: break-all; margin: 6px 0; }
        pre.body { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; max-height: 420px; overflow: auto; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e9ecf1; color: var(--ink); }
        .badge-healthy, .badge-success, .badge-active { background: #dff1e4; color: #135c29; }
        .badge-failing, .badge-pending { background: #fdf0d5; color: #6b4500; }
        .badge-paused, .badge-failed { background: #fbe1de; color: #8f1c12; }
        .badge-disabled, .badge-skipped { background: #e9ecf1; color: #3b4350; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
        dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 6px 14px; margin: 0; }
        dl.settings dt { color: var(--muted); }
        dl.settings dd { margin: 0; min-width: 0; }
        ul.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 0 0 12px; padding: 0; list-style: none; }
        ul.figures li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; }
        ul.figures span { display: block; color: var(--muted); font-size: 12px; }
        ul.figures strong { font-size: 18px; }
        figure { margin: 8px 0; }
        figcaption { font-size: 13px; color: var(--muted); }
        svg.chart { max-width: 100%; height: auto; display: block; }
        .chart-ok { fill: var(--ok); }
        .chart-bad { fill: var(--bad); }
        .chart-axis { stroke: var(--line); }
        .chart-label { font-size: 10px; fill: var(--muted); }
        .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; vertical-align: middle; }
        .key-ok { background: var(--ok); } .key-bad { background: var(--bad); margin-left: 10px; }
        .action-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px; }
        .action-grid > * { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .action-grid label:first-of-type, .action-grid .label { margin-top: 0; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 16px; }
        .event { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
        .endpoint-form { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 18px 18px; }
        fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 14px 0; padding: 6px 14px 12px; }
        legend { font-weight: 600; padding: 0 4px; }
        .event-group ul { list-style: none; padding-left: 22px; margin: 2px 0 8px; }
        .format-options[hidden] { display: none; }
        @media (max-width: 720px) {
          main { padding: 12px; }
          .columns { grid-template-columns: 1fr; }
          ul.figures { grid-template-columns: repeat(2, 1fr); }
          .signout { margin-left: 0; }
          th, td { padding: 6px 8px; }
          /* Tables become one card per row, each cell under its column's name. */
          table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
          table.cards tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
          table.cards td { display: flex; gap: 10px; border: none; padding: 3px 10px; text-align: left; }
          table.cards td.num { text-align: left; }
          table.cards td::before { content: attr(data-label); flex: 0 0 7.5em; color: var(--muted); font-size: 12px; }
          table.cards td:empty { display: none; }
        }
        """

    /// Progressive enhancement only: every page works without it.
    static let script = """
        (function () {
          "use strict";
          // Endpoint form: show only the chosen format's options.
          var choices = document.querySelectorAll("input[name=format]");
          function showOptions() {
            document.querySelectorAll("[data-format-options]").forEach(function (box) {
              var radio = document.querySelector("input[name=format][value='" + box.getAttribute("data-format-options") + "']");
              box.hidden = !(radio && radio.checked);
            });
          }
          choices.forEach(function (radio) { radio.addEventListener("change", showOptions); });
          if (choices.length) { showOptions(); }

          // Live page: new deliveries appear without a reload.
          var rows = document.querySelector("[data-live-rows]");
          if (rows) {
            var url = rows.getAttribute("data-live-rows");
            var refresh = function () {
              fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) { if (html !== null) { rows.innerHTML = html; } })
                .catch(function () {});
            };
            // Each finished attempt redraws the rows, at most twice a second however many arrive.
            var pending = false;
            var soon = function () {
              if (pending) { return; }
              pending = true;
              setTimeout(function () { pending = false; refresh(); }, 500);
            };
            var stream = rows.getAttribute("data-live-stream");
            if (stream && window.EventSource) {
              var source = new EventSource(stream);
              source.addEventListener("attempt", soon);
              // EventSource reconnects by itself (resuming with Last-Event-ID); a fresh draw
              // covers what happened while it was away.
              source.addEventListener("open", soon);
            } else {
              setInterval(refresh, 3000);
            }
          }
        })();
        """
}
