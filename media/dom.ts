/** Building the page's elements, and updating them in place so focus and loaded images survive. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Names an element for `morph`, so it is matched with its counterpart even when siblings come and go. */
export function keyed<T extends HTMLElement>(node: T, key: string): T {
  node.dataset.key = key;
  return node;
}

export function icon(name: string): HTMLElement {
  const i = el('span', `codicon codicon-${name}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

export function button(label: string | undefined, className: string): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  return b;
}

export function iconButton(name: string, label: string, className: string, data: Record<string, string>): HTMLButtonElement {
  const b = button(undefined, className);
  Object.assign(b.dataset, data);
  b.dataset.key = data.action;
  b.append(icon(name), el('span', 'label', label));
  return b;
}

/** Makes `current` look like `next`, keeping every node that can stay (and so focus and loaded images). */
export function morph(current: Element, next: Element): void {
  for (const { name } of [...current.attributes]) {
    if (name !== 'style' && !next.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const { name, value } of [...next.attributes]) {
    if (name !== 'style' && current.getAttribute(name) !== value) current.setAttribute(name, value);
  }
  if (current instanceof HTMLElement && next instanceof HTMLElement) morphStyle(current.style, next.style);
  if (current instanceof HTMLInputElement && next instanceof HTMLInputElement && current.value !== next.value) current.value = next.value;
  morphChildren(current, next);
}

/** Style goes through CSSOM only: the page's policy forbids writing style attributes. */
function morphStyle(current: CSSStyleDeclaration, next: CSSStyleDeclaration): void {
  for (const name of [...current]) if (!next.getPropertyValue(name)) current.removeProperty(name);
  for (const name of [...next]) {
    const value = next.getPropertyValue(name);
    if (current.getPropertyValue(name) !== value) current.setProperty(name, value);
  }
}

export function morphChildren(current: Element, next: Element): void {
  const pool = [...current.childNodes];
  const pairs = [...next.childNodes].map((node) => {
    const index = pool.findIndex((old) => nodeKey(old) === nodeKey(node));
    return { node, old: index < 0 ? undefined : pool.splice(index, 1)[0] };
  });
  for (const old of pool) old.remove();
  pairs.forEach(({ node, old }, index) => {
    if (old instanceof Element && node instanceof Element) morph(old, node);
    else if (old && old.nodeValue !== node.nodeValue) old.nodeValue = node.nodeValue;
    const placed = old ?? node;
    if (current.childNodes[index] !== placed) current.insertBefore(placed, current.childNodes[index] ?? null);
  });
}

function nodeKey(node: Node): string {
  return node instanceof HTMLElement ? `${node.tagName}:${node.dataset.key ?? ''}` : node.nodeName;
}
