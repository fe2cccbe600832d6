// PbxHub dashboard: the live page (event stream, ticking durations, fade-out), copy buttons, call back.
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function party(p) { return p ? (p.extension || p.number || p.raw) : '—'; }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m, ss = (s < 10 ? '0' : '') + s;
    return (h > 0 ? h + ':' : '') + mm + ':' + ss;
  }

  function live(root) {
    var texts = JSON.parse(root.dataset.texts);
    var t = function (k) { return texts[k] || k; };
    var rows = {};
    var empty = document.getElementById('live-empty');
    var status = document.getElementById('live-status');
    var FADE_MS = 2500;
    // The server's clock, not the browser's: durations count from the call's own times as the hub sees them.
    var skew = Number(root.dataset.now) - Date.now();
    var maxAge = Number(root.dataset.maxAge);
    function now() { return Date.now() + skew; }
    function stale(call) { return call.state !== 'ended' && now() - Date.parse(call.startedAt) > maxAge; }

    function refreshEmpty() { empty.hidden = Object.keys(rows).length > 0; }

    function render(call) {
      var row = rows[call.id];
      if (!row) {
        if (call.state === 'ended') return; // a late event of a call already gone
        if (stale(call)) return; // a late event of a call whose end never came
        row = { el: el('article', 'call') };
        row.el.dataset.callId = call.id;
        root.appendChild(row.el);
        rows[call.id] = row;
      }
      row.call = call;
      var e = row.el;
      e.textContent = '';
      e.className = 'call ' + call.state;
      var head = el('div', 'call-head');
      var who = el('a', 'who', party(call.from));
      who.href = '/calls/' + encodeURIComponent(call.id);
      who.title = t('live.detail');
      head.appendChild(who);
      head.appendChild(el('span', 'dir', t('direction.' + call.direction)));
      head.appendChild(el('span', 'line', t('live.line') + ' ' + party(call.line || call.to)));
      var state = call.state === 'ended' ? t('outcome.' + (call.outcome || 'unknown')) : t('state.' + call.state);
      head.appendChild(el('span', 'badge ' + call.state, state));
      row.clock = el('span', 'clock');
      head.appendChild(row.clock);
      e.appendChild(head);
      if (call.legs && call.legs.length) {
        var legs = el('ul', 'legs');
        legs.setAttribute('aria-label', t('live.legs'));
        call.legs.forEach(function (leg) {
          var s = leg.endedAt ? 'ended' : leg.answeredAt ? 'talking' : 'ringing';
          var li = el('li', 'leg ' + s);
          li.appendChild(el('b', null, party(leg.party)));
          li.appendChild(el('span', null, ' ' + t('live.' + s)));
          legs.appendChild(li);
        });
        e.appendChild(legs);
      }
      if (call.transfers && call.transfers.length) {
        var tr = el('p', 'transfers', t('live.transfers') + ': ' + call.transfers.map(function (x) {
          return party(x.from) + ' → ' + party(x.to);
        }).join(', '));
        e.appendChild(tr);
      }
      tick(row);
      if (call.state === 'ended' && !row.leaving) {
        row.leaving = true;
        setTimeout(function () { e.classList.add('fading'); }, 50);
        setTimeout(function () { e.remove(); delete rows[call.id]; refreshEmpty(); }, FADE_MS);
      }
      refreshEmpty();
    }

    function tick(row) {
      var c = row.call, at = now();
      if (c.state === 'ended') {
        row.clock.textContent = clock((c.talkSeconds || c.waitSeconds || 0));
      } else if (c.state === 'active' && c.answeredAt) {
        row.clock.textContent = t('live.talking') + ' ' + clock((at - Date.parse(c.answeredAt)) / 1000);
      } else {
        row.clock.textContent = t('live.ringing') + ' ' + clock((at - Date.parse(c.startedAt)) / 1000);
      }
    }

    JSON.parse(root.dataset.calls).forEach(render);
    refreshEmpty();
    setInterval(function () {
      Object.keys(rows).forEach(function (id) {
        if (stale(rows[id].call)) { rows[id].el.remove(); delete rows[id]; refreshEmpty(); } else { tick(rows[id]); }
      });
    }, 1000);

    var source = new EventSource('/api/v1/stream?lastEventId=' + encodeURIComponent(root.dataset.lastEventId));
    source.onopen = function () { status.textContent = t('live.connected'); status.className = 'status ok'; };
    source.onerror = function () { status.textContent = t('live.reconnecting'); status.className = 'status bad'; };
    source.onmessage = null;
    ['call.started', 'call.leg.ringing', 'call.answered', 'call.transferred', 'call.leg.ended', 'call.ended', 'call.missed', 'call.recording']
      .forEach(function (type) {
        source.addEventListener(type, function (m) { render(JSON.parse(m.data).call); });
      });
  }

  function copyButtons() {
    document.querySelectorAll('button[data-copy]').forEach(function (b) {
      b.addEventListener('click', function () {
        var text = b.dataset.copy, done = function () { b.textContent = b.dataset.copied; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done);
        } else {
          var area = el('textarea');
          area.value = text;
          document.body.appendChild(area);
          area.select();
          document.execCommand('copy');
          area.remove();
          done();
        }
      });
    });
  }

  // A refusal as the user can act on it: the problem's title and remedy, in the page's language when it has them.
  function problemText(json, texts) {
    var key = 'problem.' + json.provider + '.' + json.providerCode;
    if (json.provider && json.providerCode && texts[key]) return texts[key];
    // A page whose language has no text for this provider's code says what the status means in that language.
    var general = json.mayHaveBeenPlaced ? texts['problem.uncertain'] : texts['problem.status.' + json.status];
    var why = [json.title, json.remedy || json.detail].filter(Boolean).join('. ');
    // The problem's own title and remedy are English: an English page adds them, another language does not.
    if (general) return texts['problem.providerWords'] === 'yes' ? general + ' ' + why : general;
    return (texts['problem.other'] || '') + ' ' + why;
  }

  function callBack() {
    var token = document.querySelector('meta[name="request-verification-token"]');
    var holder = document.getElementById('ui-texts');
    var texts = holder ? JSON.parse(holder.dataset.texts) : {};
    document.querySelectorAll('form.callback').forEach(function (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var out = form.querySelector('.answer');
        var body = { account: form.dataset.account, operator: form.elements.operator.value, client: form.dataset.client };
        out.textContent = '…';
        fetch('/api/v1/calls', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token ? token.content : '' },
          body: JSON.stringify(body)
        }).then(function (r) {
          return r.text().then(function (text) {
            var json = null;
            try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
            if (r.ok) {
              out.className = 'answer ok';
              out.textContent = form.dataset.placed + (json && json.id ? ' (' + json.id + ')' : '');
            } else {
              out.className = 'answer problem';
              out.textContent = json ? problemText(json, texts) : (r.status + ' ' + text);
            }
          });
        }).catch(function (e) { out.className = 'answer problem'; out.textContent = String(e); });
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var root = document.getElementById('live');
    if (root) live(root);
    copyButtons();
    callBack();
  });
})();
