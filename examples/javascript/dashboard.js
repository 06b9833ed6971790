// Browser code of a dashboard page (React + DOM), with DOM-based XSS.
// Every finding Codeward reports in this file is a real vulnerability.
import React from 'react';
import DOMPurify from 'dompurify';

// The welcome banner takes its text from the URL fragment: #welcome=<img src=x onerror=...>
export function WelcomeBanner() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const welcome = params.get('welcome') || 'Welcome back';
  return <div className="banner" dangerouslySetInnerHTML={{ __html: welcome }} />;
}

// Sanitised before rendering: not reported.
export function Announcement({ html }) {
  const clean = DOMPurify.sanitize(document.location.search);
  return <section dangerouslySetInnerHTML={{ __html: clean }}>{html}</section>;
}

// Messages from any window are trusted and rendered as HTML.
window.addEventListener('message', (event) => {
  const panel = document.getElementById('status');
  panel.innerHTML = '<b>' + event.data.status + '</b>';
});

// Text, not HTML: not reported.
document.getElementById('user').textContent = decodeURIComponent(location.search);
