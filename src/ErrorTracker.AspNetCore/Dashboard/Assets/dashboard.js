// ErrorTracker dashboard: small progressive enhancements. Every page works without this script.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', event => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }

  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) {
      continue;
    }
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = 'Copied';
      } catch {
        // No clipboard access (an insecure origin, say): select the text so the user can copy it.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
    });
  }

  for (const button of document.querySelectorAll('button[data-toggle-frames]')) {
    const frames = document.querySelectorAll('details.frame');
    if (frames.length === 0) {
      continue;
    }
    button.hidden = false;
    button.addEventListener('click', () => {
      const open = button.dataset.open !== 'true';
      for (const frame of frames) {
        frame.open = open;
      }
      button.dataset.open = String(open);
      button.textContent = open ? 'Collapse all frames' : 'Expand all frames';
    });
  }

  for (const time of document.querySelectorAll('time[datetime]')) {
    const local = new Date(time.getAttribute('datetime'));
    if (!Number.isNaN(local.getTime())) {
      time.title = local.toLocaleString();
    }
  }
});
