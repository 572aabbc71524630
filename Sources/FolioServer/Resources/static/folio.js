// Folio's pages: uploads with progress, dialogs, move, copy, local times. Plain JavaScript;
// every page works without it except uploads, rename and move.
(function () {
  'use strict';

  // Times: the server writes UTC; show them in the reader's zone and language.
  var lang = document.documentElement.lang || 'en';
  document.querySelectorAll('time[datetime]').forEach(function (el) {
    var date = new Date(el.getAttribute('datetime'));
    if (!isNaN(date)) el.textContent = date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  });

  // A thumbnail that cannot be made goes: the file's plain icon shows instead. (Errors do
  // not bubble, so this listens while they go down.)
  document.addEventListener('error', function (event) {
    if (event.target instanceof HTMLImageElement && event.target.classList.contains('thumb')) event.target.remove();
  }, true);
  document.querySelectorAll('img.thumb').forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) img.remove();
  });

  // The language switch comes back to the same page.
  document.querySelectorAll('form.languages input[name=back]').forEach(function (input) {
    input.value = location.pathname + location.search;
  });

  // Dialogs: buttons with data-open show one; data-close closes it.
  document.querySelectorAll('[data-open]').forEach(function (button) {
    button.addEventListener('click', function () {
      var dialog = document.getElementById(button.getAttribute('data-open'));
      dialog.showModal();
      var first = dialog.querySelector('input:not([type=hidden]):not([type=radio])');
      if (first) first.focus();
    });
  });
  document.querySelectorAll('dialog [data-close]').forEach(function (button) {
    button.addEventListener('click', function () { button.closest('dialog').close(); });
  });

  // Rename: the shared dialog, aimed at the item.
  document.querySelectorAll('[data-rename]').forEach(function (button) {
    button.addEventListener('click', function () {
      var dialog = document.getElementById('rename-dialog');
      var form = dialog.querySelector('form');
      form.action = button.getAttribute('data-rename');
      var input = dialog.querySelector('input[name=name]');
      input.value = button.getAttribute('data-name');
      dialog.showModal();
      var dot = input.value.lastIndexOf('.');
      input.focus();
      input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
    });
  });

  // Move: remember the item, then "Move here" in any folder.
  var moveBar = document.getElementById('move-bar');
  function showMove() {
    var pending = sessionStorage.getItem('folio-move');
    if (!moveBar || !pending) return;
    pending = JSON.parse(pending);
    document.getElementById('move-name').textContent = pending.name;
    document.getElementById('move-form').action = pending.url;
    moveBar.hidden = false;
  }
  document.querySelectorAll('[data-move]').forEach(function (button) {
    button.addEventListener('click', function () {
      sessionStorage.setItem('folio-move', JSON.stringify({ url: button.getAttribute('data-move'), name: button.getAttribute('data-name') }));
      showMove();
    });
  });
  if (moveBar) {
    document.getElementById('move-cancel').addEventListener('click', function () {
      sessionStorage.removeItem('folio-move');
      moveBar.hidden = true;
    });
    document.getElementById('move-form').addEventListener('submit', function () { sessionStorage.removeItem('folio-move'); });
    showMove();
  }

  // Copy a share link.
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var input = button.parentElement.querySelector('.link-url');
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value); else document.execCommand('copy');
    });
  });

  // Uploads: each file is streamed in its own request with a progress bar and a cancel
  // button; the listing reloads when all are done.
  var zone = document.getElementById('upload');
  var picker = document.getElementById('upload-input');
  if (!zone) return;
  var list = document.getElementById('uploads');
  var running = 0;
  var finished = false;
  function upload(file) {
    var row = document.createElement('li');
    row.className = 'upload';
    row.setAttribute('data-name', file.name);
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    var state = document.createElement('span');
    state.className = 'state';
    state.textContent = '0%';
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'cancel';
    cancel.textContent = zone.getAttribute('data-cancel');
    row.append(name, bar, state, cancel);
    list.appendChild(row);
    var xhr = new XMLHttpRequest();
    var url = zone.getAttribute('data-url');
    xhr.open('PUT', url + (url.indexOf('?') < 0 ? '?' : '&') + 'name=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('X-CSRF-Token', zone.getAttribute('data-csrf'));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.floor(event.loaded * 100 / event.total);
      bar.value = percent;
      state.textContent = percent + '%';
    };
    running++;
    function done(text, ok) {
      state.textContent = text;
      row.classList.add(ok ? 'done' : 'failed');
      cancel.remove();
      running--;
      if (ok) finished = true;
      if (running === 0 && finished) setTimeout(function () { location.reload(); }, 600);
    }
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) { bar.value = 100; done(zone.getAttribute('data-done'), true); }
      else done(zone.getAttribute('data-failed') + ' (' + xhr.status + ')', false);
    };
    xhr.onerror = function () { done(zone.getAttribute('data-failed'), false); };
    xhr.onabort = function () { done(zone.getAttribute('data-cancelled'), false); };
    cancel.addEventListener('click', function () { xhr.abort(); });
    xhr.send(file);
  }
  function uploadAll(files) { Array.prototype.forEach.call(files, upload); }
  if (picker) picker.addEventListener('change', function () { uploadAll(picker.files); picker.value = ''; });
  ['dragenter', 'dragover'].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); zone.classList.remove('over'); });
  });
  document.addEventListener('drop', function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(event.dataTransfer.files);
  });
})();
