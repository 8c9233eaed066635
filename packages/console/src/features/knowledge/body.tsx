/**
 * An article's body: the server keeps a small HTML (p, h3, ul, ol, li, strong; checked on write). The
 * form edits it as plain text — a blank line between paragraphs, "## " before a heading, "- " before a
 * list item — and the drawer shows it through the DOM parser, element by allowed element, never as HTML.
 */
import type { ReactNode } from 'react';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function textToBody(text: string): string {
  const out: string[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines = block
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (!lines.length) continue;
    let para: string[] = [];
    let items: string[] = [];
    const flush = () => {
      if (para.length) out.push(`<p>${escape(para.join(''))}</p>`);
      if (items.length) out.push(`<ul>${items.map((i) => `<li>${escape(i)}</li>`).join('')}</ul>`);
      para = [];
      items = [];
    };
    for (const l of lines) {
      if (l.startsWith('## ')) {
        flush();
        out.push(`<h3>${escape(l.slice(3).trim())}</h3>`);
      } else if (/^[-•]\s/.test(l)) {
        if (para.length) flush();
        items.push(l.replace(/^[-•]\s+/, ''));
      } else {
        if (items.length) flush();
        para.push(l);
      }
    }
    flush();
  }
  return out.join('');
}

export function bodyToText(html: string): string {
  const doc = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html');
  const blocks: string[] = [];
  for (const el of Array.from(doc.body.firstElementChild?.children ?? [])) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'h3') blocks.push(`## ${el.textContent ?? ''}`);
    else if (tag === 'ul' || tag === 'ol')
      blocks.push(
        Array.from(el.children)
          .map((li) => `- ${li.textContent ?? ''}`)
          .join('\n'),
      );
    else blocks.push(el.textContent ?? '');
  }
  return blocks.join('\n\n');
}

const ALLOWED = new Set(['p', 'h3', 'ul', 'ol', 'li', 'strong']);

function nodes(parent: Node, key = ''): ReactNode[] {
  return Array.from(parent.childNodes).map((n, i) => {
    const k = `${key}.${i}`;
    if (n.nodeType === Node.TEXT_NODE) return n.textContent;
    if (n.nodeType !== Node.ELEMENT_NODE) return null;
    const tag = (n as Element).tagName.toLowerCase();
    const children = nodes(n, k);
    if (!ALLOWED.has(tag)) return <span key={k}>{children}</span>;
    const Tag = tag as 'p';
    return <Tag key={k}>{children}</Tag>;
  });
}

export function ArticleBody({ html }: { html: string }) {
  const doc = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html');
  return <div className="article-body">{nodes(doc.body.firstElementChild ?? doc.body)}</div>;
}
