import { html, type Html } from './html.js';
import type { Evidence } from '../core/record.js';

export function evidenceView(e: Evidence): Html {
  switch (e.kind) {
    case 'text':
      return html`<span>${e.text}</span>`;
    case 'file':
      return html`<a href="/api/evidence/${e.sha256}" download="${e.name}">${e.name}</a>
        <small>(${e.size} bytes, sha256 ${e.sha256.slice(0, 12)})</small>`;
    case 'link':
      return /^https?:\/\//.test(e.url)
        ? html`<a href="${e.url}" rel="noopener noreferrer">${e.url}</a>`
        : html`<span>${e.url}</span>`;
    case 'backup':
      return html`<span>backup ${e.path} <small>sha256 ${e.sha256.slice(0, 12)}</small></span>`;
    case 'validation':
      return html`<span>validation #${e.validationIndex + 1} (${e.worst})</span>`;
    case 'verification':
      return html`<span>verification #${e.verificationIndex + 1} (${e.passed ? 'passed' : 'failed'})</span>`;
    case 'approval':
      return html`<span>approval of plan ${e.planHash.slice(0, 12)}</span>`;
  }
}

export const evidenceList = (items: readonly Evidence[]): Html =>
  items.length === 0
    ? html`<span class="muted">none</span>`
    : html`<ul class="evidence-list">
        ${items.map((e) => html`<li>${evidenceView(e)}</li>`)}
      </ul>`;
