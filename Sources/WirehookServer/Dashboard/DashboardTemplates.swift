/// The dashboard's mustache templates, compiled into the binary (see `DashboardViews` for why).
///
/// `{{x}}` escapes HTML; `{{{x}}}` is used only for markup the server built itself (the page
/// body inside the layout, SVG charts, table rows).
enum DashboardTemplates {
    static let all: [(name: String, text: String)] = [
        ("layout", layout), ("sign-in", signIn), ("error", error), ("endpoints", endpoints), ("endpoint", endpoint),
        ("delete", delete), ("delivery", delivery), ("endpoint-form", endpointForm), ("events", events),
        ("live", live), ("live-rows", liveRows), ("delivery-status", deliveryStatus), ("option-field", optionField),
    ]

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Wirehook</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="{{prefix}}/assets/dashboard.css">
        {{#refresh}}<noscript><meta http-equiv="refresh" content="{{.}}"></noscript>{{/refresh}}
        <script src="{{prefix}}/assets/dashboard.js" defer></script>
        </head>
        <body>
        <header class="top">
        <a class="brand" href="{{prefix}}/ui/endpoints">Wirehook</a>
        {{#signedIn}}
        <nav aria-label="Main">
        <a href="{{prefix}}/ui/endpoints"{{#inEndpoints}} aria-current="page"{{/inEndpoints}}>Endpoints</a>
        <a href="{{prefix}}/ui/events"{{#inEvents}} aria-current="page"{{/inEvents}}>Events</a>
        <a href="{{prefix}}/ui/live"{{#inLive}} aria-current="page"{{/inLive}}>Live</a>
        </nav>
        <form class="signout" method="post" action="{{prefix}}/ui/sign-out">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span class="who">{{credential}}</span>
        <button type="submit" class="link">Sign out</button>
        </form>
        {{/signedIn}}
        </header>
        <main id="main">
        {{#flash}}<p class="flash{{#flashIsError}} flash-error{{/flashIsError}}" role="status">{{.}}</p>{{/flash}}
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let signIn = """
        <section class="narrow">
        <h1>Sign in</h1>
        <p>Enter the admin token, or an API key. A key with <code>webhooks:read</code> alone gets a read-only dashboard.</p>
        {{#signedOut}}<p class="flash" role="status">You are signed out.</p>{{/signedOut}}
        {{#error}}<p class="flash flash-error" role="alert" id="token-error">{{.}}</p>{{/error}}
        <form method="post" action="{{prefix}}/ui/sign-in">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="token">Admin token or API key</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required{{#error}} aria-describedby="token-error"{{/error}}>
        <button type="submit">Sign in</button>
        </form>
        </section>
        """

    static let error = """
        <section class="narrow">
        <h1>{{status}} {{reason}}</h1>
        <p class="flash flash-error" role="alert">{{message}}</p>
        <p><a href="{{prefix}}/ui/endpoints">Back to the endpoints</a></p>
        </section>
        """

    static let endpoints = """
        <div class="heading">
        <h1>Endpoints</h1>
        {{#canWrite}}<a class="button" href="{{prefix}}/ui/endpoints/new">New endpoint</a>{{/canWrite}}
        </div>
        <form class="filters" method="get" action="{{prefix}}/ui/endpoints">
        <label for="health">Health</label>
        <select id="health" name="health">{{#health}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/health}}</select>
        <button type="submit">Filter</button>
        </form>
        {{#empty}}<p class="empty">{{#filtered}}No endpoint has this health.{{/filtered}}{{^filtered}}No endpoints yet.{{#canWrite}} <a href="{{prefix}}/ui/endpoints/new">Create the first one</a>.{{/canWrite}}{{/filtered}}</p>{{/empty}}
        {{^empty}}
        <div class="table-wrap">
        <table class="cards">
        <thead><tr><th scope="col">Endpoint</th><th scope="col">Format</th><th scope="col">Status</th><th scope="col">Health</th><th scope="col">Pending</th><th scope="col">Success</th><th scope="col">Last 24 h</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr>
        <td data-label="Endpoint"><div><a href="{{prefix}}/ui/endpoints/{{path}}">{{name}}</a><div class="sub break">{{url}}</div></div></td>
        <td data-label="Format">{{format}}</td>
        <td data-label="Status"><span class="badge badge-{{status}}">{{status}}</span></td>
        <td data-label="Health"><span class="badge badge-{{health}}">{{health}}</span></td>
        <td data-label="Pending" class="num">{{pending}}</td>
        <td data-label="Success" class="num">{{successRate}}</td>
        <td data-label="Last 24 h">{{{chart}}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/empty}}
        """

    static let deliveryStatus = """
        <span class="badge badge-{{status}}">{{status}}</span>
        """

    static let endpoint = """
        <p class="crumbs"><a href="{{prefix}}/ui/endpoints">Endpoints</a> /</p>
        <div class="heading">
        <h1>{{name}}</h1>
        <span class="badge badge-{{health}}">{{health}}</span>
        {{#canWrite}}<a class="button secondary" href="{{prefix}}/ui/endpoints/{{path}}/edit">Edit</a>{{/canWrite}}
        </div>
        {{#healthReason}}<p class="note">{{.}}{{#nextProbe}} · next probe at {{.}}{{/nextProbe}}</p>{{/healthReason}}
        <div class="columns">
        <section aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <dl class="settings">
        <dt>Id</dt><dd><code>{{id}}</code></dd>
        <dt>URL</dt><dd class="break">{{url}}</dd>
        <dt>Format</dt><dd>{{format}}</dd>
        <dt>Events</dt><dd>{{events}}</dd>
        <dt>Status</dt><dd>{{#active}}active{{/active}}{{^active}}disabled{{/active}}</dd>
        <dt>Secret</dt><dd><code class="break" id="secret">{{secret}}</code>
        {{#canWrite}}{{^secretRevealed}}<form class="inline" method="post" action="{{prefix}}/ui/endpoints/{{path}}/reveal-secret"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">Reveal</button></form>{{/secretRevealed}}{{/canWrite}}
        {{#previousSecretUntil}}<div class="sub">The previous secret also signs until {{.}}</div>{{/previousSecretUntil}}</dd>
        {{#options}}<dt>Options</dt><dd><code class="break">{{.}}</code></dd>{{/options}}
        </dl>
        </section>
        <section aria-labelledby="figures-title">
        <h2 id="figures-title">Deliveries</h2>
        <ul class="figures">
        <li><span>Total</span> <strong>{{total}}</strong></li>
        <li><span>Succeeded</span> <strong>{{successful}}</strong></li>
        <li><span>Failed</span> <strong>{{failed}}</strong></li>
        <li><span>Pending</span> <strong>{{pending}}</strong></li>
        <li><span>Success rate</span> <strong>{{successRate}}</strong></li>
        <li><span>Average</span> <strong>{{#averageMs}}{{.}} ms{{/averageMs}}{{^averageMs}}—{{/averageMs}}</strong></li>
        </ul>
        <figure><figcaption>Attempts per hour, last 24 hours</figcaption>{{{dayChart}}}</figure>
        <figure><figcaption>Attempts per day, last 30 days</figcaption>{{{monthChart}}}</figure>
        <p class="legend"><span class="key key-ok"></span> succeeded <span class="key key-bad"></span> failed</p>
        </section>
        </div>
        {{#canWrite}}
        <section aria-labelledby="actions-title" class="actions">
        <h2 id="actions-title">Actions</h2>
        <div class="action-grid">
        <form method="post" action="{{prefix}}/ui/endpoints/{{path}}/test">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="test-type">Send a test event</label>
        <input id="test-type" name="event_type" placeholder="webhook.test">
        <button type="submit">Send test</button>
        </form>
        {{#active}}<form method="post" action="{{prefix}}/ui/endpoints/{{path}}/disable">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p class="label">Stop sending; deliveries wait until it is enabled again.</p>
        <button type="submit" class="secondary">Disable</button>
        </form>{{/active}}
        {{^active}}<form method="post" action="{{prefix}}/ui/endpoints/{{path}}/enable">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <p class="label">Start sending again, oldest waiting delivery first.</p>
        <button type="submit">Enable</button>
        </form>{{/active}}
        <form method="post" action="{{prefix}}/ui/endpoints/{{path}}/rotate-secret">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="grace">Rotate the secret; the old one keeps signing for (hours)</label>
        <input id="grace" name="grace_hours" type="number" min="0" max="168" value="24">
        <button type="submit" class="secondary">Rotate secret</button>
        </form>
        <form method="post" action="{{prefix}}/ui/endpoints/{{path}}/recover">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="since">Send again the deliveries since (UTC)</label>
        <input id="since" name="since" type="datetime-local" value="{{recoverSince}}" required>
        <label for="recover-status">that</label>
        <select id="recover-status" name="status"><option value="failed">failed</option><option value="success">succeeded</option><option value="any">ended either way</option></select>
        <button type="submit" class="secondary">Recover</button>
        </form>
        <div>
        <p class="label">Delete the endpoint and its delivery log.</p>
        <a class="button danger" href="{{prefix}}/ui/endpoints/{{path}}/delete">Delete…</a>
        </div>
        </div>
        </section>
        {{/canWrite}}
        <section aria-labelledby="log-title">
        <h2 id="log-title">Delivery log</h2>
        <form class="filters" method="get" action="{{prefix}}/ui/endpoints/{{path}}">
        <label for="status">Status</label>
        <select id="status" name="status">{{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select>
        <label for="event-type">Event type</label>
        <input id="event-type" name="event_type" value="{{eventType}}" placeholder="user.created">
        <button type="submit">Filter</button>
        </form>
        {{#noDeliveries}}<p class="empty">No deliveries match.</p>{{/noDeliveries}}
        {{^noDeliveries}}
        <div class="table-wrap">
        <table class="cards">
        <thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">HTTP</th><th scope="col">Time</th></tr></thead>
        <tbody>
        {{#deliveries}}
        <tr>
        <td data-label="Created"><a href="{{prefix}}{{path}}">{{createdAt}}</a></td>
        <td data-label="Event">{{eventType}}</td>
        <td data-label="Status"><div>{{> delivery-status}}{{#note}}<div class="sub">{{.}}</div>{{/note}}</div></td>
        <td data-label="Attempts" class="num">{{attempts}}</td>
        <td data-label="HTTP" class="num">{{#responseStatus}}{{.}}{{/responseStatus}}{{^responseStatus}}—{{/responseStatus}}</td>
        <td data-label="Time" class="num">{{#responseTimeMs}}{{.}} ms{{/responseTimeMs}}{{^responseTimeMs}}—{{/responseTimeMs}}</td>
        </tr>
        {{/deliveries}}
        </tbody>
        </table>
        </div>
        <p class="sub">{{shown}} shown of {{matching}} matching.</p>
        {{#nextPage}}<p><a class="button secondary" href="{{.}}">Older deliveries</a></p>{{/nextPage}}
        {{/noDeliveries}}
        </section>
        """

    static let delete = """
        <section class="narrow">
        <h1>Delete endpoint</h1>
        <p>This deletes <code>{{id}}</code> ({{url}}) with its whole delivery log. It cannot be undone.</p>
        <form method="post" action="{{prefix}}/ui/endpoints/{{id}}/delete">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="confirm">Type the endpoint's id to confirm</label>
        <input id="confirm" name="confirm" autocomplete="off" required>
        <button type="submit" class="danger">Delete for good</button>
        <a href="{{prefix}}/ui/endpoints/{{id}}">Cancel</a>
        </form>
        </section>
        """

    static let delivery = """
        <p class="crumbs"><a href="{{prefix}}/ui/endpoints">Endpoints</a> / <a href="{{prefix}}/ui/endpoints/{{endpointPath}}">{{endpointID}}</a> /</p>
        <div class="heading">
        <h1>Delivery</h1>
        {{> delivery-status}}
        {{#canWrite}}<form class="inline" method="post" action="{{prefix}}/ui/endpoints/{{endpointPath}}/deliveries/{{path}}/retry"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Retry now</button></form>{{/canWrite}}
        </div>
        <dl class="settings">
        <dt>Id</dt><dd><code>{{id}}</code></dd>
        <dt>Event</dt><dd><code>{{eventID}}</code> · {{eventType}}</dd>
        <dt>Created</dt><dd>{{createdAt}}</dd>
        <dt>Attempts</dt><dd>{{attemptCount}}</dd>
        {{#nextAttemptAt}}<dt>Next attempt</dt><dd>{{.}}</dd>{{/nextAttemptAt}}
        {{#note}}<dt>Note</dt><dd>{{.}}</dd>{{/note}}
        </dl>
        <section aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        {{#noAttempts}}<p class="empty">No attempt yet.</p>{{/noAttempts}}
        {{^noAttempts}}
        <div class="table-wrap">
        <table class="cards">
        <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">HTTP</th><th scope="col">Latency</th><th scope="col">Error</th><th scope="col">Why</th></tr></thead>
        <tbody>
        {{#attempts}}
        <tr class="{{#ok}}ok{{/ok}}{{^ok}}bad{{/ok}}">
        <td data-label="#" class="num">{{number}}</td>
        <td data-label="Time">{{attemptedAt}}</td>
        <td data-label="HTTP" class="num">{{#status}}{{.}}{{/status}}{{^status}}—{{/status}}</td>
        <td data-label="Latency" class="num">{{latencyMs}} ms</td>
        <td data-label="Error">{{#error}}{{.}}{{/error}}{{^error}}—{{/error}}</td>
        <td data-label="Why">{{trigger}}</td>
        </tr>
        {{#response}}<tr class="response"><td></td><td colspan="5" data-label="Answer"><span class="sub">Start of the response:</span><pre>{{.}}</pre></td></tr>{{/response}}
        {{/attempts}}
        </tbody>
        </table>
        </div>
        {{/noAttempts}}
        </section>
        <section aria-labelledby="request-title">
        <h2 id="request-title">Request</h2>
        {{#skipped}}<p class="empty">Nothing is sent for this event in this endpoint's format.</p>{{/skipped}}
        {{^skipped}}
        <p class="sub">POST {{url}}: the body and headers the endpoint's format builds for this event; signatures and credentials are masked.</p>
        <div class="table-wrap"><table class="headers"><thead><tr><th scope="col">Header</th><th scope="col">Value</th></tr></thead><tbody>
        {{#headers}}<tr><td><code>{{name}}</code></td><td><code class="break">{{value}}</code></td></tr>{{/headers}}
        </tbody></table></div>
        <pre class="body" tabindex="0" aria-label="Request body">{{body}}</pre>
        {{/skipped}}
        </section>
        <section aria-labelledby="event-title">
        <h2 id="event-title">Event data</h2>
        <pre class="body" tabindex="0" aria-label="Event data">{{eventData}}</pre>
        </section>
        """

    static let endpointForm = """
        <p class="crumbs"><a href="{{prefix}}/ui/endpoints">Endpoints</a> /</p>
        <h1>{{#editing}}Edit endpoint{{/editing}}{{^editing}}New endpoint{{/editing}}</h1>
        {{#generalError}}<p class="flash flash-error" role="alert">{{.}}</p>{{/generalError}}
        <form class="endpoint-form" method="post" action="{{prefix}}/ui/endpoints{{#editing}}/{{path}}{{/editing}}" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field{{#urlError}} invalid{{/urlError}}">
        <label for="url">URL</label>
        <input id="url" name="url" type="url" value="{{url}}" placeholder="https://bot.example.com/webhook"{{#urlError}} aria-invalid="true" aria-describedby="url-error"{{/urlError}}>
        {{#urlError}}<p class="error" id="url-error">{{.}}</p>{{/urlError}}
        </div>
        <div class="field{{#descriptionError}} invalid{{/descriptionError}}">
        <label for="description">Description</label>
        <input id="description" name="description" value="{{description}}" placeholder="Support bot">
        {{#descriptionError}}<p class="error">{{.}}</p>{{/descriptionError}}
        </div>
        <fieldset class="field{{#formatError}} invalid{{/formatError}}">
        <legend>Format</legend>
        {{#formatError}}<p class="error">{{.}}</p>{{/formatError}}
        {{#formats}}
        <div class="choice">
        <label><input type="radio" name="format" value="{{name}}"{{#checked}} checked{{/checked}}> <strong>{{name}}</strong></label>
        <p class="sub">{{summary}}</p>
        </div>
        {{/formats}}
        </fieldset>
        {{#formats}}{{#hasOptions}}
        <fieldset class="field format-options" data-format-options="{{name}}">
        <legend>Options of the {{name}} format</legend>
        {{#options}}{{> option-field}}{{/options}}
        </fieldset>
        {{/hasOptions}}{{/formats}}
        <fieldset class="field{{#eventsError}} invalid{{/eventsError}}">
        <legend>Events</legend>
        {{#eventsError}}<p class="error" id="events-error">{{.}}</p>{{/eventsError}}
        <label class="choice"><input type="checkbox" name="events" value="*"{{#everything}} checked{{/everything}}> <strong>*</strong> every event, including ones added later</label>
        {{#groups}}
        <div class="event-group">
        <label class="choice"><input type="checkbox" name="events" value="{{wildcard}}"{{#wildcardChecked}} checked{{/wildcardChecked}}> <strong>{{wildcard}}</strong> every {{scope}} event</label>
        <ul>
        {{#events}}<li><label><input type="checkbox" name="events" value="{{name}}"{{#checked}} checked{{/checked}}> <code>{{name}}</code></label> <span class="sub">{{summary}}{{#dialects}} · {{.}}{{/dialects}}</span></li>{{/events}}
        </ul>
        </div>
        {{/groups}}
        </fieldset>
        <div class="field">
        <label for="events-other">Other event types or patterns (one per line)</label>
        <textarea id="events-other" name="events_other" rows="2">{{otherEvents}}</textarea>
        </div>
        <div class="field{{#secretError}} invalid{{/secretError}}">
        <label for="secret">Secret</label>
        <input id="secret" name="secret" autocomplete="off" placeholder="{{#editing}}leave empty to keep the current secret{{/editing}}{{^editing}}leave empty to generate one{{/editing}}"{{#secretError}} aria-invalid="true" aria-describedby="secret-error"{{/secretError}}>
        {{#secretError}}<p class="error" id="secret-error">{{.}}</p>{{/secretError}}
        </div>
        <fieldset class="field{{#optionsError}} invalid{{/optionsError}}">
        <legend>Options</legend>
        {{#optionsError}}<p class="error">{{.}}</p>{{/optionsError}}
        {{#common}}{{> option-field}}{{/common}}
        </fieldset>
        {{^editing}}<label class="choice"><input type="checkbox" name="active" value="on"{{#active}} checked{{/active}}> Active: start sending at once</label>{{/editing}}
        <button type="submit">{{#editing}}Save{{/editing}}{{^editing}}Create endpoint{{/editing}}</button>
        </form>
        """

    static let optionField = """
        {{#isFlag}}<label class="choice"><input type="checkbox" id="{{inputID}}" name="{{name}}" value="on"{{#checked}} checked{{/checked}}> {{label}}</label>{{/isFlag}}
        {{^isFlag}}<label for="{{inputID}}">{{label}}{{#help}} <span class="sub">({{.}})</span>{{/help}}</label>
        <input id="{{inputID}}" name="{{name}}" value="{{value}}"{{#isNumber}} inputmode="numeric"{{/isNumber}}>{{/isFlag}}
        """

    static let events = """
        <h1>Events</h1>
        <p>Every event Wirehook knows, with the names each panel gives it. Endpoints subscribe to these names, to <code>scope.*</code> or to <code>*</code>.</p>
        {{#canSend}}
        <section aria-labelledby="send-title" class="card">
        <h2 id="send-title">Send an event by hand</h2>
        {{#error}}<p class="flash flash-error" role="alert">{{.}}</p>{{/error}}
        <form method="post" action="{{prefix}}/ui/events">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="send-type">Type</label>
        <input id="send-type" name="type" value="{{type}}" list="event-names" required>
        <datalist id="event-names">{{#entries}}<option value="{{name}}"></option>{{/entries}}</datalist>
        <label for="send-data">Data (JSON)</label>
        <textarea id="send-data" name="data" rows="4">{{data}}</textarea>
        <label for="send-id">Event id (optional; a repeated id is sent once)</label>
        <input id="send-id" name="id" value="{{id}}">
        <button type="submit">Send event</button>
        </form>
        </section>
        {{/canSend}}
        <section aria-labelledby="catalog-title">
        <h2 id="catalog-title">Catalog</h2>
        {{#entries}}
        <article class="event" id="event-{{name}}">
        <h3><code>{{name}}</code></h3>
        <p>{{summary}}</p>
        <p class="sub">Sources: {{sources}}{{#dialects}} · {{.}}{{/dialects}}</p>
        <details><summary>Example payload of {{name}}</summary><pre>{{example}}</pre></details>
        </article>
        {{/entries}}
        </section>
        """

    static let live = """
        <h1>Live</h1>
        <p>The newest deliveries of every endpoint. This page keeps itself current.</p>
        <div class="table-wrap">
        <table class="cards">
        <thead><tr><th scope="col">Time</th><th scope="col">Endpoint</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">HTTP</th></tr></thead>
        <tbody id="live-rows" data-live-rows="{{prefix}}/ui/live/rows" data-live-stream="{{prefix}}/ui/live/stream" aria-live="polite">
        {{> live-rows}}
        </tbody>
        </table>
        </div>
        """

    static let liveRows = """
        {{#empty}}<tr><td colspan="6" class="empty">No deliveries yet.</td></tr>{{/empty}}
        {{#rows}}
        <tr>
        <td data-label="Time"><a href="{{prefix}}{{delivery.path}}">{{time}}</a></td>
        <td data-label="Endpoint"><a href="{{prefix}}{{endpointPath}}">{{endpoint}}</a></td>
        {{#delivery}}
        <td data-label="Event">{{eventType}}</td>
        <td data-label="Status">{{> delivery-status}}</td>
        <td data-label="Attempts" class="num">{{attempts}}</td>
        <td data-label="HTTP" class="num">{{#responseStatus}}{{.}}{{/responseStatus}}{{^responseStatus}}—{{/responseStatus}}</td>
        {{/delivery}}
        </tr>
        {{/rows}}
        """
}
